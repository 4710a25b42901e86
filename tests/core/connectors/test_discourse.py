"""The Discourse reader on the real Ask.CI export, on hand-made topics, and on broken input."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import SourceError, people_discourse, read_discourse

HOST = "ask.cyberinfrastructure.org"
QA = f"discourse-{HOST}-q-a"


def read_all(path: Path, **kwargs: Any) -> list[Activity]:
    return [a for batch in read_discourse(path, **kwargs) for a in batch]


def topic_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*-post-[0-9]*-????-??-??.json"))


@pytest.fixture(scope="module")
def askci(data_dir: Path) -> Path:
    return data_dir / "discourse-askci"


@pytest.fixture(scope="module")
def activities(askci: Path) -> list[Activity]:
    return read_all(askci)


@pytest.fixture(scope="module")
def by_id(activities: list[Activity]) -> dict[str, Activity]:
    return {a.id: a for a in activities}


def user(ident: int) -> str:
    return f"discourse:{HOST}:user:{ident}"


# --- the real export --------------------------------------------------------------------------


@pytest.mark.data
def test_topics_and_posts_equal_the_exports(askci: Path, activities: list[Activity]) -> None:
    files = topic_files(askci)
    listed = set()
    for topics in askci.glob("*-topics-????-??-??.json"):
        listed |= {t["id"] for t in json.loads(topics.read_text())}
    bodies = sum(
        len(v)
        for posts in askci.glob("*-posts-????-??-??.json")
        for v in json.loads(posts.read_text()).values()
    )
    streamed = sum(len(json.loads(f.read_text())["post_stream"]["posts"]) for f in files)
    openers = [a for a in activities if a.verb in (Verb.ASK, Verb.SHARE)]
    assert len(files) == len(listed) == len(openers) == 179
    assert len({a.object_id for a in openers}) == 179
    assert streamed == bodies == len(activities) == 593
    assert len({a.id for a in activities}) == 593


@pytest.mark.data
def test_each_category_is_one_community(activities: list[Activity]) -> None:
    assert Counter(a.community for a in activities) == {
        QA: 401,
        f"discourse-{HOST}-area-for-open-ended-topics-of-interest": 192,
    }


@pytest.mark.data
def test_hand_checked_replies_target_the_right_people(by_id: dict[str, Activity]) -> None:
    def post(ident: int) -> Activity:
        return by_id[f"discourse:{HOST}:post:{ident}"]

    # Topic 854 "Access to /dev/infiniband from user space", asked by adrianjhpc (233).
    assert (post(1641).verb, post(1641).meta["basis"]) == (Verb.ASK, "qa_enabled")
    assert (post(1645).verb, post(1645).target_actor) == (Verb.ANSWER, user(233))
    assert post(1645).meta["likes"] == 1
    assert post(1645).meta["actions"] == {"100": 2}
    assert (post(1648).verb, post(1648).target_actor) == (Verb.REPLY, user(226))  # to #5, self
    assert (post(1663).verb, post(1663).target_actor) == (Verb.REPLY, user(226))  # to #5
    assert (post(1644).verb, post(1644).target_actor) == (Verb.REPLY, user(161))  # to #3, vsoch
    assert post(1644).parent_id == f"discourse:{HOST}:topic:854"
    # Topic 662 "What is GAMESS?", asked by vsoch (161): jma comments on the question.
    assert (post(1286).verb, post(1286).target_actor) == (Verb.REPLY, user(161))
    assert (post(1741).verb, post(1741).target_actor) == (Verb.REPLY, user(48))  # to #3
    # Topic 1021, a discussion-zone question by title only.
    opener = post(1966)
    assert (opener.verb, opener.meta["inferred"], opener.meta["basis"]) == (
        Verb.ASK,
        True,
        "title-question-mark",
    )
    assert (post(1985).verb, post(1985).target_actor) == (Verb.ANSWER, user(293))


@pytest.mark.data
def test_every_reply_target_matches_the_exports_reply_to_user(
    askci: Path, by_id: dict[str, Activity]
) -> None:
    checked = 0
    for f in topic_files(askci):
        posts = json.loads(f.read_text())["post_stream"]["posts"]
        ids = {p["username"]: p["user_id"] for p in posts}
        numbers = {p["post_number"] for p in posts}
        for p in posts:
            to = p.get("reply_to_user")
            if p.get("reply_to_post_number") in numbers and to and to["username"] in ids:
                assert by_id[f"discourse:{HOST}:post:{p['id']}"].target_actor == user(
                    ids[to["username"]]
                )
                checked += 1
    assert checked > 50


@pytest.mark.data
def test_answers_per_question_equal_the_qa_plugins_answer_count(
    askci: Path, activities: list[Activity]
) -> None:
    answers = Counter(a.parent_id for a in activities if a.verb == Verb.ANSWER)
    compared = 0
    for f in topic_files(askci):
        topic = json.loads(f.read_text())
        if topic.get("qa_enabled") and "answer_count" in topic:
            # The plugin also counts small-action posts ("pinned"), which are not answers.
            actions = sum(
                p["post_type"] != 1 and p["reply_to_post_number"] is None
                for p in topic["post_stream"]["posts"]
            )
            expected = topic["answer_count"] - actions
            assert answers[f"discourse:{HOST}:topic:{topic['id']}"] == expected
            compared += 1
    assert compared > 100


@pytest.mark.data
def test_people_are_every_poster_once(askci: Path, activities: list[Activity]) -> None:
    people = list(people_discourse(askci))
    assert len(people) == len({p.key for p in people}) == 110
    assert {p.key for p in people} == {a.actor for a in activities}
    assert all(p.name for p in people)


@pytest.mark.data
def test_batches_stay_within_the_given_size(askci: Path) -> None:
    sizes = [len(b) for b in read_discourse(askci, batch_size=50)]
    assert max(sizes) <= 50
    assert sum(sizes) == 593


# --- hand-made topics -------------------------------------------------------------------------


def post(number: int, user_id: int | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": 100 + number,
        "post_number": number,
        "post_type": 1,
        "user_id": user_id,
        "username": f"u{user_id}",
        "name": f"User {user_id}",
        "created_at": f"2019-01-0{number}T10:00:00.000Z",
        "cooked": f"<p>post {number}</p>",
        "reply_to_post_number": None,
        "actions_summary": [],
        **extra,
    }


def topic(**extra: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "title": "Pump seals keep failing",
        "user_id": 1,
        "post_stream": {
            "posts": [
                post(1, 1),
                post(2, 2, accepted_answer=True),
                post(3, 1, reply_to_post_number=2),
                post(4, None, username="gone"),
                post(5, 3, post_type=3, cooked=""),
            ]
        },
        **extra,
    }


def write_topic(folder: Path, data: Any, category: str = "general") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"forum.example.org-{category}-post-7-2019-10-19.json"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_discussion_topic_shares_and_its_posts_reply(tmp_path: Path) -> None:
    write_topic(tmp_path, topic())
    got = {a.id: a for a in read_all(tmp_path)}
    key = "discourse:forum.example.org"
    opener = got[f"{key}:post:101"]
    assert (opener.verb, opener.object_id, opener.community) == (
        Verb.SHARE,
        f"{key}:topic:7",
        "discourse-forum.example.org-general",
    )
    assert opener.meta["inferred"] is True
    assert 0 < opener.meta["confidence"] < 1
    assert (got[f"{key}:post:102"].verb, got[f"{key}:post:102"].target_actor) == (
        Verb.REPLY,
        f"{key}:user:1",
    )
    assert got[f"{key}:post:103"].target_actor == f"{key}:user:2"
    assert got[f"{key}:post:104"].actor == f"{key}:user:deleted-gone"
    assert got[f"{key}:post:105"].verb == Verb.MODERATE
    accept = got[f"{key}:accept:102"]
    assert (accept.actor, accept.target_actor, accept.verb) == (
        f"{key}:user:1",
        f"{key}:user:2",
        Verb.ACCEPT,
    )


def test_a_question_in_a_qa_category_asks_and_is_answered(tmp_path: Path) -> None:
    write_topic(tmp_path, topic(title="Why do seals fail?"), category="q-a")
    got = {a.id: a for a in read_all(tmp_path)}
    opener = got["discourse:forum.example.org:post:101"]
    assert opener.verb == Verb.ASK
    assert opener.meta["basis"] == "qa-category+title-question-mark"
    assert got["discourse:forum.example.org:post:102"].verb == Verb.ANSWER
    assert got["discourse:forum.example.org:post:103"].verb == Verb.REPLY


# --- broken input -----------------------------------------------------------------------------


def error_of(folder: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_all(folder)
    return caught.value


def test_malformed_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    text = json.dumps(topic(), indent=1)
    path = write_topic(tmp_path, text[: len(text) // 2])
    error = error_of(tmp_path)
    assert error.path == str(path)
    assert re.fullmatch(r"line \d+, column \d+ \(character \d+\)", error.where)
    assert "valid JSON" in error.expected


def test_a_wrong_encoding_names_the_byte(tmp_path: Path) -> None:
    data = json.dumps(topic(title="Café"), ensure_ascii=False).encode("latin-1")
    path = write_topic(tmp_path, data)
    error = error_of(tmp_path)
    assert error.path == str(path)
    assert error.where == f"byte {data.index(b'Caf') + 3} (line 1)"
    assert error.expected == "UTF-8 text"


def test_a_bad_field_names_its_json_path(tmp_path: Path) -> None:
    bad = topic()
    bad["post_stream"]["posts"][2]["created_at"] = "soon"
    write_topic(tmp_path, bad)
    error = error_of(tmp_path)
    assert error.where == "$.post_stream.posts[2].created_at"
    assert "ISO 8601" in error.expected


def test_a_folder_without_topic_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{}")
    assert "per-topic files" in error_of(tmp_path).expected
    assert "folder" in error_of(tmp_path / "nowhere").expected


# --- fuzzing ----------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def only_source_errors(folder: Path) -> None:
    try:
        read_all(folder)
        list(people_discourse(folder))
    except SourceError as error:
        refused = error
    else:
        return
    assert refused.path
    assert refused.where
    assert refused.expected


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_raise_nothing_but_source_errors(tmp_path: Path, data: bytes) -> None:
    write_topic(tmp_path, data)
    only_source_errors(tmp_path)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 4), st.binary(max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_json_raises_nothing_but_source_errors(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    data = bytearray(json.dumps(topic()).encode())
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    write_topic(tmp_path, bytes(data))
    only_source_errors(tmp_path)


@FUZZ
@given(
    where=st.sampled_from(["topic", "post", "stream"]),
    key=st.sampled_from(
        [
            "id",
            "title",
            "user_id",
            "post_number",
            "post_type",
            "created_at",
            "cooked",
            "reply_to_post_number",
            "actions_summary",
            "accepted_answer",
            "tags",
            "posts",
            "qa_enabled",
        ]
    ),
    value=JSON,
)
def test_any_field_value_raises_nothing_but_source_errors(
    tmp_path: Path, where: str, key: str, value: Any
) -> None:
    data = copy.deepcopy(topic())
    target = {
        "topic": data,
        "post": data["post_stream"]["posts"][1],
        "stream": data["post_stream"],
    }[where]
    target[key] = value
    write_topic(tmp_path, data)
    only_source_errors(tmp_path)


def test_json_nested_too_deep_or_with_huge_integers_is_a_source_error(tmp_path: Path) -> None:
    write_topic(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "sane depth" in error_of(tmp_path).expected
    write_topic(tmp_path, '{"id": ' + "9" * 5000 + "}")
    assert "sane depth and size" in error_of(tmp_path).expected


def test_a_lone_surrogate_in_a_post_becomes_a_question_mark(tmp_path: Path) -> None:
    data = topic()
    data["post_stream"]["posts"][1]["cooked"] = "<p>ok \ud800 then</p>"
    write_topic(tmp_path, json.dumps(data))  # json.dumps escapes it as \\ud800
    got = {a.id: a for a in read_all(tmp_path)}
    assert got["discourse:forum.example.org:post:102"].text == "ok ? then"
