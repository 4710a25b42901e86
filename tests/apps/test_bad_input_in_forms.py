"""Bad input in every composer: an empty title, a body over its limit, markup, emoji and
right-to-left text. Each is told beside its field with what was typed kept, nothing is half-saved,
and what is saved reads as typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.agenda.models import HelpRequest, Topic
from cultivate.apps.decisions.models import Proposal
from cultivate.apps.meetings.models import Event
from cultivate.apps.practices.models import Document
from cultivate.apps.sharing.models import Post, Question


def _soon(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Composer:
    name: str
    url_name: str
    model: type[Model]
    body_field: str
    body_limit: int
    extra: dict[str, Any] = field(default_factory=dict)


COMPOSERS = [
    Composer("question", "sharing:ask", Question, "body", 100_000, {"tags": "bearings"}),
    Composer("post", "sharing:post_new", Post, "body", 100_000, {"kind": "article"}),
    Composer("best practice", "practices:new", Document, "body", 2_000_000),
    Composer("agenda topic", "agenda:topic_new", Topic, "why", 20_000),
    Composer(
        "help request",
        "agenda:help_new",
        HelpRequest,
        "body",
        100_000,
        {"due": (timezone.localdate() + timedelta(days=5)).isoformat()},
    ),
    Composer(
        "proposal",
        "decisions:proposal_new",
        Proposal,
        "body",
        100_000,
        {"process": "consent", "deadline": _soon(7)},
    ),
    Composer(
        "event",
        "meetings:event_new",
        Event,
        "description",
        50_000,
        {
            "kind": "meetup",
            "starts_at": _soon(3),
            "ends_at": _soon(4),
            "time_zone": "Europe/Paris",
            "location": "Room 204",
        },
    ),
]
TITLE = "<b>Bold?</b> Lager 🍺 vs שלום עולם"
ids = [composer.name for composer in COMPOSERS]


def _post(client: Client, composer: Composer, community, **fields: str):
    data = {"title": "A fine title", composer.body_field: "Some words."} | composer.extra | fields
    return client.post(reverse(composer.url_name, args=[community.slug]), data)


@pytest.mark.parametrize("composer", COMPOSERS, ids=ids)
def test_an_empty_title_is_named_beside_its_field_and_the_text_is_kept(
    client: Client, community, member, composer: Composer
) -> None:
    client.force_login(member)
    response = _post(client, composer, community, title="   ", **{composer.body_field: "Kept 🙂"})
    html = response.content.decode()

    assert response.status_code in (200, 400)
    assert composer.model.objects.count() == 0
    title_field = html[html.index('<label for="id_title"') - 80 : html.index('id="id_title"')]
    assert "has-error" in title_field
    assert 'id="id_title_error"' in html
    assert "Kept 🙂" in html


@pytest.mark.parametrize("composer", COMPOSERS, ids=ids)
def test_a_body_over_its_limit_is_refused_and_kept_whole(
    client: Client, community, member, composer: Composer
) -> None:
    client.force_login(member)
    long_body = "é" * composer.body_limit + "THE END"
    response = _post(client, composer, community, **{composer.body_field: long_body})
    html = response.content.decode()

    assert response.status_code in (200, 400)
    assert composer.model.objects.count() == 0
    assert f'id="id_{composer.body_field}_error"' in html
    assert long_body in html  # every character, the end included


@pytest.mark.parametrize("composer", COMPOSERS, ids=ids)
def test_markup_emoji_and_right_to_left_text_are_saved_as_typed_and_shown_escaped(
    client: Client, community, member, composer: Composer
) -> None:
    client.force_login(member)
    response = _post(client, composer, community, title=TITLE)
    assert response.status_code == 302
    saved = composer.model.objects.get()
    assert saved.title == TITLE  # type: ignore[attr-defined]

    page = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;Bold?&lt;/b&gt; Lager 🍺 vs שלום עולם" in page
    assert "<b>Bold?</b>" not in page
