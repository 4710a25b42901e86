"""Refuse requests carrying NUL characters before any view or database sees them.

PostgreSQL cannot store NUL in text, and no person types one; answering 400 here keeps the promise
that no request, however malformed, produces a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

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
