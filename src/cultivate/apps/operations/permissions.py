"""Who may see how the deployment runs: its operators (staff), and Prometheus with its token."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def is_operator(user: Any) -> bool:
    """Staff run the deployment: they see the queue, the workers and the metrics."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def check_operate(user: Any) -> None:
    """Refuse anyone who does not run the deployment."""
    if not is_operator(user):
        raise PermissionDenied


def can_read_metrics(request: HttpRequest) -> bool:
    """An operator's session, or CULTIVATE_METRICS_TOKEN presented as a bearer token."""
    if is_operator(getattr(request, "user", None)):
        return True
    token = settings.CULTIVATE_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())
