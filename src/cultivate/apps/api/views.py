"""The page where people make and revoke their personal access tokens for the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cultivate.apps.accounts.models import User

from . import selectors, services
from .forms import TokenForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the person's tokens; a valid POST makes one and shows its secret this once."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    secret = ""
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    status = 400 if request.method == "POST" and not secret else 200
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": list(selectors.tokens_of(user)),
            "created": created,
            "secret": secret,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's tokens; other people's tokens are 404."""
    user = _user(request)
    token = selectors.token_get_for_owner(user, pk)
    try:
        services.token_revoke(token=token, by=user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("Revoked %(name)s: it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
