"""A person's page: who they are, what they know, and where the viewer may see them take part.

It sits above the apps it gathers from (communities, sharing), so accounts imports none of them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cultivate.apps.accounts.forms import ProfileForm
from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.selectors import people_named_like, person_get
from cultivate.apps.accounts.services import profile_update
from cultivate.apps.communities.selectors import (
    community_get_for_user,
    member_choices,
    person_memberships_visible_to,
)
from cultivate.apps.sharing.selectors import (
    person_recent_answers_visible_to,
    person_recent_questions_visible_to,
)
from cultivate.apps.webutils import add_service_errors

from .welcome import first_steps, suggested_communities


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """Show who a person is, what they know, and where the viewer may see them take part."""
    person = person_get(username)
    viewer = request.user
    return render(
        request,
        "people/profile.html",
        {
            "person": person,
            "is_self": viewer.is_authenticated and viewer.pk == person.pk,
            "memberships": list(person_memberships_visible_to(viewer, person)),
            "questions": person_recent_questions_visible_to(viewer, person),
            "answers": person_recent_answers_visible_to(viewer, person),
        },
    )


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    """Let a person, and only that person, edit their own profile."""
    person = person_get(username)
    if request.user.pk != person.pk:
        raise PermissionDenied(_("Only the person themself can edit a profile."))
    assert isinstance(request.user, User)
    initial = {
        "display_name": person.display_name,
        "title": person.title,
        "department": person.department,
        "location": person.location,
        "bio": person.bio,
        "expertise": ", ".join(e.name for e in person.expertise.all()),
        "language": person.language,
        "time_zone": person.time_zone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:profile", person.username)
    return render(request, "people/profile_edit.html", {"form": form, "person": person})


@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """A newcomer's first steps: communities that fit them, and a checklist until it is done."""
    assert isinstance(request.user, User)
    return render(
        request,
        "people/welcome.html",
        {
            "suggestions": suggested_communities(request.user),
            "steps": first_steps(request.user),
        },
    )


@login_required
def person_suggestions(request: HttpRequest) -> HttpResponse:
    """People whose name begins with what is typed, for a field that names one person
    (static/cultivate/suggest.js); with `community`, only its active members (404 to anyone
    who may not see it)."""
    slug = request.GET.get("community", "")
    among = member_choices(community_get_for_user(request.user, slug)) if slug else None
    people = people_named_like(request.GET.get("q", "")[:150], among)
    return render(request, "people/_person_suggestions.html", {"people": people})
