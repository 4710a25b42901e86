"""Generate a seeded, realistic-ish organisation for the web benchmark: people, communities, text.

Pure Python (no Django), so the text is written and rendered once and shared by every database
run. Each community has its own words, so full-text search has something to rank: a word like
"terraform" is frequent in Cloud Operations and rare elsewhere, while "onboarding" is everywhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

# --- the organisation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A community's vocabulary: what its members talk about and the tags they use."""

    slug: str
    name: str
    practice: str
    description: str
    nouns: tuple[str, ...]
    tools: tuple[str, ...]
    verbs: tuple[tuple[str, str], ...]  # (base, gerund)
    tags: tuple[str, ...]
    private: bool = False
    weight: float = 1.0  # share of the content this community gets


def _topic(
    slug: str,
    name: str,
    practice: str,
    description: str,
    *,
    nouns: str,
    tools: str,
    verbs: str,
    tags: str,
    private: bool = False,
    weight: float = 1.0,
) -> Topic:
    """Build a topic from comma-separated word lists; verbs are written base/gerund."""

    def split(text: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in text.split(","))

    pairs = tuple((base, gerund) for base, gerund in (v.split("/") for v in split(verbs)))
    return Topic(
        slug,
        name,
        practice,
        description,
        split(nouns),
        split(tools),
        pairs,
        split(tags),
        private,
        weight,
    )


