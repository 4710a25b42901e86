"""Signing up; the profile pages live in the people app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cultivate.apps.webutils import add_service_errors, safe_next

from .forms import SignUpForm
from .models import User
from .services import user_sign_up, user_sign_up_finish
from .sign_up_mail import sign_up_mail_send
from .tokens import sign_up_tokens


@sensitive_post_parameters("password", "password_again")
def signup(request: HttpRequest) -> HttpResponse:
    """Make an account that waits for its e-mail link; say the same whether or not the address
    already had an account (the e-mail, not the page, tells its owner which)."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, "/"))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign_up = user_sign_up(
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
            sign_up_mail_send(request, sign_up, safe_next(request, ""))
            email = str(data["email"]).strip().lower()
            return render(request, "accounts/sign_up_sent.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


def _account_of_link(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    account = User.objects.filter(pk=pk, pending_since__isnull=False).first()
    if account is None or not sign_up_tokens.check_token(account, token):
        return None
    return account


@never_cache
@sensitive_post_parameters("password")
def sign_up_finish(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mail link: a page asking for the password chosen at sign-up (mail scanners that
    open links change nothing), which turns the account on and signs the person in."""
    account = _account_of_link(uidb64, token)
    wrong_password = False
    if account is not None and request.method == "POST":
        # The password chosen at sign-up: someone who signed up with another person's address
        # cannot have that person finish an account whose password they know.
        if not account.check_password(request.POST.get("password", "")):
            wrong_password = True
        else:
            return _finish(request, account)
    context = {"account": account, "next": safe_next(request, ""), "wrong": wrong_password}
    return render(request, "accounts/sign_up_finish.html", context, status=200 if account else 400)


def _finish(request: HttpRequest, account: User) -> HttpResponse:
    user_sign_up_finish(user=account)
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to Cultivate, %(name)s.") % {"name": account.name})
    return redirect(safe_next(request, reverse("welcome:first_steps")))
