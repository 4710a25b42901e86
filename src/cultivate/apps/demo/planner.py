"""Plan one demo community: its members, what they share and ask, answers, votes and comments.

The relationship steps and the topic agenda are added by `together.py`; `plan.build_plan` runs
both for each community."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from . import texts
from .cast import LOGINS, PROFILES, SILENT_AT_LEAST, SLICE, DemoPlan, Event, EventKind
from .draws import about, at_work, fill, hours, paragraphs, poisson, sentence, weighted_count

TemplateT = TypeVar("TemplateT", texts.QuestionTemplate, texts.PostTemplate)
_TITLE_ATTEMPTS = 12

# -- communities ------------------------------------------------------------------------------

WINDOW = timedelta(days=90)
QUIET_KINDS = frozenset(
    {"create", "invite", "join", "promote", "gathering", "rsvp", "coffee_optin", "coffee_round"}
)
"""Plan events whose acts are not contributions (membership, planning, signing up, system acts)."""
LEVEL_2_MARGIN = {
    "question_share": 0.3,
    "answered_share": 0.7,
    "questions_per_10_active": 1.2,
    "askers": 4,
    "responders": 4,
}
"""The level-2 rule's thresholds (docs/maturity.md) with a margin, so every seed holds it."""


@dataclass(slots=True)
class _Window:
    asks: int = 0
    shares: int = 0
    answered: set[int] = field(default_factory=set)
    active: set[int] = field(default_factory=set)
    askers: set[int] = field(default_factory=set)
    responders: set[int] = field(default_factory=set)

    def clearly_level_2(self) -> bool:
        if not self.asks:
            return False
        per_10_active = self.asks / (WINDOW / SLICE) / max(1, len(self.active)) * 10
        return (
            self.asks / (self.asks + self.shares) >= LEVEL_2_MARGIN["question_share"]
            and len(self.answered) / self.asks >= LEVEL_2_MARGIN["answered_share"]
            and per_10_active >= LEVEL_2_MARGIN["questions_per_10_active"]
            and len(self.askers) >= LEVEL_2_MARGIN["askers"]
            and len(self.responders) >= LEVEL_2_MARGIN["responders"]
        )


class _Members:
    """A community's members in join order, for picking who could act at a given moment."""

    def __init__(self, joined: list[tuple[datetime, int]]) -> None:
        joined.sort()
        self.times = [t for t, _ in joined]
        self.people = [p for _, p in joined]

    def present(self, at: datetime) -> list[int]:
        return self.people[: bisect.bisect_right(self.times, at - timedelta(hours=1))]


