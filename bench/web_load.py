"""Load one database with the corpus: migrate, then bulk inserts in a forked child.

The only part of the web benchmark that imports Django, and only in the child, so each database
gets its own Django setup while the text, written and rendered once in the parent
(web_render.py), is shared without copying. The parent reads back the metadata the child writes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rich.progress import Progress

from corpus import Corpus
from corpus_communities import TOPICS
from web import ROOT, django_env, progress

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
    from cultivate.apps.keyset import encode_cursor
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
    sampled = Question.objects.in_bulk(question_pks[::60])
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
        "question_cursors": [
            [slug_of[q.community], encode_cursor(sampled[pk])]
            for q, pk in zip(corpus.questions[::60], question_pks[::60], strict=True)
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
