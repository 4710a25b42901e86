"""A profile's "Kudos received" box, so the accounts page shows kudos without knowing about them."""

from __future__ import annotations

from typing import Any

from django import template

from cultivate.apps.accounts.models import User

from ..selectors import kudos_received_visible_to

register = template.Library()


@register.inclusion_tag("celebrations/_kudos_received.html", takes_context=True)
def kudos_received(context: dict[str, Any], person: User) -> dict[str, Any]:
    """Return the latest kudos the person received where the viewer may see them."""
    viewer = context["request"].user
    return {"person": person, "kudos": kudos_received_visible_to(viewer, person)}
