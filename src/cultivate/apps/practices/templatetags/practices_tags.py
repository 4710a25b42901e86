"""Template pieces other apps show: the best practices linked to a question."""

from __future__ import annotations

from typing import Any

from django import template

from cultivate.apps.sharing.models import Question

from ..selectors import practices_for_question

register = template.Library()


@register.inclusion_tag("practices/_related.html")
def related_practices(question: Question) -> dict[str, Any]:
    """List the best practices that answer this question (the page already checked access)."""
    return {"practices": practices_for_question(question)}
