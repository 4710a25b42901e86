"""Load another platform's history into a community: people, questions, answers, comments, votes.

The connectors yield batches of Activities; each batch is written inside one transaction, so an
interrupted import leaves only whole batches behind. Every imported act is stored as an
ActivityRecord with `source` and `external_id` (the activity's id): a second run finds those and
adds nothing, and a run after an interruption writes exactly what is missing.

The export is read twice: a first pass checks every record (the readers raise SourceError on
the first bad one) and counts them, so a bad file writes nothing at all; the second pass writes.
Only a file that changes between the passes can stop a run half-way; the whole batches written
before the error stay, and running the import again completes it.

Imported people get accounts that have never signed in (no usable password, `last_login` empty).
By default they are pseudonymous ("Member 4f2a9c", `pseudonyms.py`, ADR 28): neither their name
nor their address is stored, nor the names an activity's meta carries. With `keep_names` their
e-mail is the one the export gives when no account uses it yet, else a placeholder under
`.invalid`. Either way an account is never merged with an existing one, since a crafted export
could otherwise put words in a real colleague's mouth. History notifies nobody.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.freshness import community_changed
from cultivate.apps.communities.models import Community, Membership
from cultivate.apps.communities.services import (
    community_member_count_refresh,
    memberships_bulk_create,
)
from cultivate.apps.notifications.services import email_muted
from cultivate.apps.rows import append_rows
from cultivate.apps.sharing.bulk import (
    accepted_answers_set,
    answers_bulk_create,
    comments_bulk_create,
    posts_bulk_create,
    questions_bulk_create,
    votes_bulk_create,
)
from cultivate.apps.sharing.models import Answer, Comment, Post, PostKind, Question, Vote
from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import (
    BATCH_SIZE,
    Person,
    batched,
    detect_and_read,
    detect_source,
)
from cultivate.core.markup import chat_to_markdown, plain_text

from .accounts import accounts_create, identity_keys, people_of_export
from .models import ImportedIdentity, ImportedObject
from .permissions import check_import
from .pseudonyms import DROPPED_META, pseudonym_of
from .reading import (
    TITLE_LIMIT,
    cut,
    external_id,
    follows_up,
    opens_thread,
    post_kind,
    read_as,
    score_of,
    tags_of,
    title_and_body,
)
from .result import ImportResult

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

Progress = Callable[[str, int, int | None], None]
"""Told (stage, done, total): stage "checking" counts activities read (total unknown), then
"importing" counts activities written out of the total."""

_CONTENT: dict[str, type[Post | Question | Answer | Comment]] = {
    "post": Post,
    "question": Question,
    "answer": Answer,
    "comment": Comment,
}
_VOTABLE = ("post", "question", "answer")


@dataclass(frozen=True, slots=True)
class _Ref:
    """A platform row an external object became, and the thread (question or post) it is in."""

    kind: str
    pk: int
    root_kind: str
    root_pk: int


class _Writer:
    """Write batches of activities into one community, remembering what earlier batches made."""

    def __init__(
        self,
        community: Community,
        people: dict[str, Person],
        result: ImportResult,
        *,
        keep_names: bool = False,
    ):
        self.community = community
        self.people = people
        self.result = result
        self.keep_names = keep_names
        self.users: dict[tuple[str, str], int] = {}
        self.refs: dict[tuple[str, str], _Ref] = {}
        self.members: set[int] = set()
        self.types = {
            kind: ContentType.objects.get_for_model(model) for kind, model in _CONTENT.items()
        }
        self.kinds = {ct.pk: kind for kind, ct in self.types.items()}
        self.pending: list[Activity] = []
        self.records: list[ActivityRecord] = []
        self.objects: list[ImportedObject] = []
        self.usernames: dict[int, str] = {}

    # -- text ------------------------------------------------------------------------------

    def markdown(self, a: Activity, text: str) -> str:
        """Return a message's text as Markdown: chat markup becomes mentions, links and emoji."""
        if a.source != "slack":
            return text
        workspace = a.actor.split(":")[1] if a.actor.count(":") >= 3 else ""

        def mention(user: str, label: str) -> str:
            key = f"slack:{workspace}:user:{user}"
            user_id = self.users.get(("slack", key))
            if user_id is not None:
                return f"@{self._username(user_id)}"
            if not self.keep_names:
                return f"**{pseudonym_of('slack', key).name}**"
            person = self.people.get(key)
            return f"**{person.name if person else label or user}**"

        return chat_to_markdown(text, mention)

    def text_of(self, a: Activity) -> tuple[str, str]:
        """Return a thread's title (plain, markup read) and its body as Markdown."""
        title, body = title_and_body(a)
        if a.source == "slack":
            title = (
                cut(plain_text(self.markdown(a, title), limit=TITLE_LIMIT), TITLE_LIMIT) or title
            )
        return title, self.markdown(a, body)

    def _username(self, user_id: int) -> str:
        if user_id not in self.usernames:
            self.usernames[user_id] = get_user_model().objects.get(pk=user_id).username
        return self.usernames[user_id]

    # -- the batch -------------------------------------------------------------------------

    def write(self, batch: list[Activity], *, final: bool = False) -> None:
        """Write one batch (with what earlier batches could not place yet) in one transaction."""
        fresh = self._not_yet_imported(batch)
        todo = self.pending + fresh
        self.pending = []
        if not todo:
            return
        self._people_of(todo)
        self._members_of(todo)
        self._resolve(todo)
        later: list[Activity] = []
        self._threads(todo)
        self._answers(todo, later, final)
        self._comments(todo, later, final)
        self._votes_and_rest(todo, later, final)
        self.pending = later
        append_rows(self.records)
        append_rows(self.objects)
        community_member_count_refresh(self.community)
        community_changed(self.community.pk)
        self.result.created["activities"] += len(self.records)
        self.records, self.objects = [], []

    def _not_yet_imported(self, batch: list[Activity]) -> list[Activity]:
        by_source: dict[str, list[str]] = defaultdict(list)
        for activity in batch:
            by_source[activity.source].append(external_id(activity.id))
        seen: set[tuple[str, str]] = set()
        for source, ids in by_source.items():
            seen.update(
                (source, str(ext))
                for ext in ActivityRecord.objects.filter(
                    community=self.community, source=source, external_id__in=ids
                ).values_list("external_id", flat=True)
            )
        fresh = [a for a in batch if (a.source, external_id(a.id)) not in seen]
        self.result.already_imported += len(batch) - len(fresh)
        return fresh

    # -- people ----------------------------------------------------------------------------

    def _people_of(self, batch: list[Activity]) -> None:
        """Find or make the account of every actor and target the batch names."""
        first_seen: dict[tuple[str, str], datetime] = {}
        names: dict[tuple[str, str], str] = {}
        for a in batch:
            for key in (a.actor, a.target_actor):
                if key is None:
                    continue
                ident = (a.source, key)
                if ident in self.users:
                    continue
                if ident not in first_seen or a.at < first_seen[ident]:
                    first_seen[ident] = a.at
                name = a.meta.get("name") if key == a.actor and self.keep_names else None
                if isinstance(name, str) and name.strip() and ident not in names:
                    names[ident] = name.strip()
        if not first_seen:
            return
        for source, keys in identity_keys(list(first_seen)).items():
            for key, user_id in ImportedIdentity.objects.filter(
                source=source, key__in=list(keys)
            ).values_list("key", "user_id"):
                self.users.setdefault(keys[key], user_id)
        missing = [ident for ident in first_seen if ident not in self.users]
        if missing:
            created = accounts_create(
                missing, first_seen, names, self.people, keep_names=self.keep_names
            )
            for ident, (pk, username) in created.items():
                self.users[ident] = pk
                self.usernames[pk] = username
            self.result.created["people"] += len(created)

    def _members_of(self, batch: list[Activity]) -> None:
        """Make everyone the batch names an active member, joined when first seen."""
        first: dict[int, datetime] = {}
        for a in batch:
            for key in (a.actor, a.target_actor):
                if key is None:
                    continue
                user_id = self.users[(a.source, key)]
                if user_id not in self.members and (user_id not in first or a.at < first[user_id]):
                    first[user_id] = a.at
        if not first:
            return
        created = memberships_bulk_create(community=self.community, joined=first)
        self.members.update(first)
        self.result.created["memberships"] += created

    def user(self, a: Activity, key: str | None) -> int | None:
        return None if key is None else self.users[(a.source, key)]

    # -- objects ---------------------------------------------------------------------------

    def _resolve(self, batch: list[Activity]) -> None:
        """Load what earlier batches or runs made from the objects this batch refers to."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for a in batch:
            for ref in (a.object_id, a.parent_id, a.meta.get("post"), a.meta.get("message")):
                if isinstance(ref, str) and (a.source, ref) not in self.refs:
                    wanted[a.source].add(external_id(ref))
        for source, ids in wanted.items():
            rows = ImportedObject.objects.filter(
                community=self.community, source=source, external_id__in=ids
            ).values_list("external_id", "content_type_id", "object_pk", "root_type", "root_pk")
            for ext, ct, pk, root_kind, root_pk in rows:
                kind = self.kinds.get(ct, "")
                self.refs[(source, ext)] = _Ref(kind, pk, root_kind or kind, root_pk or pk)

    def ref(self, a: Activity, ident: Any) -> _Ref | None:
        if not isinstance(ident, str):
            return None
        return self.refs.get((a.source, ident)) or self.refs.get((a.source, external_id(ident)))

    def remember(self, a: Activity, ident: str, content: models.Model, root: _Ref | None) -> _Ref:
        kind = content._meta.model_name or ""
        if root is None:
            ref = _Ref(kind, content.pk, kind, content.pk)
        else:
            ref = _Ref(kind, content.pk, root.root_kind, root.root_pk)
        self.refs[(a.source, ident)] = ref
        self.objects.append(
            ImportedObject(
                community=self.community,
                source=a.source,
                external_id=external_id(ident),
                content_type=self.types[kind],
                object_pk=content.pk,
                root_type=ref.root_kind,
                root_pk=ref.root_pk,
            )
        )
        return ref

    def record(
        self,
        a: Activity,
        obj: _Ref | tuple[str, int],
        parent: _Ref | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        kind, pk = (obj.kind, obj.pk) if isinstance(obj, _Ref) else obj
        actor = self.users[(a.source, a.actor)]
        target = self.user(a, a.target_actor)
        kept = dict(a.meta) if self.keep_names else _unnamed(a.meta)
        self.records.append(
            ActivityRecord(
                source=a.source,
                external_id=external_id(a.id),
                community=self.community,
                actor_id=actor,
                verb=a.verb.value,
                object_type=kind,
                object_pk=pk,
                parent_type=parent.root_kind if parent else "",
                parent_pk=parent.root_pk if parent else None,
                target_actor_id=target if target != actor else None,
                at=a.at,
                text=(a.text or "")[:2000],
                meta={**kept, **(meta or {})},
            )
        )

    def _threads(self, batch: list[Activity]) -> None:
        """Create the questions (ask) and posts (share) that start threads."""
        questions: list[tuple[Activity, Question, list[str]]] = []
        posts: list[tuple[Activity, Post]] = []
        for a in batch:
            if not opens_thread(a) or self.ref(a, a.object_id):
                continue
            title, body = self.text_of(a)
            fields = {
                "community": self.community,
                "author_id": self.users[(a.source, a.actor)],
                "title": title,
                "body": body,
                "created_at": a.at,
                "score": score_of(a.meta),
            }
            if a.verb is Verb.ASK:
                questions.append((a, Question(**fields), tags_of(a.meta)))
            else:
                posts.append((a, Post(kind=post_kind(a.meta), read_as=read_as(a), **fields)))
        questions_bulk_create([(q, tags) for _, q, tags in questions])
        posts_bulk_create([p for _, p in posts])
        started: list[tuple[Activity, Post | Question]] = [(a, q) for a, q, _ in questions]
        started += posts
        for a, content in started:
            ref = self.remember(a, a.object_id, content, None)
            self.record(a, ref)
        self.result.created["questions"] += len(questions)
        self.result.created["posts"] += len(posts)
        self.result.created["score points kept"] += sum(max(c.score, 0) for _, c in started)

    def _answers(self, batch: list[Activity], later: list[Activity], final: bool) -> None:
        answers: list[tuple[Activity, Answer, _Ref]] = []
        for a in batch:
            if a.verb is not Verb.ANSWER or self.ref(a, a.object_id):
                continue
            parent = self.ref(a, a.parent_id)
            if parent is None and not final:
                later.append(a)
                continue
            if "question_title" in a.meta and (parent is None or parent.kind != "question"):
                self._orphan(a)  # its question belongs to a system account the reader left out
                continue
            if parent is None or parent.kind != "question":
                self.result.not_imported["answer to a question not in the export"] += 1
                continue
            body = self.markdown(a, (a.text or "").strip())
            answer = Answer(
                community=self.community,
                author_id=self.users[(a.source, a.actor)],
                question_id=parent.pk,
                body=body,
                created_at=a.at,
                score=score_of(a.meta),
            )
            answers.append((a, answer, parent))
        if not answers:
            return
        answers_bulk_create([answer for _, answer, _ in answers])
        for a, answer, parent in answers:
            ref = self.remember(a, a.object_id, answer, parent)
            self.record(a, ref, parent)
        self.result.created["answers"] += len(answers)
        self.result.created["score points kept"] += sum(max(x.score, 0) for _, x, _ in answers)

    def _comments(self, batch: list[Activity], later: list[Activity], final: bool) -> None:
        """Create a comment for each reply, on the post, question or answer it replies to.

        A reply whose thread the export does not hold (mail answering an older message) is kept
        as a post of its own once the whole export is read; later replies to that thread join it.
        """
        comments: list[tuple[Activity, Comment, _Ref]] = []
        for a in batch:
            if not follows_up(a) or self.ref(a, a.object_id):
                continue
            target = self.ref(a, a.meta.get("post")) or self.ref(a, a.parent_id)
            if target is not None and target.kind == "comment":
                target = _Ref(target.root_kind, target.root_pk, target.root_kind, target.root_pk)
            if target is None:
                if not final:
                    later.append(a)
                    continue
                self._orphan(a)
                continue
            body = title_and_body(a)[1] if "subject" in a.meta else (a.text or "").strip()
            body = self.markdown(a, body)
            comment = Comment(
                community=self.community,
                author_id=self.users[(a.source, a.actor)],
                read_as=read_as(a),
                body=body,
                created_at=a.at,
                **{f"{target.kind}_id": target.pk},
            )
            comments.append((a, comment, target))
        comments_bulk_create([c for _, c, _ in comments])
        for a, comment, target in comments:
            ref = self.remember(a, a.object_id, comment, target)
            self.record(a, ref, target)
        self.result.created["comments"] += len(comments)

    def _orphan(self, a: Activity) -> None:
        """Keep a reply to a thread the export lacks as a post that starts that thread here."""
        title, body = self.text_of(a)
        post = Post(
            community=self.community,
            author_id=self.users[(a.source, a.actor)],
            kind=PostKind.ARTICLE,
            read_as=read_as(a),
            title=title,
            body=body,
            created_at=a.at,
        )
        posts_bulk_create([post])
        ref = self.remember(a, a.object_id, post, None)
        if a.parent_id and not self.ref(a, a.parent_id):
            self.remember(a, a.parent_id, post, None)
        self.record(a, ref, meta={"thread_start_missing": True})
        self.result.created["posts"] += 1

    def _votes_and_rest(self, batch: list[Activity], later: list[Activity], final: bool) -> None:
        """Accept answers, cast the votes whose voter is known, and record every other act."""
        accepts: dict[int, int] = {}
        votes: list[tuple[Activity, Vote, _Ref]] = []
        voted = self._existing_votes(batch)
        memberships: dict[int, int] | None = None
        for a in batch:
            if a.verb is Verb.ANSWER or opens_thread(a) or follows_up(a):
                continue
            if a.verb in (Verb.JOIN, Verb.LEAVE, Verb.INVITE):
                if memberships is None:
                    memberships = self._membership_ids(batch)
                self.record(a, ("membership", memberships[self.users[(a.source, a.actor)]]))
                continue
            if a.verb is Verb.ACCEPT:
                answer, question = self.ref(a, a.object_id), self.ref(a, a.parent_id)
                if answer is None or question is None:
                    if not final:
                        later.append(a)
                    else:
                        self.result.not_imported["accept of an answer not in the export"] += 1
                    continue
                if answer.kind == "answer" and question.kind == "question":
                    accepts[question.pk] = answer.pk
                self.record(a, answer, question)
                continue
            reacted = "reaction" in a.meta  # a reaction, cheering (celebrate) or not (react)
            target_id = a.meta.get("message") if reacted else a.object_id
            target = self.ref(a, target_id) or self.ref(a, a.parent_id)
            if target is None and not final and (target_id != a.object_id or a.parent_id):
                later.append(a)
                continue
            if target is None:
                self.record(a, ("community", self.community.pk))
                continue
            if reacted and target.kind in _VOTABLE:
                user_id = self.users[(a.source, a.actor)]
                author = self.user(a, a.target_actor)
                if user_id != author and (user_id, target.kind, target.pk) not in voted:
                    voted.add((user_id, target.kind, target.pk))
                    on = {f"{target.kind}_id": target.pk}
                    vote = Vote(user_id=user_id, created_at=a.at, **on)
                    votes.append((a, vote, target))
                    continue
            self.record(a, target, target)
        self._accept_all(accepts)
        votes_bulk_create([v for _, v, _ in votes])
        for a, vote, target in votes:
            self.record(a, ("vote", vote.pk), target)
        self.result.created["votes"] += len(votes)

    def _accept_all(self, accepts: dict[int, int]) -> None:
        """Accept the answers through the bulk writer; count what its rules refused."""
        if not accepts:
            return
        kept = accepted_answers_set(accepts)
        self.result.created["accepted answers"] += kept
        if kept < len(accepts):
            refused = "accept of an answer to another question, or of hidden content"
            self.result.not_imported[refused] += len(accepts) - kept

    def _existing_votes(self, batch: list[Activity]) -> set[tuple[int, str, int]]:
        voters = {self.users[(a.source, a.actor)] for a in batch if "reaction" in a.meta}
        if not voters:
            return set()
        found: set[tuple[int, str, int]] = set()
        for user_id, post, question, answer in Vote.objects.filter(user_id__in=voters).values_list(
            "user_id", "post_id", "question_id", "answer_id"
        ):
            for kind, pk in (("post", post), ("question", question), ("answer", answer)):
                if pk is not None:
                    found.add((user_id, kind, pk))
        return found

    def _membership_ids(self, batch: list[Activity]) -> dict[int, int]:
        users = {self.users[(a.source, a.actor)] for a in batch}
        return dict(
            Membership.objects.filter(community=self.community, user_id__in=users).values_list(
                "user_id", "pk"
            )
        )


def _unnamed(meta: Any) -> dict[str, Any]:
    """Return an activity's meta without the names and addresses it may hold."""
    return {k: v for k, v in dict(meta).items() if k not in DROPPED_META}


