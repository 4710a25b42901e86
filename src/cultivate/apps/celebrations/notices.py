"""Tell a community about a milestone: Cultivate posts it, so the notice has no actor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_noop

from cultivate.apps.communities.models import Membership, MembershipState
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.notifications.services import notify

from .models import Milestone

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def notify_milestone(*, milestone: Milestone, people: Sequence[User], at: datetime) -> int:
    """Send a `milestone` notice to the people it celebrates and every active member."""
    community = milestone.community
    members = Membership.objects.filter(
        community=community, state=MembershipState.ACTIVE
    ).values_list("user_id", flat=True)
    return notify(
        recipient_ids={p.pk for p in people} | set(members),
        kind=Kind.MILESTONE,
        actor=None,
        community=community,
        summary=phrase(
            gettext_noop("A win in %(name)s: %(title)s"),
            name=community.name,
            title=milestone.title_phrase,
        ),
        url=milestone.url or milestone.get_absolute_url(),
        at=at,
    )
