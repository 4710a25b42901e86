"""Read a Discourse API JSON export (one JSON file per topic, plus topic and tag lists).

The export is a folder of files named `<host>-<category>-<kind>-<YYYY-MM-DD>.json`, where kind is
`post-<topic id>` (the topic as `/t/<id>.json` returns it, with its post stream), `posts` (topic
id -> cooked bodies), `topics` (the category's topic list) or `tags`. Each category is one
community, `discourse-<host>-<category slug>`. The per-topic files are the source of truth and are
read one at a time, so memory follows the largest topic, not the export. The mapping, also in
docs/connectors.md:

- A topic's first post -> ask when the topic reads as a question, else share. Discourse has no
  question type, so the verb is inferred and `meta.inferred`, `meta.confidence` and `meta.basis`
  say how: a topic with the Q&A plugin on (`qa_enabled`) is a question by format (not inferred);
  otherwise a Q&A-ish category name and a title ending in "?" each count as evidence. A
  category's "About the ... category" topic is a share.
- A later regular post in a question topic -> answer when it replies to no particular post (the
  Q&A plugin counts exactly these in `answer_count`), reply when it replies to a post (a comment on
  the question or an answer). In other topics every later post is a reply.
- target_actor: the author of the post named by reply_to_post_number, else the topic's author.
- A post with `accepted_answer: true` (or named by the topic's `accepted_answer`) -> accept as
  well: actor = the topic's author, target_actor = the answer's author, at = the answer's time (the
  export does not say when it was accepted; meta.dated_by = "answer").
- Likes and other post actions (actions_summary counts) and Q&A votes are counted into the post's
  meta: the export does not say who liked, so no react activity is invented.
- Moderator and small-action posts (post types 2 and 3: pinned, closed, ...) -> moderate; whispers
  (4, staff only) and deleted posts are skipped and counted.
- People: every poster, keyed `discourse:<host>:user:<user id>`; no e-mail in the export.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nh3

from cultivate.core.activity import Activity, ActivityError, Verb

from .base import BATCH_SIZE, Batches, Person, ReadStats, SourceError, batched

log = logging.getLogger(__name__)

SOURCE = "discourse"
REGULAR, MODERATOR_ACTION, SMALL_ACTION, WHISPER = 1, 2, 3, 4
_FILE = re.compile(
    r"^(?P<prefix>.+)-(?P<kind>topics|posts|tags|post-(?P<topic>\d+))-(?P<date>\d{4}-\d{2}-\d{2})\.json$"
)
_HOST = re.compile(r"^(?P<host>(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})-(?P<category>.+)$")
_QA_WORDS = re.compile(r"(^|-)(q-?a|questions?|ask|help|support|how-?to|faq)(-|$)")
_ABOUT = re.compile(r"^About the .+ category$", re.IGNORECASE)


@dataclass(slots=True)
class Category:
    """One category's files in the export folder."""

    host: str
    slug: str
    topic_files: dict[int, Path] = field(default_factory=dict)
    topics_list: Path | None = None

    @property
    def community(self) -> str:
        return f"discourse-{self.host}-{self.slug}"


def categories(path: Path) -> list[Category]:
    """Return the export's categories, each with its per-topic files (the latest export wins)."""
    path = Path(path)
    if not path.is_dir():
        raise SourceError(path, "path", "a folder holding a Discourse JSON export")
    found: dict[str, Category] = {}
    for child in sorted(path.iterdir()):
        match = _FILE.match(child.name)
        if match is None:
            continue
        prefix = match["prefix"]
        if prefix not in found:
            host_match = _HOST.match(prefix)
            host, category = (
                (host_match["host"], host_match["category"])
                if host_match
                else ("discourse", prefix)
            )
            found[prefix] = Category(host=host.lower(), slug=_slug(category))
        group = found[prefix]
        if match["topic"] is not None:
            group.topic_files[int(match["topic"])] = child  # sorted: later dates replace earlier
        elif match["kind"] == "topics":
            group.topics_list = child
    if not any(group.topic_files for group in found.values()):
        raise SourceError(
            path,
            "folder",
            "per-topic files named '<host>-<category>-post-<topic id>-<YYYY-MM-DD>.json'",
        )
    return [found[prefix] for prefix in sorted(found)]


