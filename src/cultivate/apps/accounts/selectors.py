"""Reads about people; what of them a viewer may see is read in the apps that own it."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from .models import User


def person_get(username: str) -> User:
    """Return the active person with this user name and their expertise, or 404."""
    person = (
        User.objects.filter(username=username, is_active=True).prefetch_related("expertise").first()
    )
    if person is None:
        raise Http404(_("No such person."))
    return person
