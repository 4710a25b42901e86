"""Plan the demo organisation: who exists, which communities, and every act in time order.

Pure Python and deterministic: one `random.Random(seed)` decides everything, and the only time
that matters is the end date passed in. `services.demo_organisation_create` then replays the plan
through the real services, so every act records its Activity exactly as a person's would.

Each community follows a profile chosen to land it at a maturity level (docs: MATURITY.md):
silent (level 0), broadcast-heavy and fading (level 1), question-rich (level 2), and one
question-rich community that runs a monthly topic agenda (level 3 once agenda data exists).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from . import texts
from .people import BIO_TEMPLATES, FIRST_NAMES, LAST_NAMES, PRACTICES, SITES

ProfileName = Literal["silent", "broadcast", "questions", "agenda", "private"]
EventKind = Literal[
    "create", "invite", "join", "promote", "post", "ask", "answer", "accept", "comment", "vote"
]

EMAIL_DOMAIN = "demo.example.com"
MIN_PEOPLE = 40
SLICE = timedelta(days=30)
SILENT_AT_LEAST = timedelta(days=150)
"""The silent community stops at least this long before the end (more than four months)."""


@dataclass(frozen=True, slots=True)
class Login:
    """A demo account with a fixed password, printed at the end so people can log in."""

    username: str
    password: str
    display_name: str
    title: str
    practice: str
    secondary: str
    site: int
    what: str
    is_km_lead: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    activity: float = 4.0
    member_of: tuple[str, ...] = ()
    founder_of: tuple[str, ...] = ()


LOGINS: tuple[Login, ...] = (
    Login(
        "demo", "demo-password-1", "Sam Rivera", "Reliability Engineer", "mechanical", "data", 0,
        "a member of five communities, including the private Safety Incident Reviews",
        activity=6.0,
        member_of=(
            "mechanical-reliability", "data-analytics", "workplace-it", "safety-incident-reviews",
            "quality-engineering",
        ),
    ),
    Login(
        "coordinator", "coordinator-password-1", "Ingrid Halvorsen", "Maintenance Supervisor",
        "mechanical", "electrical", 5,
        "coordinates Mechanical Reliability (a question-rich, level-2 community)",
        activity=8.0, member_of=("electrical-instrumentation",),
        founder_of=("mechanical-reliability",),
    ),
    Login(
        "kmlead", "kmlead-password-1", "Amani Mwangi", "Knowledge Management Lead", "lean",
        "quality", 6, "the knowledge-management lead (sees every community's portfolio)",
        is_km_lead=True, activity=2.0,
        member_of=("quality-engineering", "continuous-improvement", "supply-chain-inventory"),
    ),
    Login(
        "admin", "admin-password-1", "Robin Clarke", "Collaboration Platform Administrator", "it",
        "data", 3, "staff and superuser (Django admin at /admin/)",
        is_staff=True, is_superuser=True, activity=3.0, founder_of=("workplace-it",),
    ),
)


@dataclass(frozen=True, slots=True)
class CommunitySpec:
    slug: str
    name: str
    practice_key: str
    practice: str
    description: str
    profile: ProfileName
    intent: str
    """The maturity level the community is built to show, in words."""
    others_join: float
    """Chance that someone from an unrelated practice joins."""

    @property
    def is_private(self) -> bool:
        return self.profile == "private"


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        "mechanical-reliability", "Mechanical Reliability", "mechanical",
        "mechanical engineering and reliability",
        "Pumps, bearings, seals, alignment and vibration: ask the people who keep the rotating "
        "equipment at every site turning. No question is too basic.",
        "questions", "level 2: question-rich", 0.05,
    ),
    CommunitySpec(
        "electrical-instrumentation", "Electrical & Instrumentation", "electrical",
        "electrical engineering and instrumentation",
        "Motors, drives, calibration, panels and loops. Share what you measured, ask what you "
        "couldn't explain.",
        "questions", "level 2: question-rich", 0.04,
    ),
    CommunitySpec(
        "data-analytics", "Data & Analytics", "data", "operations data and analytics",
        "For everyone who turns plant data into decisions: SQL, Power BI, Python, historians and "
        "the metrics we run the business on.",
        "questions", "level 2: question-rich", 0.08,
    ),
    CommunitySpec(
        "quality-engineering", "Quality Engineering", "quality", "quality engineering",
        "SPC, measurement systems, FMEA, 8D and audits. We run a monthly topic agenda: each "
        "month the community picks one topic, collects questions and examples here, meets for a "
        "working session and publishes the outcome as a best practice.",
        "agenda", "level 2 now; runs a monthly topic agenda (level 3 once agenda data exists)",
        0.05,
    ),
    CommunitySpec(
        "safety-incident-reviews", "Safety Incident Reviews", "safety", "health and safety",
        "A private space for HSE advisors and site safety leads to review incidents and near "
        "misses openly, before the formal reports. Membership is by invitation.",
        "private", "level 2: question-rich, private", 0.0,
    ),
    CommunitySpec(
        "workplace-it", "Workplace IT", "it", "workplace IT",
        "News from IT Services: rollouts, maintenance windows, security reminders and tips.",
        "broadcast", "level 1: broadcast-heavy and fading", 0.2,
    ),
    CommunitySpec(
        "supply-chain-inventory", "Supply Chain & Inventory", "supply",
        "supply chain and inventory management",
        "Stories and news from purchasing, stores and logistics across our sites.",
        "broadcast", "level 1: broadcast-heavy and fading", 0.05,
    ),
    CommunitySpec(
        "continuous-improvement", "Continuous Improvement Network", "lean",
        "lean and continuous improvement",
        "Kaizen, 5S, SMED and value stream mapping: share what you improved and how.",
        "silent", "level 0: gone silent", 0.04,
    ),
)
DEMO_SLUGS: tuple[str, ...] = tuple(c.slug for c in COMMUNITIES)


@dataclass(frozen=True, slots=True)
class Profile:
    """How a community behaves, per member present and per 30 days."""

    questions: float
    posts: float
    trend: tuple[float, float]
    """Activity multiplier at the start and at the end of the history."""
    answered: float
    late: float
    """Chance that the first answer comes after more than seven days."""
    first_answer_hours: float
    more_answers: tuple[float, float]
    accept: float
    question_comments: tuple[int, int, int, int]
    post_comments: float
    votes: tuple[int, int, int]
    """The most up-votes a question, an answer and a post get."""
    post_kinds: Mapping[str, float]
    min_posts: int = 0
    question_cap: tuple[float, float] | None = None
    """For broadcast communities: questions per post drawn from this range, at most."""


_LEARNING_KINDS = {"tip": 0.35, "article": 0.25, "story": 0.2, "announcement": 0.2}
_QUESTIONS = Profile(
    questions=0.16, posts=0.05, trend=(0.85, 1.15), answered=0.92, late=0.05,
    first_answer_hours=4.0, more_answers=(0.5, 0.2), accept=0.65,
    question_comments=(45, 35, 15, 5), post_comments=1.0, votes=(3, 4, 4),
    post_kinds=_LEARNING_KINDS,
)
PROFILES: Mapping[ProfileName, Profile] = {
    "questions": _QUESTIONS,
    "agenda": _QUESTIONS,
    "private": Profile(
        questions=0.2, posts=0.06, trend=(0.9, 1.1), answered=0.94, late=0.04,
        first_answer_hours=5.0, more_answers=(0.55, 0.2), accept=0.6,
        question_comments=(35, 40, 20, 5), post_comments=1.2, votes=(2, 3, 3),
        post_kinds={"story": 0.45, "article": 0.2, "tip": 0.15, "announcement": 0.2},
    ),
    "broadcast": Profile(
        questions=0.0, posts=0.13, trend=(1.5, 0.35), answered=0.4, late=0.35,
        first_answer_hours=60.0, more_answers=(0.15, 0.0), accept=0.2,
        question_comments=(70, 25, 5, 0), post_comments=0.3, votes=(1, 1, 3),
        post_kinds={"announcement": 0.35, "story": 0.35, "article": 0.2, "tip": 0.1},
        min_posts=2, question_cap=(0.04, 0.18),
    ),
    "silent": Profile(
        questions=0.07, posts=0.07, trend=(1.0, 0.6), answered=0.55, late=0.3,
        first_answer_hours=30.0, more_answers=(0.2, 0.0), accept=0.3,
        question_comments=(60, 30, 10, 0), post_comments=0.4, votes=(1, 1, 2),
        post_kinds={"story": 0.3, "announcement": 0.3, "tip": 0.2, "article": 0.2},
    ),
}


@dataclass(slots=True)
class PersonSpec:
    index: int
    username: str
    first_name: str
    last_name: str
    display_name: str
    email: str
    title: str
    department: str
    location: str
    site: str
    bio: str
    expertise: tuple[str, ...]
    practice: str
    secondary: str
    activity: float
    date_joined: datetime
    password: str | None = None
    is_km_lead: bool = False
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """One act to replay through a service; `key` names content later acts point at."""

    at: datetime
    seq: int
    kind: EventKind
    community: int
    actor: int
    key: int = -1
    target: int = -1
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    post_kind: str = ""


@dataclass(slots=True)
class DemoPlan:
    seed: int
    start: datetime
    end: datetime
    people: list[PersonSpec]
    communities: tuple[CommunitySpec, ...]
    events: list[Event] = field(default_factory=list)
    coordinators: dict[str, list[int]] = field(default_factory=dict)


_SLOT = re.compile(r"\{(\w+)\}")
_ASCII = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "'": "", " ": ""})


def ascii_slug(text: str) -> str:
    """Return a lower-case ASCII form of a name for usernames and e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode())


