"""Plan the demo organisation: who exists, which communities, and every act in time order.

Pure Python and deterministic: one `random.Random(seed)` decides everything, and the only time
that matters is the end date passed in. `services.demo_organisation_create` then replays the plan
through the real services, so every act records its Activity exactly as a person's would.

Each community follows a profile chosen to land it at a maturity level (docs: MATURITY.md):
silent (level 0), broadcast-heavy and fading (level 1), question-rich (level 2), and one
question-rich community that runs a monthly topic agenda and co-writes best practices (level 3).
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
from typing import Literal, TypeVar

from . import texts
from .people import BIO_TEMPLATES, FIRST_NAMES, LAST_NAMES, PRACTICES, SITES

ProfileName = Literal["silent", "broadcast", "questions", "agenda", "private"]
EventKind = Literal[
    "create",
    "invite",
    "join",
    "promote",
    "post",
    "ask",
    "answer",
    "accept",
    "comment",
    "vote",
    # the relationship steps (together.py)
    "gathering",
    "rsvp",
    "attendance",
    "notes",
    "coffee_optin",
    "coffee_round",
    "propose",
    "stance",
    "close",
    "action",
    "done",
    "kudos",
    # the topic agenda and crowdsourcing (together.py)
    "topic",
    "prioritise",
    "schedule",
    "revise",
    "review_request",
    "approve",
    "publish",
    "help_request",
    "help",
    "thanks",
]

TemplateT = TypeVar("TemplateT", texts.QuestionTemplate, texts.PostTemplate)

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
        username="demo",
        password="demo-password-1",
        display_name="Sam Rivera",
        title="Reliability Engineer",
        practice="mechanical",
        secondary="data",
        site=0,
        what="a member of five communities, including the private Safety Incident Reviews",
        activity=6.0,
        member_of=(
            "mechanical-reliability",
            "data-analytics",
            "workplace-it",
            "safety-incident-reviews",
            "quality-engineering",
        ),
    ),
    Login(
        username="coordinator",
        password="coordinator-password-1",
        display_name="Ingrid Halvorsen",
        title="Maintenance Supervisor",
        practice="mechanical",
        secondary="electrical",
        site=5,
        what="coordinates Mechanical Reliability (a question-rich, level-2 community)",
        activity=8.0,
        member_of=("electrical-instrumentation",),
        founder_of=("mechanical-reliability",),
    ),
    Login(
        username="kmlead",
        password="kmlead-password-1",
        display_name="Amani Mwangi",
        title="Knowledge Management Lead",
        practice="lean",
        secondary="quality",
        site=6,
        what="the knowledge-management lead (sees every community's portfolio)",
        is_km_lead=True,
        activity=2.0,
        member_of=("quality-engineering", "continuous-improvement", "supply-chain-inventory"),
    ),
    Login(
        username="admin",
        password="admin-password-1",
        display_name="Robin Clarke",
        title="Collaboration Platform Administrator",
        practice="it",
        secondary="data",
        site=3,
        what="staff and superuser (Django admin at /admin/)",
        is_staff=True,
        is_superuser=True,
        activity=3.0,
        founder_of=("workplace-it",),
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
    """The maturity level the community is built to show, with a few words why."""
    others_join: float
    """Chance that someone from an unrelated practice joins."""

    @property
    def is_private(self) -> bool:
        return self.profile == "private"


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        slug="mechanical-reliability",
        name="Mechanical Reliability",
        practice_key="mechanical",
        practice="mechanical engineering and reliability",
        description=(
            "Pumps, bearings, seals, alignment and vibration: ask the people who keep the rotating "
            "equipment at every site turning. No question is too basic."
        ),
        profile="questions",
        intent="2 question-rich",
        others_join=0.05,
    ),
    CommunitySpec(
        slug="electrical-instrumentation",
        name="Electrical & Instrumentation",
        practice_key="electrical",
        practice="electrical engineering and instrumentation",
        description=(
            "Motors, drives, calibration, panels and loops. Share what you measured, ask what you "
            "couldn't explain."
        ),
        profile="questions",
        intent="2 question-rich",
        others_join=0.04,
    ),
    CommunitySpec(
        slug="data-analytics",
        name="Data & Analytics",
        practice_key="data",
        practice="operations data and analytics",
        description=(
            "For everyone who turns plant data into decisions: SQL, Power BI, Python, "
            "historians and the metrics we run the business on."
        ),
        profile="questions",
        intent="2 question-rich",
        others_join=0.08,
    ),
    CommunitySpec(
        slug="quality-engineering",
        name="Quality Engineering",
        practice_key="quality",
        practice="quality engineering",
        description=(
            "SPC, measurement systems, FMEA, 8D and audits. We run a monthly topic agenda: each "
            "month the community picks one topic, collects questions and examples here, meets "
            "for a working session and publishes the outcome as a best practice."
        ),
        profile="agenda",
        intent="3 runs a topic agenda and writes best practices together",
        others_join=0.05,
    ),
    CommunitySpec(
        slug="safety-incident-reviews",
        name="Safety Incident Reviews",
        practice_key="safety",
        practice="health and safety",
        description=(
            "A private space for HSE advisors and site safety leads to review incidents and near "
            "misses openly, before the formal reports. Membership is by invitation."
        ),
        profile="private",
        intent="2 question-rich, private",
        others_join=0.0,
    ),
    CommunitySpec(
        slug="workplace-it",
        name="Workplace IT",
        practice_key="it",
        practice="workplace IT",
        description=(
            "News from IT Services: rollouts, maintenance windows, security reminders and tips."
        ),
        profile="broadcast",
        intent="1 broadcast-heavy, fading",
        others_join=0.2,
    ),
    CommunitySpec(
        slug="supply-chain-inventory",
        name="Supply Chain & Inventory",
        practice_key="supply",
        practice="supply chain and inventory management",
        description="Stories and news from purchasing, stores and logistics across our sites.",
        profile="broadcast",
        intent="1 broadcast-heavy, fading",
        others_join=0.05,
    ),
    CommunitySpec(
        slug="continuous-improvement",
        name="Continuous Improvement Network",
        practice_key="lean",
        practice="lean and continuous improvement",
        description="Kaizen, 5S, SMED and value stream mapping: share what you improved and how.",
        profile="silent",
        intent="0 gone silent",
        others_join=0.04,
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
    """Posts in every 30 days, however quiet (keeps a fading community from going silent)."""
    min_post_rate: float = 0.0
    """Posts per 30 days at full intensity, however small the community."""
    question_cap: tuple[float, float] | None = None
    """For broadcast communities: questions per post drawn from this range, at most."""


_LEARNING_KINDS = {"tip": 0.35, "article": 0.25, "story": 0.2, "announcement": 0.2}
_QUESTIONS = Profile(
    questions=0.16,
    posts=0.05,
    trend=(0.85, 1.15),
    answered=0.92,
    late=0.05,
    first_answer_hours=4.0,
    more_answers=(0.5, 0.2),
    accept=0.65,
    question_comments=(45, 35, 15, 5),
    post_comments=1.0,
    votes=(3, 4, 4),
    post_kinds=_LEARNING_KINDS,
)
PROFILES: Mapping[ProfileName, Profile] = {
    "questions": _QUESTIONS,
    "agenda": _QUESTIONS,
    "private": Profile(
        questions=0.2,
        posts=0.06,
        trend=(0.9, 1.1),
        answered=0.94,
        late=0.04,
        first_answer_hours=5.0,
        more_answers=(0.55, 0.2),
        accept=0.6,
        question_comments=(35, 40, 20, 5),
        post_comments=1.2,
        votes=(2, 3, 3),
        post_kinds={"story": 0.45, "article": 0.2, "tip": 0.15, "announcement": 0.2},
    ),
    "broadcast": Profile(
        questions=0.0,
        posts=0.13,
        trend=(1.5, 0.35),
        answered=0.4,
        late=0.35,
        first_answer_hours=60.0,
        more_answers=(0.15, 0.0),
        accept=0.2,
        question_comments=(70, 25, 5, 0),
        post_comments=0.3,
        votes=(1, 1, 3),
        post_kinds={"announcement": 0.35, "story": 0.35, "article": 0.2, "tip": 0.1},
        min_posts=1,
        min_post_rate=5.0,
        question_cap=(0.04, 0.18),
    ),
    "silent": Profile(
        questions=0.07,
        posts=0.07,
        trend=(1.0, 0.6),
        answered=0.55,
        late=0.3,
        first_answer_hours=30.0,
        more_answers=(0.2, 0.0),
        accept=0.3,
        question_comments=(60, 30, 10, 0),
        post_comments=0.4,
        votes=(1, 1, 2),
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
    choice: str = ""
    """An event's kind, a stance, a poll option's label or a proposal's process."""
    people: tuple[int, ...] = ()
    """Who was present, who reviews, or whose topics a poll offers (by key)."""
    due: datetime | None = None
    """When an event starts, a proposal closes, an action item or a request is due."""


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
_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_TITLE_ATTEMPTS = 12
_ASCII = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "'": "", " ": ""})  # noqa: RUF001


