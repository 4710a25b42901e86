"""Background jobs of sharing: route unanswered questions to people who can answer them."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .routing import questions_route


@task()
def route_unanswered_questions(now: str = "") -> int:
    """Route every question that waited its community's hours (`cultivate tick`)."""
    return questions_route(now=datetime.fromisoformat(now) if now else None)
