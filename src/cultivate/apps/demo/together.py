"""Plan the relationship steps and the topic agenda for one demo community.

`plan.py` plans what members share and ask; this module adds what they do together: events
with RSVPs and attendance, coffee pairing rounds, proposals with stances, outcomes and action
items, kudos, and, for the agenda community, topics prioritised by a poll, scheduled as best
practices written by several people, reviewed and published, and help requests answered.

Each community does as much of it as its profile suggests: question-rich communities use every
step; broadcast communities hold a webinar now and then; the silent one stopped with the rest of
its activity. The replay (services.py) sends every act through the real services.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import texts
from .draws import fill

if TYPE_CHECKING:
    from .planner import CommunityPlanner

ENGAGED = frozenset({"questions", "agenda", "private"})
GATHERING_KINDS = ("meetup", "working_session", "coffee", "webinar")


def _values(planner: CommunityPlanner, person: int, topic: str) -> dict[str, str]:
    return {
        "site": planner.people[person].site,
        "topic": topic,
        "practice": planner.spec.practice,
    }


def _text(planner: CommunityPlanner, template: str, person: int, topic: str) -> str:
    return fill(template, _values(planner, person, topic), planner.bank, planner.rng)


def _topic(planner: CommunityPlanner, number: int) -> str:
    topics = planner.bank.agenda_topics or (planner.spec.practice,)
    return topics[number % len(topics)]


def _host(planner: CommunityPlanner, at: datetime) -> int:
    present = set(planner.members.present(at))
    hosts = [c for c in planner.coordinators if c in present]
    return hosts[0] if hosts else planner.coordinators[0]


def _pick(planner: CommunityPlanner, at: datetime, role: str, fallback: int) -> int:
    chosen = planner.pick(at, role)
    return fallback if chosen is None else chosen


def _some(planner: CommunityPlanner, at: datetime, share: float, cap: int) -> list[int]:
    """Return a random share of the members present at the moment, at most `cap` of them."""
    present = planner.members.present(at)
    count = min(cap, max(2, round(len(present) * share)))
    return planner.rng.sample(present, min(count, len(present)))


def plan_together(planner: CommunityPlanner) -> None:
    """Add the community's gatherings, pairings, decisions, kudos and (agenda) co-creation."""
    profile = planner.spec.profile
    for number, (begin, end) in enumerate(planner.slices()):
        if number == 0:
            continue  # the first month is for joining
        topic = _topic(planner, number)
        if profile in ENGAGED or profile == "silent":
            _gathering(planner, number, begin, topic)
            _kudos(planner, begin, end, topic, count=planner.rng.randint(1, 3))
        elif number % 2 == 0:  # broadcast: a webinar every other month
            _gathering(planner, number, begin, topic, kind="webinar")
        if profile in ENGAGED:
            if number in (1, 6, 12):  # a first wave, then newer members
                _coffee_opt_ins(planner, begin)
            _coffee_round(planner, begin + timedelta(days=2))
            if number % 2 == 1:
                _proposal(planner, begin + timedelta(days=4), topic)
        if profile == "agenda":
            _agenda_month(planner, number, begin, end, topic)


def _gathering(
    planner: CommunityPlanner, number: int, begin: datetime, topic: str, kind: str = ""
) -> None:
    rng = planner.rng
    kind = kind or GATHERING_KINDS[number % len(GATHERING_KINDS)]
    announced = begin + timedelta(days=rng.uniform(0.5, 2))
    host = _host(planner, announced)
    starts = (begin + timedelta(days=rng.randint(12, 20))).replace(
        hour=rng.choice((9, 13, 15)), minute=0, second=0, microsecond=0
    )
    key = next(planner.keys)
    title = _text(planner, rng.choice(texts.GATHERING_TITLES[kind]), host, topic)
    capacity = 12 if kind == "working_session" else 0
    if not planner.emit(
        announced,
        "gathering",
        host,
        key=key,
        title=title,
        choice=kind,
        due=starts,
        tags=(str(capacity),),
    ):
        return
    going = [p for p in _some(planner, announced, 0.35, 24) if p != host]
    for person in going:
        # Answers close at the start, and a start set to 9:00 can fall before day 12's evening.
        wish = announced + timedelta(hours=rng.uniform(2, 240))
        answered = min(wish, starts - timedelta(hours=1))
        planner.emit(answered, "rsvp", person, target=key)
    present = (*(p for p in going if rng.random() < 0.8), host)
    after = starts + timedelta(hours=rng.uniform(2, 20))
    planner.emit(after, "attendance", host, target=key, people=present)
    notes = _text(planner, rng.choice(texts.GATHERING_NOTES), host, topic)
    planner.emit(after + timedelta(minutes=10), "notes", host, target=key, body=notes)


