"""Shared fixtures: people and communities built through the real services, on the real database."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community, Visibility
from cultivate.apps.communities.services import community_create, community_join, membership_invite
from cultivate.apps.insights.selectors import forget_decoded_reports

from .oidc_provider.server import Provider, provider_start

_counter = itertools.count(1)

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


# Tests never assert timings: hypothesis's 200 ms deadline per example failed generated tests on
# a busy machine (two pytest processes and a browser), not on a wrong answer.
hypothesis_settings.register_profile("cultivate", deadline=None)
hypothesis_settings.load_profile("cultivate")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with an empty cache: a rolled-back test may leave parts under ids the
    next test's rows reuse (SQLite hands out freed ids again); rate-limit counts start at zero."""
    cache.clear()
    caches["limits"].clear()
    forget_decoded_reports()


@pytest.fixture(autouse=True)
def _english_to_start() -> None:
    """Start every test in the default language: a request in another language leaves it
    active in the thread (the locale middleware does not undo it), and the next test on the
    same worker would read French."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the real community data (env CULTIVATE_DATA); skip without it, but fail in CI."""
    path = Path(os.environ.get("CULTIVATE_DATA") or DEFAULT_DATA)
    if not path.is_dir():
        message = f"real community data not found at {path} (set CULTIVATE_DATA to shared/data)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must provide it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """A real OpenID Connect provider (django-oauth-toolkit under gunicorn) for single sign-on."""
    yield from provider_start(tmp_path_factory.mktemp("oidc-provider"))


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Return a factory of people with unique names; the password is always 'a-Long-passw0rd'."""

    def make(username: str = "", **fields: str) -> User:
        n = next(_counter)
        username = username or f"person{n}"
        user = User(
            username=username,
            email=fields.pop("email", f"{username}@example.org"),
            display_name=fields.pop("display_name", username.title()),
            **fields,
        )
        user.set_password("a-Long-passw0rd")
        user.save()
        return user

    return make


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user("coco", display_name="Coco Coordinator")


@pytest.fixture
def community(coordinator: User) -> Community:
    return community_create(
        by=coordinator,
        name="Mechanical Engineering",
        practice="mechanical engineering",
        description="Gears, bearings and the people who love them.",
    )


@pytest.fixture
def private_community(coordinator: User) -> Community:
    return community_create(
        by=coordinator,
        name="Safety Leads",
        practice="safety",
        visibility=Visibility.PRIVATE,
        description="Incident reviews we cannot share outside.",
    )


@pytest.fixture
def join(db: None) -> Callable[[User, Community], None]:
    """Return a helper that makes a person an active member (inviting them first if private)."""

    def do(user: User, community: Community) -> None:
        if community.is_private:
            coordinator = community.created_by
            assert coordinator is not None
            membership_invite(community=community, user=user, by=coordinator)
        community_join(community=community, user=user)

    return do


@pytest.fixture
def member(make_user: Callable[..., User], community: Community, join: Callable[..., None]) -> User:
    user = make_user("mia", display_name="Mia Member")
    join(user, community)
    return user


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    return make_user("otto", display_name="Otto Outsider")


@pytest.fixture
def page_queries() -> Callable[[Client, str], int]:
    """Return a function counting the queries of a page drawn afresh: once Django's own
    process-wide caches (content types) are warm, and without a cached part of an earlier run."""

    def count(client: Client, url: str) -> int:
        client.get(url)
        cache.clear()
        forget_decoded_reports()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    return count


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    """Return the sentence encoder's folder (`make embedder`); skip without it, but fail in CI."""
    path = Path(settings.CULTIVATE_EMBEDDER_DIR)
    if not (path / "model.onnx").is_file():
        message = f"the sentence encoder is not built in {path} (run `make embedder`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must build it")
        pytest.skip(message)
    return path
