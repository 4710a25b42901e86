"""See one's own weekly digest as it would arrive, before choosing to get it."""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cultivate.apps.accounts.session import signed_in

from .contents import digest_for
from .sending import digest_mail

# An e-mail carries its style inline, as mail readers want; shown here it may use that style and
# nothing else: no script at all, no form, no frame (a stricter policy than the site's).
MAIL_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
}


@login_required
@csp(MAIL_POLICY)
def preview(request: HttpRequest) -> HttpResponse:
    """The HTML digest the person would get this week (`?format=text` for the plain one)."""
    user = signed_in(request)
    now = timezone.now()
    mail = digest_mail(user, digest_for(user, now), timezone.localtime(now))
    if request.GET.get("format") == "text":
        return HttpResponse(mail.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(mail.html)
