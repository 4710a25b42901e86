"""Background jobs for the agenda: close help requests whose date has passed (run daily)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .helping import help_requests_close_due


@task()
def close_past_due_help_requests(now: str | datetime | None = None) -> int:
    """Close every help request past its date and tell its requester; return how many closed.

    `now` may be an ISO string because a queued job's arguments must be JSON.
    """
    moment = datetime.fromisoformat(now) if isinstance(now, str) else now
    return help_requests_close_due(now=moment)
