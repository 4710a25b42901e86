"""Fixtures for meetings: events made through the real service, at times relative to now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.meetings.models import Event
from cultivate.apps.meetings.services import event_create


@pytest.fixture
def make_event(community: Community, coordinator: User) -> Callable[..., Event]:
    """Return a factory of events: by default a meetup in Berlin two days from now, one hour long."""

    def make(
        *,
        in_hours: float = 48,
        hours: float = 1,
        host: User | None = None,
        where: Community | None = None,
        **fields: Any,
    ) -> Event:
        start = timezone.now() + timedelta(hours=in_hours)
        values: dict[str, Any] = {
            "title": "Bearing clinic",
            "kind": "meetup",
            "time_zone": "Europe/Berlin",
            "location": "Hall 3, room 2",
        }
        values.update(fields)
        return event_create(
            community=where or community,
            host=host or coordinator,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            **values,
        )

    return make


@pytest.fixture
def members(
    make_user: Callable[..., User], community: Community, join: Callable[..., None]
) -> list[User]:
    """Return four more active members of the community."""
    people = [make_user() for _ in range(4)]
    for person in people:
        join(person, community)
    return people
