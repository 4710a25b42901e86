"""Read a Stack Exchange data dump (a folder or a .zip of its XML files) as Activity batches.

One dump is one site is one community (named after the folder or zip, e.g. "se-ai"). The mapping,
also in docs/connectors.md:

- Users.xml row -> join (the account's CreationDate), actor `stackexchange:<site>:user:<Id>`.
- Posts.xml PostTypeId 1 -> ask (object `stackexchange:<site>:post:<Id>`; text = title and body;
  meta: tags, title, score, views, up/down-vote and favourite counts).
- PostTypeId 2 -> answer (parent = its question, target_actor = the question's owner).
- An answer named by a question's AcceptedAnswerId -> accept as well: actor = the question's owner,
  object = the answer, parent = the question, target_actor = the answer's owner, at = the accept
  vote's date (Votes VoteTypeId 1; dumps round it to the day, so never before the answer) or
  else the answer's CreationDate.
- Comments.xml row -> reply (parent = the thread's question, target_actor = the commented post's
  owner; meta.post = the commented post).
- Votes.xml: voters are anonymous in public dumps, so no actor is invented. Up (2), down (3) and
  favourite (5) votes are counted into the post's meta; accept votes (1) date the accept; every
  other vote type is skipped and counted.
- PostHistory.xml (optional): an edit revision (types 4-9, one per RevisionGUID) -> edit; closing,
  reopening, deleting, locking, protecting and the like (10-17, 19, 20) -> moderate; other
  history rows (the initial revision duplicates the post) are skipped and counted.
- Other post types (tag wikis 4 and 5, privilege wikis 7, ...) are skipped and counted, and so are
  comments and history rows on them.

Only Posts.xml is required: without Users.xml people come from OwnerUserId / OwnerDisplayName
and have no join; without Comments.xml or Votes.xml there are no replies or vote counts. What is
missing is said once in the reading notes (ReadStats.note), never refused.

Posts and comments of deleted accounts (no OwnerUserId / UserId) get the actor
`stackexchange:<site>:user:deleted-<display name or "unknown">`. Dates are UTC without a zone in
the dump and become aware UTC datetimes.

Posts.xml is read twice: a first pass keeps only id -> type, parent, owner and the accepted answer
(small integers, no text), so answers may come before their question; Votes keeps counts per post
id. Memory is proportional to the number of posts, never to the text.
"""

from __future__ import annotations

import html
import logging
import re
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from cultivate.core.activity import Activity, ActivityError, Verb

from ._idmap import IdMap
from .base import BATCH_SIZE, Batches, Person, ReadStats, batched
from .stackexchange_dump import Dump, RowFields, community_name, is_iso_date, opened_dump, site_name
from .stackexchange_index import ANSWER, QUESTION, Owner, PostIndex, VoteCounts
from .system import stack_exchange_system_name

log = logging.getLogger(__name__)

SOURCE = "stackexchange"
EDIT_TYPES = frozenset({4, 5, 6, 7, 8, 9})
MODERATE_TYPES = frozenset({10, 11, 12, 13, 14, 15, 16, 17, 19, 20})
REVISION_WINDOW = 64
REQUIRED = ("Posts.xml",)
OPTIONAL_FILES = {
    "Users.xml": "people are named from the posts' OwnerDisplayName and no join dates are known",
    "Comments.xml": "comments are not counted as replies",
    "Votes.xml": "accept dates come from the answers and vote counts are not known",
}
"""What a dump without each optional file loses: said once in the report, never refused."""
_TAG = re.compile(r"<([^<>]+)>")