KEEP_CHECKED = 50_000
"""An export of at most this many activities is kept in memory by the checking pass and imported
from there (tens of megabytes); a bigger one is read again, batch by batch, so memory stays flat."""


def _check(path: Path, source: str, progress: Progress | None) -> tuple[int, list[Activity] | None]:
    """Read the whole export once: a bad record raises here, before anything is written.

    Return how many activities it holds and, for a small export, the activities themselves.
    """
    total = 0
    kept: list[Activity] | None = []
    for batch in detect_and_read(path, source):
        total += len(batch)
        if kept is not None:
            kept.extend(batch)
            if len(kept) > KEEP_CHECKED:
                kept = None
        if progress is not None:
            progress("checking", total, None)
    return total, kept


def history_import(
    *,
    path: Path | str,
    source: str | None = None,
    community: Community,
    by: User,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    keep_names: bool = False,
) -> ImportResult:
    """Load an export's history into the community; only its coordinators may.

    People are pseudonymous unless `keep_names` (ADR 28): importing the same export again,
    with or without it, finds the same accounts and changes none of them.
    Raises SourceError for an unreadable export (nothing is written) and PermissionDenied.
    """
    check_import(by, community)
    started = time.perf_counter()
    path = Path(path)
    name = source or detect_source(path)
    result = ImportResult(source=name, path=str(path))
    total, checked = _check(path, name, progress)
    result.activities = total
    people = people_of_export(path, name) if keep_names else {}
    writer = _Writer(community, people, result, keep_names=keep_names)
    done = 0
    with email_muted():
        stream: Iterable[Activity] = (
            checked
            if checked is not None
            else (a for batch in detect_and_read(path, name) for a in batch)
        )
        for batch in batched(iter(stream), batch_size):
            with transaction.atomic():
                writer.write(batch)
            done += len(batch)
            if progress is not None:
                progress("importing", done, total)
        if writer.pending:
            with transaction.atomic():
                writer.write([], final=True)
    result.seconds = time.perf_counter() - started
    return result
