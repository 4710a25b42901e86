"""Who may see and recompute a community's health, and the portfolio of all communities.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_health, is_coordinator, is_km_lead

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_view_health(user: User | AnonymousUser, community: Community) -> None:
    if not can_view_health(user, community):
        raise PermissionDenied(
            _("Only members of %(name)s see its health.") % {"name": community.name}
        )


def can_recompute_health(user: User | AnonymousUser, community: Community) -> bool:
    """Coordinators and KM leads may ask for a fresh report instead of waiting for the job."""
    return is_km_lead(user) or is_coordinator(user, community)


def check_recompute_health(user: User | AnonymousUser, community: Community) -> None:
    if not can_recompute_health(user, community):
        raise PermissionDenied(_("Only coordinators and knowledge-management leads can recompute."))


def check_view_portfolio(user: User | AnonymousUser) -> None:
    """The portfolio of every community, private ones included, is for KM leads only."""
    if not is_km_lead(user):
        raise PermissionDenied(_("The portfolio is for knowledge-management leads."))
