"""Who may see how the deployment runs: its operators (staff), and Prometheus with its token;
who reads the audit trail: operators all of it, coordinators their communities'."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cultivate.apps.communities.models import Membership, MembershipState, Role


def is_operator(user: Any) -> bool:
    """Staff run the deployment: they see the queue, the workers and the metrics."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def check_operate(user: Any) -> None:
    """Refuse anyone who does not run the deployment."""
    if not is_operator(user):
        raise PermissionDenied


def audit_scope(user: Any) -> list[int] | None:
    """Which communities' audit entries the person reads: None for every entry (operators),
    else the communities they coordinate; an empty list for nobody else."""
    if is_operator(user):
        return None
    if user is None or not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(
            user=user, role=Role.COORDINATOR, state=MembershipState.ACTIVE
        ).values_list("community_id", flat=True)
    )


def check_read_audit(user: Any) -> list[int] | None:
    """Refuse anyone who neither runs the deployment nor coordinates a community."""
    scope = audit_scope(user)
    if scope is not None and not scope:
        raise PermissionDenied
    return scope


def can_read_metrics(request: HttpRequest) -> bool:
    """An operator's session, or CULTIVATE_METRICS_TOKEN presented as a bearer token."""
    if is_operator(getattr(request, "user", None)):
        return True
    token = settings.CULTIVATE_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())
