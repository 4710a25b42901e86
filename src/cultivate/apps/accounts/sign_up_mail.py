"""The one e-mail a sign-up sends: a link to finish it, or, when the address already has an
account, a reminder of it. The page after signing up is the same either way."""

from __future__ import annotations

from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from .services import SignUp
from .tokens import sign_up_tokens


def sign_up_mail_send(request: HttpRequest, sign_up: SignUp, next_url: str = "") -> None:
    account = sign_up.account
    if sign_up.is_new:
        path = reverse(
            "accounts:sign_up_finish",
            args=[
                urlsafe_base64_encode(force_bytes(account.pk)),
                sign_up_tokens.make_token(account),
            ],
        )
        link = request.build_absolute_uri(
            path + (f"?{urlencode({'next': next_url})}" if next_url else "")
        )
        subject = _("Finish signing up to Cultivate")
        body = render_to_string(
            "accounts/sign_up_finish_email.txt", {"user": account, "link": link}
        )
    else:
        subject = _("You already have a Cultivate account")
        body = render_to_string(
            "accounts/sign_up_exists_email.txt",
            {
                "user": account,
                "login": request.build_absolute_uri(reverse("accounts:login")),
                "reset": request.build_absolute_uri(reverse("accounts:password_reset")),
            },
        )
    send_mail(subject, body, None, [account.email])
