"""The jobs that run on a clock: queued every hour by the scheduler (schedule.py) or cron's tick.

Each job is safe to run as often as the clock likes: reminders and closings mark what they did,
coffee rounds and health snapshots run only when the last one is old enough. So one cron line is
the whole schedule, and a missed hour is caught up by the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

COFFEE_EVERY = timedelta(days=28)
"""A community with people opted in gets a new coffee round this long after its last one."""
SNAPSHOT_EVERY = timedelta(days=1)
"""Health snapshots are recomputed when the newest is older than this."""


@dataclass(frozen=True, slots=True)
class Queued:
    job: str
    detail: str


def _outcome(result: Any) -> str:
    """Return what the job did, or "queued" when a worker runs it later."""
    if result.status.name == "SUCCESSFUL":
        return str(result.return_value)
    return "failed" if result.status.name == "FAILED" else "queued"


def coffee_rounds_due(now: datetime) -> list[int]:
    """Return the ids of communities with two or more opted in and no round in COFFEE_EVERY."""
    from django.db.models import Count, Max

    from cultivate.apps.meetings.models import CoffeeOptIn, CoffeeRound

    last_round = dict(
        CoffeeRound.objects.values("community_id")
        .annotate(last=Max("created_at"))
        .values_list("community_id", "last")
    )
    ready = (
        CoffeeOptIn.objects.values("community_id")
        .annotate(people=Count("id"))
        .filter(people__gte=2)
        .values_list("community_id", flat=True)
    )
    return sorted(c for c in ready if c not in last_round or last_round[c] <= now - COFFEE_EVERY)


def snapshots_due(now: datetime) -> bool:
    """Say whether the newest health snapshot is older than SNAPSHOT_EVERY (or missing)."""
    from django.db.models import Max

    from cultivate.apps.insights.models import HealthSnapshot

    newest = HealthSnapshot.objects.aggregate(newest=Max("computed_at"))["newest"]
    return newest is None or newest <= now - SNAPSHOT_EVERY


def enqueue_due_jobs(now: datetime) -> list[Queued]:
    """Queue every job that is due at `now`; return what was queued, for the log."""
    from cultivate.apps.agenda.tasks import close_past_due_help_requests
    from cultivate.apps.decisions.tasks import send_overdue_action_reminders
    from cultivate.apps.digest.tasks import send_weekly_digests
    from cultivate.apps.insights.tasks import recompute_health_snapshots
    from cultivate.apps.meetings.tasks import run_coffee_round, send_event_reminders
    from cultivate.apps.notifications.tasks import send_email_summaries
    from cultivate.apps.search.tasks import embed_missing_documents
    from cultivate.apps.sharing.tasks import route_unanswered_questions

    stamp = now.isoformat()
    queued = [
        Queued("event reminders", _outcome(send_event_reminders.enqueue(stamp))),
        Queued("overdue action reminders", _outcome(send_overdue_action_reminders.enqueue(stamp))),
        Queued(
            "help requests past their date", _outcome(close_past_due_help_requests.enqueue(stamp))
        ),
        Queued("daily e-mail summaries", _outcome(send_email_summaries.enqueue(stamp))),
        Queued("weekly digests", _outcome(send_weekly_digests.enqueue(stamp))),
        Queued("documents still without embeddings", _outcome(embed_missing_documents.enqueue())),
        Queued("unanswered questions routed", _outcome(route_unanswered_questions.enqueue(stamp))),
    ]
    for community_id in coffee_rounds_due(now):
        queued.append(Queued("coffee round", _outcome(run_coffee_round.enqueue(community_id))))
    if snapshots_due(now):
        queued.append(Queued("health snapshots", _outcome(recompute_health_snapshots.enqueue())))
    return queued
