"""Who may write, steer, review and re-review a community's best practices.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_contribute, is_coordinator, is_member

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_write_document(user: User | AnonymousUser, community: Community) -> None:
    """Best practices are written together: any member starts one or saves a revision."""
    check_contribute(user, community)


def can_steer_document(
    user: User | AnonymousUser,
    community: Community,
    author_id: int,
    steward_id: int | None = None,
) -> bool:
    """The document's author, its steward (a topic's owner) or a coordinator asks for reviews
    and publishes."""
    return is_member(user, community) and (
        user.pk in (author_id, steward_id) or is_coordinator(user, community)
    )


def check_steer_document(
    user: User | AnonymousUser,
    community: Community,
    author_id: int,
    steward_id: int | None = None,
) -> None:
    check_contribute(user, community)
    if not can_steer_document(user, community, author_id, steward_id):
        raise PermissionDenied(
            _("Only the document's author, its owner or a coordinator can do that.")
        )


def check_review_document(
    user: User | AnonymousUser, community: Community, reviewer_ids: set[int]
) -> None:
    """Only the people asked to review give a verdict."""
    check_contribute(user, community)
    if user.pk not in reviewer_ids:
        raise PermissionDenied(_("Only the reviewers the author asked can review this document."))


def check_mark_outdated(user: User | AnonymousUser, community: Community) -> None:
    """Any member may say a published practice is out of date; the reason tells why."""
    check_contribute(user, community)


def can_rereview_document(user: User | AnonymousUser, community: Community) -> bool:
    """A coordinator vouches again for a published practice, clearing the outdated mark."""
    return is_member(user, community) and is_coordinator(user, community)


def check_rereview_document(user: User | AnonymousUser, community: Community) -> None:
    check_contribute(user, community)
    if not can_rereview_document(user, community):
        raise PermissionDenied(
            _("Only coordinators of %(name)s can re-review a practice.") % {"name": community.name}
        )
