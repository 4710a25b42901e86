"""The demo's last step, on the worker: embed its thread heads, then route its waiting questions.

Embedding the demo's 1,300 questions, posts and best practices took 6-19 s of a load people sit
through; queued, the load returns and the worker (started beside the server by `make run`) does
it in the first seconds of serving. Routing reads the embeddings, so it follows them here.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from cultivate.apps.notifications.services import email_muted
from cultivate.apps.search.embeddings import embeddings_catch_up
from cultivate.apps.sharing.routing import questions_route


@task()
def demo_questions_route(end: str) -> int:
    """Embed what has no embedding yet, then route the questions waiting at the demo's `end`."""
    embeddings_catch_up(limit=1_000_000)
    with email_muted():
        return questions_route(now=datetime.fromisoformat(end))
