"""The Stack Exchange reader on the five real dumps, on hand-made dumps, and on broken input."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import (
    ReadStats,
    SourceError,
    people_stackexchange,
    read_stackexchange,
)
from cultivate.core.connectors.stackexchange import EDIT_TYPES, MODERATE_TYPES, parse_tags

SITES = ["se-ai", "se-beer-meta", "se-conlang-meta", "se-french-meta", "se-history-meta"]


def read_all(path: Path, **kwargs: Any) -> list[Activity]:
    return [a for batch in read_stackexchange(path, **kwargs) for a in batch]


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


def row(**attrs: str) -> str:
    return "  <row " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + " />"


def write_dump(folder: Path, posts: list[str] | None = None, **files: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "Posts.xml": posts
        if posts is not None
        else [
            row(
                Id="2",
                PostTypeId="2",
                ParentId="1",
                CreationDate="2020-01-02T10:00:00.000",
                OwnerUserId="3",
                Body="&lt;p&gt;Use &lt;b&gt;X&lt;/b&gt;&lt;/p&gt;",
            ),
            row(
                Id="1",
                PostTypeId="1",
                AcceptedAnswerId="2",
                CreationDate="2020-01-01T09:00:00.000",
                OwnerUserId="4",
                Title="Why?",
                Tags="|pumps|seals|",
                Body="&lt;p&gt;Hm&lt;/p&gt;",
            ),
            row(
                Id="3",
                PostTypeId="2",
                ParentId="1",
                CreationDate="2020-01-03T10:00:00.000",
                OwnerDisplayName="Gone Person",
                Body="b",
            ),
            row(Id="4", PostTypeId="5", CreationDate="2020-01-03T10:00:00.000", Body="wiki"),
        ],
        "Users.xml": [
            row(Id="3", CreationDate="2019-01-01T00:00:00.000", DisplayName="Ann"),
            row(Id="4", CreationDate="2019-01-01T00:00:00.000", DisplayName="Bo"),
        ],
        "Comments.xml": [
            row(
                Id="9",
                PostId="2",
                CreationDate="2020-01-02T11:00:00.000",
                UserId="4",
                Text="thanks",
            ),
            row(Id="10", PostId="4", CreationDate="2020-01-02T11:00:00.000", UserId="4", Text="x"),
        ],
    }
    contents.update({name.replace("_", "") + ".xml": rows for name, rows in files.items()})
    for name, rows in contents.items():
        root = name[:-4].lower()
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + f"<{root}>\n" + "\n".join(rows)
        (folder / name).write_text(text + f"\n</{root}>\n", encoding="utf-8")
    return folder


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


# --- broken input -----------------------------------------------------------------------------


def error_of(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_all(path)
    return caught.value


def test_a_missing_posts_file_is_named(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").unlink()
    error = error_of(dump)
    assert error.path.endswith("Posts.xml")
    assert "missing" in error.expected


def test_malformed_xml_names_the_file_line_and_column(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    lines = (dump / "Posts.xml").read_text().splitlines()
    lines[3] = lines[3].replace("/>", ">")  # an unclosed <row> on line 4
    (dump / "Posts.xml").write_text("\n".join(lines))
    error = error_of(dump)
    assert error.path == str(dump / "Posts.xml")
    assert re.fullmatch(r"line \d+, column \d+", error.where)
    assert "well-formed XML" in error.expected
    assert str(error).startswith(str(dump / "Posts.xml"))


def test_a_bad_date_names_the_row_line_and_attribute(tmp_path: Path) -> None:
    posts = [
        row(Id="1", PostTypeId="1", CreationDate="2020-01-01T00:00:00"),
        row(Id="7", PostTypeId="1", CreationDate="yesterday"),
    ]
    error = error_of(write_dump(tmp_path / "se-x", posts=posts))
    assert error.where == "line 4, column 3 (row Id=7)"
    assert "CreationDate" in error.expected
    assert "yesterday" in error.expected


def test_a_wrong_root_or_missing_id_is_refused(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x", posts=[row(PostTypeId="1", CreationDate="2020-01-01")])
    assert "Id" in error_of(dump).expected
    (dump / "Posts.xml").write_text("<users><row Id='1'/></users>")
    assert "<posts> root" in error_of(dump).expected


def test_a_file_in_the_wrong_encoding_is_named_with_its_position(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Comments.xml").write_bytes(
        '<?xml version="1.0" encoding="utf-8"?>\n<comments>\n'
        '  <row Id="9" PostId="2" CreationDate="2020-01-02" UserId="4" Text="café" />\n'
        "</comments>\n".encode("latin-1")
    )
    error = error_of(dump)
    assert error.path.endswith("Comments.xml")
    assert error.where.startswith("line 3, column")


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE posts [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<posts><row Body="&b;"/></posts>'
    )
    assert "entity" in error_of(dump).expected


def test_a_truncated_zip_is_named(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    archive = Path(shutil.make_archive(str(tmp_path / "se-x"), "zip", dump))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    error = error_of(archive)
    assert error.path == str(archive)
    assert "zip" in error.expected


def test_a_corrupt_member_of_a_zip_is_named_by_member(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    archive = tmp_path / "se-x.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        for child in sorted(dump.iterdir()):
            z.write(child, child.name)
    data = bytearray(archive.read_bytes())
    start = data.index(b"<posts>")
    data[start + 20 : start + 30] = b"XXXXXXXXXX"  # the central directory stays whole
    archive.write_bytes(bytes(data))
    error = error_of(archive)
    assert error.path == f"{archive}!Posts.xml"
    assert error.where.startswith("byte ")


def test_a_7z_dump_or_a_missing_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ai.stackexchange.com.7z").write_bytes(b"7z")
    assert ".7z" in error_of(tmp_path / "ai.stackexchange.com.7z").expected
    assert "existing" in error_of(tmp_path / "nowhere").expected


# --- fuzzing ----------------------------------------------------------------------------------

SMALL_POSTS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
    + row(
        Id="1",
        PostTypeId="1",
        CreationDate="2020-01-01T09:00:00.000",
        OwnerUserId="4",
        Title="Why?",
        Tags="&lt;a&gt;&lt;b&gt;",
        AcceptedAnswerId="2",
    )
    + "\n"
    + row(Id="2", PostTypeId="2", ParentId="1", CreationDate="2020-01-02T10:00:00.000")
    + "\n</posts>\n"
).encode()


def only_source_errors(path: Path) -> None:
    try:
        read_all(path)
        list(people_stackexchange(path))
    except SourceError as error:
        refused = error
    else:
        return
    assert refused.path
    assert refused.where
    assert refused.expected


FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_posts_raise_nothing_but_source_errors(tmp_path: Path, data: bytes) -> None:
    dump = write_dump(tmp_path / "se-fuzz")
    (dump / "Posts.xml").write_bytes(data)
    only_source_errors(dump)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_zip_raise_nothing_but_source_errors(tmp_path: Path, data: bytes) -> None:
    archive = tmp_path / "se-fuzz.zip"
    archive.write_bytes(b"PK\x03\x04" + data)
    only_source_errors(archive)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(SMALL_POSTS)), st.integers(0, 4), st.binary(max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_xml_raises_nothing_but_source_errors(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    data = bytearray(SMALL_POSTS)
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    dump = write_dump(tmp_path / "se-fuzz")
    (dump / "Posts.xml").write_bytes(bytes(data))
    only_source_errors(dump)


@FUZZ
@given(
    value=st.text(max_size=30),
    attribute=st.sampled_from(
        [
            "Id",
            "PostTypeId",
            "CreationDate",
            "ParentId",
            "OwnerUserId",
            "AcceptedAnswerId",
            "Tags",
            "Score",
            "OwnerDisplayName",
        ]
    ),
)
def test_any_attribute_value_raises_nothing_but_source_errors(
    tmp_path: Path, value: str, attribute: str
) -> None:
    attrs = {"Id": "5", "PostTypeId": "2", "ParentId": "1", "CreationDate": "2020-01-01"}
    element = ET.Element("row", {**attrs, attribute: value})
    text = ET.tostring(element, encoding="unicode")
    dump = write_dump(tmp_path / "se-fuzz")
    posts = (dump / "Posts.xml").read_text().replace("</posts>", f"{text}\n</posts>")
    (dump / "Posts.xml").write_text(posts, encoding="utf-8")
    only_source_errors(dump)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 3), st.binary(max_size=3)),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_zip_raises_nothing_but_source_errors(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    base, archive = tmp_path / "base.zip", tmp_path / "se-fuzz.zip"
    if not base.exists():  # tmp_path is shared by all examples of one run
        dump = write_dump(tmp_path / "se-fuzz-base")
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as z:
            for child in sorted(dump.iterdir()):
                z.write(child, child.name)
    data = bytearray(base.read_bytes())
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    archive.write_bytes(bytes(data))
    only_source_errors(archive)


def test_found_by_fuzzing_an_unknown_encoding_or_an_encrypted_member_is_a_source_error(
    tmp_path: Path,
) -> None:
    dump = write_dump(tmp_path / "se-x")
    posts = (dump / "Posts.xml").read_text().replace('encoding="utf-8"', 'encoding="tf-8"')
    (dump / "Posts.xml").write_text(posts)
    assert "known encoding" in error_of(dump).expected
    archive = tmp_path / "se-y.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for child in sorted(write_dump(tmp_path / "se-y").iterdir()):
            z.write(child, child.name)
    data = bytearray(archive.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag everywhere
        start = 0
        while (start := data.find(header, start)) != -1:
            flag = start + (6 if header == b"PK\x03\x04" else 8)
            data[flag] |= 1
            start += 4
    archive.write_bytes(bytes(data))
    assert "encrypted" in error_of(archive).expected


def test_an_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE posts [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        '<posts><row Id="1" PostTypeId="1" CreationDate="2020-01-01" Body="&s;"/></posts>'
    )
    assert "entity" in error_of(dump).expected


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        ('<row Id="1" PostId="1" VoteTypeId="2" CreationDate="garbage" />', "CreationDate"),
        ('<row Id="1" PostId="1" VoteTypeId="2" CreationDate="" />', "CreationDate"),
        ('<row Id="1" PostId="x1" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />', "PostId"),
    ],
)
def test_a_malformed_vote_is_refused_by_its_position_even_on_the_fast_path(
    tmp_path: Path, vote: str, expected: str
) -> None:
    dump = write_dump(tmp_path / "se-pumps", Votes=[vote])
    with pytest.raises(SourceError, match=expected):
        list(read_stackexchange(dump))


def test_a_vote_on_a_post_id_beyond_64_bits_is_still_counted(tmp_path: Path) -> None:
    huge = "99999999999999999999"
    dump = write_dump(
        tmp_path / "se-pumps",
        Votes=[
            f'<row Id="1" PostId="{huge}" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />',
            '<row Id="2" PostId="1" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />',
        ],
    )
    activities = [a for batch in read_stackexchange(dump) for a in batch]
    question = next(a for a in activities if a.verb.value == "ask")
    assert question.meta["upvotes"] == 1