def ascii_slug(text: str) -> str:
    """Return a lower-case ASCII form of a name for usernames and e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode())


def fill(template: str, values: dict[str, str], bank: texts.Bank, rng: random.Random) -> str:
    """Pick one phrasing per `[a|b]`, then fill `{slot}`s, choosing each missing value once so a
    title and its body stay consistent."""
    template = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)

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


def _about(rng: random.Random, mean: float) -> int:
    """Return a count near the mean (within 20%, rounded at random): monthly volumes vary, but
    not so much that a small community's trend disappears in the noise."""
    value = mean * rng.uniform(0.8, 1.2)
    return math.floor(value) + (rng.random() < value - math.floor(value))


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
        title=title,
        city=city,
        years=rng.randint(2, 28),
        field=PRACTICES[practice].field,
        skill_a=skills[0].lower(),
        skill_b=skills[-1].lower(),
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
                index=len(people),
                username=login.username,
                first_name=first,
                last_name=last,
                display_name=login.display_name,
                email=f"{login.username}@{EMAIL_DOMAIN}",
                title=login.title,
                department=PRACTICES[login.practice].department,
                location=location,
                site=city,
                bio=_bio(rng, login.title, city, login.practice, skills),
                expertise=skills,
                practice=login.practice,
                secondary=login.secondary,
                activity=login.activity,
                date_joined=start - timedelta(days=rng.randint(30, 900)),
                password=login.password,
                is_km_lead=login.is_km_lead,
                is_staff=login.is_staff,
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
                index=len(people),
                username=username,
                first_name=first,
                last_name=last,
                display_name=f"{first} {last}",
                email=f"{username}@{EMAIL_DOMAIN}",
                title=title,
                department=PRACTICES[practice].department,
                location=location,
                site=city,
                bio=_bio(rng, title, city, practice, skills),
                expertise=skills,
                practice=practice,
                secondary=secondary,
                activity=min(rng.paretovariate(1.3), 12.0),
                date_joined=start - timedelta(days=rng.randint(1, 1500)),
            )
        )
    return people


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
"""The level-2 rule's thresholds (MATURITY.md) with a margin, so the level holds for every seed."""


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
        moment = _at_work(self.rng, begin + timedelta(seconds=self.rng.uniform(0, span)))
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
            posts = max(profile.min_posts, _about(rng, post_mean))
            if profile.question_cap:
                low, high = profile.question_cap
                questions = math.floor(posts * rng.uniform(low, high))
            else:
                questions = _about(rng, profile.questions * scale)
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
        for _ in range(_poisson(rng, comments)):
            when += _hours(rng, 8)
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
            when = at + _hours(self.rng, 20, 1.2)
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
        body = _paragraphs(
            _sentence(
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
            when = at + min(_hours(rng, profile.first_answer_hours), soon)
        second, third = profile.more_answers
        count = 1 if prompt else 1 + (rng.random() < second) + (rng.random() < third)
        skip = self.window().responders if new_responder else set()
        unused = list(template.answers)
        rng.shuffle(unused)
        answers: list[tuple[int, datetime, int]] = []
        answered_by: set[int] = {asker}
        for number in range(count):
            if number:
                when += _hours(rng, 10)
            responder = self.pick(when, "answer", exclude=answered_by | skip)
            if responder is None:
                responder = self.pick(when, "answer", exclude=answered_by)
            if responder is None:
                break
            answer_values = {**values, "site": self.people[responder].site}
            specific = unused.pop() if unused else ""
            advice = rng.choice(bank.advice) if (not specific or rng.random() < 0.35) else ""
            text = _paragraphs(
                _sentence(
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
            self.emit(chosen[1] + _hours(rng, 20), "accept", asker, target=chosen[0])

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
        for _ in range(_weighted_count(rng, self.profile.question_comments)):
            when += _hours(rng, 3)
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
                when += _hours(rng, 2)
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
                at + _hours(rng, 5),
                "comment",
                asker,
                target=key,
                body=fill(rng.choice(texts.THANKS), values, self.bank, rng),
            )
        if rng.random() < 0.1:
            when = at + _hours(rng, 12)
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


def build_plan(*, seed: int, end: datetime, people: int = 300, months: int = 18) -> DemoPlan:
    """Return the whole demo organisation as a deterministic plan ending at `end`."""
    from .together import plan_together  # it builds on this module

    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be timezone-aware")
    if people < MIN_PEOPLE:
        raise ValueError(f"the demo needs at least {MIN_PEOPLE} people (got {people})")
    if not 6 <= months <= 60:
        raise ValueError(f"history must be 6 to 60 months long (got {months})")
    rng = random.Random(seed)
    end = end.replace(microsecond=0)
    start = end - timedelta(days=round(months * 30.44))
    plan = DemoPlan(
        seed=seed,
        start=start,
        end=end,
        people=plan_people(rng, people, start),
        communities=COMMUNITIES,
    )
    keys, seq = itertools.count(1), itertools.count(1)
    for index in range(len(COMMUNITIES)):
        planner = _CommunityPlanner(
            plan=plan, index=index, rng=random.Random(rng.getrandbits(64)), keys=keys, seq=seq
        )
        planner.plan_members()
        planner.plan_content()
        plan_together(planner)
        planner.top_up()
        plan.events.extend(sorted(planner.events, key=lambda e: (e.at, e.seq)))
    return plan
