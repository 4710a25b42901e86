"""Every URL Cultivate serves, by app."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views import defaults

from cultivate.apps.agenda.api import router as agenda_api
from cultivate.apps.api.api import api
from cultivate.apps.celebrations.api import router as celebrations_api
from cultivate.apps.decisions.api import router as decisions_api
from cultivate.apps.meetings.api import router as meetings_api
from cultivate.apps.operations.metrics import metrics_view
from cultivate.apps.operations.probes import healthz, readyz
from cultivate.apps.practices.api import router as practices_api
from cultivate.apps.webutils import markdown_preview
from cultivate.config.logs import request_id

# Each app keeps its endpoints on its own router; they share the API's auth and error handlers.
for _router in (meetings_api, decisions_api, celebrations_api, practices_api, agenda_api):
    api.add_router("/", _router)


def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Answer unknown API paths in JSON, like every other API error."""
    detail = _("No API endpoint at /api/%(path)s.") % {"path": rest[:200]}
    return JsonResponse({"code": "not_found", "detail": detail}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unexpected error: JSON under /api/ (a client parses it), the error page elsewhere.

    The message carries the request's id, which the log line of the error carries too.
    """
    if request.path.startswith("/api/"):
        detail = _("Something went wrong on our side; the error is logged as request %(id)s.") % {
            "id": request_id.get()
        }
        return JsonResponse({"code": "server_error", "detail": detail}, status=500)
    return defaults.server_error(request)


handler500 = "cultivate.config.urls.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("operations/", include("cultivate.apps.operations.urls")),
    path("preview/", markdown_preview, name="preview"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("settings/tokens/", include("cultivate.apps.api.urls")),
    path("accounts/", include("cultivate.apps.accounts.urls")),
    path("sso/", include("cultivate.apps.sso.urls")),
    path("people/", include("cultivate.apps.people.urls")),
    path("welcome/", include("cultivate.apps.people.welcome_urls")),
    path("suggest/", include("cultivate.apps.people.suggest_urls")),
    path("notifications/", include("cultivate.apps.notifications.urls")),
    path("digest/", include("cultivate.apps.digest.urls")),
    path("search/", include("cultivate.apps.search.urls")),
    path("c/", include("cultivate.apps.meetings.urls")),
    path("c/", include("cultivate.apps.decisions.urls")),
    path("c/", include("cultivate.apps.celebrations.urls")),
    path("c/", include("cultivate.apps.practices.urls")),
    path("c/", include("cultivate.apps.agenda.urls")),
    path("c/", include("cultivate.apps.sharing.urls")),
    path("insights/", include("cultivate.apps.insights.urls")),
    path("imports/", include("cultivate.apps.imports.urls")),
    path("", include("cultivate.apps.communities.urls")),
]
