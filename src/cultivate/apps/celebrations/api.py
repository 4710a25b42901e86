"""REST endpoints for celebrations, mounted on the one API in config/urls.py.

The wins feed, giving kudos and cheering a win; the same selectors, services and permissions as
the pages, so a private community's wins are 404 to non-members here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params import functions as params
from pydantic import StringConstraints

from cultivate.apps.api.auth import WRITE
from cultivate.apps.api.schemas import MAX_ID, ErrorOut, PersonOut, Strict, absolute_link
from cultivate.apps.api.shaping import Shaped, paginated, writer
from cultivate.apps.communities.selectors import community_get_for_user

from . import selectors, services
from .models import Kudos, Milestone
from .selectors import Win

router = Router(tags=["celebrations"])

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ID: Any = params.Path(..., ge=1, le=MAX_ID)


class WinFilters(Schema):
    person: Annotated[str, StringConstraints(max_length=150)] | None = Field(
        None, description="Only this member's wins: milestones about them and kudos they received."
    )


class LinkOut(Schema):
    """What a kudos names (read from the kudos: its link's type, the object, its page)."""

    kind: str = Field(description="answer, actionitem or document.")
    id: int
    url: str

    @staticmethod
    def resolve_kind(obj: Kudos) -> str:
        return obj.link_type.model if obj.link_type else ""

    @staticmethod
    def resolve_id(obj: Kudos) -> int:
        return int(obj.link.pk)  # type: ignore[union-attr]

    @staticmethod
    def resolve_url(obj: Kudos, context: dict[str, Any]) -> str:
        return absolute_link(obj.link, context)  # type: ignore[arg-type]


class WinOut(Schema):
    kind: Literal["milestone", "kudos"]
    id: int
    community: str = Field(description="The community's slug.")
    created_at: datetime
    cheer_count: int
    cheered: bool = Field(description="Whether the caller has cheered this win.")
    url: str
    title: str = Field("", description="A milestone's title.")
    people: list[PersonOut] = Field(default_factory=list, description="Who a milestone celebrates.")
    giver: PersonOut | None = None
    receiver: PersonOut | None = None
    reason: str = Field("", description="A kudos' reason, markdown as written.")
    reason_html: str = Field("", description="The reason rendered and sanitised.")
    link: LinkOut | None = Field(None, description="What a kudos is for, when it names something.")

    # A win wraps a milestone or a kudos (`selectors.Win`); each field reads the one it holds.
    @staticmethod
    def resolve_id(obj: Win) -> int:
        return obj.item.pk

    @staticmethod
    def resolve_community(obj: Win) -> str:
        return obj.item.community.slug

    @staticmethod
    def resolve_created_at(obj: Win) -> datetime:
        return obj.item.created_at

    @staticmethod
    def resolve_cheer_count(obj: Win) -> int:
        return obj.item.cheer_count

    @staticmethod
    def resolve_url(obj: Win, context: dict[str, Any]) -> str:
        item = obj.item
        if isinstance(item, Milestone) and item.url:
            return str(context["request"].build_absolute_uri(item.url))
        return absolute_link(item, context)

    @staticmethod
    def resolve_title(obj: Win) -> str:
        return obj.item.shown_title if isinstance(obj.item, Milestone) else ""

    @staticmethod
    def resolve_people(obj: Win) -> list[Any]:
        return list(obj.item.people.all()) if isinstance(obj.item, Milestone) else []

    @staticmethod
    def resolve_giver(obj: Win) -> Any:
        return obj.item.giver if isinstance(obj.item, Kudos) else None

    @staticmethod
    def resolve_receiver(obj: Win) -> Any:
        return obj.item.receiver if isinstance(obj.item, Kudos) else None

    @staticmethod
    def resolve_reason(obj: Win) -> str:
        return obj.item.reason if isinstance(obj.item, Kudos) else ""

    @staticmethod
    def resolve_reason_html(obj: Win) -> str:
        return obj.item.reason_html if isinstance(obj.item, Kudos) else ""

    @staticmethod
    def resolve_link(obj: Win) -> Any:
        return obj.item if isinstance(obj.item, Kudos) and obj.link is not None else None


class KudosIn(Strict):
    receiver: Annotated[str, StringConstraints(min_length=1, max_length=150)] = Field(
        description="The username of the member to thank."
    )
    reason: Annotated[str, StringConstraints(max_length=2000)] = Field(
        description="What they did, in markdown; required."
    )
    link_kind: Literal["", "answer", "actionitem", "document", "helpcontribution"] = ""
    link_id: int | None = Field(None, ge=1, le=MAX_ID)


def _one(request: HttpRequest, item: Milestone | Kudos) -> Win:
    kind = selectors.MILESTONE if isinstance(item, Milestone) else selectors.KUDOS
    rows = [{"kind": kind, "id": item.pk}]
    return selectors.wins_load(request.user, rows)[0]


@router.get("/communities/{slug}/wins", response={200: list[WinOut], **ERRORS})
@paginated
def win_list(request: HttpRequest, slug: str, filters: Query[WinFilters]) -> Shaped:
    """List a community's milestones and kudos, newest first."""
    community = community_get_for_user(request.user, slug)
    person = None
    if filters.person:
        person = get_user_model().objects.filter(username=filters.person).first()
        if person is None:
            raise Http404(_("No such person."))
    rows = selectors.win_rows(request.user, community, person=person)
    return Shaped(rows, lambda window: selectors.wins_load(request.user, window))


@router.post(
    "/communities/{slug}/kudos", response={201: WinOut, **ERRORS, 422: ErrorOut}, auth=WRITE
)
def kudos_new(request: HttpRequest, slug: str, payload: KudosIn) -> Status[Win]:
    """Give kudos to another member of a community you belong to; they are told."""
    community = community_get_for_user(request.user, slug)
    giver = writer(request)
    receiver = get_user_model().objects.filter(username=payload.receiver.lstrip("@")).first()
    if receiver is None:
        raise ValidationError(
            {"receiver": _("Nobody is called %(receiver)s.") % {"receiver": repr(payload.receiver)}}
        )
    kudos = services.kudos_give(
        community=community,
        giver=giver,
        receiver=receiver,
        reason=payload.reason,
        link_kind=payload.link_kind,
        link_id=payload.link_id,
    )
    return Status(201, _one(request, kudos))


@router.post(
    "/communities/{slug}/wins/{kind}/{id}/cheer", response={200: WinOut, **ERRORS}, auth=WRITE
)
def win_cheer(
    request: HttpRequest,
    slug: str,
    kind: Literal["milestone", "kudos"],
    id: int = ID,
) -> Win:
    """Cheer a milestone or a kudos once; a second cheer is refused with 400."""
    community = community_get_for_user(request.user, slug)
    win = selectors.win_get_for_user(request.user, community, kind, id)
    services.win_cheer(win=win, user=writer(request))
    return _one(request, win)
