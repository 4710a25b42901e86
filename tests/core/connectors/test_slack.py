"""The Slack reader on the real Houston Data Visualization export and on exports built here."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import ReadStats, SourceError, read_slack, read_slack_people

WS = "slack:houstondatavis"


def read_all(path: Path, stats: ReadStats | None = None, **options: Any) -> list[Activity]:
    return [a for batch in read_slack(path, stats=stats, **options) for a in batch]


@pytest.fixture(scope="module")
def export(data_dir: Path) -> Path:
    return data_dir / "slack-houstondatavis"


@pytest.fixture(scope="module")
def houston(export: Path) -> tuple[list[Activity], ReadStats]:
    stats = ReadStats()
    return read_all(export, stats), stats


@pytest.fixture(scope="module")
def by_id(houston: tuple[list[Activity], ReadStats]) -> dict[str, Activity]:
    return {a.id: a for a in houston[0]}


@pytest.mark.data
def test_every_message_of_the_real_export_is_counted_once(
    export: Path, houston: tuple[list[Activity], ReadStats]
) -> None:
    activities, stats = houston
    # Independent count: message objects in every channel folder listed in channels.json,
    # minus the ones a reader must skip (bot messages; this export has none) and the
    # reactions, one per reacting person.
    channels = [c["name"] for c in json.loads((export / "channels.json").read_text())]
    messages = skipped = reactions = 0
    for channel in channels:
        for day in (export / channel).glob("*.json"):
            for message in json.loads(day.read_text()):
                messages += 1
                if message.get("subtype") == "bot_message":
                    skipped += 1
                for reaction in message.get("reactions", []):
                    reactions += len(reaction["users"])
    assert len(channels) == 16
    assert messages == 1382
    assert stats.messages == messages
    assert sum(stats.skipped.values()) == skipped == 0
    reacted = sum(1 for a in activities if "reaction" in a.meta)  # :tada: and :clap: celebrate
    assert reacted == reactions == 199  # one welcomes a join (datajam 2016-07-11)
    assert len(activities) - reacted == messages - skipped
    assert len({a.id for a in activities}) == len(activities)
    assert len({a.community for a in activities}) == 16
    assert "slack-houstondatavis-general" in {a.community for a in activities}


@pytest.mark.data
def test_joins_leaves_and_file_shares_keep_their_meaning(
    houston: tuple[list[Activity], ReadStats],
) -> None:
    verbs = Counter(a.verb for a in houston[0])
    assert verbs[Verb.JOIN] == 320
    assert verbs[Verb.LEAVE] == 3
    files = [a for a in houston[0] if a.meta.get("kind") == "file"]
    assert len(files) == 61
    assert all(a.verb is Verb.SHARE for a in files)


@pytest.mark.data
def test_every_time_is_utc_and_matches_the_slack_timestamp(by_id: dict[str, Activity]) -> None:
    first = by_id[f"{WS}:general:1433865601.000002"]
    assert first.at == datetime.fromtimestamp(1433865601.000002, tz=UTC)
    assert first.verb is Verb.SHARE  # a link to a discussion elsewhere, no question
    assert all(a.at.utcoffset() is not None for a in by_id.values())


@pytest.mark.data
def test_reactions_name_who_reacted_and_whose_message_it_was(by_id: dict[str, Activity]) -> None:
    # datajam/2015-12-05.json: U061A5N1G's message got +1 from U061A1R2R and U0CRUMJ2D.
    message = f"{WS}:datajam:1449360699.000002"
    for user in ("U061A1R2R", "U0CRUMJ2D"):
        react = by_id[f"{message}:reaction:+1:{user}"]
        assert react.verb is Verb.REACT
        assert react.actor == f"{WS}:user:{user}"
        assert react.target_actor == f"{WS}:user:U061A5N1G"
        assert react.parent_id == message
        assert react.at == by_id[message].at


@pytest.mark.data
def test_a_file_comment_replies_to_the_person_who_shared_the_file(
    by_id: dict[str, Activity],
) -> None:
    # datajam/2015-06-19.json: neerajt commented on timabram's file avg_price_by_county_NY-region.
    comment = by_id[f"{WS}:datajam:1434772752.000007"]
    assert comment.verb is Verb.REPLY
    assert comment.actor == f"{WS}:user:U061A5N1G"
    assert comment.target_actor == f"{WS}:user:U064KUGRJ"
    assert comment.parent_id == f"{WS}:datajam:1434772080.000006"
    assert by_id[comment.parent_id].meta["kind"] == "file"


@pytest.mark.data
def test_praise_right_after_a_shared_file_celebrates_its_author(
    by_id: dict[str, Activity],
) -> None:
    # datajam/2015-06-05.json: javier uploads Fritz.jpg, neerajt answers "Gorgeous! It's fantastic"
    praise = by_id[f"{WS}:datajam:1433563027.000006"]
    assert praise.verb is Verb.CELEBRATE  # step 6, not a response that helps
    assert praise.parent_id == f"{WS}:datajam:1433562832.000005"
    assert praise.target_actor == f"{WS}:user:U061A3E0G"
    assert praise.meta["parent_inferred"] is True
    assert praise.meta["kind"] == "appreciation"


@pytest.mark.data
def test_inferred_verbs_say_so_with_a_confidence(houston: tuple[list[Activity], ReadStats]) -> None:
    inferred = [
        a for a in houston[0] if a.verb in {Verb.ASK, Verb.SHARE} and "confidence" in a.meta
    ]
    assert inferred
    for activity in inferred:
        assert activity.meta["inferred"] is True
        assert 0.0 <= activity.meta["confidence"] <= 1.0
        assert (activity.verb is Verb.ASK) == (activity.meta["kind"] == "question")


@pytest.mark.data
def test_without_a_reply_window_no_parent_is_inferred(export: Path) -> None:
    activities = read_all(export, reply_window=None)
    assert not [a for a in activities if a.meta.get("parent_inferred")]


@pytest.mark.data
def test_people_come_from_users_json_keyed_like_the_actors(
    export: Path, houston: tuple[list[Activity], ReadStats]
) -> None:
    people = {p.key: p for p in read_slack_people(export)}
    assert len(people) == 71
    assert {a.actor for a in houston[0]} <= set(people)
    assert people[f"{WS}:user:U061A1R2R"].name  # a real name or the user name, never empty
    assert all(p.email is None for p in people.values())  # this export blanked the e-mails


# --- exports written here: threads (the real export predates them), zips, bad input ---------


def message(ts: str, user: str | None, text: str = "", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "message", "ts": ts, "text": text, **extra}
    if user is not None:
        body["user"] = user
    return body


THREADED = {
    "2020-01-01.json": [
        message("1577880000.000100", "U1", "", subtype="channel_join"),
        message(
            "1577880060.000200",
            "U1",
            "Does anyone know how to join two frames on a date range?",
            thread_ts="1577880060.000200",
            reply_count=2,
        ),
        message(
            "1577880120.000300",
            "U2",
            "You can use join_asof for that",
            thread_ts="1577880060.000200",
            reactions=[{"name": "+1", "users": ["U1", "U3"], "count": 2}],
        ),
        message("1577880130.000350", None, "deploy finished", subtype="bot_message", bot_id="B1"),
    ],
    "2020-01-02.json": [
        message("1577966400.000400", "U1", "thanks!", thread_ts="1577880060.000200"),
        message("1577966500.000500", "U3", "", subtype="channel_leave"),
    ],
}


def write_export(root: Path, days: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "help"}]))
    (root / "users.json").write_text(
        json.dumps(
            [
                {"id": "U1", "name": "ann", "profile": {"real_name": "Ann A", "email": "A@x.org"}},
                {"id": "U2", "name": "bob", "real_name": "Bob B", "profile": {}},
            ]
        )
    )
    (root / "help").mkdir(exist_ok=True)
    for name, messages in (days or THREADED).items():
        (root / "help" / name).write_text(json.dumps(messages, indent=1))
    return root


def zip_folder(folder: Path, target: Path, inner: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, inner + file.relative_to(folder).as_posix())
    return target


def test_a_threaded_export_maps_roots_replies_reactions_and_membership(tmp_path: Path) -> None:
    stats = ReadStats()
    activities = read_all(write_export(tmp_path / "acme"), stats)
    by_id = {a.id: a for a in activities}
    root = "slack:acme:help:1577880060.000200"
    assert by_id[root].verb is Verb.ASK
    assert by_id[root].meta["inferred"] is True
    answer = by_id["slack:acme:help:1577880120.000300"]
    assert (answer.verb, answer.parent_id, answer.target_actor) == (
        Verb.REPLY,
        root,
        "slack:acme:user:U1",
    )
    thanks = by_id["slack:acme:help:1577966400.000400"]
    assert (thanks.parent_id, thanks.target_actor) == (root, "slack:acme:user:U1")
    reacts = [a for a in activities if a.verb is Verb.REACT]
    assert {a.actor for a in reacts} == {"slack:acme:user:U1", "slack:acme:user:U3"}
    assert {a.target_actor for a in reacts} == {"slack:acme:user:U2"}
    assert {a.parent_id for a in reacts} == {root}
    assert by_id["slack:acme:help:1577880000.000100"].verb is Verb.JOIN
    assert by_id["slack:acme:help:1577966500.000500"].verb is Verb.LEAVE
    assert stats.skipped == Counter({"bot message": 1})
    assert stats.messages == 6
    assert {a.community for a in activities} == {"slack-acme-help"}


def test_a_zip_reads_like_the_folder_even_with_a_top_level_folder_inside(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "acme")
    plain = read_all(zip_folder(folder, tmp_path / "acme.zip"))
    nested = read_all(zip_folder(folder, tmp_path / "other.zip", inner="acme/"))
    assert plain == read_all(folder) == nested


def test_self_promotion_is_shared_and_marked(tmp_path: Path) -> None:
    days = {
        "2020-01-01.json": [
            message("1577880000.000100", "U1", "Check out my new blog post http://ann.example/d3")
        ]
    }
    (activity,) = read_all(write_export(tmp_path / "acme", days))
    assert activity.verb is Verb.SHARE
    assert activity.meta["kind"] == "self-promotion"


def test_people_carry_real_names_and_lower_case_emails(tmp_path: Path) -> None:
    people = {p.key: p for p in read_slack_people(write_export(tmp_path / "acme"))}
    assert people["slack:acme:user:U1"].name == "Ann A"
    assert people["slack:acme:user:U1"].email == "a@x.org"
    assert people["slack:acme:user:U2"].name == "Bob B"


def test_malformed_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    root = write_export(tmp_path / "acme")
    (root / "help" / "2020-01-03.json").write_text('[\n {"ts": "1", "user": "U1",\n  oops}\n]')
    with pytest.raises(SourceError) as error:
        read_all(root)
    assert error.value.path.endswith("2020-01-03.json")
    assert error.value.where == "line 3 column 3"
    assert "valid JSON" in error.value.expected


def test_a_missing_channels_json_is_named(tmp_path: Path) -> None:
    root = write_export(tmp_path / "acme")
    (root / "channels.json").unlink()
    with pytest.raises(SourceError, match=r"channels\.json"):
        read_all(root)
    zipped = zip_folder(root, tmp_path / "acme.zip")
    with pytest.raises(SourceError, match=r"channels\.json"):
        read_all(zipped)


def test_a_truncated_zip_is_refused_with_the_archive_named(tmp_path: Path) -> None:
    zipped = zip_folder(write_export(tmp_path / "acme"), tmp_path / "acme.zip")
    data = zipped.read_bytes()
    zipped.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as error:
        read_all(zipped)
    assert error.value.path == str(zipped)
    assert "zip" in error.value.expected


def test_a_file_that_is_no_export_at_all_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("just some notes")
    with pytest.raises(SourceError) as error:
        read_all(stray)
    assert error.value.path == str(stray)


def test_a_message_with_an_unreadable_timestamp_is_named_by_position(tmp_path: Path) -> None:
    days = {"2020-01-01.json": [message("1577880000.1", "U1", "hi"), message("soon", "U1", "x")]}
    with pytest.raises(SourceError) as error:
        read_all(write_export(tmp_path / "acme", days))
    assert error.value.where == "message 1 field 'ts'"


def test_a_day_file_that_is_not_a_list_of_messages_is_refused(tmp_path: Path) -> None:
    days: dict[str, Any] = {"2020-01-01.json": {"messages": []}}
    with pytest.raises(SourceError, match="JSON array of messages"):
        read_all(write_export(tmp_path / "acme", days))
