"""The Stack Exchange reader on the five real dumps and on hand-made dumps.

Broken input (damaged files and zips, fuzzing) is in test_stackexchange_damaged.py; the dumps
both build are in stackexchange_dumps.py.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import ReadStats, people_stackexchange, read_stackexchange
from cultivate.core.connectors.stackexchange import EDIT_TYPES, MODERATE_TYPES, parse_tags

from .stackexchange_dumps import read_all, write_dump

SITES = ["se-ai", "se-beer-meta", "se-conlang-meta", "se-french-meta", "se-history-meta"]


def xml_rows(path: Path) -> list[dict[str, str]]:
    """Return a file's rows with ElementTree: counted independently of the reader's expat code."""
    if not path.exists():
        return []
    return [dict(e.attrib) for _, e in ET.iterparse(path) if e.tag == "row"]


def owner(row: dict[str, str], site: str = "ai") -> str:
    """Return the actor a post's owner should get, spelled out independently of the reader."""
    if "OwnerUserId" in row:
        return f"stackexchange:{site}:user:{row['OwnerUserId']}"
    return f"stackexchange:{site}:user:deleted-{row.get('OwnerDisplayName', 'unknown')}"


def by_verb(activities: list[Activity]) -> dict[Verb, list[Activity]]:
    grouped: dict[Verb, list[Activity]] = {verb: [] for verb in Verb}
    for activity in activities:
        grouped[activity.verb].append(activity)
    return grouped


@pytest.fixture(scope="module")
def se_ai(data_dir: Path) -> list[Activity]:
    return read_all(data_dir / "se-ai")


# --- the real dumps -------------------------------------------------------------------------


@pytest.mark.data
def test_se_ai_gives_exactly_its_questions_answers_and_comments(se_ai: list[Activity]) -> None:
    counts = Counter(a.verb for a in se_ai)
    assert counts[Verb.ASK] == 421
    assert counts[Verb.ANSWER] == 749
    assert counts[Verb.REPLY] == 1165
    # Members are the 3,157 accounts' few who took part, not every account of the network.
    took_part = {a.actor for a in se_ai if a.verb is not Verb.JOIN}
    assert counts[Verb.JOIN] == len({a.actor for a in se_ai if a.verb == Verb.JOIN}) < 3157
    assert {a.actor for a in se_ai if a.verb == Verb.JOIN} <= took_part


@pytest.mark.data
def test_every_answer_belongs_to_a_question_of_the_dump_and_targets_its_owner(
    se_ai: list[Activity], data_dir: Path
) -> None:
    posts = {row["Id"]: row for row in xml_rows(data_dir / "se-ai" / "Posts.xml")}
    verbs = by_verb(se_ai)
    asks = {a.object_id: a for a in verbs[Verb.ASK]}
    for answer in verbs[Verb.ANSWER]:
        assert answer.parent_id in asks
        assert answer.target_actor == asks[answer.parent_id].actor
        row = posts[answer.object_id.rsplit(":", 1)[1]]
        question = posts[row["ParentId"]]
        assert answer.parent_id == f"stackexchange:ai:post:{question['Id']}"
        assert answer.target_actor == owner(question)
        assert answer.actor == owner(row)


@pytest.mark.data
def test_accepted_answers_match_the_questions_accepted_answer_ids(
    se_ai: list[Activity], data_dir: Path
) -> None:
    rows = xml_rows(data_dir / "se-ai" / "Posts.xml")
    accepted = {r["AcceptedAnswerId"]: r for r in rows if "AcceptedAnswerId" in r}
    votes = {
        v["PostId"]: v["CreationDate"]
        for v in xml_rows(data_dir / "se-ai" / "Votes.xml")
        if v["VoteTypeId"] == "1"
    }
    verbs = by_verb(se_ai)
    answers = {a.object_id: a for a in verbs[Verb.ANSWER]}
    accepts = verbs[Verb.ACCEPT]
    assert len(accepts) == len(accepted) == 212
    for accept in accepts:
        answer_id = accept.object_id.rsplit(":", 1)[1]
        question = accepted[answer_id]
        answer = answers[accept.object_id]
        assert accept.actor == owner(question)
        assert accept.parent_id == f"stackexchange:ai:post:{question['Id']}"
        assert accept.target_actor == answer.actor
        vote_day = datetime.fromisoformat(votes[answer_id]).replace(tzinfo=UTC)
        assert accept.at == max(vote_day, answer.at)


