"""Load the demo organisation: replay the plan through the real services, e-mail muted.

People are created in bulk (creating an account is not a community activity); everything that
happens inside a community goes through communities.services and sharing.services with `at=`,
so each act records its Activity exactly as if a person had done it on that day.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cultivate.apps.accounts.models import Expertise, User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import (
    Community,
    Membership,
    ModerationLogEntry,
    Visibility,
)
from cultivate.apps.communities.services import (
    community_create,
    community_join,
    member_promote,
    membership_invite,
)
from cultivate.apps.deferred import flush_deferred, writes_deferred
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.notifications.services import community_watch_toggle, email_muted
from cultivate.apps.sharing.models import Answer, Post, Question
from cultivate.apps.sharing.services import (
    answer_accept,
    answer_create,
    comment_create,
    post_create,
    question_ask,
    vote_cast,
)
from cultivate.core.activity import Verb

from .cast import DEMO_SLUGS, LOGINS, DemoPlan, Event, PersonSpec
from .plan import build_plan
from .replay_together import TogetherReplayer
from .tasks import demo_questions_route

Progress = Callable[[int], None]


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why."""


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    name: str
    visibility: str
    intent: str
    members: int
    activities: int
    last_activity: datetime | None


@dataclass(frozen=True, slots=True)
class DemoResult:
    people: int
    communities: list[CommunitySummary]
    activities: int
    seconds: float
    start: datetime
    end: datetime
    logins: list[tuple[str, str, str]]
    """(username, password, what the account shows)."""


def demo_is_loaded() -> bool:
    """Say whether the demo organisation is already in the database."""
    return Community.objects.filter(slug__in=DEMO_SLUGS).exists()


def demo_conflicts() -> list[str]:
    """Return the demo login names that other people in this database already use."""
    taken = list(
        User.objects.filter(username__in=[login.username for login in LOGINS]).values_list(
            "username", flat=True
        )
    )
    return sorted(taken)


@contextmanager
def _login_hashes_in_background(people: list[PersonSpec]) -> Iterator[dict[str, Future[str]]]:
    """Hash the demo logins' passwords on threads while the history is written.

    Each hash takes a deliberate third of a second; PBKDF2 releases the GIL, so the four run
    side by side with the replay instead of adding over a second before it.
    """
    logins = [person for person in people if person.password]
    with ThreadPoolExecutor(max_workers=max(1, len(logins))) as pool:
        yield {person.username: pool.submit(make_password, person.password) for person in logins}


def _set_login_passwords(users: list[User], hashes: dict[str, Future[str]]) -> None:
    """Give the demo logins their hashed passwords (created unusable, hashed in the background)."""
    logins = [user for user in users if user.username in hashes]
    for user in logins:
        user.password = hashes[user.username].result()
    User.objects.bulk_update(logins, ["password"])


def _create_people(people: list[PersonSpec]) -> list[User]:
    """Create everyone in bulk: accounts are not community activity, and hashing is slow.

    Everyone starts with an unusable password; the demo logins get theirs at the end
    (`_set_login_passwords`), so no hash is computed while the replay waits.
    """
    unusable = make_password(None)
    users = [
        User(
            username=p.username,
            email=p.email,
            first_name=p.first_name,
            last_name=p.last_name,
            display_name=p.display_name,
            title=p.title,
            department=p.department,
            location=p.location,
            bio=p.bio,
            is_km_lead=p.is_km_lead,
            is_staff=p.is_staff,
            is_superuser=p.is_superuser,
            date_joined=p.date_joined,
            password=unusable,
        )
        for p in people
    ]
    User.objects.bulk_create(users)
    # Some backends do not return primary keys from bulk_create; read them back by username.
    if any(u.pk is None for u in users):
        usernames = [p.username for p in people]
        by_name = {u.username: u for u in User.objects.filter(username__in=usernames)}
        users = [by_name[p.username] for p in people]
    expertise = sorted({name for p in people for name in p.expertise})
    existing = {e.name.lower(): e for e in Expertise.objects.all()}
    Expertise.objects.bulk_create(
        [Expertise(name=n) for n in expertise if n.lower() not in existing],
        ignore_conflicts=True,
    )
    tags = {e.name.lower(): e for e in Expertise.objects.filter(name__in=expertise)}
    through = User.expertise.through
    through.objects.bulk_create(
        [
            through(user_id=user.pk, expertise_id=tags[name.lower()].pk)
            for user, spec in zip(users, people, strict=True)
            for name in spec.expertise
        ]
    )
    return users


