"""What sharing adds to the Health page: questions that answered someone before they asked,
and unanswered questions routed to people (sharing.routing): how many, answered, how fast."""

from __future__ import annotations

from datetime import datetime
from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cultivate.apps.communities.models import Community
from cultivate.apps.insights.figures import HealthFigure

from .models import QuestionReuse, RoutedQuestion


def reuse_figures(community: Community, since: datetime, until: datetime) -> list[HealthFigure]:
    """Count the duplicates avoided: members who found their answer instead of asking again."""
    reused = QuestionReuse.objects.filter(
        question__community=community, created_at__gt=since, created_at__lte=until
    ).count()
    return [
        HealthFigure(
            label=_("Duplicates avoided"),
            value=str(reused),
            note=ngettext(
                "a member found their answer in a question asked before",
                "members found their answer in a question asked before",
                reused,
            ),
        )
    ]


def routing_figures(community: Community, since: datetime, until: datetime) -> list[HealthFigure]:
    """Count the questions routed in the window, those a routed person answered, and the
    median time from routing to that answer."""
    routes = list(
        RoutedQuestion.objects.filter(
            question__community=community, routed_at__gt=since, routed_at__lte=until
        ).values_list("question_id", "routed_at", "answered_at")
    )
    routed = {question for question, _, _ in routes}
    first_answer: dict[int, float] = {}
    for question, routed_at, answered_at in routes:
        if answered_at is not None:
            hours = (answered_at - routed_at).total_seconds() / 3600
            first_answer[question] = min(hours, first_answer.get(question, hours))
    figures = [
        HealthFigure(
            label=_("Unanswered questions routed"),
            value=str(len(routed)),
            note=_("offered to the members most likely to know"),
        ),
        HealthFigure(
            label=_("Answered by someone they were routed to"),
            value=str(len(first_answer)),
            note=_("%(share)s%% of those routed")
            % {"share": round(100 * len(first_answer) / len(routed))}
            if routed
            else "",
        ),
    ]
    if first_answer:
        hours = median(first_answer.values())
        figures.append(
            HealthFigure(
                label=_("Median time from routing to an answer"),
                value=ngettext("%(count)s hour", "%(count)s hours", round(hours))
                % {"count": round(hours)}
                if hours >= 1
                else ngettext("%(count)s minute", "%(count)s minutes", round(hours * 60))
                % {"count": round(hours * 60)},
            )
        )
    return figures
