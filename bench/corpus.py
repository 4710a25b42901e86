"""Generate a seeded, realistic-ish organisation for the web benchmark: people, communities, text.

Pure Python (no Django), so the text is written and rendered once and shared by every database
run. Each community has its own words, so full-text search has something to rank: a word like
"terraform" is frequent in Cloud Operations and rare elsewhere, while "onboarding" is everywhere.

The words themselves live in corpus_communities.py (each community's) and corpus_words.py (shared).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from corpus_communities import TOPICS, Topic
from corpus_words import (
    ADJECTIVES,
    CONTEXTS,
    DEPARTMENTS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    LOCATIONS,
    POST_KIND_WEIGHTS,
    POST_KINDS,
    POST_TITLES,
    QUESTION_TITLES,
    SENTENCES,
    SHARED_NOUNS,
    SHARED_TAGS,
    TEAMS,
    TIMES,
)

# --- the generated rows --------------------------------------------------------------------


@dataclass
class Person:
    username: str
    display_name: str
    email: str
    title: str
    department: str
    location: str
    bio: str


@dataclass
class Membership:
    person: int  # index into people
    community: int  # index into TOPICS
    coordinator: bool


@dataclass
class Text:
    """One piece of content's markdown, rendered HTML and the plain text the index gets."""

    body: str
    body_html: str = ""
    plain: str = ""


@dataclass
class PostRow:
    community: int
    author: int
    kind: str
    title: str
    text: Text
    created_at: datetime
    score: int


@dataclass
class QuestionRow:
    community: int
    author: int
    title: str
    text: Text
    tags: list[str]
    created_at: datetime
    score: int
    answer_count: int = 0
    accepted: int | None = None  # index into this question's answers


@dataclass
class AnswerRow:
    question: int  # index into questions
    author: int
    text: Text
    created_at: datetime
    score: int


@dataclass
class Corpus:
    people: list[Person]
    memberships: list[Membership]
    posts: list[PostRow]
    questions: list[QuestionRow]
    answers: list[AnswerRow]
    bench_person: int  # the member the benchmark signs in as
    search_words: list[str] = field(default_factory=list)  # single words people type
    search_phrases: list[str] = field(default_factory=list)  # two-word names of things

    @property
    def tags(self) -> list[str]:
        return sorted({t for topic in TOPICS for t in topic.tags} | set(SHARED_TAGS))


# --- text ----------------------------------------------------------------------------------


class Writer:
    """Fill sentence templates with a community's words, seeded so every run writes the same."""

    def __init__(self, rng: random.Random, usernames: list[str]) -> None:
        self.rng = rng
        self.usernames = usernames

    def _slots(self, topic: Topic) -> dict[str, str]:
        r = self.rng
        verb, gerund = r.choice(topic.verbs)
        tool, tool2 = r.sample(topic.tools, 2)
        noun, noun2 = r.sample(topic.nouns, 2)
        return {
            "noun": noun,
            "noun2": noun2,
            "verb": verb,
            "gerund": gerund,
            "tool": tool,
            "tool2": tool2,
            "adj": r.choice(ADJECTIVES),
            "context": r.choice(CONTEXTS),
            "team": r.choice(TEAMS),
            "time": r.choice(TIMES),
            "shared": r.choice(SHARED_NOUNS),
            "number": str(r.randint(2, 9)),
        }

    def line(self, template: str, topic: Topic) -> str:
        text = template.format(**self._slots(topic))
        return text[0].upper() + text[1:]

    def paragraph(self, topic: Topic, sentences: int) -> str:
        return " ".join(self.line(self.rng.choice(SENTENCES), topic) for _ in range(sentences))

    def body(self, topic: Topic, paragraphs: tuple[int, int]) -> str:
        """Write markdown with the odd list, code span, emphasis and @mention, as people do."""
        r = self.rng
        parts = [self.paragraph(topic, r.randint(2, 4)) for _ in range(r.randint(*paragraphs))]
        if r.random() < 0.3:
            items = [f"- {self.line(r.choice(SENTENCES), topic)}" for _ in range(r.randint(2, 4))]
            parts.insert(r.randint(1, len(parts)), "\n".join(items))
        if r.random() < 0.25:
            tool = r.choice(topic.tools)
            parts.append(f"We run `{tool.lower().replace(' ', '-')} --check` before every change.")
        if r.random() < 0.2:
            noun = r.choice(topic.nouns)
            parts[0] = parts[0].replace(noun, f"**{noun}**", 1)
        if r.random() < 0.15:
            parts.append(f"@{r.choice(self.usernames)} knows more about this.")
        return "\n\n".join(parts)


def _when(rng: random.Random, now: datetime, days: int) -> datetime:
    return now - timedelta(seconds=rng.randint(0, days * 86_400))


