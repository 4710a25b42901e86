"""What the demo organisation holds: its logins, communities, profiles and people, and the
plan's shape (people, events). Pure data and the drawing of people; no database."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .draws import ascii_slug
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
