"""Imported people are pseudonymous by default: stable keyed pseudonyms, no name or address kept
(issue 16, point 6); `keep_names` opts out, and either way a second import changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import override_settings

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create
from cultivate.apps.imports.models import ImportedIdentity
from cultivate.apps.imports.pseudonyms import pseudonym_keys, pseudonym_of
from cultivate.apps.imports.services import history_import
from cultivate.core.connectors import detect_and_read, read_slack_people

_SE_PERSON = "stackexchange:beer.meta:user:17"


def _imported() -> list[tuple[str, str, str, str]]:
    return sorted(
        User.objects.filter(imported_identities__isnull=False).values_list(
            "imported_identities__key", "username", "display_name", "email"
        )
    )


def test_a_pseudonym_is_a_keyed_hash_the_same_for_the_same_person_and_secret() -> None:
    first = pseudonym_of("stackexchange", _SE_PERSON)

    assert pseudonym_of("stackexchange", _SE_PERSON) == first
    assert re.fullmatch(r"Member [0-9a-f]{6}", first.name)
    assert first.username == "member-" + first.name.removeprefix("Member ")
    assert re.fullmatch(r"pseudonym:[0-9a-f]{40}", first.key)
    assert pseudonym_of("stackexchange", "stackexchange:beer.meta:user:18") != first
    with override_settings(SECRET_KEY="another secret key, another set of pseudonyms"):
        assert pseudonym_of("stackexchange", _SE_PERSON).key != first.key


def test_people_are_imported_under_pseudonyms_and_a_second_import_changes_nothing(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "se-beer-meta"
    result = history_import(path=path, community=community, by=coordinator)
    people = _imported()
    assert len(people) == result.created["people"] > 10
    for key, username, name, email in people:
        assert key.startswith("pseudonym:")
        assert re.fullmatch(r"member-[0-9a-f]{6}(?:[0-9a-f]{10})?", username)
        assert re.fullmatch(r"Member [0-9a-f]{6}", name)
        assert email == f"{username}@imported.invalid"
    listed = {a.meta["name"] for b in detect_and_read(path) for a in b if a.meta.get("name")}
    assert listed
    assert not {name for _key, _username, name, _email in people} & listed

    again = history_import(path=path, community=community, by=coordinator)

    assert sum(again.created.values()) == 0
    assert _imported() == people


def test_no_real_name_or_address_of_a_slack_workspace_is_stored(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "slack-houstondatavis"
    listed = list(read_slack_people(path))
    names = {p.name for p in listed if p.name}
    addresses = {p.email.lower() for p in listed if p.email}
    assert names

    history_import(path=path, community=community, by=coordinator)

    stored = User.objects.filter(imported_identities__isnull=False)
    assert stored.exists()
    assert not stored.filter(display_name__in=names).exists()
    assert not stored.filter(email__in=addresses).exists()
    assert not ImportedIdentity.objects.filter(key__startswith="slack:").exists()


def test_importing_with_names_and_then_without_or_the_other_way_finds_the_same_accounts(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "se-beer-meta"
    named = history_import(path=path, community=community, by=coordinator, keep_names=True)
    people = _imported()
    assert named.created["people"] == len(people)
    assert not any(key.startswith("pseudonym:") for key, *_rest in people)
    other = community_create(by=coordinator, name="Beer, again", practice="beer")

    pseudonymous = history_import(path=path, community=other, by=coordinator)

    assert pseudonymous.created.get("people", 0) == 0
    assert _imported() == people  # names that were kept stay; nothing is renamed
    third = community_create(by=coordinator, name="Beer, third", practice="beer")
    history_import(path=path, community=third, by=coordinator, keep_names=True)
    assert _imported() == people


def test_a_person_imported_pseudonymously_is_found_again_when_names_are_kept(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "se-beer-meta"
    history_import(path=path, community=community, by=coordinator)
    people = _imported()
    other = community_create(by=coordinator, name="Beer, again", practice="beer")

    named = history_import(path=path, community=other, by=coordinator, keep_names=True)

    assert named.created.get("people", 0) == 0
    assert _imported() == people


def test_a_rotated_secret_key_kept_as_a_fallback_still_finds_the_people(
    data_dir: Path, community: Community, coordinator: User, settings
) -> None:
    path = data_dir / "se-beer-meta"
    history_import(path=path, community=community, by=coordinator)
    people = _imported()
    before = pseudonym_of("stackexchange", _SE_PERSON).key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a fresh secret key after a rotation"
    now = pseudonym_of("stackexchange", _SE_PERSON).key
    assert now != before
    assert pseudonym_keys("stackexchange", _SE_PERSON) == [now, before]  # the new key's first
    other = community_create(by=coordinator, name="Beer, again", practice="beer")

    again = history_import(path=path, community=other, by=coordinator)

    assert again.created.get("people", 0) == 0
    assert _imported() == people


def test_a_pseudonymous_username_someone_holds_is_never_taken_over(
    data_dir: Path, community: Community, coordinator: User, make_user
) -> None:
    path = data_dir / "se-beer-meta"
    asker = next(a for b in detect_and_read(path) for a in b if a.verb == "ask")
    wanted = pseudonym_of(asker.source, asker.actor)
    someone = make_user(wanted.username)

    history_import(path=path, community=community, by=coordinator)

    assert not ImportedIdentity.objects.filter(user=someone).exists()
    account = ImportedIdentity.objects.get(key=wanted.key).user
    assert account.username == wanted.spare_username
    assert account.display_name == wanted.name
