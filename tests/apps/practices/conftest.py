"""People and a draft best practice shared by the practices tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.practices.models import Document
from cultivate.apps.practices.services import document_create

TEXT = "# Lubrication\n\nGrease every 500 hours.\n\nUse lithium complex.\n\nLog every job.\n"


@pytest.fixture
def reviewer(make_user: Callable[..., User], community: Community, join) -> User:
    user = make_user("rita", display_name="Rita Reviewer")
    join(user, community)
    return user


@pytest.fixture
def document(community: Community, member: User) -> Document:
    return document_create(community=community, by=member, title="Bearing lubrication", body=TEXT)
