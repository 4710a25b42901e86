"""Steps the worker-process tests run in a process of their own, on a database the worker shares.

python -m tests.apps.operations.scenario queue-import SLUG EXPORT  -> prints the import job's id
python -m tests.apps.operations.scenario counts SLUG               -> prints what the community holds
python -m tests.apps.operations.scenario health SLUG               -> stores and prints its health
"""

from __future__ import annotations

import json
import sys

import django


def queue_import(slug: str, export: str) -> None:
    from cultivate.apps.accounts.models import User
    from cultivate.apps.communities.models import Visibility
    from cultivate.apps.communities.services import community_create
    from cultivate.apps.imports.models import ImportJob
    from cultivate.apps.imports.tasks import import_history

    user = User.objects.filter(username="importer").first()
    if user is None:
        user = User.objects.create_user("importer", "importer@example.org", "a-Long-passw0rd")
    community = community_create(
        by=user, name=slug.title(), slug=slug, practice="AI", visibility=Visibility.PRIVATE
    )
    job = ImportJob.objects.create(
        community=community, by=user, file_path=export, file_name="export"
    )
    import_history.enqueue(import_id=job.pk)
    print(job.pk)


def counts(slug: str) -> None:
    from cultivate.apps.activity.models import ActivityRecord
    from cultivate.apps.imports.models import ImportJob
    from cultivate.apps.sharing.models import Answer, Comment, Question, Vote

    found = {
        "questions": Question.objects.filter(community__slug=slug).count(),
        "answers": Answer.objects.filter(question__community__slug=slug).count(),
        "comments": Comment.objects.filter(community__slug=slug).count(),
        "votes": Vote.objects.filter(question__community__slug=slug).count()
        + Vote.objects.filter(answer__question__community__slug=slug).count(),
        "activities": ActivityRecord.objects.filter(community__slug=slug).count(),
        "jobs": list(
            ImportJob.objects.filter(community__slug=slug).values_list("status", "counts")
        ),
    }
    print(json.dumps(found))


def health(slug: str) -> None:
    from cultivate.apps.communities.models import Community
    from cultivate.apps.insights.services import health_snapshot_compute

    snapshot = health_snapshot_compute(community=Community.objects.get(slug=slug))
    print(json.dumps({"level": snapshot.level, "health": snapshot.health_score}))


if __name__ == "__main__":
    django.setup()
    command, *arguments = sys.argv[1:]
    {"queue-import": queue_import, "counts": counts, "health": health}[command](*arguments)