def _html_text(cooked: str) -> str:
    """Return a post's cooked HTML as plain text; lone surrogates (possible in JSON) become "?"."""
    clean = cooked.encode("utf-8", "replace").decode("utf-8")
    return " ".join(html.unescape(nh3.clean(clean, tags=set())).split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "category"


def load_json(path: Path) -> Any:
    """Return a file's JSON, or raise SourceError naming the byte, line and column that is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, "file", f"a readable file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(path, f"byte {exc.start} (line {line})", "UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno} (character {exc.pos})"
        raise SourceError(path, where, f"valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise SourceError(path, "document", f"valid JSON of sane depth and size ({exc})") from None


class _Json:
    """Typed access into a parsed JSON file; errors name the file and the JSON path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, expected: str) -> SourceError:
        return SourceError(self.path, where, expected)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"an object, got {type(value).__name__}")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"a list, got {type(value).__name__}")
        return value

    def integer(self, parent: dict[str, Any], key: str, where: str) -> int:
        value = parent.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"an integer, got {value!r:.40}")
        return value

    def opt_integer(self, parent: dict[str, Any], key: str, where: str) -> int | None:
        if parent.get(key) is None:
            return None
        return self.integer(parent, key, where)

    def string(self, parent: dict[str, Any], key: str, where: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"a string, got {value!r:.40}")
        return value

    def date(self, parent: dict[str, Any], key: str, where: str) -> datetime:
        raw = self.string(parent, key, where)
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(f"{where}.{key}", f"an ISO 8601 time, got {raw[:40]!r}") from None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Post:
    ident: int
    number: int
    kind: int
    author: str
    name: str
    at: datetime
    reply_to: int | None
    text: str
    accepted: bool
    deleted: bool
    meta: dict[str, Any]
    where: str


def _is_system(author: str) -> bool:
    """Whether an author key names one of Discourse's own accounts (negative user ids)."""
    ident = author.rsplit(":", 1)[-1]
    return ident.startswith("-") and ident[1:].isdigit()


