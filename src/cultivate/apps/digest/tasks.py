"""Background jobs of the digest: the weekly e-mails, queued every hour by `cultivate tick`."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .sending import weekly_digests_send


@task()
def send_weekly_digests(now: str = "") -> int:
    """Send the digests due now (each on its member's chosen day, once a week)."""
    return weekly_digests_send(now=datetime.fromisoformat(now) if now else None)
