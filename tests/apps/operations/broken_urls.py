"""URLs with views that fail unexpectedly, for the error handlers' tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("api/broken", broken), path("broken", broken)]
handler500 = "cultivate.config.urls.server_error"
