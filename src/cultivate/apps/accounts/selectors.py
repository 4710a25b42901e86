"""Reads about people; what of them a viewer may see is read in the apps that own it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
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


def people_by_handle(handle: str) -> QuerySet[User]:
    """The active people someone may mean by what they typed: a user name (with or without @),
    an e-mail address, or the name colleagues know them by, in any case."""
    handle = handle.strip().lstrip("@")
    if not handle:
        return User.objects.none()
    return User.objects.filter(
        Q(username__iexact=handle) | Q(email__iexact=handle) | Q(display_name__iexact=handle),
        is_active=True,
    )