class CommunityPlanner:
    def __init__(
        self,
        *,
        plan: DemoPlan,
        index: int,
        rng: random.Random,
        keys: itertools.count[int],
        seq: itertools.count[int],
    ) -> None:
        self.plan, self.index, self.rng, self.keys, self.seq = plan, index, rng, keys, seq
        self.spec = plan.communities[index]
        self.profile = PROFILES[self.spec.profile]
        self.bank = texts.BANKS[self.spec.practice_key]
        self.people = plan.people
        span = plan.end - plan.start
        self.created = plan.start + timedelta(hours=rng.randint(0, 240))
        self.limit = plan.end
        if self.spec.profile == "silent":
            self.limit = plan.end - max(SILENT_AT_LEAST, span * 0.35)
        self.events: list[Event] = []
        self.authors: dict[int, int] = {}
        self.voters: dict[int, set[int]] = {}
        self.titles: set[str] = set()
        self.coordinators: list[int] = []
        self.members = _Members([])

    # -- helpers --

    def emit(
        self,
        at: datetime,
        kind: EventKind,
        actor: int,
        *,
        key: int = -1,
        target: int = -1,
        title: str = "",
        body: str = "",
        tags: tuple[str, ...] = (),
        post_kind: str = "",
        choice: str = "",
        people: tuple[int, ...] = (),
        due: datetime | None = None,
    ) -> Event | None:
        """Add an act to the plan, unless it would fall after the community's last day."""
        if at > self.limit:
            return None
        event = Event(
            at=at,
            seq=next(self.seq),
            kind=kind,
            community=self.index,
            actor=actor,
            key=key,
            target=target,
            title=title,
            body=body,
            tags=tags,
            post_kind=post_kind,
            choice=choice,
            people=people,
            due=due,
        )
        self.events.append(event)
        return event

    def weight(self, person: int, role: str) -> float:
        spec = self.people[person]
        base = spec.activity * (1.5 if spec.practice == self.spec.practice_key else 1.0)
        if role == "ask":
            return float(base**0.6)
        if role == "answer":
            return base * (2.5 if spec.practice == self.spec.practice_key else 1.0)
        if role == "post":
            boost = 6.0 if person in self.coordinators else 1.0
            return float(base**1.5 * boost) if self.spec.profile == "broadcast" else base * boost
        return float(base**0.5)

    def fresh(
        self, templates: Sequence[TemplateT], author: int, fallback: Sequence[TemplateT] = ()
    ) -> tuple[TemplateT, dict[str, str], str]:
        """Return a template, its slot values and a title this community has not seen yet.

        Tries the fallback templates when the first choice is worn out, and repeats a title
        only when a few attempts find nothing new, as real forums do.
        """
        pools = [templates, fallback] if fallback else [templates]
        for pool, _ in itertools.product(pools, range(_TITLE_ATTEMPTS)):
            template = self.rng.choice(pool)
            values = {"site": self.people[author].site}
            title = fill(template.title, values, self.bank, self.rng)
            title = title[:1].upper() + title[1:]
            if title not in self.titles:
                break
        self.titles.add(title)
        return template, values, title

    def pick(self, at: datetime, role: str, exclude: set[int] | None = None) -> int | None:
        present = [p for p in self.members.present(at) if not exclude or p not in exclude]
        if not present:
            return None
        return self.rng.choices(present, weights=[self.weight(p, role) for p in present])[0]

    def progress(self, at: datetime) -> float:
        total = (self.limit - self.created).total_seconds() or 1.0
        return min(1.0, max(0.0, (at - self.created).total_seconds() / total))

    def multiplier(self, at: datetime) -> float:
        a, b = self.profile.trend
        return a + (b - a) * self.progress(at)

    # -- membership --

    def plan_members(self) -> None:
        rng, spec = self.rng, self.spec
        forced_founder = next(
            (i for i, login in enumerate(LOGINS) if spec.slug in login.founder_of), None
        )
        forced = [i for i, login in enumerate(LOGINS) if spec.slug in login.member_of]
        own = [p.index for p in self.people[len(LOGINS) :] if p.practice == spec.practice_key]
        founder = forced_founder
        if founder is None:
            founder = rng.choices(own, weights=[self.people[p].activity for p in own])[0]
        chosen: list[int] = []
        for candidate in self.people[len(LOGINS) :]:
            if candidate.index == founder:
                continue
            if candidate.practice == spec.practice_key:
                chance = 0.75 if spec.is_private else 0.8
            elif candidate.secondary == spec.practice_key:
                chance = 0.2 if spec.is_private else 0.45
            else:
                chance = spec.others_join
            if rng.random() < chance:
                chosen.append(candidate.index)
        spare = [p for p in own if p != founder and p not in chosen]
        rng.shuffle(spare)
        while len(chosen) < 8 and spare:
            chosen.append(spare.pop())
        extra = rng.randint(0, 2)
        candidates = [p for p in chosen if self.people[p].practice == spec.practice_key]
        coordinators = [founder, *rng.sample(candidates, min(extra, len(candidates)))]
        self.coordinators = coordinators
        self.plan.coordinators[spec.slug] = coordinators

        joined: list[tuple[datetime, int]] = [(self.created, founder)]
        self.emit(self.created, "create", founder)
        last_join = self.limit - timedelta(days=2)
        # Broadcast communities start with a launch campaign and hardly grow afterwards.
        launch_wave = 0.85 if spec.profile == "broadcast" else 0.55
        window = (last_join - self.created).total_seconds()
        for person in [*forced, *chosen]:
            if person == founder or any(p == person for _, p in joined):
                continue
            if person in coordinators or person < len(LOGINS):
                at = self.created + timedelta(hours=rng.uniform(1, 240))
            elif rng.random() < launch_wave:
                at = self.created + timedelta(hours=rng.uniform(12, 30 * 24))
            else:
                at = self.created + timedelta(seconds=rng.uniform(86400, max(86401, window)))
            at = min(at, last_join).replace(microsecond=0)
            if spec.is_private:
                invited = max(
                    self.created + timedelta(minutes=5), at - timedelta(hours=rng.uniform(1, 72))
                ).replace(microsecond=0)
                self.emit(invited, "invite", founder, target=person)
            self.emit(at, "join", person)
            joined.append((at, person))
            if person in coordinators:
                self.emit(at + timedelta(hours=1), "promote", founder, target=person)
        self.members = _Members(joined)

    # -- content --

    def slices(self) -> list[tuple[datetime, datetime]]:
        result: list[tuple[datetime, datetime]] = []
        end = self.plan.end
        while end > self.created:
            result.append((max(self.created, end - SLICE), end))
            end -= SLICE
        return [s for s in reversed(result) if s[0] < self.limit]

    def root_time(self, begin: datetime, end: datetime) -> datetime:
        span = (end - begin).total_seconds()
        moment = at_work(self.rng, begin + timedelta(seconds=self.rng.uniform(0, span)))
        if not begin <= moment < end:
            moment = (begin + timedelta(seconds=self.rng.uniform(0, span))).replace(microsecond=0)
        return moment

    def plan_content(self) -> None:
        rng, profile = self.rng, self.profile
        for number, (begin, end) in enumerate(self.slices()):
            middle = begin + (end - begin) / 2
            if self.spec.profile == "broadcast":
                # A few broadcasters drive it, whoever else joins: size by the final membership.
                present = len(self.members.people)
            else:
                present = len(self.members.present(middle))
            length = (end - begin) / SLICE
            scale = present * self.multiplier(middle) * length
            post_rate = max(profile.posts * present, profile.min_post_rate)
            post_mean = post_rate * self.multiplier(middle) * length
            posts = max(profile.min_posts, about(rng, post_mean))
            if profile.question_cap:
                low, high = profile.question_cap
                questions = math.floor(posts * rng.uniform(low, high))
            else:
                questions = about(rng, profile.questions * scale)
            if self.spec.profile == "agenda":
                self.agenda_post(number, begin, end)
            for _ in range(posts):
                self.post(self.root_time(begin, end))
            for _ in range(questions):
                self.question(self.root_time(begin, end))

    def agenda_post(self, number: int, begin: datetime, end: datetime) -> None:
        topics = self.bank.agenda_topics
        at = at_work(self.rng, begin + timedelta(days=self.rng.uniform(0.5, 3)))
        if at >= end:
            return
        topic = topics[number % len(topics)]
        values = {"topic": topic}
        present = set(self.members.present(at))
        hosts = [c for c in self.coordinators if c in present] or self.coordinators[:1]
        coordinator = hosts[number % len(hosts)]
        key = next(self.keys)
        posted = self.emit(
            at,
            "post",
            coordinator,
            key=key,
            post_kind="announcement",
            title=fill(texts.AGENDA_POST_TITLE, values, self.bank, self.rng),
            body=fill(texts.AGENDA_POST_BODY, values, self.bank, self.rng),
        )
        if posted:
            self.authors[key] = coordinator
            self.follow_post(key, at, coordinator, comments=2.0)

    def post(self, at: datetime) -> None:
        rng = self.rng
        author = self.pick(at, "post")
        if author is None:
            return
        kinds = self.profile.post_kinds
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        options = [t for t in self.bank.posts if t.kind == kind] or list(self.bank.posts)
        template, values, title = self.fresh(options, author, fallback=self.bank.posts)
        key = next(self.keys)
        posted = self.emit(
            at,
            "post",
            author,
            key=key,
            post_kind=template.kind,
            title=title,
            body=fill(template.body, values, self.bank, rng),
        )
        if posted:
            self.authors[key] = author
            self.follow_post(key, at, author, comments=self.profile.post_comments)

    def follow_post(self, key: int, at: datetime, author: int, *, comments: float) -> None:
        rng = self.rng
        bank = texts.BROADCAST_COMMENTS if self.spec.profile == "broadcast" else texts.POST_COMMENTS
        when = at
        for _ in range(poisson(rng, comments)):
            when += hours(rng, 8)
            commenter = self.pick(when, "comment", exclude={author})
            if commenter is None:
                break
            values = {"site": self.people[commenter].site, "name": self.people[author].first_name}
            self.emit(
                when,
                "comment",
                commenter,
                target=key,
                body=fill(rng.choice(bank), values, self.bank, rng),
            )
        self.votes(key, at, author, rng.randint(0, self.profile.votes[2]))

    def votes(self, key: int, at: datetime, author: int, count: int) -> None:
        voted = self.voters.setdefault(key, set())
        for _ in range(count):
            when = at + hours(self.rng, 20, 1.2)
            voter = self.pick(when, "vote", exclude={author, *voted})
            if voter is None:
                return
            if self.emit(when, "vote", voter, target=key):
                voted.add(voter)

    def question(
        self,
        at: datetime,
        *,
        asker: int | None = None,
        prompt: bool = False,
        new_responder: bool = False,
    ) -> None:
        """Plan a question and what follows it.

        A `prompt` question (from `top_up`) is answered within a day and draws no votes or
        comments; `new_responder` asks for someone who has not answered in the window yet.
        """
        rng, profile, bank = self.rng, self.profile, self.bank
        asker = asker if asker is not None else self.pick(at, "ask")
        if asker is None:
            return
        template, values, title = self.fresh(bank.questions, asker)
        body = paragraphs(
            sentence(
                fill(rng.choice(texts.QUESTION_OPENERS), values, bank, rng),
                fill(template.body, values, bank, rng),
            ),
            fill(rng.choice(texts.QUESTION_CLOSERS), values, bank, rng),
        )
        key = next(self.keys)
        if not self.emit(at, "ask", asker, key=key, title=title, body=body, tags=template.tags):
            return
        self.authors[key] = asker
        if not prompt:
            self.question_comments(key, at, asker)
            self.votes(key, at, asker, rng.randint(0, profile.votes[0]))
            if rng.random() >= profile.answered:
                return
        if not prompt and rng.random() < profile.late:
            when = at + timedelta(hours=rng.uniform(7 * 24 + 2, 20 * 24))
        else:
            soon = timedelta(hours=20) if prompt else timedelta(days=6)
            when = at + min(hours(rng, profile.first_answer_hours), soon)
        second, third = profile.more_answers
        count = 1 if prompt else 1 + (rng.random() < second) + (rng.random() < third)
        skip = self.window().responders if new_responder else set()
        unused = list(template.answers)
        rng.shuffle(unused)
        answers: list[tuple[int, datetime, int]] = []
        answered_by: set[int] = {asker}
        for number in range(count):
            if number:
                when += hours(rng, 10)
            responder = self.pick(when, "answer", exclude=answered_by | skip)
            if responder is None:
                responder = self.pick(when, "answer", exclude=answered_by)
            if responder is None:
                break
            answer_values = {**values, "site": self.people[responder].site}
            specific = unused.pop() if unused else ""
            advice = rng.choice(bank.advice) if (not specific or rng.random() < 0.35) else ""
            text = paragraphs(
                sentence(
                    fill(rng.choice(texts.ANSWER_OPENERS), answer_values, bank, rng),
                    fill(specific, answer_values, bank, rng),
                ),
                fill(advice, answer_values, bank, rng),
                fill(rng.choice(texts.ANSWER_CLOSERS), answer_values, bank, rng),
            )
            answer_key = next(self.keys)
            if not self.emit(when, "answer", responder, key=answer_key, target=key, body=text):
                break
            self.authors[answer_key] = responder
            answered_by.add(responder)
            answers.append((answer_key, when, responder))
            if not prompt:
                self.answer_follow_up(answer_key, when, responder, asker)
        if answers and rng.random() < profile.accept:
            chosen = answers[0] if rng.random() < 0.6 else rng.choice(answers)
            self.emit(chosen[1] + hours(rng, 20), "accept", asker, target=chosen[0])

    def window(self) -> _Window:
        """Return the last 90 days' question figures, as the maturity model will read them."""
        start = self.plan.end - WINDOW
        result = _Window()
        asks: dict[int, Event] = {}
        for event in self.events:
            if event.at < start or event.kind in QUIET_KINDS:
                continue
            if event.kind == "attendance":  # each person present attended: an Activity each
                result.active.update(event.people)
            result.active.add(event.actor)
            if event.kind == "ask":
                asks[event.key] = event
                result.askers.add(event.actor)
            elif event.kind == "post":
                result.shares += 1
            elif event.kind == "answer" and event.target in asks:
                asked = asks[event.target]
                if event.actor != asked.actor and event.at - asked.at <= timedelta(days=7):
                    result.answered.add(event.target)
                    result.responders.add(event.actor)
        result.asks = len(asks)
        return result

    def top_up(self) -> None:
        """Add promptly answered questions until the window clearly shows level 2.

        Small or unlucky runs can fall just short of a level-2 criterion; the community is meant
        to sit at level 2, so the plan makes sure it does, with a margin.
        """
        if self.spec.profile not in ("questions", "agenda", "private"):
            return
        begin = max(self.plan.end - WINDOW, self.created + timedelta(days=1))
        end = self.plan.end - timedelta(days=1)
        for _ in range(500):
            window = self.window()
            if window.clearly_level_2():
                return
            at = self.root_time(begin, end)
            asker = None
            if len(window.askers) < LEVEL_2_MARGIN["askers"]:
                asker = self.pick(at, "ask", exclude=window.askers)
            self.question(
                at,
                asker=asker,
                prompt=True,
                new_responder=len(window.responders) < LEVEL_2_MARGIN["responders"],
            )

    def question_comments(self, key: int, at: datetime, asker: int) -> None:
        rng = self.rng
        when = at
        for _ in range(weighted_count(rng, self.profile.question_comments)):
            when += hours(rng, 3)
            commenter = self.pick(when, "comment", exclude={asker})
            if commenter is None:
                return
            values = {"site": self.people[commenter].site}
            pool = self.bank.clarifications if rng.random() < 0.8 else texts.FOLLOWING
            if not self.emit(
                when,
                "comment",
                commenter,
                target=key,
                body=fill(rng.choice(pool), values, self.bank, rng),
            ):
                return
            if rng.random() < 0.5:
                when += hours(rng, 2)
                self.emit(
                    when,
                    "comment",
                    asker,
                    target=key,
                    body=fill(rng.choice(texts.ASKER_REPLIES), {}, self.bank, rng),
                )

    def answer_follow_up(self, key: int, at: datetime, responder: int, asker: int) -> None:
        rng = self.rng
        name = self.people[responder].first_name
        if rng.random() < 0.3:
            values = {"site": self.people[asker].site, "name": name}
            self.emit(
                at + hours(rng, 5),
                "comment",
                asker,
                target=key,
                body=fill(rng.choice(texts.THANKS), values, self.bank, rng),
            )
        if rng.random() < 0.1:
            when = at + hours(rng, 12)
            other = self.pick(when, "comment", exclude={asker, responder})
            if other is not None:
                values = {"site": self.people[other].site, "name": name}
                self.emit(
                    when,
                    "comment",
                    other,
                    target=key,
                    body=fill(rng.choice(texts.AGREEMENTS), values, self.bank, rng),
                )
        self.votes(key, at, responder, rng.randint(0, self.profile.votes[1]))
