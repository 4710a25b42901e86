"""Background jobs for decisions: remind owners of overdue action items."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .actions import action_reminders_send


@task()
def send_overdue_action_reminders(now: str | datetime | None = None) -> int:
    """Remind each owner of an overdue action item (once per item per day); return how many.

    `now` may be an ISO string because a queued job's arguments must be JSON.
    """
    moment = datetime.fromisoformat(now) if isinstance(now, str) else now
    return action_reminders_send(now=moment)