class _Reader:
    """One pass-by-pass read of a dump; `stats` counts what was skipped and why."""

    def __init__(self, dump: Dump, site: str, community: str, stats: ReadStats) -> None:
        self.dump = dump
        self.site = site
        self.community = community
        self.stats = stats
        self.skipped = stats.skipped
        self.participants: set[int] = set()
        """Users who posted, commented or edited: the only ones whose join is a membership."""
        self.system_titles: dict[int, str] = {}
        """Titles of questions a system account owns: their answers say what they answered."""

    def system(self, owner: Owner) -> bool:
        """Whether an act is a system account's (negative id): left out and counted."""
        if isinstance(owner, int) and owner < 0:
            self.stats.system_accounts[stack_exchange_system_name(owner)] += 1
            return True
        if isinstance(owner, int):
            self.participants.add(owner)
        return False

    def key(self, kind: str, ident: object) -> str:
        return f"{SOURCE}:{self.site}:{kind}:{ident}"

    def person(self, owner: Owner) -> str:
        if isinstance(owner, int):
            return self.key("user", owner)
        return self.key("user", f"deleted-{owner}")

    def maybe(self, owner: Owner | None) -> str | None:
        """Return the person an act is aimed at; none for a system account (negative id)."""
        if owner is None or (isinstance(owner, int) and owner < 0):
            return None
        return self.person(owner)

    def owner_of(self, f: RowFields, id_attr: str, name_attr: str) -> Owner:
        user = f.opt_integer(id_attr)
        if user is not None:
            return user
        name = " ".join((f.text(name_attr) or "").split())
        return name or "unknown"

    def activity(self, f: RowFields, **kwargs: Any) -> Activity:
        try:
            return Activity(source=SOURCE, community=self.community, **kwargs)
        except ActivityError as exc:
            raise f.fail(f"a valid activity ({exc})") from None

    def remember(self, index: PostIndex, f: RowFields, post: int, kind: int) -> None:
        """Note what later rows need to know of a post: its kind, owner, parent, accepted answer."""
        index.kind[post] = kind
        index.set_owner(post, self.owner_of(f, "OwnerUserId", "OwnerDisplayName"))
        if kind == ANSWER:
            index.parent[post] = f.integer("ParentId")
        accepted = f.opt_integer("AcceptedAnswerId") if kind == QUESTION else None
        if accepted is not None:
            index.accepted_by[accepted] = post

    def votes(self) -> VoteCounts:
        """Count each post's up, down and favourite votes and note when answers were accepted.

        Votes are the dump's largest file: a vote with a plain post id and a dump-shaped date is
        counted straight from its attributes; anything else (and every acceptance, whose date
        matters) is read field by field, so a malformed vote is still refused by its position.
        """
        votes = VoteCounts()
        if not self.dump.has("Votes.xml"):
            return votes
        display = self.dump.display("Votes.xml")
        counted: dict[int, array[int]] = {2: array("q"), 3: array("q"), 5: array("q")}
        beyond: dict[int, list[int]] = {2: [], 3: [], 5: []}
        """Post ids too large for the compact array: counted one by one."""
        fast = {"2": counted[2], "3": counted[3], "5": counted[5]}
        for row in self.dump.rows("Votes.xml"):
            attrs = row.attrs
            posts = fast.get(attrs.get("VoteTypeId", ""))
            post_id = attrs.get("PostId", "")
            if (
                posts is not None
                and post_id.isdecimal()
                and len(post_id) <= 18
                and is_iso_date(attrs.get("CreationDate", ""))
            ):
                posts.append(int(post_id))
                continue
            f = RowFields(display, row)
            post, kind, at = f.integer("PostId"), f.integer("VoteTypeId"), f.date("CreationDate")
            if kind == 1:
                votes.accepted_at[post] = at
            elif kind in counted:
                (counted[kind] if abs(post) < 1 << 62 else beyond[kind]).append(post)
            else:
                self.skipped[f"skipped vote type {kind}"] += 1
        votes.up = IdMap.counting(counted[2])
        votes.down = IdMap.counting(counted[3])
        votes.favourite = IdMap.counting(counted[5])
        for kind, tally in ((2, votes.up), (3, votes.down), (5, votes.favourite)):
            for post in beyond[kind]:
                tally.add(post)
        return votes

    def joins(self) -> Iterator[Activity]:
        """Yield the join of every account that took part; the others are the network's."""
        if not self.dump.has("Users.xml"):
            return
        display = self.dump.display("Users.xml")
        for row in self.dump.rows("Users.xml"):
            f = RowFields(display, row)
            user = f.integer("Id")
            if user not in self.participants:
                if user >= 0:
                    self.skipped["account that never took part (not a member)"] += 1
                continue
            actor = self.key("user", user)
            meta: dict[str, Any] = {"name": f.text("DisplayName") or ""}
            yield self.activity(
                f,
                id=self.key("join", user),
                actor=actor,
                verb=Verb.JOIN,
                object_id=f"{SOURCE}:{self.site}",
                at=f.date("CreationDate"),
                meta=meta,
            )

    def posts(self, index: PostIndex, votes: VoteCounts) -> Iterator[Activity]:
        """Read Posts.xml once, noting each post in `index` as it comes.

        Dumps list posts by id, so a question comes before its answers; an answer that comes
        first waits, with its row, until the whole file was read.
        """
        display = self.dump.display("Posts.xml")
        waiting: list[tuple[RowFields, int, datetime]] = []
        for row in self.dump.rows("Posts.xml"):
            f = RowFields(display, row)
            post, kind, at = f.integer("Id"), f.integer("PostTypeId"), f.date("CreationDate")
            self.remember(index, f, post, kind)
            if kind == ANSWER and index.kind.get(f.integer("ParentId")) is None:
                waiting.append((f, post, at))
                continue
            yield from self.post(f, post, kind, at, index, votes)
        for f, post, at in waiting:
            yield from self.post(f, post, ANSWER, at, index, votes)

    def post(
        self, f: RowFields, post: int, kind: int, at: datetime, index: PostIndex, votes: VoteCounts
    ) -> Iterator[Activity]:
        """Yield a question, or an answer and its acceptance; nothing for other post types."""
        if kind not in (QUESTION, ANSWER):
            self.skipped[f"skipped post type {kind}"] += 1
            return
        owner = self.owner_of(f, "OwnerUserId", "OwnerDisplayName")
        if self.system(owner):
            if kind == QUESTION:
                self.system_titles[post] = f.text("Title") or ""
            return
        actor = self.person(owner)
        meta: dict[str, Any] = {
            "score": f.opt_integer("Score") or 0,
            "upvotes": votes.up.get(post, 0),
            "downvotes": votes.down.get(post, 0),
        }
        body = _html_text(f.text("Body") or "")
        if kind == QUESTION:
            title = f.text("Title") or ""
            meta.update(
                title=title,
                tags=parse_tags(f.text("Tags") or ""),
                views=f.opt_integer("ViewCount") or 0,
                favourites=votes.favourite.get(post, 0),
            )
            if f.text("ClosedDate"):
                meta["closed"] = True
            yield self.activity(
                f,
                id=self.key("post", post),
                actor=actor,
                verb=Verb.ASK,
                object_id=self.key("post", post),
                at=at,
                text=f"{title}\n\n{body}".strip(),
                meta=meta,
            )
            return
        question = f.integer("ParentId")
        asker = self.maybe(index.owner(question))
        if question in self.system_titles:
            # The question is left out with its system owner; the answer keeps its title.
            meta["question_title"] = self.system_titles[question]
        yield self.activity(
            f,
            id=self.key("post", post),
            actor=actor,
            verb=Verb.ANSWER,
            object_id=self.key("post", post),
            parent_id=self.key("post", question),
            target_actor=asker,
            at=at,
            text=body,
            meta=meta,
        )
        if index.accepted_by.get(post) == question and asker is not None:
            vote_at = votes.accepted_at.get(post)
            yield self.activity(
                f,
                id=self.key("accept", post),
                actor=asker,
                verb=Verb.ACCEPT,
                object_id=self.key("post", post),
                parent_id=self.key("post", question),
                target_actor=actor,
                at=max(vote_at, at) if vote_at is not None else at,
                meta={"dated_by": "vote" if vote_at is not None else "answer"},
            )

    def comments(self, index: PostIndex) -> Iterator[Activity]:
        if not self.dump.has("Comments.xml"):
            return
        display = self.dump.display("Comments.xml")
        for row in self.dump.rows("Comments.xml"):
            f = RowFields(display, row)
            comment, post, at = f.integer("Id"), f.integer("PostId"), f.date("CreationDate")
            question = index.question_of(post)
            if question is None:
                self.skipped["skipped comment not on a question or answer"] += 1
                continue
            commenter = self.owner_of(f, "UserId", "UserDisplayName")
            if self.system(commenter):
                continue
            actor = self.person(commenter)
            yield self.activity(
                f,
                id=self.key("comment", comment),
                actor=actor,
                verb=Verb.REPLY,
                object_id=self.key("comment", comment),
                parent_id=self.key("post", question),
                target_actor=self.maybe(index.owner(post)),
                at=at,
                text=f.text("Text") or "",
                meta={"post": self.key("post", post), "score": f.opt_integer("Score") or 0},
            )

    def history(self, index: PostIndex) -> Iterator[Activity]:
        if not self.dump.has("PostHistory.xml"):
            return
        display = self.dump.display("PostHistory.xml")
        # One edit writes title, body and tags rows under one RevisionGUID; they sit close together
        # but may interleave with other revisions, so a short window of recent GUIDs dedupes them.
        recent: OrderedDict[str, None] = OrderedDict()
        for row in self.dump.rows("PostHistory.xml"):
            f = RowFields(display, row)
            ident, kind = f.integer("Id"), f.integer("PostHistoryTypeId")
            post, at = f.integer("PostId"), f.date("CreationDate")
            revision = f.text("RevisionGUID")
            if kind in EDIT_TYPES:
                if revision is not None:
                    if revision in recent:
                        continue
                    recent[revision] = None
                    if len(recent) > REVISION_WINDOW:
                        recent.popitem(last=False)
                verb = Verb.EDIT
            elif kind in MODERATE_TYPES:
                verb = Verb.MODERATE
            else:
                self.skipped[f"skipped history type {kind}"] += 1
                continue
            question = index.question_of(post)
            if question is None:
                self.skipped["skipped history not on a question or answer"] += 1
                continue
            editor = self.owner_of(f, "UserId", "UserDisplayName")
            if self.system(editor):
                continue
            actor = self.person(editor)
            yield self.activity(
                f,
                id=self.key("history", ident),
                actor=actor,
                verb=verb,
                object_id=self.key("post", post),
                parent_id=self.key("post", question),
                target_actor=self.maybe(index.owner(post)),
                at=at,
                meta={"history_type": kind},
            )

    def all(self) -> Iterator[Activity]:
        for name in REQUIRED:
            self.dump.require(name)
        for name, loss in OPTIONAL_FILES.items():
            if not self.dump.has(name):
                self.stats.note(f"{name} is missing: {loss}")
        index = PostIndex()
        votes = self.votes()
        yield from self.posts(index, votes)
        yield from self.comments(index)
        yield from self.history(index)
        yield from self.joins()  # last: only those who took part are members


