"""The layouts real exports come in, read as given: each detected, each on real data."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import (
    ReadStats,
    SourceError,
    detect_and_read,
    detect_source,
    read_slack_people,
)
from cultivate.core.connectors.stackexchange import OPTIONAL_FILES

pytestmark = pytest.mark.data


def read(path: Path, **options: object) -> list[Activity]:
    return [a for batch in detect_and_read(path, **options) for a in batch]  # type: ignore[arg-type]


# --- Stack Exchange with only Posts.xml ----------------------------------------------------------


def test_a_dump_with_only_posts_is_read_and_says_once_what_is_missing(
    data_dir: Path, tmp_path: Path
) -> None:
    full = data_dir / "se-beer-meta"
    only = tmp_path / "se-beer-meta"
    only.mkdir()
    shutil.copy(full / "Posts.xml", only / "Posts.xml")
    assert detect_source(only) == "stackexchange"

    diagnosis = diagnose_export(only)
    complete = read(full)
    posts_only = read(only)
    verbs = Counter(a.verb for a in posts_only)
    expected = Counter(a.verb for a in complete if a.verb in (Verb.ASK, Verb.ANSWER, Verb.ACCEPT))
    assert {v: verbs[v] for v in expected} == dict(expected)
    assert verbs[Verb.JOIN] == verbs[Verb.REPLY] == 0
    notes = diagnosis.reports[0].reading["notes"]  # type: ignore[index]
    assert notes == [f"{name} is missing: {loss}" for name, loss in OPTIONAL_FILES.items()]
    assert len(diagnosis.reports) == 1
    # People come from the posts: every actor of a post has a name in the report.
    members = diagnosis.reports[0].members
    assert members
    assert all(m["name"] and not m["name"].startswith("stackexchange:") for m in members)


# --- Mail archives spread over sub-folders --------------------------------------------------------


def _nested_archive(data_dir: Path, root: Path) -> Path:
    """Lay the real numpy archive out as Mailman keeps it: archives/<year>/<year>-<Month>.txt.gz."""
    source = (data_dir / "ml-numpy-discussion" / "2001-November.txt").read_bytes()
    (root / "2001").mkdir(parents=True)
    (root / "2001" / "2001-November.txt.gz").write_bytes(gzip.compress(source))
    (root / "2014").mkdir()
    test_archive = (data_dir / "ml-numpy-discussion" / "bigbang-dev-test.txt").read_bytes()
    (root / "2014" / "2014-November.txt").write_bytes(test_archive)
    return root


def test_a_pipermail_archive_in_sub_folders_is_one_list_named_after_the_folder_given(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = _nested_archive(data_dir, tmp_path / "numpy-archives")
    assert detect_source(archive) == "pipermail"
    activities = read(archive)
    flat = read(data_dir / "ml-numpy-discussion" / "2001-November.txt") + read(
        data_dir / "ml-numpy-discussion" / "bigbang-dev-test.txt"
    )
    assert {a.community for a in activities} == {"mail-numpy-archives"}
    assert sorted(a.id.split(":", 2)[2] for a in activities) == sorted(
        a.id.split(":", 2)[2] for a in flat
    )
    # Date order across folders: 2001's file is read before 2014's, whatever the folders' order.
    years = [a.at.year for a in activities]
    assert years == sorted(years)
    assert {2001, 2014} <= set(years)


def test_a_symlinked_archive_folder_is_named_after_the_link(data_dir: Path, tmp_path: Path) -> None:
    target = _nested_archive(data_dir, tmp_path / "mailman-storage-7f3a")
    link = tmp_path / "numpy-discussion"
    link.symlink_to(target, target_is_directory=True)
    assert {a.community for a in read(link)} == {"mail-numpy-discussion"}


def test_split_by_folder_makes_each_sub_folder_its_own_list(data_dir: Path, tmp_path: Path) -> None:
    archive = _nested_archive(data_dir, tmp_path / "numpy-archives")
    communities = Counter(a.community for a in read(archive, split_by_folder=True))
    assert set(communities) == {"mail-2001", "mail-2014"}


def test_a_gzip_compressed_mbox_as_hyperkitty_exports_it_reads_like_the_plain_one(
    data_dir: Path, tmp_path: Path
) -> None:
    plain = data_dir / "ml-3gpp-listserv-mbox" / "3GPP_TSG_SA_WG4_EVS.mbox"
    packed = tmp_path / "3GPP_TSG_SA_WG4_EVS.mbox.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert detect_source(packed) == "mbox"
    assert [(a.id, a.verb, a.at) for a in read(packed)] == [
        (a.id, a.verb, a.at) for a in read(plain)
    ]


def test_a_truncated_gzip_archive_is_refused_as_truncated_naming_file_and_message(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = _nested_archive(data_dir, tmp_path / "numpy-archives")
    packed = archive / "2001" / "2001-November.txt.gz"
    packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    with pytest.raises(SourceError) as caught:
        read(archive)
    assert caught.value.path == str(packed)
    assert caught.value.where.startswith("message ")
    assert "truncated" in caught.value.expected


def test_keep_going_reads_the_other_files_and_the_report_lists_the_one_skipped(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = _nested_archive(data_dir, tmp_path / "numpy-archives")
    packed = archive / "2001" / "2001-November.txt.gz"
    packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    diagnosis = diagnose_export(archive, keep_going=True)
    assert diagnosis.activities == len(
        read(data_dir / "ml-numpy-discussion" / "bigbang-dev-test.txt")
    )
    skipped = diagnosis.reports[0].reading["skipped_files"]  # type: ignore[index]
    assert [s["file"] for s in skipped] == [str(packed)]
    assert "truncated" in skipped[0]["why"]


# --- Slack through the Web API, and JSON Lines of messages ---------------------------------------


def test_a_web_api_dump_reads_each_channel_as_a_community_with_real_threads(
    data_dir: Path,
) -> None:
    dump = data_dir / "slack-api-julialang"
    assert detect_source(dump) == "slack"
    stats = ReadStats()
    activities = [a for batch in detect_and_read(dump, stats=stats) for a in batch]
    assert {a.community for a in activities} == {
        "slack-api-julialang-autodiff",
        "slack-api-julialang-makie",
    }
    # Every reply of every thread file replies to its thread's root, by its root's author.
    roots: dict[str, str] = {}
    replies: set[str] = set()
    for thread in sorted((dump / "threads").glob("*/*.json")):
        channel = json.loads((dump / "names.json").read_text())[thread.parent.name]
        messages = json.loads(thread.read_text())
        root = messages[0]
        roots[f"slack:api-julialang:{channel}:{root['ts']}"] = root["user"]
        replies |= {
            f"slack:api-julialang:{channel}:{m['ts']}"
            for m in messages[1:]
            if m.get("user") and m.get("subtype") is None
        }
    by_id = {a.id: a for a in activities}
    assert replies <= set(by_id)
    for reply in replies:
        activity = by_id[reply]
        assert activity.verb in (Verb.REPLY, Verb.CELEBRATE)  # thanks in a thread celebrate
        assert activity.parent_id in roots
    assert len(replies) > 3000
    assert stats.notes == [
        "385 of 387 channels listed in channels.json have no messages folder and were not read"
    ]


def test_the_web_api_dumps_people_come_from_users_folder(data_dir: Path) -> None:
    people = read_slack_people(data_dir / "slack-api-julialang")
    assert len(people) == len(list((data_dir / "slack-api-julialang" / "users").glob("*.json")))
    files = {f.stem for f in (data_dir / "slack-api-julialang" / "users").glob("*.json")}
    assert {p.key.removeprefix("slack:api-julialang:user:") for p in people} == files


def test_json_lines_of_history_messages_read_as_one_channel(data_dir: Path, tmp_path: Path) -> None:
    dump = data_dir / "slack-api-julialang"
    lines = tmp_path / "julialang" / "autodiff.jsonl"
    lines.parent.mkdir()
    messages = [
        m
        for page in sorted((dump / "messages" / "C6G240ENA").glob("*.json"))
        for m in json.loads(page.read_text())["messages"]
    ]
    lines.write_text("\n".join(json.dumps(m) for m in messages) + "\n")
    assert detect_source(lines) == "slack"
    activities = read(lines)
    assert {a.community for a in activities} == {"slack-julialang-autodiff"}
    messages_read = [a for a in activities if "reaction" not in a.meta]
    opening_verbs = (Verb.ASK, Verb.SHARE, Verb.MEET, Verb.CELEBRATE)
    openings = [a for a in messages_read if a.parent_id is None and a.verb in opening_verbs]
    inferred = [a for a in messages_read if a.meta.get("parent_inferred")]
    assert len(openings) + len(inferred) == sum(
        1 for m in messages if m.get("user") and m.get("subtype") is None
    )


def test_a_layout_that_is_not_recognised_names_what_was_seen_and_the_layouts_known(
    tmp_path: Path,
) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "photos").mkdir()
    with pytest.raises(SourceError) as caught:
        detect_source(tmp_path)
    message = str(caught.value)
    assert "found 2 entries (photos, report.pdf)" in message
    assert "Slack Web API dump" in message
    assert "pipermail" in message
