"""Pages about people: signing up, reading a profile, keeping one's own profile current."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from cultivate.apps.webutils import add_service_errors, safe_next

from .forms import ProfileForm, SignUpForm
from .models import User
from .selectors import (
    memberships_visible_to,
    person_get,
    recent_answers_visible_to,
    recent_questions_visible_to,
)
from .services import profile_update, user_sign_up


@sensitive_post_parameters("password", "password_again")
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log the person in and send them where they were going."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, "/"))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                display_name=data["name"],
                department=data["department"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Cultivate, {user.name}.")
            return redirect(safe_next(request, "/"))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """Show who a person is, what they know, and where the viewer may see them take part."""
    person = person_get(username)
    viewer = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "is_self": viewer.is_authenticated and viewer.pk == person.pk,
            "memberships": list(memberships_visible_to(viewer, person)),
            "questions": recent_questions_visible_to(viewer, person),
            "answers": recent_answers_visible_to(viewer, person),
        },
    )


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    """Let a person, and only that person, edit their own profile."""
    person = person_get(username)
    if request.user.pk != person.pk:
        raise PermissionDenied("Only the person themself can edit a profile.")
    assert isinstance(request.user, User)
    initial = {
        "display_name": person.display_name,
        "title": person.title,
        "department": person.department,
        "location": person.location,
        "bio": person.bio,
        "expertise": ", ".join(e.name for e in person.expertise.all()),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile", person.username)
    return render(request, "accounts/profile_edit.html", {"form": form, "person": person})
