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


PEOPLE_SUGGESTED = 8


def people_named_like(
    typed: str, among: QuerySet[User] | None = None, limit: int = PEOPLE_SUGGESTED
) -> list[User]:
    """Active people whose name, or one word of it, or user name begins with what is typed:
    "sam" and "riv" both find Sam Rivera. `among` narrows them (a community's members)."""
    typed = typed.strip().lstrip("@")
    if not typed:
        return []
    people = User.objects.filter(is_active=True) if among is None else among.filter(is_active=True)
    named = (
        Q(display_name__istartswith=typed)
        | Q(display_name__icontains=f" {typed}")
        | Q(username__istartswith=typed)
    )
    return list(people.filter(named).order_by("display_name", "username")[:limit])