def _coffee_opt_ins(planner: CommunityPlanner, begin: datetime) -> None:
    for person in _some(planner, begin, 0.4, 30):
        planner.emit(begin + timedelta(hours=planner.rng.uniform(1, 200)), "coffee_optin", person)


def _coffee_round(planner: CommunityPlanner, at: datetime) -> None:
    planner.emit(at, "coffee_round", _host(planner, at), due=at + timedelta(days=7))


def _proposal(planner: CommunityPlanner, at: datetime, topic: str) -> None:
    rng = planner.rng
    proposer = _pick(planner, at, "post", _host(planner, at))
    key = next(planner.keys)
    deadline = at + timedelta(days=10)
    title = _text(planner, rng.choice(texts.PROPOSAL_TITLES), proposer, topic)
    body = _text(planner, texts.PROPOSAL_BODY, proposer, topic)
    if not planner.emit(
        at, "propose", proposer, key=key, title=title, body=body, choice="consent", due=deadline
    ):
        return
    voters = [p for p in _some(planner, at, 0.25, 12) if p != proposer]
    for index, person in enumerate(voters):
        stance = "abstain" if index % 5 == 4 else "agree"
        if index == 1:
            stance = "disagree"
        when = at + timedelta(hours=rng.uniform(2, 200))
        reason = _text(planner, rng.choice(texts.STANCE_REASONS[stance]), person, topic)
        planner.emit(when, "stance", person, target=key, choice=stance, body=reason)
        if index == 1:  # a concern answered: the person changes their stance later
            planner.emit(when + timedelta(hours=30), "stance", person, target=key, choice="agree")
    closed = deadline + timedelta(hours=rng.uniform(1, 30))
    outcome = rng.choice(texts.OUTCOMES)
    if not planner.emit(closed, "close", proposer, target=key, body=outcome):
        return
    owners = [proposer, *voters[:2]]
    for index, owner in enumerate(owners[: rng.randint(1, 3)]):
        item = next(planner.keys)
        title = _text(planner, texts.ACTION_TITLES[index], owner, topic)
        due = closed + timedelta(days=21)
        planner.emit(
            closed + timedelta(minutes=5 + index),
            "action",
            proposer,
            key=item,
            target=key,
            title=title,
            people=(owner,),
            due=due,
        )
        if rng.random() < 0.85:
            planner.emit(closed + timedelta(days=rng.uniform(3, 20)), "done", owner, target=item)


def _kudos(
    planner: CommunityPlanner, begin: datetime, end: datetime, topic: str, count: int
) -> None:
    rng = planner.rng
    for _ in range(count):
        at = begin + (end - begin) * rng.random()
        giver = planner.pick(at, "comment")
        receiver = planner.pick(at, "answer", exclude={giver} if giver is not None else None)
        if giver is None or receiver is None:
            continue
        reason = _text(planner, rng.choice(texts.KUDOS_REASONS), giver, topic)
        planner.emit(at, "kudos", giver, target=receiver, body=reason)


# --- level 3: the topic agenda, best practices and help requests --------------------------------