@pytest.mark.data
def test_comments_reply_in_their_thread_to_the_commented_posts_owner(
    se_ai: list[Activity], data_dir: Path
) -> None:
    posts = {r["Id"]: r for r in xml_rows(data_dir / "se-ai" / "Posts.xml")}
    comments = {r["Id"]: r for r in xml_rows(data_dir / "se-ai" / "Comments.xml")}
    for reply in by_verb(se_ai)[Verb.REPLY]:
        row = comments[reply.object_id.rsplit(":", 1)[1]]
        post = posts[row["PostId"]]
        thread = post["Id"] if post["PostTypeId"] == "1" else post["ParentId"]
        assert reply.parent_id == f"stackexchange:ai:post:{thread}"
        assert reply.target_actor == owner(post)
        assert reply.actor == f"stackexchange:ai:user:{row['UserId']}"
        assert reply.text == row["Text"]


@pytest.mark.data
def test_a_post_of_a_deleted_account_gets_a_deleted_actor(
    se_ai: list[Activity], data_dir: Path
) -> None:
    orphan = next(r for r in xml_rows(data_dir / "se-ai" / "Posts.xml") if "OwnerUserId" not in r)
    activity = next(a for a in se_ai if a.id == f"stackexchange:ai:post:{orphan['Id']}")
    assert activity.actor == f"stackexchange:ai:user:deleted-{orphan['OwnerDisplayName']}"


@pytest.mark.data
def test_times_are_aware_utc_and_tags_are_parsed(se_ai: list[Activity]) -> None:
    assert all(
        a.at.utcoffset() is not None and a.at.utcoffset().total_seconds() == 0 for a in se_ai
    )
    first = next(a for a in se_ai if a.id == "stackexchange:ai:post:1")
    assert first.at == datetime(2016, 8, 2, 15, 39, 14, 947000, tzinfo=UTC)
    assert first.meta["title"] == 'What is "backprop"?'
    assert first.text is not None
    assert first.text.startswith('What is "backprop"?')
    assert first.meta["tags"]
    assert all(isinstance(t, str) and t for t in first.meta["tags"])


@pytest.mark.data
def test_up_votes_are_counted_into_posts_not_turned_into_invented_voters(
    se_ai: list[Activity], data_dir: Path
) -> None:
    kinds = {r["Id"]: r["PostTypeId"] for r in xml_rows(data_dir / "se-ai" / "Posts.xml")}
    up = [
        v
        for v in xml_rows(data_dir / "se-ai" / "Votes.xml")
        if v["VoteTypeId"] == "2" and kinds.get(v["PostId"]) in ("1", "2")
    ]
    counted = sum(a.meta["upvotes"] for a in se_ai if a.verb in (Verb.ASK, Verb.ANSWER))
    assert counted == len(up) > 0
    assert not any(a.verb in (Verb.VOTE, Verb.REACT) for a in se_ai)


@pytest.mark.data
@pytest.mark.parametrize("site", SITES)
def test_every_dump_reads_and_its_counts_equal_the_xml_rows(data_dir: Path, site: str) -> None:
    folder = data_dir / site
    posts = xml_rows(folder / "Posts.xml")
    kinds = {r["Id"]: r["PostTypeId"] for r in posts}
    history = [
        r for r in xml_rows(folder / "PostHistory.xml") if kinds.get(r["PostId"]) in ("1", "2")
    ]
    system = {r["Id"] for r in posts if int(r.get("OwnerUserId", "0")) < 0}
    people_posts = [r for r in posts if r["Id"] not in system and r["PostTypeId"] in ("1", "2")]
    comments = [
        r
        for r in xml_rows(folder / "Comments.xml")
        if kinds.get(r["PostId"]) in ("1", "2") and int(r.get("UserId", "0")) >= 0
    ]
    by_people = [r for r in history if int(r.get("UserId", "0")) >= 0]
    took_part = {r["OwnerUserId"] for r in people_posts if "OwnerUserId" in r}
    took_part |= {r["UserId"] for r in comments if "UserId" in r}
    acts = EDIT_TYPES | MODERATE_TYPES
    took_part |= {
        r["UserId"] for r in by_people if "UserId" in r and int(r["PostHistoryTypeId"]) in acts
    }
    users = {r["Id"] for r in xml_rows(folder / "Users.xml")}
    accepted = {r["AcceptedAnswerId"] for r in posts if "AcceptedAnswerId" in r}
    expected = {
        Verb.JOIN: len(took_part & users),
        Verb.ASK: sum(r["PostTypeId"] == "1" for r in people_posts),
        Verb.ANSWER: sum(r["PostTypeId"] == "2" for r in people_posts),
        Verb.ACCEPT: sum(r["Id"] in accepted for r in people_posts),
        Verb.REPLY: len(comments),
        Verb.EDIT: len(
            {r["RevisionGUID"] for r in by_people if int(r["PostHistoryTypeId"]) in EDIT_TYPES}
        ),
        Verb.MODERATE: sum(int(r["PostHistoryTypeId"]) in MODERATE_TYPES for r in by_people),
    }
    stats = ReadStats()
    activities = read_all(folder, stats=stats)
    got = Counter(a.verb for a in activities)
    assert {verb: got[verb] for verb in expected} == expected
    assert set(got) <= set(expected)
    skipped_posts = sum(n for k, n in stats.skipped.items() if k.startswith("skipped post type"))
    assert skipped_posts == sum(r["PostTypeId"] not in ("1", "2") for r in posts)
    assert len({a.id for a in activities}) == len(activities)
    assert {a.community for a in activities} == {site}


