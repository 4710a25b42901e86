"""Background jobs for meetings: the day-before reminders and scheduled coffee rounds.

The scheduler (cron, or the worker's periodic runner) calls `manage.py send_event_reminders`
hourly or daily and `manage.py run_coffee_rounds` as often as rounds should happen.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from cultivate.apps.communities.models import Community

from .coffee import coffee_round_run
from .services import event_reminders_send


@task()
def send_event_reminders(now: str | None = None) -> int:
    """Remind people going to events that start in 24-48 hours; `now` is ISO 8601 (default now)."""
    moment = datetime.fromisoformat(now) if now else None
    return event_reminders_send(now=moment)


@task()
def run_coffee_round(community_id: int) -> str:
    """Run one community's pairing round; return what happened (or why nobody was paired)."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted since the job was queued
        return _("The community no longer exists.")
    try:
        round_ = coffee_round_run(community=community, by=None)
    except ValidationError as error:
        return " ".join(error.messages)
    groups = round_.pairs.count()
    return f"Round {round_.pk}: {groups} group{'s' if groups != 1 else ''} in {community.name}."
