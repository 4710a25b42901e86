"""Fixtures for decisions: a second member and a proposal of each process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.decisions.models import Proposal
from cultivate.apps.decisions.services import proposal_create


@pytest.fixture
def second(make_user: Callable[..., User], community: Community, join) -> User:
    user = make_user("sam", display_name="Sam Second")
    join(user, community)
    return user


@pytest.fixture
def consent(community: Community, member: User) -> Proposal:
    return proposal_create(
        community=community,
        by=member,
        title="Adopt a shared bearing-failure log",
        body="We log every failure in **one** sheet.",
        deadline=timezone.now() + timedelta(days=7),
        process="consent",
        options=None,
    )


@pytest.fixture
def poll(community: Community, member: User) -> Proposal:
    return proposal_create(
        community=community,
        by=member,
        title="Which topic first?",
        body="Pick one.",
        deadline=timezone.now() + timedelta(days=7),
        process="poll",
        options=["Lubrication", "Alignment", "Vibration"],
    )