@pytest.mark.data
def test_se_ai_streams_in_batches_of_at_most_the_given_size(data_dir: Path) -> None:
    sizes = [len(batch) for batch in read_stackexchange(data_dir / "se-ai", batch_size=100)]
    assert len(sizes) > 10
    assert max(sizes) <= 100
    assert all(size == 100 for size in sizes[:-1])


@pytest.mark.data
def test_a_zipped_dump_reads_like_its_folder_and_names_its_community(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = data_dir / "se-conlang-meta"
    archive = Path(shutil.make_archive(str(tmp_path / "se-conlang-meta"), "zip", folder))
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as z:
        for child in folder.iterdir():
            z.write(child, f"conlang.meta.stackexchange.com/{child.name}")
    from_folder = read_all(folder)
    assert read_all(archive) == from_folder
    renamed = read_all(nested, community="conlang-meta")
    assert len(renamed) == len(from_folder)
    assert {a.community for a in renamed} == {"conlang-meta"}


@pytest.mark.data
def test_people_are_the_users_keyed_like_the_actors(se_ai: list[Activity], data_dir: Path) -> None:
    people = list(people_stackexchange(data_dir / "se-ai"))
    assert len(people) == len(xml_rows(data_dir / "se-ai" / "Users.xml"))
    joins = {a.actor for a in se_ai if a.verb == Verb.JOIN}
    assert joins <= {p.key for p in people}
    assert all(p.name for p in people)


# --- hand-made dumps --------------------------------------------------------------------------


def test_a_hand_made_dump_maps_answers_before_their_question_and_deleted_owners(
    tmp_path: Path,
) -> None:
    stats = ReadStats()
    activities = {a.id: a for a in read_all(write_dump(tmp_path / "se-pumps"), stats=stats)}
    q = "stackexchange:pumps:post:1"
    answer = activities["stackexchange:pumps:post:2"]
    assert (answer.verb, answer.parent_id) == (Verb.ANSWER, q)
    assert answer.target_actor == "stackexchange:pumps:user:4"
    assert answer.text == "Use X"
    accept = activities["stackexchange:pumps:accept:2"]
    assert (accept.actor, accept.target_actor) == ("stackexchange:pumps:user:4", answer.actor)
    assert accept.at == answer.at
    assert accept.meta["dated_by"] == "answer"
    assert activities[q].meta["tags"] == ["pumps", "seals"]
    assert (
        activities["stackexchange:pumps:post:3"].actor
        == "stackexchange:pumps:user:deleted-Gone Person"
    )
    reply = activities["stackexchange:pumps:comment:9"]
    assert (reply.parent_id, reply.target_actor) == (q, "stackexchange:pumps:user:3")
    assert stats.skipped == {
        "skipped post type 5": 1,
        "skipped comment not on a question or answer": 1,
    }
    assert all(a.community == "se-pumps" for a in activities.values())


def test_tags_are_read_in_both_dump_spellings() -> None:
    assert parse_tags("<neural-networks><ai-design>") == ["neural-networks", "ai-design"]
    assert parse_tags("|neural-networks|ai-design|") == ["neural-networks", "ai-design"]
    assert parse_tags("") == []
