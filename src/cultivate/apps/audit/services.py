"""Write the audit trail: the one writer of AuditEntry, called by the services that act."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from .context import request_address
from .models import AuditEntry


def audit_record(
    *,
    action: str,
    actor: Any,
    community: Any = None,
    subject: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Note an act (call it inside the act's transaction, so both land or neither does)."""
    person = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor=person,
        actor_label=person.get_username() if person is not None else "",
        address=request_address.get(),
        action=action,
        community=community,
        community_label=community.name if community is not None else "",
        subject=subject[:300],
        before=before or {},
        after=after or {},
    )