def _accepts_at(service: Callable[..., Any]) -> bool:
    return "at" in inspect.signature(service).parameters


def _redate_membership_act(
    *, community: Community, membership: Membership, verb: Verb, at: datetime
) -> None:
    """Date an invitation or promotion when its service cannot take `at=` yet.

    membership_invite and member_promote stamp `now`; without this the generated history would
    end with a burst of invitations and promotions today.
    """
    flush_deferred()  # the activity to redate may still be waiting to be written
    ActivityRecord.objects.filter(
        community=community, verb=verb.value, object_type="membership", object_pk=membership.pk
    ).update(at=at)
    entry = ModerationLogEntry.objects.filter(community=community).order_by("-pk").first()
    if entry is not None:
        ModerationLogEntry.objects.filter(pk=entry.pk).update(created_at=at)


class _Replayer:
    """Apply plan events in order, keeping the objects later events refer to."""

    def __init__(self, plan: DemoPlan, users: list[User]) -> None:
        self.plan, self.users = plan, users
        self.communities: dict[int, Community] = {}
        self.content: dict[int, Post | Question | Answer] = {}
        self.together = TogetherReplayer(plan, users)
        self.invite_takes_at = _accepts_at(membership_invite)
        self.promote_takes_at = _accepts_at(member_promote)

    def apply(self, event: Event) -> None:
        actor = self.users[event.actor]
        spec = self.plan.communities[event.community]
        if event.kind == "create":
            self.communities[event.community] = community_create(
                by=actor,
                name=spec.name,
                practice=spec.practice,
                description=spec.description,
                visibility=Visibility.PRIVATE if spec.is_private else Visibility.PUBLIC,
                slug=spec.slug,
                at=event.at,
            )
            return
        community = self.communities[event.community]
        if event.kind == "invite":
            self._invite(community, actor, self.users[event.target], event.at)
        elif event.kind == "join":
            community_join(community=community, user=actor, at=event.at)
        elif event.kind == "promote":
            self._promote(community, actor, self.users[event.target], event.at)
        elif event.kind == "post":
            self.content[event.key] = post_create(
                community=community,
                author=actor,
                title=event.title,
                body=event.body,
                kind=event.post_kind,
                at=event.at,
            )
        elif event.kind == "ask":
            self.content[event.key] = question_ask(
                community=community,
                author=actor,
                title=event.title,
                body=event.body,
                tags=list(event.tags),
                at=event.at,
            )
        elif event.kind == "answer":
            question = self.content[event.target]
            assert isinstance(question, Question)
            self.content[event.key] = answer_create(
                question=question, author=actor, body=event.body, at=event.at
            )
        elif event.kind == "accept":
            answer = self.content[event.target]
            assert isinstance(answer, Answer)
            answer_accept(answer=answer, by=actor, at=event.at)
        elif event.kind == "comment":
            comment_create(
                target=self.content[event.target], author=actor, body=event.body, at=event.at
            )
        elif event.kind == "vote":
            vote_cast(target=self.content[event.target], user=actor, at=event.at)
        else:  # the relationship steps and the agenda
            self.together.apply(event, community)

    def _invite(self, community: Community, by: User, user: User, at: datetime) -> None:
        if self.invite_takes_at:
            membership_invite(community=community, user=user, by=by, at=at)  # type: ignore[call-arg,unused-ignore]
            return
        membership = membership_invite(community=community, user=user, by=by)
        Membership.objects.filter(pk=membership.pk).update(created_at=at)
        _redate_membership_act(community=community, membership=membership, verb=Verb.INVITE, at=at)

    def _promote(self, community: Community, by: User, user: User, at: datetime) -> None:
        membership = Membership.objects.get(community=community, user=user)
        membership.community = community  # share the instance whose membership cache is kept
        if self.promote_takes_at:
            member_promote(membership=membership, by=by, at=at)  # type: ignore[call-arg,unused-ignore]
            return
        member_promote(membership=membership, by=by)
        _redate_membership_act(
            community=community, membership=membership, verb=Verb.MODERATE, at=at
        )


