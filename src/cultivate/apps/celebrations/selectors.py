"""Reads for celebrations: the wins feed (milestones and kudos, newest first) and single wins.

Every read starts from a community the person may see; a private community's wins are 404 to
everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import CharField, Model, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community
from cultivate.apps.communities.selectors import visible_community_ids

from .links import LINK_LABELS, link_is_hidden, linkable_models
from .models import Cheer, Kudos, Milestone
from .permissions import check_view_wins

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MILESTONE, KUDOS = "milestone", "kudos"

_LINK_RELATIONS = {
    "answer": ("question__community", "community"),
    "helpcontribution": ("request__community", "community"),
}
"""What a linked object's URL and visibility check read, beyond its community."""


def _link_querysets() -> list[QuerySet[Model]]:
    """How each kind of linked object loads: with what its URL reads, in one query per kind."""
    return [
        model._default_manager.select_related(*_LINK_RELATIONS.get(kind, ("community",)))
        for kind, model in sorted(linkable_models().items())
    ]


WIN_KINDS = (MILESTONE, KUDOS)


@dataclass(frozen=True)
class Win:
    """One entry of the wins feed, with whether the viewer has cheered it."""

    kind: str
    item: Milestone | Kudos
    cheered: bool

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.item.pk}"

    @property
    def link_label(self) -> str:
        """What the linked thing is called, in the reader's language ("answer")."""
        if not isinstance(self.item, Kudos) or self.item.link_type is None:
            return ""
        return str(LINK_LABELS.get(self.item.link_type.model, self.item.link_type.name))

    @property
    def link(self) -> Model | None:
        """Return the kudos' linked answer, action item or document while it is still shown."""
        if not isinstance(self.item, Kudos) or self.item.link is None:
            return None
        return None if link_is_hidden(self.item.link) else self.item.link


def win_rows(
    user: User | AnonymousUser, community: Community, *, person: User | None = None
) -> QuerySet[Any]:
    """Return (kind, id, created_at) rows of the community's wins, newest first.

    With `person`, keep the milestones celebrating them and the kudos they received.
    """
    check_view_wins(user, community)
    milestones = Milestone.objects.filter(community=community)
    kudos = Kudos.objects.filter(community=community)
    if person is not None:
        milestones = milestones.filter(people=person)
        kudos = kudos.filter(receiver=person)
    columns = ("id", "created_at", "kind")
    return (
        milestones.order_by()
        .annotate(kind=Value(MILESTONE, output_field=CharField()))
        .values(*columns)
        .union(
            kudos.order_by().annotate(kind=Value(KUDOS, output_field=CharField())).values(*columns)
        )
        .order_by("-created_at", "-id")
    )


def wins_load(user: User | AnonymousUser, rows: Any) -> list[Win]:
    """Turn a page of rows into Win entries in a fixed number of queries."""
    rows = list(rows)
    ids = {kind: [r["id"] for r in rows if r["kind"] == kind] for kind in WIN_KINDS}
    milestones = Milestone.objects.filter(pk__in=ids[MILESTONE]).prefetch_related("people")
    kudos = (
        Kudos.objects.filter(pk__in=ids[KUDOS])
        .select_related("giver", "receiver", "link_type")
        .prefetch_related(GenericPrefetch("link", _link_querysets()))
    )
    found: dict[tuple[str, int], Milestone | Kudos] = {
        **{(MILESTONE, m.pk): m for m in milestones.select_related("community")},
        **{(KUDOS, k.pk): k for k in kudos.select_related("community")},
    }
    cheered = _cheered_by(user, ids[MILESTONE], ids[KUDOS])
    return [
        Win(kind=r["kind"], item=found[key], cheered=key in cheered)
        for r in rows
        if (key := (r["kind"], r["id"])) in found
    ]


def _cheered_by(
    user: User | AnonymousUser, milestone_ids: list[int], kudos_ids: list[int]
) -> set[tuple[str, int]]:
    if not user.is_authenticated or not (milestone_ids or kudos_ids):
        return set()
    cheers = Cheer.objects.filter(
        Q(milestone_id__in=milestone_ids) | Q(kudos_id__in=kudos_ids), user_id=user.pk
    )
    return {
        (MILESTONE, m) if m else (KUDOS, k)
        for m, k in cheers.values_list("milestone_id", "kudos_id")
    }


def win_get_for_user(
    user: User | AnonymousUser, community: Community, kind: str, pk: int
) -> Milestone | Kudos:
    """Return one win of the community, or 404 when it is not there or not visible."""
    if not can_view_community(user, community) or kind not in WIN_KINDS:
        raise Http404(_("No such win."))
    model: type[Milestone] | type[Kudos] = Milestone if kind == MILESTONE else Kudos
    win = model.objects.filter(community=community, pk=pk).select_related("community").first()
    if win is None:
        raise Http404(_("No such win."))
    return win


def kudos_received_visible_to(
    viewer: User | AnonymousUser, person: User, limit: int = 5
) -> list[Kudos]:
    """Return the latest kudos a person received, in communities the viewer may see."""
    return list(
        Kudos.objects.filter(receiver=person, community_id__in=visible_community_ids(viewer))
        .select_related("giver", "community")
        .order_by("-created_at", "-id")[:limit]
    )
