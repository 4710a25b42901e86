"""The two ends of a single sign-on: off to the provider, and back with its answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .config import sign_on_enabled


class SignOnStart(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the person to the provider with a fresh state, nonce and PKCE challenge."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sign_on_enabled():
            raise Http404(_("Single sign-on is not set up here."))
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


class SignOnCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Sign the person in, or back to the login page saying why not. A state the session does
    not hold (a replayed or forged answer) signs nobody in."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sign_on_enabled():
            raise Http404(_("Single sign-on is not set up here."))
        state = request.GET.get("state")
        if state not in request.session.get("oidc_states", {}):
            # A replayed or forged answer, or another site sending `?error=` to sign people
            # out: nothing happens to the session that did not ask.
            return self._refused(_("That sign-in answer was already used or never asked for."))
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def login_failure(self) -> HttpResponse:
        reason = self.request.session.pop("sso_refusal", "")
        return self._refused(reason or _("The identity provider did not sign you in."))

    def _refused(self, reason: str) -> HttpResponse:
        messages.error(
            self.request, _("Single sign-on did not complete: %(reason)s") % {"reason": reason}
        )
        return HttpResponseRedirect(resolve_url("accounts:login"))