def _summaries(plan: DemoPlan) -> list[CommunitySummary]:
    result = []
    for spec in plan.communities:
        community = Community.objects.get(slug=spec.slug)
        records = ActivityRecord.objects.filter(community=community)
        last = records.order_by("-at").values_list("at", flat=True).first()
        result.append(
            CommunitySummary(
                name=community.name,
                visibility=community.visibility,
                intent=spec.intent,
                members=community.member_count,
                activities=records.count(),
                last_activity=last,
            )
        )
    return result


def demo_organisation_create(
    *,
    seed: int = 7,
    as_of: datetime | None = None,
    people: int = 300,
    months: int = 18,
    on_plan: Callable[[int], None] | None = None,
    on_progress: Progress | None = None,
) -> DemoResult:
    """Create the demo organisation: people, eight communities and their history up to `as_of`.

    The same seed, size and `as_of` give the same data. The history is written in one
    transaction, so a failure leaves the database as it was; then each community's health
    snapshot is computed, so the Portfolio shows levels and health at first sight, and a job
    (`tasks.demo_questions_route`) is queued to embed the thread heads and route the questions
    still waiting. Raise
    DemoError when the demo is already loaded or its login names are taken.
    """
    started = time.perf_counter()
    end = as_of or timezone.now()
    if timezone.is_naive(end):
        raise DemoError("as_of must be timezone-aware")
    try:
        plan = build_plan(seed=seed, end=end, people=people, months=months)
    except ValueError as error:
        raise DemoError(str(error)) from None
    if demo_is_loaded():
        raise DemoError("demo organisation already loaded")
    taken = demo_conflicts()
    if taken:
        raise DemoError(
            "the database already has people named "
            + ", ".join(taken)
            + ": load the demo into an empty database"
        )
    if on_plan is not None:
        on_plan(len(plan.people) + len(plan.events) + len(plan.communities))
    with (
        _login_hashes_in_background(plan.people) as hashes,
        email_muted(),
        transaction.atomic(),
        writes_deferred(),
    ):
        users = _create_people(plan.people)
        if on_progress is not None:
            on_progress(len(users))
        replayer = _Replayer(plan, users)
        for event in plan.events:
            replayer.apply(event)
            if on_progress is not None:
                on_progress(1)
        # Watching is set up after the history, so it produces no backlog of notices.
        demo_user = users[0]
        for slug in ("mechanical-reliability", "data-analytics"):
            community_watch_toggle(user=demo_user, community=Community.objects.get(slug=slug))
        _set_login_passwords(users, hashes)
    # The questions waiting for an answer at the demo's end go to the people who could answer,
    # found by meaning: the worker embeds the thread heads, then routes (tasks.py).
    demo_questions_route.enqueue(end=plan.end.isoformat())
    # Read every community once now, so the Portfolio and Health pages are filled at first sight.
    for spec in plan.communities:
        health_snapshot_compute(community=Community.objects.get(slug=spec.slug), as_of=plan.end)
        if on_progress is not None:
            on_progress(1)
    communities = _summaries(plan)
    return DemoResult(
        people=len(users),
        communities=communities,
        activities=sum(c.activities for c in communities),
        seconds=time.perf_counter() - started,
        start=plan.start,
        end=plan.end,
        logins=[(login.username, login.password, login.what) for login in LOGINS],
    )