def parse_tags(raw: str) -> list[str]:
    """Return the tags of a question, written "<a><b>" (older dumps) or "|a|b|" (newer)."""
    if "<" in raw:
        return _TAG.findall(raw)
    return [tag for tag in raw.split("|") if tag]


_MARKUP = re.compile(
    r"<(script|style)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)"
    r"""|<[A-Za-z/!?](?:"[^"]*"|'[^']*'|[^'">])*>""",
    re.DOTALL | re.IGNORECASE,
)
"""Tags, comments, and scripts or styles with their content: what a reader does not read."""


def _html_text(body: str) -> str:
    """Return a post body's HTML as plain text with collapsed whitespace.

    Only text is kept (it is sanitised again wherever it is shown): dropping the markup with
    one pattern gives nh3's text for every post of the five real dumps, in half the time.
    """
    return " ".join(html.unescape(_MARKUP.sub("", body)).split())


def read_stackexchange(
    path: Path,
    *,
    community: str | None = None,
    batch_size: int = BATCH_SIZE,
    stats: ReadStats | None = None,
) -> Batches:
    """Yield the dump's activities in batches; `stats` (if given) counts what was skipped."""
    path = Path(path)
    counts = stats if stats is not None else ReadStats()

    def stream() -> Iterator[Activity]:
        with opened_dump(path) as dump:
            reader = _Reader(dump, site_name(path), community or community_name(path), counts)
            for activity in reader.all():
                counts.activities += 1
                yield activity
        if counts.skipped:
            log.info("%s: %s", path, dict(counts.skipped))

    return batched(stream(), batch_size)


