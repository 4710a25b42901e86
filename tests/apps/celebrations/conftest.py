"""Fixtures for celebrations: a second member to thank, and a question with an answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.sharing.models import Answer
from cultivate.apps.sharing.services import answer_create, question_ask


@pytest.fixture
def helper(make_user: Callable[..., User], community: Community, join: Callable[..., None]) -> User:
    user = make_user("hana", display_name="Hana Helper")
    join(user, community)
    return user


@pytest.fixture
def answer(community: Community, member: User, helper: User) -> Answer:
    question = question_ask(
        community=community, author=member, title="Which grease?", body="For 120 °C bearings."
    )
    return answer_create(question=question, author=helper, body="A lithium complex grease.")
