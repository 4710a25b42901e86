"""/healthz: the process answers; /readyz: it can serve (database, Redis and queue reachable).

A load balancer takes a server out of rotation while /readyz answers 503, and the answer names
what is missing, so the operator knows where to look.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("cultivate.probes")


def healthz(request: HttpRequest) -> HttpResponse:
    """Answer plainly that the process is up: for load balancers, and the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


def _database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis() -> str:
    """Redis matters to readiness only when it carries the queue: the cache and the sessions
    work without it (misses, and the database), so a Redis outage takes no server out."""
    url = getattr(settings, "RQ_QUEUES", {}).get("default", {}).get("URL")
    if not url or "RQ" not in settings.TASKS["default"]["BACKEND"]:
        return "not needed"
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok"


def _queue() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").exists()
        return "ok"
    if "RQ" in backend:
        return _redis()
    return "in the request"


def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every part this server needs answers, else 503 naming which does not.

    The answer is public (load balancers read it), so why a part failed goes to the log only.
    """
    checks = {"database": _database, "redis": _redis, "queue": _queue}
    answers: dict[str, str] = {}
    for name, check in checks.items():
        try:
            answers[name] = check()
        except Exception:  # any failure means not ready; the log says why
            answers[name] = "unreachable"
            logger.exception("not ready: %s unreachable", name)
    ready = "unreachable" not in answers.values()
    return JsonResponse({"ready": ready, **answers}, status=200 if ready else 503)