def generate(
    *,
    seed: int,
    now: datetime,
    people: int,
    posts: int,
    questions: int,
    answers: int,
) -> Corpus:
    """Return the organisation: who belongs where, and every post, question and answer's text."""
    rng = random.Random(seed)
    persons: list[Person] = []
    for i in range(people):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"{first.lower()}.{last.lower()}{i}"
        persons.append(
            Person(
                username=username,
                display_name=f"{first} {last}",
                email=f"{username}@example.org",
                title=rng.choice(JOB_TITLES),
                department=rng.choice(DEPARTMENTS),
                location=rng.choice(LOCATIONS),
                bio=f"Works on {rng.choice(TOPICS).practice.lower()} in {rng.choice(TEAMS)}.",
            )
        )
    usernames = [p.username for p in persons]
    writer = Writer(rng, usernames)

    # Each person joins one to four communities; the first people coordinate.
    weights = [t.weight for t in TOPICS]
    members: list[list[int]] = [[] for _ in TOPICS]
    memberships: list[Membership] = []
    bench_person = 0
    for i in range(people):
        if i == bench_person:
            chosen = set(range(len(TOPICS)))  # the benchmark's member sees every community
        else:
            chosen = set(rng.choices(range(len(TOPICS)), weights, k=rng.choice((1, 1, 2, 2, 3, 4))))
        for c in sorted(chosen):
            members[c].append(i)
            memberships.append(Membership(i, c, coordinator=False))
    for c, people_in in enumerate(members):
        for i in rng.sample(people_in[1:], 3):
            next(m for m in memberships if m.person == i and m.community == c).coordinator = True
    # A few people write most of the content, as in every real community.
    activity = [
        list(accumulate(rng.paretovariate(1.2) for _ in people_in)) for people_in in members
    ]
    community_cum = list(accumulate(weights))

    def author(c: int) -> int:
        return rng.choices(members[c], cum_weights=activity[c])[0]

    def community() -> int:
        return rng.choices(range(len(TOPICS)), cum_weights=community_cum)[0]

    post_rows: list[PostRow] = []
    for _ in range(posts):
        c = community()
        topic = TOPICS[c]
        kind = rng.choices(POST_KINDS, POST_KIND_WEIGHTS)[0]
        post_rows.append(
            PostRow(
                community=c,
                author=author(c),
                kind=kind,
                title=writer.line(rng.choice(POST_TITLES[kind]), topic)[:200],
                text=Text(writer.body(topic, (2, 5))),
                created_at=_when(rng, now, 730),
                score=int(rng.paretovariate(1.5)) - 1,
            )
        )

    question_rows: list[QuestionRow] = []
    for _ in range(questions):
        c = community()
        topic = TOPICS[c]
        pool = topic.tags + SHARED_TAGS[:2]
        question_rows.append(
            QuestionRow(
                community=c,
                author=author(c),
                title=writer.line(rng.choice(QUESTION_TITLES), topic)[:200],
                text=Text(writer.body(topic, (1, 3))),
                tags=sorted(set(rng.sample(pool, rng.randint(1, 3)))),
                created_at=_when(rng, now, 730),
                score=int(rng.paretovariate(1.5)) - 1,
            )
        )

    # A quarter of questions stay unanswered; the rest get answers with a long tail.
    pull = [0.0 if rng.random() < 0.25 else min(rng.paretovariate(2.0), 8.0) for _ in question_rows]
    answer_rows: list[AnswerRow] = []
    for q in rng.choices(range(len(question_rows)), pull, k=answers):
        question = question_rows[q]
        topic = TOPICS[question.community]
        late = question.created_at + timedelta(seconds=rng.randint(300, 20 * 86_400))
        answer_rows.append(
            AnswerRow(
                question=q,
                author=author(question.community),
                text=Text(writer.body(topic, (1, 3))),
                created_at=min(late, now),
                score=int(rng.paretovariate(1.3)) - 1,
            )
        )
        question.answer_count += 1
    for question in question_rows:
        if question.answer_count and rng.random() < 0.45:
            question.accepted = rng.randrange(question.answer_count)

    words = sorted(
        {w for t in TOPICS for n in t.nouns + t.tools for w in n.lower().split() if len(w) > 3}
        | {w for n in SHARED_NOUNS for w in n.split() if len(w) > 3}
    )
    return Corpus(
        people=persons,
        memberships=memberships,
        posts=post_rows,
        questions=question_rows,
        answers=answer_rows,
        bench_person=bench_person,
        search_words=words,
        search_phrases=sorted({n.lower() for t in TOPICS for n in t.nouns if n.count(" ") == 1}),
    )