def fill(template: str, values: dict[str, str], bank: texts.Bank, rng: random.Random) -> str:
    """Fill `{slot}`s, choosing each missing value once so a text stays consistent."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            options = bank.slots.get(name) or texts.SHARED_SLOTS.get(name)
            if not options:
                raise KeyError(f"no values for slot {{{name}}} in {template!r}")
            values[name] = rng.choice(options)
        return values[name]

    return _SLOT.sub(value, template)


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _sentence(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _weighted_count(rng: random.Random, weights: Sequence[int]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count (Knuth's method; means here are small)."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _at_work(rng: random.Random, moment: datetime) -> datetime:
    """Move a moment to working hours on a weekday most of the time, as people post at work."""
    if moment.weekday() >= 5 and rng.random() < 0.8:
        moment += timedelta(days=7 - moment.weekday())
    if rng.random() < 0.85:
        moment = moment.replace(hour=rng.randint(7, 17), minute=rng.randint(0, 59))
    return moment.replace(second=0, microsecond=0)


def _hours(rng: random.Random, median: float, sigma: float = 1.1) -> timedelta:
    return timedelta(minutes=max(10, round(rng.lognormvariate(math.log(median * 60), sigma))))


# -- people -----------------------------------------------------------------------------------


def _allocate(n: int, rng: random.Random) -> list[str]:
    """Return n practices in proportion to their shares, shuffled."""
    keys = list(PRACTICES)
    counts = {k: int(PRACTICES[k].share * n) for k in keys}
    by_remainder = sorted(keys, key=lambda k: PRACTICES[k].share * n - counts[k], reverse=True)
    for k in by_remainder[: n - sum(counts.values())]:
        counts[k] += 1
    result = [k for k in keys for _ in range(counts[k])]
    rng.shuffle(result)
    return result


def _bio(rng: random.Random, title: str, city: str, practice: str, skills: Sequence[str]) -> str:
    return rng.choice(BIO_TEMPLATES).format(
        title=title, city=city, years=rng.randint(2, 28), field=PRACTICES[practice].field,
        skill_a=skills[0].lower(), skill_b=skills[-1].lower(),
    )


def _expertise(rng: random.Random, practice: str, secondary: str) -> tuple[str, ...]:
    own = rng.sample(PRACTICES[practice].expertise, rng.randint(2, 4))
    other = rng.sample(PRACTICES[secondary].expertise, rng.randint(0, 1))
    return tuple(own + other)


def plan_people(rng: random.Random, count: int, start: datetime) -> list[PersonSpec]:
    """Return the logins followed by generated colleagues, `count` people in all."""
    people: list[PersonSpec] = []
    taken: set[str] = set()
    for login in LOGINS:
        city, location = SITES[login.site]
        first, last = login.display_name.split(" ", 1)
        skills = _expertise(rng, login.practice, login.secondary)
        people.append(
            PersonSpec(
                index=len(people), username=login.username, first_name=first, last_name=last,
                display_name=login.display_name, email=f"{login.username}@{EMAIL_DOMAIN}",
                title=login.title, department=PRACTICES[login.practice].department,
                location=location, site=city,
                bio=_bio(rng, login.title, city, login.practice, skills), expertise=skills,
                practice=login.practice, secondary=login.secondary, activity=login.activity,
                date_joined=start - timedelta(days=rng.randint(30, 900)),
                password=login.password, is_km_lead=login.is_km_lead, is_staff=login.is_staff,
                is_superuser=login.is_superuser,
            )
        )
        taken.add(login.username)
    names_used: set[tuple[str, str]] = set()
    for practice in _allocate(count - len(LOGINS), rng):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if (first, last) not in names_used:
                names_used.add((first, last))
                break
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        username = base
        for n in itertools.count(2):
            if username not in taken:
                break
            username = f"{base}{n}"
        taken.add(username)
        secondary = rng.choice([k for k in PRACTICES if k != practice])
        city, location = rng.choice(SITES)
        title = rng.choice(PRACTICES[practice].titles)
        skills = _expertise(rng, practice, secondary)
        people.append(
            PersonSpec(
                index=len(people), username=username, first_name=first, last_name=last,
                display_name=f"{first} {last}", email=f"{username}@{EMAIL_DOMAIN}", title=title,
                department=PRACTICES[practice].department, location=location, site=city,
                bio=_bio(rng, title, city, practice, skills), expertise=skills,
                practice=practice, secondary=secondary,
                activity=min(rng.paretovariate(1.3), 12.0),
                date_joined=start - timedelta(days=rng.randint(1, 1500)),
            )
        )
    return people


# -- communities ------------------------------------------------------------------------------


class _Members:
    """A community's members in join order, for picking who could act at a given moment."""

    def __init__(self, joined: list[tuple[datetime, int]]) -> None:
        joined.sort()
        self.times = [t for t, _ in joined]
        self.people = [p for _, p in joined]

    def present(self, at: datetime) -> list[int]:
        return self.people[: bisect.bisect_right(self.times, at - timedelta(hours=1))]


