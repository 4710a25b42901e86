"""A lively community built through the real services: people ask, others answer within days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.sharing import services as sharing


def make_lively(
    community: Community,
    make_user: Callable[..., User],
    join: Callable[[User, Community], None],
    *,
    people: int = 4,
    days_ago: int = 10,
    now: datetime | None = None,
) -> list[User]:
    """Have `people` members each ask a question that two colleagues answer within a day."""
    moment = now or timezone.now()
    members = []
    for n in range(people):
        person = make_user(f"{community.slug}-p{n}", display_name=f"Person {n} of {community.name}")
        join(person, community)
        members.append(person)
    for n, asker in enumerate(members):
        asked = moment - timedelta(days=days_ago - n)
        question = sharing.question_ask(
            community=community,
            author=asker,
            title=f"How do we handle case {n} of bearing wear?",
            body="We see it every week on line 3.",
            at=asked,
        )
        for k in (1, 2):
            helper = members[(n + k) % len(members)]
            sharing.answer_create(
                question=question,
                author=helper,
                body=f"We check it every {k * 100} hours.",
                at=asked + timedelta(hours=3 * k),
            )
    return members