def people_stackexchange(path: Path) -> Iterator[Person]:
    """Yield everyone in the dump's Users.xml (else the posts' owners), keyed like the actors."""
    path = Path(path)
    site = site_name(path)
    with opened_dump(path) as dump:
        if not dump.has("Users.xml"):
            yield from _post_owners(dump, site)
            return
        display = dump.display("Users.xml")
        for row in dump.rows("Users.xml"):
            f = RowFields(display, row)
            user = f.integer("Id")
            yield Person(
                key=f"{SOURCE}:{site}:user:{user}",
                name=(f.text("DisplayName") or "").strip() or f"user {user}",
            )


def _post_owners(dump: Dump, site: str) -> Iterator[Person]:
    """Yield the people a dump without Users.xml names: owners of posts, by display name."""
    display = dump.display("Posts.xml")
    seen: set[str] = set()
    for row in dump.rows("Posts.xml"):
        f = RowFields(display, row)
        user = f.opt_integer("OwnerUserId")
        name = " ".join((f.text("OwnerDisplayName") or "").split())
        ident = str(user) if user is not None else f"deleted-{name or 'unknown'}"
        key = f"{SOURCE}:{site}:user:{ident}"
        if key in seen:
            continue
        seen.add(key)
        yield Person(key=key, name=name or f"user {user}")
