"""Search by meaning and by words together: a question found without a word in common,
never one the reader may not see."""

from __future__ import annotations

import pytest

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.search.embeddings import embeddings_catch_up, sentence_encoder
from cultivate.apps.search.meaning import encode_query
from cultivate.apps.search.selectors import search
from cultivate.apps.sharing.services import content_hide, question_ask

pytestmark = pytest.mark.usefixtures("encoder_dir")


def _ask(community: Community, author: User, title: str) -> int:
    return question_ask(community=community, author=author, title=title, body="Context.").pk


def test_a_question_is_found_without_a_word_in_common(community: Community, member: User) -> None:
    wanted = _ask(community, member, "How do I reset my password after it expired?")
    _ask(community, member, "Which grease suits a bearing at 3,000 rpm?")
    embeddings_catch_up()
    found = search(member, "forgot login passphrase")
    assert [h.object_pk for h in found.hits] == [wanted]
    assert search(member, "forgot login passphrase", by_meaning=False).hits == []


def test_word_matches_and_meaning_are_fused_word_matches_kept(
    community: Community, member: User
) -> None:
    exact = _ask(community, member, "Coolant pump cavitation")
    near = _ask(community, member, "Why does my circulation pump make a gravel noise?")
    embeddings_catch_up()
    found = [h.object_pk for h in search(member, "coolant pump cavitation").hits]
    assert found[0] == exact
    assert near in found


def test_meaning_never_reaches_a_private_community_or_hidden_content(
    community: Community,
    private_community: Community,
    coordinator: User,
    member: User,
    outsider: User,
) -> None:
    secret = _ask(private_community, coordinator, "Crane brake failure during the night lift")
    hidden = question_ask(
        community=community,
        author=member,
        title="Crane brakes slipping under load",
        body="Context.",
    )
    content_hide(content=hidden, by=coordinator)
    embeddings_catch_up()
    for person in (outsider, member):
        found = [h.object_pk for h in search(person, "lifting equipment could not hold").hits]
        assert secret not in found
        assert hidden.pk not in found
    insiders = [h.object_pk for h in search(coordinator, "lifting equipment could not hold").hits]
    assert secret in insiders


def test_filters_apply_to_what_meaning_finds(community: Community, member: User) -> None:
    _ask(community, member, "How do I reset my password after it expired?")
    embeddings_catch_up()
    assert search(member, "forgot login passphrase", kind="post").hits == []
    assert search(member, "forgot login passphrase", kind="answer").hits == []


def test_a_query_searched_again_is_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = sentence_encoder()
    assert encoder is not None
    calls: list[list[str]] = []
    real = type(encoder).encode

    def counted(self: object, texts: list[str]) -> object:
        calls.append(list(texts))
        return real(self, texts)  # type: ignore[arg-type]

    monkeypatch.setattr(type(encoder), "encode", counted)
    first = encode_query("  lubricating   a gearbox ")
    again = encode_query("lubricating a gearbox")
    other = encode_query("resetting a password")

    assert calls == [["lubricating a gearbox"], ["resetting a password"]]
    assert again is first
    assert first is not None
    assert other is not None
    assert not first.flags.writeable
    assert float(first @ other) < 0.99