TOPICS: tuple[Topic, ...] = (
    _topic(
        "data-engineering",
        "Data Engineering Guild",
        "Data engineering",
        "Pipelines, warehouses and the people who keep the numbers honest.",
        nouns=(
            "pipeline, warehouse, schema, partition, backfill, data contract, lineage, batch job, "
            "stream, late-arriving event, dimension table, fact table, dbt model, orchestration, "
            "data quality check, incremental load, ingestion, parquet file, query plan, slowly "
            "changing dimension"
        ),
        tools="Airflow, dbt, Spark, Kafka, Snowflake, BigQuery, Polars, Dagster",
        verbs=(
            "partition/partitioning, backfill/backfilling, model/modelling, "
            "deduplicate/deduplicating, orchestrate/orchestrating, validate/validating"
        ),
        tags="pipelines, data-quality, dbt, spark, kafka, warehousing, airflow",
        weight=1.4,
    ),
    _topic(
        "ux-research",
        "UX Research Circle",
        "User research",
        "Interviews, usability tests and turning what people say into what teams build.",
        nouns=(
            "interview guide, usability test, persona, journey map, survey, diary study, "
            "recruitment screener, affinity map, insight, research repository, prototype, card "
            "sort, tree test, consent form, synthesis workshop, accessibility audit, participant "
            "incentive, heuristic review"
        ),
        tools="Dovetail, Figma, Maze, Optimal Workshop, Miro, Lookback",
        verbs=(
            "recruit/recruiting, synthesise/synthesising, interview/interviewing, "
            "prototype/prototyping, test/testing, share/sharing"
        ),
        tags="interviews, usability, accessibility, synthesis, surveys, recruiting",
        weight=0.8,
    ),
    _topic(
        "cloud-operations",
        "Cloud Operations",
        "Site reliability engineering",
        "Running production: deployments, incidents, cost and capacity.",
        nouns=(
            "deployment, incident, postmortem, runbook, alert, on-call rotation, load balancer, "
            "autoscaling group, kubernetes cluster, helm chart, terraform state, service level "
            "objective, error budget, canary release, rollback, cost report, container image, "
            "certificate renewal, dns record, backup restore"
        ),
        tools="Terraform, Kubernetes, Prometheus, Grafana, PagerDuty, Ansible, ArgoCD, Helm",
        verbs=(
            "deploy/deploying, roll back/rolling back, scale/scaling, monitor/monitoring, "
            "page/paging, migrate/migrating"
        ),
        tags="kubernetes, terraform, incidents, observability, on-call, cost, deploys",
        weight=1.5,
    ),
    _topic(
        "security-champions",
        "Security Champions",
        "Application security",
        "Threat models, dependency updates and keeping secrets secret.",
        nouns=(
            "threat model, vulnerability, dependency update, secret rotation, access review, "
            "penetration test, security review, phishing exercise, audit log, sso setup, password "
            "policy, least privilege, supply chain, signing key, firewall rule, risk register, "
            "cve, bug bounty report"
        ),
        tools="Vault, Snyk, Dependabot, Burp Suite, OWASP ZAP, Okta, Semgrep",
        verbs=(
            "rotate/rotating, patch/patching, review/reviewing, audit/auditing, harden/hardening, "
            "scan/scanning"
        ),
        tags="threat-modelling, secrets, dependencies, sso, owasp, audits",
        weight=0.9,
    ),
    _topic(
        "agile-delivery",
        "Agile Delivery",
        "Delivery management",
        "Planning, retrospectives and getting work out of the door without burning people out.",
        nouns=(
            "sprint, retrospective, backlog, roadmap, estimate, stand-up, okr, dependency map, "
            "release plan, kanban board, definition of done, stakeholder update, velocity, risk "
            "log, planning session, team charter, capacity plan"
        ),
        tools="Jira, Linear, Confluence, Trello, Asana, Notion",
        verbs=(
            "plan/planning, estimate/estimating, prioritise/prioritising, "
            "facilitate/facilitating, ship/shipping, track/tracking"
        ),
        tags="retros, estimation, okrs, kanban, roadmaps, facilitation",
        weight=1.1,
    ),
    _topic(
        "machine-learning",
        "Machine Learning Practice",
        "Machine learning",
        "Models in production: features, evaluation, drift and the data behind them.",
        nouns=(
            "model, feature store, training run, evaluation set, embedding, drift monitor, "
            "hyperparameter search, inference endpoint, labelling guideline, baseline, experiment "
            "tracker, gradient boosting model, confusion matrix, fine-tuning job, prompt, "
            "retrieval index, model card, gpu quota"
        ),
        tools="PyTorch, scikit-learn, MLflow, XGBoost, Hugging Face, Ray, Weights & Biases",
        verbs=(
            "train/training, evaluate/evaluating, label/labelling, tune/tuning, serve/serving, "
            "retrain/retraining"
        ),
        tags="mlops, evaluation, embeddings, llm, features, drift",
        weight=1.2,
    ),
    _topic(
        "frontend-craft",
        "Frontend Craft",
        "Frontend development",
        "Components, performance budgets and the browser quirks we keep meeting.",
        nouns=(
            "component library, design token, bundle size, hydration, form validation, state "
            "management, css grid, web vital, storybook story, end-to-end test, service worker, "
            "image loading, focus order, dark mode, api client, build step"
        ),
        tools="React, TypeScript, Vite, Playwright, Tailwind, htmx, Svelte, webpack",
        verbs=(
            "refactor/refactoring, bundle/bundling, render/rendering, lint/linting, test/testing, "
            "optimise/optimising"
        ),
        tags="react, typescript, css, performance, a11y, testing",
        weight=1.0,
    ),
    _topic(
        "sales-enablement",
        "Sales Enablement",
        "Sales",
        "Pitches, demos and the objections we hear every week.",
        nouns=(
            "discovery call, demo script, objection, pricing page, proposal, renewal, pipeline "
            "review, case study, battlecard, territory plan, champion, procurement process, "
            "quarterly target, handover to onboarding, win story"
        ),
        tools="Salesforce, HubSpot, Gong, Outreach, DocuSign",
        verbs=(
            "pitch/pitching, qualify/qualifying, negotiate/negotiating, close/closing, "
            "demo/demoing, forecast/forecasting"
        ),
        tags="discovery, demos, pricing, renewals, objections, forecasting",
        weight=0.7,
    ),
    _topic(
        "contracts-compliance",
        "Contracts & Compliance",
        "Legal and compliance",
        "Contract templates, data protection and the audits nobody enjoys. Members only.",
        nouns=(
            "data processing agreement, contract template, gdpr request, retention policy, vendor "
            "assessment, audit finding, export control, privacy notice, nda, subprocessor list, "
            "records of processing, breach notification, policy exception"
        ),
        tools="Ironclad, OneTrust, DocuSign, SharePoint",
        verbs=(
            "review/reviewing, redline/redlining, approve/approving, assess/assessing, "
            "document/documenting, escalate/escalating"
        ),
        tags="gdpr, contracts, vendors, retention, policy",
        private=True,
        weight=0.5,
    ),
    _topic(
        "people-managers",
        "People Managers",
        "People management",
        "One-to-ones, hiring, feedback and growing the people around you.",
        nouns=(
            "one-to-one, performance review, career ladder, hiring loop, interview panel, "
            "feedback conversation, onboarding plan, team offsite, promotion case, growth plan, "
            "exit interview, workload, skip-level meeting, mentoring pair"
        ),
        tools="Lattice, Greenhouse, Workday, Culture Amp",
        verbs=(
            "hire/hiring, coach/coaching, delegate/delegating, mentor/mentoring, "
            "promote/promoting, onboard/onboarding"
        ),
        tags="hiring, feedback, career-growth, one-to-ones, onboarding",
        weight=0.9,
    ),
)

