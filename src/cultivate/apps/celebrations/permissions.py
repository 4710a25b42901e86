"""Who may see a community's wins, give kudos and cheer.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_contribute, check_view_community, is_member

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_view_wins(user: User | AnonymousUser, community: Community) -> None:
    """The wins feed is as visible as the community: a private one's wins are for members only."""
    check_view_community(user, community)


def can_celebrate(user: User | AnonymousUser, community: Community) -> bool:
    """Members give kudos and cheer wins; the page shows the forms only to them."""
    return is_member(user, community)


def check_give_kudos(user: User | AnonymousUser, community: Community, receiver: User) -> None:
    """Only members give kudos, only to another member, never to themselves."""
    check_contribute(user, community)
    if receiver.pk == user.pk:
        raise PermissionDenied(_("Kudos are for someone else; you cannot give kudos to yourself."))
    if not is_member(receiver, community):
        raise PermissionDenied(
            _("%(name)s is not a member of %(name_2)s.")
            % {"name": receiver.name, "name_2": community.name}
        )


def check_cheer(user: User | AnonymousUser, community: Community) -> None:
    """Only members cheer their community's wins."""
    check_contribute(user, community)