def _agenda_month(
    planner: CommunityPlanner, number: int, begin: datetime, end: datetime, topic: str
) -> None:
    """Each month: schedule the topic the poll ranked first, write it together, publish it.

    Every third month the community first proposes the next topics and prioritises them by a poll.
    """
    rng = planner.rng
    coordinator = _host(planner, begin)
    if number % 3 == 1:
        offered = []
        for offset in range(3):
            at = begin + timedelta(hours=2 + offset)
            proposer = _pick(planner, at, "post", coordinator)
            key = next(planner.keys)
            name = _topic(planner, number + offset)
            why = _text(planner, texts.TOPIC_WHY, proposer, name)
            if planner.emit(at, "topic", proposer, key=key, title=name, body=why):
                offered.append(key)
        poll = next(planner.keys)
        at = begin + timedelta(hours=6)
        if offered and planner.emit(
            at,
            "prioritise",
            coordinator,
            key=poll,
            people=tuple(offered),
            due=at + timedelta(days=2),
        ):
            for person in _some(planner, at, 0.3, 12):
                planner.emit(
                    at + timedelta(hours=rng.uniform(1, 40)),
                    "stance",
                    person,
                    target=poll,
                    choice=str(rng.choice(offered)),
                )
            planner.emit(at + timedelta(days=2, hours=1), "close", coordinator, target=poll)
    _best_practice(planner, begin, end, topic, coordinator)
    for _ in range(2):
        _help_request(planner, begin + (end - begin) * rng.uniform(0.1, 0.6), topic)


def _best_practice(
    planner: CommunityPlanner, begin: datetime, end: datetime, topic: str, coordinator: int
) -> None:
    rng = planner.rng
    scheduled = begin + timedelta(days=3)
    owner = _pick(planner, scheduled, "answer", coordinator)
    document = next(planner.keys)
    if not planner.emit(
        scheduled,
        "schedule",
        coordinator,
        key=document,
        title=topic,
        body=f"Best practice: {topic}",
        people=(owner,),
        due=end,
    ):
        return
    writers = [owner, *(p for p in _some(planner, scheduled, 0.2, 4) if p != owner)][:4]
    when = scheduled
    for index, writer in enumerate(writers):
        when += timedelta(days=rng.uniform(1, 4))
        section = texts.PRACTICE_SECTIONS[index % len(texts.PRACTICE_SECTIONS)]
        planner.emit(
            when, "revise", writer, target=document, body=_text(planner, section, writer, topic)
        )
    # The scheduling coordinator started the document, so they steer its review and publish it;
    # a member who did not write it reviews.
    reviewer = planner.pick(when, "answer", exclude={coordinator, *writers})
    if reviewer is None:
        return
    planner.emit(
        when + timedelta(hours=3),
        "review_request",
        coordinator,
        target=document,
        people=(reviewer,),
    )
    planner.emit(when + timedelta(days=1), "approve", reviewer, target=document)
    late = rng.random() < 0.15
    published = end + timedelta(days=2) if late else when + timedelta(days=1, hours=4)
    planner.emit(published, "publish", coordinator, target=document)


def _help_request(planner: CommunityPlanner, at: datetime, topic: str) -> None:
    rng = planner.rng
    requester = planner.pick(at, "ask")
    if requester is None:
        return
    key = next(planner.keys)
    title = _text(planner, rng.choice(texts.HELP_TITLES), requester, topic)
    body = _text(planner, texts.HELP_BODY, requester, topic)
    due = at + timedelta(days=10)
    if not planner.emit(at, "help_request", requester, key=key, title=title, body=body, due=due):
        return
    for _ in range(rng.randint(1, 3)):
        when = at + timedelta(hours=rng.uniform(3, 200))
        helper = planner.pick(when, "answer", exclude={requester})
        if helper is None:
            continue
        piece = next(planner.keys)
        text = _text(planner, rng.choice(texts.HELP_CONTRIBUTIONS), helper, topic)
        if planner.emit(when, "help", helper, key=piece, target=key, body=text):
            planner.emit(
                when + timedelta(hours=rng.uniform(1, 20)), "thanks", requester, target=piece
            )