SHARED_TAGS = ("best-practice", "how-to", "tooling", "onboarding", "documentation", "help-wanted")
SHARED_NOUNS = (
    "documentation",
    "onboarding",
    "handover",
    "checklist",
    "template",
    "workshop",
    "budget",
    "process",
    "guideline",
    "review meeting",
    "weekly sync",
    "knowledge base",
    "pilot",
)
CONTEXTS = (
    "the team is fully remote",
    "two teams share the same code base",
    "the deadline is fixed",
    "nobody owns it",
    "we are migrating off the old platform",
    "the budget was cut",
    "half the team is new",
    "we work across three time zones",
    "auditors are asking",
    "the vendor changed their pricing",
    "it only fails on Mondays",
    "leadership wants a dashboard",
    "we have no staging environment",
    "the original author has left",
)
TEAMS = (
    "payments",
    "the mobile team",
    "customer support",
    "the Berlin office",
    "finance",
    "the platform team",
    "marketing",
    "logistics",
    "the data office",
    "our biggest customer",
)
ADJECTIVES = (
    "reliable",
    "simple",
    "repeatable",
    "cheap",
    "fast",
    "boring",
    "well documented",
    "safe",
    "measurable",
    "transparent",
    "lightweight",
    "scalable",
)
TIMES = ("last quarter", "this sprint", "in March", "over the summer", "last year", "this week")
FIRST_NAMES = (
    "Amara",
    "Ben",
    "Chen",
    "Dana",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carla",
    "Dmitri",
    "Esther",
    "Farid",
    "Gita",
    "Hamid",
    "Ingrid",
    "Jamal",
    "Kira",
    "Luis",
    "Maya",
    "Nils",
)
LAST_NAMES = (
    "Okafor",
    "Schmidt",
    "Wang",
    "Novak",
    "Yilmaz",
    "Adeyemi",
    "Kim",
    "Moreau",
    "Silva",
    "Berg",
    "Mensah",
    "Fischer",
    "Garcia",
    "Haddad",
    "Khan",
    "Patel",
    "Murphy",
    "Rossi",
    "Larsen",
    "Said",
    "Rao",
    "Petrov",
    "Li",
    "Lopez",
    "Aydin",
    "Clarke",
    "Tanaka",
    "Costa",
    "Ivanova",
    "Jensen",
)
DEPARTMENTS = (
    "Engineering",
    "Product",
    "Design",
    "Sales",
    "Legal",
    "People",
    "Finance",
    "Operations",
    "Data",
    "Security",
    "Customer Success",
)
JOB_TITLES = (
    "Engineer",
    "Senior Engineer",
    "Staff Engineer",
    "Product Manager",
    "Designer",
    "Researcher",
    "Analyst",
    "Account Executive",
    "Counsel",
    "Team Lead",
    "Engineering Manager",
    "Consultant",
)
LOCATIONS = ("Berlin", "Lisbon", "London", "Nairobi", "Toronto", "Singapore", "Remote", "Austin")

SENTENCES = (
    "We {verb} the {noun} with {tool} and it has been {adj} so far.",
    "Our {noun} broke {time} because {context}.",
    "Has anyone found a {adj} way to {verb} a {noun} when {context}?",
    "The {noun} for {team} now takes half the time it used to.",
    "I would start with the {noun2} before touching the {noun}.",
    "{tool} handles the {noun} well, but the {noun2} still needs a person to look at it.",
    "After {gerund} the {noun} {time}, we wrote a short {shared} so others can repeat it.",
    "The hard part is not the {noun}; it is agreeing who owns the {noun2}.",
    "We keep a {shared} next to every {noun} so new people can find it.",
    "When {context}, {gerund} the {noun} by hand does not scale.",
    "Ask in the weekly sync: {team} solved the same {noun} problem {time}.",
    "Keep the {noun} {adj}; the clever version cost us two weeks.",
    "Measure the {noun2} first, then decide whether {tool} is worth it.",
    "Our rule of thumb: one {noun} per team, reviewed every quarter.",
    "{tool} versus {tool2} for the {noun} came down to who would maintain it.",
    "The {noun} and the {noun2} drifted apart until we added a check.",
    "Pairing on the {noun} with someone from {team} taught me more than any course.",
    "Be careful with the {noun2}: it fails silently when {context}.",
    "It took {number} attempts to get the {noun} right, and the {shared} helped on the last one.",
    "If you only change one thing, make the {noun} {adj}.",
)
QUESTION_TITLES = (
    "How do you {verb} a {noun} when {context}?",
    "What is a {adj} way to {verb} the {noun}?",
    "{tool} or {tool2} for the {noun}?",
    "Who owns the {noun} after the {noun2} is done?",
    "Why does our {noun} fail when {context}?",
    "Best practice for {gerund} the {noun} with {tool}?",
    "How long should {gerund} a {noun} take?",
    "Is a {shared} for the {noun} worth it?",
    "Tips for {gerund} the {noun2} across teams?",
    "How do we keep the {noun} {adj}?",
)
POST_TITLES = {
    "article": (
        "A practical guide to {gerund} the {noun}",
        "What we learned {gerund} the {noun} with {tool}",
        "The {noun} and the {noun2}: how they fit together",
        "Why a {adj} {noun} beats a clever one",
    ),
    "tip": (
        "Tip: {verb} the {noun} before the {noun2}",
        "A five-minute check for your {noun}",
        "Quick tip on {tool} and the {noun}",
    ),
    "story": (
        "How {team} cut the time spent {gerund} the {noun} in half",
        "From chaos to a {adj} {noun}: a story from {team}",
        "Success story: {gerund} the {noun} {time}",
    ),
    "announcement": (
        "New {shared} for the {noun}",
        "Workshop: {gerund} the {noun} with {tool}",
        "Office hours on the {noun2} {time}",
    ),
}
POST_KINDS = ("article", "tip", "story", "announcement")
POST_KIND_WEIGHTS = (40, 30, 15, 15)


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
