"""What a kudos may point at: an answer, an action item, a document or a contribution to a help
request, in the same community.

Models are found by name among the installed apps, so the link works whichever app owns action
items and documents, and a kind that is not installed is simply refused.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.sharing.models import Answer
from cultivate.apps.sharing.selectors import hidden_in_thread

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

LINK_KINDS = ("answer", "actionitem", "document", "helpcontribution")
"""Model names (Django's lower-case `model_name`) a kudos may link to."""
LINK_LABELS = {
    "answer": gettext_lazy("answer"),
    "actionitem": gettext_lazy("action item"),
    "document": gettext_lazy("best practice"),
    "helpcontribution": gettext_lazy("help contribution"),
}
"""What each kind is called where people read it ("for answer #12")."""


@cache
def linkable_models() -> dict[str, type[Model]]:
    """Return kind -> model for the installed models that a kudos may link to."""
    found: dict[str, type[Model]] = {}
    for model in apps.get_models():
        name = model._meta.model_name or ""
        if name in LINK_KINDS and name not in found and _has_community(model):
            found[name] = model
    return found


def _has_community(model: type[Model]) -> bool:
    return any(f.name == "community" for f in model._meta.get_fields())


def link_is_hidden(obj: Model) -> bool:
    """Tell whether the linked thing is hidden from members (an answer also by its question)."""
    if isinstance(obj, Answer):
        return hidden_in_thread(obj)
    return bool(getattr(obj, "is_hidden", False))


def link_resolve(*, community: Community, user: User, kind: str, pk: int | None) -> Model | None:
    """Return the linked object, or None when no link was given; raise naming a bad link.

    The object must live in the same community and be visible to members (not hidden); the
    person giving kudos is a member, so community visibility is already settled.
    """
    kind = (kind or "").strip().lower()
    if not kind and pk is None:
        return None
    model = linkable_models().get(kind)
    if model is None:
        choices = ", ".join(sorted(linkable_models())) or "nothing"
        raise ValidationError(
            {
                "link_kind": _("A kudos can link to %(choices)s, not %(kind)s.")
                % {"choices": choices, "kind": repr(kind)}
            }
        )
    if pk is None:
        raise ValidationError(
            {"link_id": _("Say which %(kind)s the kudos is for.") % {"kind": kind}}
        )
    obj = model._default_manager.filter(pk=pk, community=community).first()
    if obj is None or link_is_hidden(obj):
        raise ValidationError(
            {
                "link_id": _("There is no %(kind)s #%(pk)s you can link to in %(name)s.")
                % {"kind": kind, "pk": pk, "name": community.name}
            }
        )
    return obj
