"""Background work for notifications: e-mail leaves the request cycle."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .summaries import email_summaries_send


@task()
def send_notification_email(*, to: str, subject: str, body: str) -> None:
    """Send one notification e-mail."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


@task()
def send_email_summaries(now: str | None = None) -> int:
    """Send the daily summaries that are due; `now` is ISO 8601 (default now)."""
    moment = datetime.fromisoformat(now) if now else None
    return email_summaries_send(now=moment)
