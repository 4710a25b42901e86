"""Route unanswered questions to the members most likely to answer them.

A question nobody answered within its community's `route_after_hours` (24 by default) is
offered to the top three of `who_can_answer` who take routed questions (not off, not paused)
and have had fewer than `ROUTED_PER_WEEK` this week: a notification, and one e-mail unless
they chose otherwise. Each question is routed once; when a person it was routed to answers,
the route is marked answered, and the Health page counts those and how fast they came.
Runs from `cultivate tick` (the `route_unanswered_questions` job).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.models import EmailPreferences, Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.notifications.services import notify

from .experts import who_can_answer
from .models import Question, RoutedQuestion

ROUTED_TO = 3
"""People each unanswered question is offered to."""
OLDEST = timedelta(days=30)
"""Questions older than this are not routed: whoever asked has moved on."""


def routed_per_week() -> int:
    """The most questions one person is sent in seven days (CULTIVATE_ROUTED_PER_WEEK, 3)."""
    return int(getattr(settings, "CULTIVATE_ROUTED_PER_WEEK", 3))


def questions_route(*, now: datetime | None = None) -> int:
    """Route every question that has waited long enough; return how many were routed."""
    now = now or timezone.now()
    routed = 0
    for community in Community.objects.filter(route_after_hours__gt=0):
        due = now - timedelta(hours=community.route_after_hours)
        waiting = (
            Question.objects.filter(
                community=community,
                answer_count=0,
                is_hidden=False,
                created_at__lte=due,
                created_at__gte=now - OLDEST,
            )
            .exclude(routes__isnull=False)
            .select_related("community")
            .order_by("created_at")
        )
        for question in waiting:
            routed += question_route(question=question, now=now) > 0
    return routed


def question_route(*, question: Question, now: datetime | None = None) -> int:
    """Offer one question to up to three people who can answer it; return how many."""
    now = now or timezone.now()
    week = now - timedelta(days=7)
    load = _open_routes()
    experts = who_can_answer(question, limit=12, load=load, now=now)
    people = [e.person.pk for e in experts]
    sent_this_week = dict(
        RoutedQuestion.objects.filter(user_id__in=people, routed_at__gte=week)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    choices = {p.user_id: p for p in EmailPreferences.objects.filter(user_id__in=people)}
    today = timezone.localdate(now)
    chosen = [
        pk
        for pk in people
        if sent_this_week.get(pk, 0) < routed_per_week()
        and (pk not in choices or choices[pk].takes_routed_questions(today))
    ][:ROUTED_TO]
    if not chosen:
        return 0
    with transaction.atomic():
        RoutedQuestion.objects.bulk_create(
            [RoutedQuestion(question=question, user_id=pk, routed_at=now) for pk in chosen],
            ignore_conflicts=True,
        )
        notify(
            recipient_ids=chosen,
            kind=Kind.ROUTED,
            actor=None,
            community=question.community,
            summary=phrase(
                gettext_noop("Nobody has answered %(title)s yet: you may know"),
                title=question.title,
            ),
            url=question.get_absolute_url(),
            at=now,
        )
    return len(chosen)


def _open_routes() -> dict[int, int]:
    """How many routed questions each person has that are still unanswered (their load)."""
    return dict(
        RoutedQuestion.objects.filter(answered_at__isnull=True, question__answer_count=0)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
