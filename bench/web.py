"""The web benchmark's moving parts: render, load a database, serve it with gunicorn, measure.

The loader runs in a forked child so each database gets its own Django setup while the text,
written and rendered once in the parent, is shared without copying. Measuring needs no Django:
it is plain HTTP against 127.0.0.1.
"""

from __future__ import annotations

import html
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import nh3
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from corpus import TOPICS, Corpus, Text
from cultivate.core.markup import render_markdown

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SETTINGS = "cultivate.config.settings.local"
console = Console()


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def django_env(database_url: str) -> dict[str, str]:
    """Return the environment of every process that touches the bench database (DEBUG off)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        CULTIVATE_DEBUG="0",
        DATABASE_URL=database_url,
        CULTIVATE_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    return env


# --- rendering ------------------------------------------------------------------------------

_SENTINELS = str.maketrans("", "", "\x02\x03")


def _render(body: str) -> tuple[str, str]:
    """Return body_html as the services store it and the plain text search.services indexes.

    search.services takes plain_text(body), which is nh3 with no tags over the same rendering,
    then unescapes entities; stripping the stored HTML gives the same text without rendering
    the markdown a second time.
    """
    body_html = render_markdown(body)
    plain = " ".join(nh3.clean(body_html, tags=set()).split())
    return body_html, html.unescape(plain).translate(_SENTINELS)


def render_all(corpus: Corpus, processes: int) -> None:
    """Fill body_html and the plain text of every piece of content, on every core."""
    texts: list[Text] = [p.text for p in corpus.posts]
    texts += [q.text for q in corpus.questions]
    texts += [a.text for a in corpus.answers]
    ctx = multiprocessing.get_context("fork")
    with progress() as bar, ctx.Pool(processes) as pool:
        task = bar.add_task("render markdown", total=len(texts))
        bodies = (t.body for t in texts)
        for text, (body_html, plain) in zip(
            texts, pool.imap(_render, bodies, chunksize=500), strict=True
        ):
            text.body_html, text.plain = body_html, plain
            bar.advance(task)


# --- loading (runs in a forked child with Django set up for one database) --------------------


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(start + size, n))


def load(corpus: Corpus, database_url: str, now: datetime, meta_path: Path) -> None:
    """Bulk-insert the corpus and its search documents, then write what the client needs."""
    os.environ.update(django_env(database_url))
    import django

    django.setup()

    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection, transaction

    from cultivate.apps.accounts.models import User
    from cultivate.apps.communities.models import (
        Community,
        Membership,
        MembershipState,
        Role,
        Visibility,
    )
    from cultivate.apps.search.models import SearchDocument
    from cultivate.apps.sharing.models import Answer, Post, Question
    from cultivate.apps.tags.models import Tag

    started = time.perf_counter()
    batch = 2000
    with progress() as bar:
        task = bar.add_task("people and communities", total=len(corpus.people))
        users: list[Any] = []
        for chunk in _chunks(len(corpus.people), batch):
            users += User.objects.bulk_create(
                [
                    User(
                        username=p.username,
                        email=p.email,
                        display_name=p.display_name,
                        title=p.title,
                        department=p.department,
                        location=p.location,
                        bio=p.bio,
                        password="!bench-no-password",
                        date_joined=now - timedelta(days=900 - i % 800),
                    )
                    for i, p in ((i, corpus.people[i]) for i in chunk)
                ]
            )
            bar.advance(task, len(chunk))
        member_count = [0] * len(TOPICS)
        for m in corpus.memberships:
            member_count[m.community] += 1
        communities = Community.objects.bulk_create(
            [
                Community(
                    name=t.name,
                    slug=t.slug,
                    practice=t.practice,
                    description=t.description,
                    visibility=Visibility.PRIVATE if t.private else Visibility.PUBLIC,
                    created_at=now - timedelta(days=800),
                    created_by=users[1 + i],
                    member_count=member_count[i],
                )
                for i, t in enumerate(TOPICS)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    community=communities[m.community],
                    user=users[m.person],
                    role=Role.COORDINATOR if m.coordinator else Role.MEMBER,
                    state=MembershipState.ACTIVE,
                    created_at=now - timedelta(days=700),
                    joined_at=now - timedelta(days=700),
                )
                for m in corpus.memberships
            ],
            batch_size=batch,
        )
        tags = {t.name: t for t in Tag.objects.bulk_create([Tag(name=n) for n in corpus.tags])}

        def documents(rows: list[SearchDocument]) -> None:
            # On SQLite the FTS5 triggers of search migration 0002 index each row as it lands;
            # on PostgreSQL the stored tsvector column is computed on insert.
            SearchDocument.objects.bulk_create(rows, batch_size=batch)

        task = bar.add_task("posts", total=len(corpus.posts))
        for chunk in _chunks(len(corpus.posts), batch):
            rows = [corpus.posts[i] for i in chunk]
            with transaction.atomic():
                posts = Post.objects.bulk_create(
                    [
                        Post(
                            community=communities[r.community],
                            author=users[r.author],
                            kind=r.kind,
                            title=r.title,
                            body=r.text.body,
                            body_html=r.text.body_html,
                            created_at=r.created_at,
                            updated_at=r.created_at,
                            score=max(r.score, 0),
                        )
                        for r in rows
                    ]
                )
                documents(
                    [
                        SearchDocument(
                            kind="post",
                            object_pk=p.pk,
                            community_id=p.community_id,
                            title=r.title,
                            body=r.text.plain,
                            created_at=r.created_at,
                        )
                        for p, r in zip(posts, rows, strict=True)
                    ]
                )
            bar.advance(task, len(chunk))

        task = bar.add_task("questions", total=len(corpus.questions))
        question_pks: list[int] = []
        for chunk in _chunks(len(corpus.questions), batch):
            qrows = [corpus.questions[i] for i in chunk]
            with transaction.atomic():
                questions = Question.objects.bulk_create(
                    [
                        Question(
                            community=communities[r.community],
                            author=users[r.author],
                            title=r.title,
                            body=r.text.body,
                            body_html=r.text.body_html,
                            created_at=r.created_at,
                            updated_at=r.created_at,
                            score=max(r.score, 0),
                            answer_count=r.answer_count,
                        )
                        for r in qrows
                    ]
                )
                Question.tags.through.objects.bulk_create(
                    [
                        Question.tags.through(question_id=q.pk, tag_id=tags[name].pk)
                        for q, r in zip(questions, qrows, strict=True)
                        for name in r.tags
                    ],
                    batch_size=batch,
                )
                documents(
                    [
                        SearchDocument(
                            kind="question",
                            object_pk=q.pk,
                            community_id=q.community_id,
                            question_pk=q.pk,
                            title=r.title,
                            body=r.text.plain,
                            tags=" ".join(r.tags),
                            created_at=r.created_at,
                        )
                        for q, r in zip(questions, qrows, strict=True)
                    ]
                )
            question_pks += [q.pk for q in questions]
            bar.advance(task, len(chunk))

        task = bar.add_task("answers", total=len(corpus.answers))
        answers_of: list[list[int]] = [[] for _ in corpus.questions]
        for chunk in _chunks(len(corpus.answers), batch):
            arows = [corpus.answers[i] for i in chunk]
            with transaction.atomic():
                answers = Answer.objects.bulk_create(
                    [
                        Answer(
                            community=communities[corpus.questions[r.question].community],
                            author=users[r.author],
                            question_id=question_pks[r.question],
                            body=r.text.body,
                            body_html=r.text.body_html,
                            created_at=r.created_at,
                            updated_at=r.created_at,
                            score=max(r.score, 0),
                        )
                        for r in arows
                    ]
                )
                documents(
                    [
                        SearchDocument(
                            kind="answer",
                            object_pk=a.pk,
                            community_id=a.community_id,
                            question_pk=a.question_id,
                            title=corpus.questions[r.question].title,
                            body=r.text.plain,
                            created_at=r.created_at,
                        )
                        for a, r in zip(answers, arows, strict=True)
                    ]
                )
            for a, r in zip(answers, arows, strict=True):
                answers_of[r.question].append(a.pk)
            bar.advance(task, len(chunk))

        accepted = [
            Question(pk=question_pks[i], accepted_answer_id=answers_of[i][q.accepted])
            for i, q in enumerate(corpus.questions)
            if q.accepted is not None
        ]
        task = bar.add_task("accepted answers", total=len(accepted))
        for chunk in _chunks(len(accepted), 500):
            with transaction.atomic():
                Question.objects.bulk_update(
                    [accepted[i] for i in chunk], ["accepted_answer"], batch_size=500
                )
            bar.advance(task, len(chunk))

        question_rows = list(zip(question_pks, corpus.questions, strict=True))
        extras = load_activity_and_meetings(bar, corpus, communities, users, question_rows, now)

        task = bar.add_task("optimise and analyse", total=1)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                fts = "search_searchdocument_fts"
                # Merge the many small b-trees a bulk load leaves, as a long-lived index would be.
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
                cursor.execute("ANALYZE")
                cursor.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH 'pipeline'")
            else:
                cursor.execute("VACUUM ANALYZE")
                cursor.execute(
                    "SELECT count(*) FROM search_searchdocument "
                    "WHERE search_vector @@ plainto_tsquery('english', 'pipeline')"
                )
            indexed_hits = cursor.fetchone()[0]
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
            else:
                cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
        bar.advance(task)

    # Sign the benchmark's member in: a real session row, as the login view would write. They
    # are the knowledge-management lead too, so the Portfolio is theirs to read.
    person = users[corpus.bench_person]
    User.objects.filter(pk=person.pk).update(is_km_lead=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()

    slug_of = [t.slug for t in TOPICS]
    meta = {
        "vendor": connection.vendor,
        "server_version": server_version,
        "load_seconds": round(time.perf_counter() - started, 1),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "communities": slug_of,
        "events": extras["events"],
        "documents": extras["documents"],
        "questions": [
            [slug_of[q.community], question_pks[i]] for i, q in enumerate(corpus.questions)
        ],
        "counts": {
            "people": User.objects.count(),
            "communities": Community.objects.count(),
            "memberships": Membership.objects.count(),
            "posts": Post.objects.count(),
            "questions": Question.objects.count(),
            "answers": Answer.objects.count(),
            "search_documents": SearchDocument.objects.count(),
            "accepted": Question.objects.filter(accepted_answer__isnull=False).count(),
            "activity_records": extras["activity_records"],
            "events": len(extras["events"]),
            "best_practices": len(extras["documents"]),
            "health_snapshots": extras["snapshots"],
        },
        "documents_matching_pipeline": indexed_hits,
    }
    meta_path.write_text(json.dumps(meta))


EVENTS_PER_COMMUNITY = 30
"""Meetups, one a fortnight: two thirds of them past, with RSVPs from the community."""
DOCUMENTS_PER_COMMUNITY = 5


def load_activity_and_meetings(
    bar: Progress,
    corpus: Corpus,
    communities: list[Any],
    users: list[Any],
    questions: list[tuple[int, Any]],
    now: datetime,
) -> dict[str, Any]:
    """Load what the Health, Portfolio, events and best-practice pages read, then the snapshots.

    The activity log of every question, answer, acceptance and post (as the services would have
    recorded it), events with RSVPs, best practices written through the service, and a health
    snapshot per community computed by the service that `cultivate tick` runs.
    """
    import random as random_module

    from django.db import transaction

    from cultivate.apps.activity.models import ActivityRecord
    from cultivate.apps.insights.services import health_snapshots_compute_all
    from cultivate.apps.meetings.models import Event, Rsvp, RsvpStatus
    from cultivate.apps.practices.services import document_create
    from cultivate.apps.sharing.models import Answer, Post, Question

    rng = random_module.Random(7)
    batch = 5000

    def records() -> Iterator[Any]:
        for pk, row in questions:
            community = communities[row.community]
            yield ActivityRecord(
                community=community,
                actor_id=users[row.author].pk,
                verb="ask",
                object_type="question",
                object_pk=pk,
                at=row.created_at,
            )
        asked_in = {pk: (row.community, row.author) for pk, row in questions}
        for answer in Answer.objects.values_list("pk", "question_id", "author_id", "created_at"):
            pk, question_pk, author_pk, at = answer
            community_index, asker = asked_in[question_pk]
            yield ActivityRecord(
                community=communities[community_index],
                actor_id=author_pk,
                verb="answer",
                object_type="answer",
                object_pk=pk,
                parent_type="question",
                parent_pk=question_pk,
                target_actor_id=users[asker].pk,
                at=at,
            )
        accepted = Question.objects.filter(accepted_answer__isnull=False).values_list(
            "pk",
            "author_id",
            "community_id",
            "accepted_answer_id",
            "accepted_answer__author_id",
            "accepted_answer__created_at",
        )
        for pk, asker_pk, community_pk, answer_pk, answerer_pk, at in accepted:
            yield ActivityRecord(
                community_id=community_pk,
                actor_id=asker_pk,
                verb="accept",
                object_type="answer",
                object_pk=answer_pk,
                parent_type="question",
                parent_pk=pk,
                target_actor_id=answerer_pk,
                at=at + timedelta(hours=2),
            )
        for pk, community_pk, author_pk, at in Post.objects.values_list(
            "pk", "community_id", "author_id", "created_at"
        ):
            yield ActivityRecord(
                community_id=community_pk,
                actor_id=author_pk,
                verb="share",
                object_type="post",
                object_pk=pk,
                at=at,
            )

    task = bar.add_task("activity log", total=None)
    written = 0
    pending: list[Any] = []
    for record in records():
        pending.append(record)
        if len(pending) == batch:
            with transaction.atomic():
                ActivityRecord.objects.bulk_create(pending)
            written += len(pending)
            bar.advance(task, len(pending))
            pending = []
    with transaction.atomic():
        ActivityRecord.objects.bulk_create(pending)
    written += len(pending)

    members_of: list[list[int]] = [[] for _ in communities]
    coordinators_of: list[list[int]] = [[] for _ in communities]
    for m in corpus.memberships:
        members_of[m.community].append(users[m.person].pk)
        if m.coordinator:
            coordinators_of[m.community].append(m.person)
    task = bar.add_task("events and RSVPs", total=len(communities))
    events: list[list[Any]] = []
    for index, community in enumerate(communities):
        host = users[(coordinators_of[index] or [corpus.bench_person])[0]]
        rows = []
        for n in range(EVENTS_PER_COMMUNITY):
            starts = (now - timedelta(days=14 * (EVENTS_PER_COMMUNITY * 2 // 3 - n))).replace(
                hour=15, minute=0, second=0, microsecond=0
            )
            rows.append(
                Event(
                    community=community,
                    host=host,
                    kind="meetup",
                    title=f"{community.name} meetup {n + 1}",
                    description=f"Show and tell number {n + 1}.",
                    description_html=f"<p>Show and tell number {n + 1}.</p>",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    time_zone="Europe/Berlin",
                    location="Room 4",
                    capacity=40 if n % 3 == 0 else None,
                    held_at=starts if starts < now else None,
                    created_at=starts - timedelta(days=10),
                )
            )
        with transaction.atomic():
            created = Event.objects.bulk_create(rows)
            Rsvp.objects.bulk_create(
                [
                    Rsvp(event=event, user_id=pk, status=RsvpStatus.GOING, updated_at=now)
                    for event in created
                    for pk in rng.sample(members_of[index], min(25, len(members_of[index])))
                ]
            )
        events += [[community.slug, e.pk] for e in created]
        bar.advance(task)

    task = bar.add_task("best practices", total=len(communities) * DOCUMENTS_PER_COMMUNITY)
    documents: list[list[Any]] = []
    for index, community in enumerate(communities):
        author = users[(coordinators_of[index] or [corpus.bench_person])[0]]
        for n in range(DOCUMENTS_PER_COMMUNITY):
            body = "\n\n".join(
                corpus.posts[rng.randrange(len(corpus.posts))].text.body for _ in range(3)
            )
            document = document_create(
                community=community,
                by=author,
                title=f"{community.name} practice {n + 1}",
                body=body,
                message="First draft",
            )
            documents.append([community.slug, document.pk])
            bar.advance(task)

    task = bar.add_task("health snapshots", total=len(communities))
    snapshots = health_snapshots_compute_all(on_progress=lambda _: bar.advance(task))
    return {
        "activity_records": written,
        "events": events,
        "documents": documents,
        "snapshots": len(snapshots),
    }


def load_in_child(corpus: Corpus, database_url: str, now: datetime, meta_path: Path) -> dict:
    """Run load() in a forked process (its own Django) and return the metadata it wrote."""
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=load, args=(corpus, database_url, now, meta_path))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"Loading {database_url} failed (exit code {child.exitcode}).")
    return dict(json.loads(meta_path.read_text()))


def migrate(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )


# --- the machine -------------------------------------------------------------------------------


def _cpu_jiffies() -> tuple[int, int]:
    """Return (busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already inside user
    return total - idle, total


def busy_share(seconds: float = 2.0) -> float:
    """Return the share of all CPUs that was busy over the next `seconds`."""
    busy0, total0 = _cpu_jiffies()
    time.sleep(seconds)
    busy1, total1 = _cpu_jiffies()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_quiet(limit: float = 0.25, patience: float = 60.0) -> float:
    """Wait (a bounded while) until other work leaves the CPUs mostly idle; return the last share.

    The benchmark shares its cores with whatever else runs on the machine; measuring while it
    is quiet makes runs comparable.
    """
    deadline = time.monotonic() + patience
    share = busy_share()
    while share > limit and time.monotonic() < deadline:
        share = busy_share()
    return share


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, cookie: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextmanager
def gunicorn(database_url: str, workers: int, log_path: Path) -> Iterator[int]:
    """Serve the app on a free loopback port; stop the whole process group on the way out."""
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cultivate.config.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=django_env(database_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {log_path}")
            try:
                if get(port, "/healthz", "", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")
            time.sleep(0.2)
        yield port
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Latency:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    mean_bytes: int
    with_hits: int | None = None  # searches that found something


@dataclass
class Throughput:
    tool: str
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float | None = None  # wrk's median latency under load


_RESULT_COUNT = re.compile(rb'data-testid="result-count">\s*(\d+|No) result', re.IGNORECASE)


def measure_latency(
    port: int, paths: Sequence[str], cookie: str, warmup: int, is_search: bool = False
) -> Latency:
    """Time each request from connect to the last byte, one after another."""
    for path in paths[:warmup]:
        get(port, path, cookie)
    timings: list[float] = []
    errors = 0
    sizes = 0
    hits = 0
    parsed = 0
    for path in paths[warmup:]:
        start = time.perf_counter()
        status, body = get(port, path, cookie)
        timings.append((time.perf_counter() - start) * 1000)
        sizes += len(body)
        if status != 200:
            errors += 1
        if is_search and (m := _RESULT_COUNT.search(body)):
            parsed += 1
            hits += m.group(1) != b"No"
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    return Latency(
        requests=len(timings),
        errors=errors,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(cuts[18], 1),
        mean_bytes=sizes // len(timings),
        with_hits=hits if is_search and parsed else None,
    )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_version() -> str:
    if not wrk_available():
        return ""
    run = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (run.stdout or run.stderr).splitlines()[0]
    return first.split(" Copyright")[0].split(" [")[0].strip()


def _lua_script(paths: Sequence[str], path: Path) -> Path:
    items = ",\n".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings here
    path.write_text(
        f"local paths = {{\n{items}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\n"
        "end\n"
    )
    return path


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def measure_wrk(
    port: int, paths: Sequence[str], cookie: str, clients: int, seconds: int, script: Path
) -> Throughput:
    """Run wrk (2 threads, `clients` connections) round-robin over the paths."""
    _lua_script(paths, script)
    run = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    out = run.stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if done is None or rps is None:
        raise RuntimeError(f"Could not read wrk's output:\n{out}\n{run.stderr}")
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(socket_errors.group(g)) for g in (1, 2, 3, 4))
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return Throughput(
        tool="wrk",
        seconds=_ms(done.group(2), done.group(3)) / 1000,
        requests=int(done.group(1)),
        errors=errors,
        rps=round(float(rps.group(1)), 1),
        p50_ms=round(_ms(median.group(1), median.group(2)), 1) if median else None,
    )


def _client_process(
    port: int,
    paths: Sequence[str],
    cookie: str,
    threads: int,
    seconds: float,
    offset: int,
    queue: Any,
) -> None:
    lock = threading.Lock()
    totals = {"ok": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        i = offset + n * 97
        ok = errors = 0
        while time.monotonic() < deadline:
            i += 1
            try:
                status, _ = get(port, paths[i % len(paths)], cookie)
                ok += status == 200
                errors += status != 200
            except OSError:
                errors += 1
        with lock:
            totals["ok"] += ok
            totals["errors"] += errors

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put(totals)


def measure_python(
    port: int, paths: Sequence[str], cookie: str, clients: int, seconds: int
) -> Throughput:
    """Without wrk: `clients` threads spread over four processes, each looping until the end."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    processes = 4
    per = [clients // processes + (i < clients % processes) for i in range(processes)]
    started = time.monotonic()
    workers = [
        ctx.Process(target=_client_process, args=(port, paths, cookie, n, seconds, i * 1000, queue))
        for i, n in enumerate(per)
        if n
    ]
    for w in workers:
        w.start()
    totals = [queue.get(timeout=seconds + 120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    elapsed = time.monotonic() - started
    ok = sum(t["ok"] for t in totals)
    errors = sum(t["errors"] for t in totals)
    return Throughput(
        tool="python",
        seconds=round(elapsed, 1),
        requests=ok + errors,
        errors=errors,
        rps=round(ok / elapsed, 1),
    )


def throughput(
    port: int,
    paths: Sequence[str],
    cookie: str,
    clients: int,
    seconds: int,
    script: Path,
    *,
    use_wrk: bool,
) -> Throughput:
    if use_wrk:
        return measure_wrk(port, paths, cookie, clients, seconds, script)
    return measure_python(port, paths, cookie, clients, seconds)
