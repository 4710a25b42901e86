"""The decisions API's request and response shapes; request bodies are strict and bounded.

Responses read the models (`from_attributes`); links, slugs, the live tally and the progress of
action items resolve on the schemas.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from cultivate.apps.api.schemas import MAX_BODY, MAX_ID, Moment, PersonOut, Strict, absolute_link

from . import selectors
from .models import ActionItem, Proposal
from .services import MAX_OPTIONS

OptionText = Annotated[str, StringConstraints(max_length=200)]


class TallyRowOut(Schema):
    choice: str = Field(description="The consent stance, or for a poll the option's id.")
    label: str
    count: int
    people: list[PersonOut]
    option_id: int | None
    key: str = Field("", description="A poll option's link key, when it has one.")

    @staticmethod
    def resolve_option_id(obj: Any) -> int | None:
        return obj.option.pk if obj.option else None

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.option.key) if obj.option else ""


class ProgressOut(Schema):
    done: int
    total: int
    percent: int


class ProposalOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    title: str
    body: str = Field(description="Markdown, as written.")
    body_html: str
    process: str
    deadline: datetime
    author: PersonOut
    created_at: datetime
    is_closed: bool
    closed_at: datetime | None
    closed_by: PersonOut | None
    outcome: str
    outcome_html: str
    url: str

    @staticmethod
    def resolve_community(obj: Proposal) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_url(obj: Proposal, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


def _tally(obj: Proposal, context: dict[str, Any]) -> Any:
    """The live tally, counted once per proposal for the rows and the total."""
    found = context.setdefault("tally_by_proposal", {})
    if obj.pk not in found:
        found[obj.pk] = selectors.proposal_tally(obj)
    return found[obj.pk]


class ProposalDetailOut(ProposalOut):
    tally: list[TallyRowOut]
    total: int
    progress: ProgressOut

    @staticmethod
    def resolve_tally(obj: Proposal, context: dict[str, Any]) -> list[Any]:
        return list(_tally(obj, context).rows)

    @staticmethod
    def resolve_total(obj: Proposal, context: dict[str, Any]) -> int:
        return int(_tally(obj, context).total)

    @staticmethod
    def resolve_progress(obj: Proposal) -> Any:
        return selectors.proposal_progress(obj)


class ProposalFilters(Schema):
    status: Literal["open", "closed"] | None = Field(
        None, description="open: not yet closed; closed: decided with an outcome."
    )


class ProposalIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field(max_length=MAX_BODY, description="Markdown.")
    process: Literal["consent", "poll"]
    deadline: Moment = Field(description="With a time zone, e.g. 2030-05-01T17:00:00+02:00.")
    options: list[OptionText] | None = Field(
        None, max_length=MAX_OPTIONS, description="A poll's options (2-20); none for consent."
    )


class StanceIn(Strict):
    stance: Literal["agree", "abstain", "disagree", "block"] | None = Field(
        None, description="For consent."
    )
    option_id: int | None = Field(None, ge=1, le=MAX_ID, description="For a poll.")
    reason: str = Field("", max_length=2000, description="A block must give one.")


class StanceOut(Schema):
    proposal_id: int
    person: PersonOut
    stance: str
    option_id: int | None
    choice: str = Field(description="What the person chose, in words.")
    reason: str
    at: datetime

    # A current stance (Stance) or one step of its history (StanceChange).
    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user

    @staticmethod
    def resolve_choice(obj: Any) -> str:
        return str(obj.choice_label)

    @staticmethod
    def resolve_at(obj: Any) -> datetime:
        at: datetime = obj.at if hasattr(obj, "at") else obj.updated_at
        return at


class CloseIn(Strict):
    outcome: str = Field(max_length=MAX_BODY, description="Markdown.")


class ActionOut(Schema):
    id: int
    community: str
    proposal_id: int | None
    title: str
    owner: PersonOut
    created_by: PersonOut
    due: date
    status: str
    is_overdue: bool
    created_at: datetime
    completed_at: datetime | None
    url: str

    @staticmethod
    def resolve_community(obj: ActionItem) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_is_overdue(obj: ActionItem) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_url(obj: ActionItem, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class ActionFilters(Schema):
    status: Literal["open", "doing", "done"] | None = None
    owner: str | None = Field(None, max_length=150, description="The owner's user name.")
    overdue: bool = Field(False, description="Only items not done and due before today.")
    proposal_id: int | None = Field(None, ge=1, le=MAX_ID)


class ActionIn(Strict):
    title: str = Field(max_length=200)
    owner: str = Field(max_length=150, description="The owner's user name; a member.")
    due: date
    proposal_id: int | None = Field(None, ge=1, le=MAX_ID)


class ActionPatch(Strict):
    title: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=150, description="Your own name takes the item.")
    due: date | None = None
    status: Literal["open", "doing", "done"] | None = None
