"""The automatic milestones: checked on other apps' signals, inside the writer's transaction.

Each check decides whether a milestone was just reached and posts it with `milestone_post`,
whose (community, key) uniqueness keeps a replayed or repeated history from posting twice.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_noop

from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.sharing.models import Answer, Question

from .models import Milestone
from .services import milestone_post

QUESTION_COUNTS = (100, 500, 1000)
"""Question counts worth a milestone; past the last one, every further multiple of it."""


def question_count_threshold(count: int) -> int | None:
    """Return the highest milestone count reached by `count` questions, or None below the first."""
    last = QUESTION_COUNTS[-1]
    if count >= last:
        return count // last * last
    reached = [n for n in QUESTION_COUNTS if n <= count]
    return reached[-1] if reached else None


def milestone_check_question_count(
    *, question: Question, at: datetime | None = None
) -> Milestone | None:
    """Post "the community asked its Nth question" when this question reaches a threshold."""
    community = question.community
    count = Question.objects.filter(community=community).count()
    threshold = question_count_threshold(count)
    if threshold is None:
        return None
    return milestone_post(
        community=community,
        key=f"questions:{threshold}",
        title=phrase(
            gettext_noop("%(name)s has asked %(count)s questions"),
            name=community.name,
            count=f"{threshold:,}",
        ),
        people=[question.author],
        url=question.get_absolute_url(),
        at=at or question.created_at,
    )


def milestone_check_first_accepted_answer(
    *, answer: Answer, at: datetime | None = None
) -> Milestone | None:
    """Post a member's first accepted answer in the community (call after accepting it)."""
    community = answer.community
    earlier = (
        Question.objects.filter(community=community, accepted_answer__author_id=answer.author_id)
        .exclude(accepted_answer=answer)
        .exists()
    )
    if earlier:
        return None
    author = answer.author
    return milestone_post(
        community=community,
        key=f"first-accepted-answer:{author.pk}",
        title=phrase(gettext_noop("%(name)s's first accepted answer"), name=author.name),
        people=[author],
        url=answer.get_absolute_url(),
        at=at,
    )


def on_question_asked(
    sender: object, *, question: Question, at: datetime, **kwargs: object
) -> None:
    """sharing's `question_asked`: the community may have reached a question count."""
    milestone_check_question_count(question=question, at=at)


def on_answer_accepted(
    sender: object, *, answer: Answer, at: datetime | None, **kwargs: object
) -> None:
    """sharing's `answer_accepted`: it may be the author's first accepted answer here."""
    milestone_check_first_accepted_answer(answer=answer, at=at)
