"""See one's own weekly digest as it would arrive, before choosing to get it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cultivate.apps.accounts.session import signed_in

from .contents import digest_for
from .sending import digest_mail


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """The HTML digest the person would get this week (`?format=text` for the plain one)."""
    user = signed_in(request)
    now = timezone.now()
    mail = digest_mail(user, digest_for(user, now), timezone.localtime(now))
    if request.GET.get("format") == "text":
        return HttpResponse(mail.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(mail.html)
