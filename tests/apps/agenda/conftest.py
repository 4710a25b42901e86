"""People, topics and a help request shared by the agenda tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_request_create
from cultivate.apps.agenda.models import HelpRequest, Topic
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.communities.models import Community


@pytest.fixture
def second(make_user: Callable[..., User], community: Community, join: Callable[..., None]) -> User:
    user = make_user("sam", display_name="Sam Second")
    join(user, community)
    return user


@pytest.fixture
def propose(community: Community, member: User) -> Callable[..., Topic]:
    """Return a helper proposing a topic (by the member unless told)."""

    def make(title: str, **fields: Any) -> Topic:
        values: dict[str, Any] = {
            "community": community,
            "by": member,
            "title": title,
            "why": f"We keep getting **{title.lower()}** wrong.",
            "deliverable": f"a best practice on {title.lower()}",
        }
        return topic_propose(**(values | fields))

    return make


@pytest.fixture
def topics(propose: Callable[..., Topic]) -> list[Topic]:
    return [propose("Keeping inventory low"), propose("Bearing lubrication"), propose("Alignment")]


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def help_request(community: Community, member: User, now: datetime) -> HelpRequest:
    return help_request_create(
        community=community,
        by=member,
        title="Input on our spare-parts checklist",
        body="Here is the *draft* checklist; what is missing?",
        due=timezone.localdate(now + timedelta(days=7)),
        at=now,
    )
