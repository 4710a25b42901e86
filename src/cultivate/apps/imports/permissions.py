"""Who may load another platform's history into a community.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import is_coordinator

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_import(user: User | AnonymousUser, community: Community) -> None:
    """Only a community's coordinators load another platform's history into it."""
    if not is_coordinator(user, community):
        raise PermissionDenied(
            _("Only coordinators of %(name)s can import history into it.")
            % {"name": community.name}
        )


def can_import(user: User | AnonymousUser, community: Community) -> bool:
    """Whether the person may import into the community (the page shows "Import again")."""
    return is_coordinator(user, community)
