"""Background work for notifications: e-mail leaves the request cycle."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_notification_email(*, to: str, subject: str, body: str) -> None:
    """Send one notification e-mail."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
