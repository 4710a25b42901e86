"""Refuse malformed requests before any view or database sees them: NUL characters, bodies
larger than their address takes, methods the API does not take.

PostgreSQL cannot store NUL in text, and no person types one; answering 400 here keeps the promise
that no request, however malformed, produces a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from cultivate.apps.audit.context import request_address
from cultivate.apps.limits import client_address

_NUL = b"\x00"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _NUL in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if content_type.startswith("multipart/"):
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    body = request.body
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = unquote_to_bytes(body.replace(b"+", b" "))
    elif "json" in content_type:
        return _NUL in body or b"\\u0000" in body.lower()
    return _NUL in body


class RejectNulMiddleware:
    """Answer 400 (JSON under /api/) to any request whose path, query or body holds a NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = "The request contains a NUL character, which no field accepts."
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "bad_request", "detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """Answer a method an API endpoint does not take in JSON with its code, like every API error.

    ninja answers it with a plain-text 405 before the API's exception handlers run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith("/api/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        detail = (
            f"The API does not take {request.method} here; it takes {response.get('Allow', '')}."
        )
        answer = JsonResponse({"code": "method_not_allowed", "detail": detail}, status=405)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer


class RequestSizeMiddleware:
    """Refuse a body larger than its address takes with 413, before anything reads it.

    The API takes CULTIVATE_API_MAX_BODY (a best practice of 2,000,000 characters fits), an
    export upload CULTIVATE_MAX_UPLOAD_BYTES, any other form DATA_UPLOAD_MAX_MEMORY_SIZE. Django
    alone would answer a too-large form with a bare 400 once a view read it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _body_limit(request)
        if length > limit:
            return _too_large(request, length, limit)
        return self.get_response(request)


def _body_limit(request: HttpRequest) -> int:
    if request.path.startswith("/api/"):
        return int(settings.CULTIVATE_API_MAX_BODY)
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        try:
            if resolve(request.path_info).view_name == "imports:upload":
                return int(settings.CULTIVATE_MAX_UPLOAD_BYTES) + 1024 * 1024  # + the form
        except Resolver404:
            pass
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + 1024 * 1024


def _too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
    detail = _("The request is %(size)s MB; this address takes at most %(limit)s MB.") % {
        "size": format(length / 1024**2, ",.1f"),
        "limit": format(limit / 1024**2, ",.0f"),
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_large", "detail": detail}, status=413)
    return render(request, "413.html", {"detail": detail}, status=413)


class AuditAddressMiddleware:
    """Let the audit entries a request's services write say which address it came from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            request_address.reset(token)