class _CommunityPlanner:
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

    # -- helpers --

    def emit(self, at: datetime, kind: EventKind, actor: int, **fields: object) -> Event | None:
        if at > self.limit:
            return None
        event = Event(at=at, seq=next(self.seq), kind=kind, community=self.index, actor=actor,
                      **fields)  # type: ignore[arg-type]
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
        own = [p.index for p in self.people[len(LOGINS):] if p.practice == spec.practice_key]
        founder = forced_founder
        if founder is None:
            founder = rng.choices(own, weights=[self.people[p].activity for p in own])[0]
        chosen: list[int] = []
        for person in self.people[len(LOGINS):]:
            if person.index == founder:
                continue
            if person.practice == spec.practice_key:
                chance = 0.75 if spec.is_private else 0.8
            elif person.secondary == spec.practice_key:
                chance = 0.2 if spec.is_private else 0.45
            else:
                chance = spec.others_join
            if rng.random() < chance:
                chosen.append(person.index)
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
        window = (last_join - self.created).total_seconds()
        for person in [*forced, *chosen]:
            if person == founder or any(p == person for _, p in joined):
                continue
            if person in coordinators or person < len(LOGINS):
                at = self.created + timedelta(hours=rng.uniform(1, 240))
            elif rng.random() < 0.55:
                at = self.created + timedelta(hours=rng.uniform(12, 45 * 24))
            else:
                at = self.created + timedelta(seconds=rng.uniform(86400, max(86401, window)))
            at = min(at, last_join).replace(microsecond=0)
            if spec.is_private:
                invited = max(self.created + timedelta(minutes=5),
                              at - timedelta(hours=rng.uniform(1, 72))).replace(microsecond=0)
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
        moment = _at_work(self.rng, begin + timedelta(seconds=self.rng.uniform(0, span)))
        if not begin <= moment < end:
            moment = (begin + timedelta(seconds=self.rng.uniform(0, span))).replace(microsecond=0)
        return moment

    def plan_content(self) -> None:
        rng, profile = self.rng, self.profile
        for number, (begin, end) in enumerate(self.slices()):
            middle = begin + (end - begin) / 2
            present = len(self.members.present(middle))
            scale = present * self.multiplier(middle) * (end - begin) / SLICE
            posts = max(profile.min_posts, _poisson(rng, profile.posts * scale))
            if profile.question_cap:
                low, high = profile.question_cap
                questions = math.floor(posts * rng.uniform(low, high))
            else:
                questions = _poisson(rng, profile.questions * scale)
            if self.spec.profile == "agenda":
                self.agenda_post(number, begin, end)
            for _ in range(posts):
                self.post(self.root_time(begin, end))
            for _ in range(questions):
                self.question(self.root_time(begin, end))

    def agenda_post(self, number: int, begin: datetime, end: datetime) -> None:
        topics = self.bank.agenda_topics
        at = _at_work(self.rng, begin + timedelta(days=self.rng.uniform(0.5, 3)))
        if at >= end:
            return
        topic = topics[number % len(topics)]
        values = {"topic": topic}
        coordinator = self.coordinators[number % len(self.coordinators)]
        key = next(self.keys)
        posted = self.emit(
            at, "post", coordinator, key=key, post_kind="announcement",
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
        template = rng.choice(options)
        values = {"site": self.people[author].site}
        key = next(self.keys)
        posted = self.emit(
            at, "post", author, key=key, post_kind=template.kind,
            title=fill(template.title, values, self.bank, rng),
            body=fill(template.body, values, self.bank, rng),
        )
        if posted:
            self.authors[key] = author
            self.follow_post(key, at, author, comments=self.profile.post_comments)

    def follow_post(self, key: int, at: datetime, author: int, *, comments: float) -> None:
        rng = self.rng
        bank = (
            texts.BROADCAST_COMMENTS if self.spec.profile == "broadcast" else texts.POST_COMMENTS
        )
        when = at
        for _ in range(_poisson(rng, comments)):
            when += _hours(rng, 8)
            commenter = self.pick(when, "comment", exclude={author})
            if commenter is None:
                break
            values = {"site": self.people[commenter].site,
                      "name": self.people[author].first_name}
            self.emit(when, "comment", commenter, target=key,
                      body=fill(rng.choice(bank), values, self.bank, rng))
        self.votes(key, at, author, rng.randint(0, self.profile.votes[2]))

    def votes(self, key: int, at: datetime, author: int, count: int) -> None:
        voted = self.voters.setdefault(key, set())
        for _ in range(count):
            when = at + _hours(self.rng, 20, 1.2)
            voter = self.pick(when, "vote", exclude={author, *voted})
            if voter is None:
                return
            if self.emit(when, "vote", voter, target=key):
                voted.add(voter)

    def question(self, at: datetime) -> None:
        rng, profile, bank = self.rng, self.profile, self.bank
        asker = self.pick(at, "ask")
        if asker is None:
            return
        template = rng.choice(bank.questions)
        values = {"site": self.people[asker].site}
        title = fill(template.title, values, bank, rng)
        body = _paragraphs(
            _sentence(fill(rng.choice(texts.QUESTION_OPENERS), values, bank, rng),
                      fill(template.body, values, bank, rng)),
            fill(rng.choice(texts.QUESTION_CLOSERS), values, bank, rng),
        )
        key = next(self.keys)
        if not self.emit(at, "ask", asker, key=key, title=title, body=body, tags=template.tags):
            return
        self.authors[key] = asker
        self.question_comments(key, at, asker)
        self.votes(key, at, asker, rng.randint(0, profile.votes[0]))
        if rng.random() >= profile.answered:
            return
        if rng.random() < profile.late:
            when = at + timedelta(hours=rng.uniform(7 * 24 + 2, 20 * 24))
        else:
            when = at + min(_hours(rng, profile.first_answer_hours), timedelta(days=6))
        count = 1 + (rng.random() < profile.more_answers[0]) + (rng.random() < profile.more_answers[1])
        unused = list(template.answers)
        rng.shuffle(unused)
        answers: list[tuple[int, datetime, int]] = []
        answered_by: set[int] = {asker}
        for number in range(count):
            if number:
                when += _hours(rng, 10)
            responder = self.pick(when, "answer", exclude=answered_by)
            if responder is None:
                break
            answer_values = {**values, "site": self.people[responder].site}
            specific = unused.pop() if unused else ""
            advice = rng.choice(bank.advice) if (not specific or rng.random() < 0.35) else ""
            text = _paragraphs(
                _sentence(fill(rng.choice(texts.ANSWER_OPENERS), answer_values, bank, rng),
                          fill(specific, answer_values, bank, rng)),
                fill(advice, answer_values, bank, rng),
                fill(rng.choice(texts.ANSWER_CLOSERS), answer_values, bank, rng),
            )
            answer_key = next(self.keys)
            if not self.emit(when, "answer", responder, key=answer_key, target=key, body=text):
                break
            self.authors[answer_key] = responder
            answered_by.add(responder)
            answers.append((answer_key, when, responder))
            self.answer_follow_up(answer_key, when, responder, asker)
        if answers and rng.random() < profile.accept:
            chosen = answers[0] if rng.random() < 0.6 else rng.choice(answers)
            self.emit(chosen[1] + _hours(rng, 20), "accept", asker, target=chosen[0])

    def question_comments(self, key: int, at: datetime, asker: int) -> None:
        rng = self.rng
        when = at
        for _ in range(_weighted_count(rng, self.profile.question_comments)):
            when += _hours(rng, 3)
            commenter = self.pick(when, "comment", exclude={asker})
            if commenter is None:
                return
            values = {"site": self.people[commenter].site}
            pool = self.bank.clarifications if rng.random() < 0.8 else texts.FOLLOWING
            if not self.emit(when, "comment", commenter, target=key,
                             body=fill(rng.choice(pool), values, self.bank, rng)):
                return
            if rng.random() < 0.5:
                when += _hours(rng, 2)
                self.emit(when, "comment", asker, target=key,
                          body=fill(rng.choice(texts.ASKER_REPLIES), {}, self.bank, rng))

    def answer_follow_up(self, key: int, at: datetime, responder: int, asker: int) -> None:
        rng = self.rng
        name = self.people[responder].first_name
        if rng.random() < 0.3:
            values = {"site": self.people[asker].site, "name": name}
            self.emit(at + _hours(rng, 5), "comment", asker, target=key,
                      body=fill(rng.choice(texts.THANKS), values, self.bank, rng))
        if rng.random() < 0.1:
            when = at + _hours(rng, 12)
            other = self.pick(when, "comment", exclude={asker, responder})
            if other is not None:
                values = {"site": self.people[other].site, "name": name}
                self.emit(when, "comment", other, target=key,
                          body=fill(rng.choice(texts.AGREEMENTS), values, self.bank, rng))
        self.votes(key, at, responder, rng.randint(0, self.profile.votes[1]))


def build_plan(*, seed: int, end: datetime, people: int = 300, months: int = 18) -> DemoPlan:
    """Return the whole demo organisation as a deterministic plan ending at `end`."""
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be timezone-aware")
    if people < MIN_PEOPLE:
        raise ValueError(f"the demo needs at least {MIN_PEOPLE} people (got {people})")
    if not 6 <= months <= 60:
        raise ValueError(f"history must be 6 to 60 months long (got {months})")
    rng = random.Random(seed)
    end = end.replace(microsecond=0)
    start = end - timedelta(days=round(months * 30.44))
    plan = DemoPlan(seed=seed, start=start, end=end, people=plan_people(rng, people, start),
                    communities=COMMUNITIES)
    keys, seq = itertools.count(1), itertools.count(1)
    for index in range(len(COMMUNITIES)):
        planner = _CommunityPlanner(
            plan=plan, index=index, rng=random.Random(rng.getrandbits(64)), keys=keys, seq=seq
        )
        planner.plan_members()
        planner.plan_content()
        plan.events.extend(sorted(planner.events, key=lambda e: (e.at, e.seq)))
    return plan
