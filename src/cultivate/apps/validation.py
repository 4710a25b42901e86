"""Checks of members' text shared by every app's services: errors name the field and the fix."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def require(errors: dict[str, str], field: str, value: str, what: str, limit: int) -> str:
    """Return the text stripped, noting in `errors` when it is empty or too long."""
    value = (value or "").strip()
    if not value:
        errors[field] = _("Write %(what)s.") % {"what": what}
    elif len(value) > limit:
        errors[field] = _("Keep %(what)s under %(limit)s characters (it has %(count)s).") % {
            "what": what,
            "limit": format(limit, ","),
            "count": format(len(value), ","),
        }
    return value


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
