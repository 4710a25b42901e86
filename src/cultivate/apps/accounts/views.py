"""Signing up; the profile pages live in the people app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from cultivate.apps.webutils import add_service_errors, safe_next

from .forms import SignUpForm
from .services import user_sign_up


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
                time_zone=data.get("time_zone") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Cultivate, %(name)s.") % {"name": user.name})
            return redirect(safe_next(request, reverse("welcome:first_steps")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})