class _TopicReader:
    """Turns one per-topic file into activities."""

    def __init__(
        self,
        category: Category,
        path: Path,
        stats: Counter[str],
        robots: Counter[str] | None = None,
    ) -> None:
        self.category = category
        self.path = path
        self.stats = stats
        self.robots: Counter[str] = robots if robots is not None else Counter()
        """Acts of Discourse's own accounts (system, discobot: negative ids), left out."""
        self.j = _Json(path)

    def key(self, kind: str, ident: object) -> str:
        return f"{SOURCE}:{self.category.host}:{kind}:{ident}"

    def activity(self, where: str, **kwargs: Any) -> Activity:
        try:
            return Activity(source=SOURCE, community=self.category.community, **kwargs)
        except ActivityError as exc:
            raise self.j.fail(where, f"a valid activity ({exc})") from None

    def post(self, raw: Any, where: str) -> _Post:
        j = self.j
        p = j.obj(raw, where)
        user = j.opt_integer(p, "user_id", where)
        username = p.get("username") if isinstance(p.get("username"), str) else None
        if user is not None:
            author = self.key("user", user)
        else:
            author = self.key("user", f"deleted-{username or 'unknown'}")
        likes = 0
        actions: dict[str, int] = {}
        for i, action in enumerate(
            j.items(p.get("actions_summary", []), f"{where}.actions_summary")
        ):
            entry = j.obj(action, f"{where}.actions_summary[{i}]")
            count = j.opt_integer(entry, "count", f"{where}.actions_summary[{i}]") or 0
            if count:
                kind = j.integer(entry, "id", f"{where}.actions_summary[{i}]")
                if kind == 2:
                    likes += count
                else:
                    actions[str(kind)] = actions.get(str(kind), 0) + count
        meta: dict[str, Any] = {"likes": likes}
        if actions:
            meta["actions"] = actions
        votes = j.opt_integer(p, "qa_vote_count", where)
        if votes:
            meta["votes"] = votes
        cooked = p.get("cooked") if isinstance(p.get("cooked"), str) else ""
        return _Post(
            ident=j.integer(p, "id", where),
            number=j.integer(p, "post_number", where),
            kind=j.opt_integer(p, "post_type", where) or REGULAR,
            author=author,
            name=str(p.get("name") or username or ""),
            at=j.date(p, "created_at", where),
            reply_to=j.opt_integer(p, "reply_to_post_number", where),
            text=_html_text(cooked or ""),
            accepted=p.get("accepted_answer") is True,
            deleted=p.get("deleted_at") is not None,
            meta=meta,
            where=where,
        )

    def read(self) -> tuple[dict[str, Any], list[_Post]]:
        j = self.j
        topic = j.obj(load_json(self.path), "$")
        j.integer(topic, "id", "$")
        j.string(topic, "title", "$")
        stream = j.obj(topic.get("post_stream"), "$.post_stream")
        raw_posts = j.items(stream.get("posts"), "$.post_stream.posts")
        posts = [self.post(raw, f"$.post_stream.posts[{i}]") for i, raw in enumerate(raw_posts)]
        listed = stream.get("stream")
        if isinstance(listed, list) and len(listed) > len(posts):
            self.stats["posts listed in a stream but not exported"] += len(listed) - len(posts)
        return topic, sorted(posts, key=lambda p: p.number)

    def classify(self, topic: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        title = str(topic.get("title") or "").strip()
        if _ABOUT.match(title):
            return False, {"inferred": True, "confidence": 0.95, "basis": "category-about-topic"}
        if topic.get("qa_enabled") is True:
            return True, {"inferred": False, "confidence": 1.0, "basis": "qa_enabled"}
        evidence = []
        if _QA_WORDS.search(self.category.slug):
            evidence.append("qa-category")
        if title.endswith("?"):
            evidence.append("title-question-mark")
        confidence = {0: 0.6, 1: 0.75, 2: 0.9}[len(evidence)]
        basis = "+".join(evidence) or "no-question-sign"
        return bool(evidence), {"inferred": True, "confidence": confidence, "basis": basis}

    def activities(self) -> Iterator[Activity]:
        j = self.j
        topic, posts = self.read()
        topic_id = j.integer(topic, "id", "$")
        topic_key = self.key("topic", topic_id)
        authors = {p.number: p.author for p in posts}
        opener = next((p for p in posts if p.number == 1), None)
        topic_user = j.opt_integer(topic, "user_id", "$")
        if opener is not None:
            topic_author: str | None = opener.author
        else:
            topic_author = self.key("user", topic_user) if topic_user is not None else None
        is_question, verdict = self.classify(topic)
        accepted_number: int | None = None
        accepted = topic.get("accepted_answer")
        if isinstance(accepted, dict) and isinstance(accepted.get("post_number"), int):
            accepted_number = accepted["post_number"]
        raw_tags = topic.get("tags")
        tags = [t for t in raw_tags if isinstance(t, str)] if isinstance(raw_tags, list) else []
        for post in posts:
            common = {
                "id": self.key("post", post.ident),
                "actor": post.author,
                "at": post.at,
                "text": post.text,
            }
            meta = {**post.meta, "post_number": post.number, "topic": topic_key}
            if post.deleted or post.kind == WHISPER:
                self.stats["skipped deleted or whispered posts"] += 1
                continue
            if _is_system(post.author):
                self.robots[
                    f"Discourse {post.name or 'system'} (user {post.author.rsplit(':', 1)[1]})"
                ] += 1
                continue
            if post.kind in (MODERATOR_ACTION, SMALL_ACTION):
                yield self.activity(
                    post.where,
                    **common,
                    verb=Verb.MODERATE,
                    object_id=self.key("post", post.ident),
                    parent_id=topic_key,
                    meta=meta,
                )
                continue
            if post is opener:
                meta.update(verdict, title=topic.get("title"), tags=tags)
                if isinstance(topic.get("views"), int):
                    meta["views"] = topic["views"]
                yield self.activity(
                    post.where,
                    **common,
                    verb=Verb.ASK if is_question else Verb.SHARE,
                    object_id=topic_key,
                    meta=meta,
                )
                continue
            target = authors.get(post.reply_to) if post.reply_to is not None else None
            if post.reply_to is not None and target is None:
                self.stats["replies to a post not in the export"] += 1
            answers = is_question and post.reply_to is None
            yield self.activity(
                post.where,
                **common,
                verb=Verb.ANSWER if answers else Verb.REPLY,
                object_id=self.key("post", post.ident),
                parent_id=topic_key,
                target_actor=target or topic_author,
                meta=meta,
            )
            if (post.accepted or post.number == accepted_number) and topic_author is not None:
                yield self.activity(
                    post.where,
                    id=self.key("accept", post.ident),
                    actor=topic_author,
                    verb=Verb.ACCEPT,
                    object_id=self.key("post", post.ident),
                    parent_id=topic_key,
                    target_actor=post.author,
                    at=post.at,
                    meta={"dated_by": "answer", "topic": topic_key},
                )


def read_discourse(
    path: Path, *, batch_size: int = BATCH_SIZE, stats: ReadStats | None = None
) -> Batches:
    """Yield the export's activities in batches, topic by topic; `stats` counts what was skipped.

    A topic file is read whole before its activities are yielded, so with keep-going a damaged
    one is left out entirely and listed, never half-read.
    """
    read = stats if stats is not None else ReadStats()
    counts = read.skipped
    groups = categories(Path(path))

    def stream() -> Iterator[Activity]:
        for category in groups:
            for topic in sorted(category.topic_files):
                file = category.topic_files[topic]
                try:
                    reader = _TopicReader(category, file, counts, read.system_accounts)
                    topic_activities = list(reader.activities())
                except SourceError as error:
                    if not read.keep_going:
                        raise
                    read.skip_file(file, f"{error.where}: {error.expected}")
                    continue
                read.activities += len(topic_activities)
                yield from topic_activities
        if counts:
            log.info("%s: %s", path, dict(counts))

    return batched(stream(), batch_size)


def people_discourse(path: Path) -> Iterator[Person]:
    """Yield every poster once, keyed like the activities' actors."""
    seen: set[str] = set()
    for category in categories(Path(path)):
        for topic in sorted(category.topic_files):
            reader = _TopicReader(category, category.topic_files[topic], Counter())
            for post in reader.read()[1]:
                if post.author not in seen:
                    seen.add(post.author)
                    yield Person(key=post.author, name=post.name or post.author.rsplit(":", 1)[-1])
