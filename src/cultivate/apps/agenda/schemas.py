"""Request and response shapes of the agenda API; request bodies are strict and bounded.

Imported only by api.py (ninja needs configured settings before it is imported).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Schema
from pydantic import StringConstraints

from cultivate.apps.api.schemas import MAX_BODY, MAX_ID, Moment, PersonOut, Strict, absolute_link

from .models import Topic
from .selectors import AgendaEntry

Username = Annotated[str, StringConstraints(min_length=1, max_length=150)]


class RankOut(Schema):
    position: int = Field(description="1 is the most voted; ties share a position.")
    votes: int
    prioritisation_id: int


class DeliverableOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft, review or published.")
    due_on: date | None
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class TopicOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    title: str
    why: str = Field(description="Markdown, as written.")
    why_html: str
    expected_deliverable: str
    author: PersonOut
    created_at: datetime
    status: Literal["proposed", "planned", "delivered_on_time", "delivered_late", "late"]
    rank: RankOut | None
    owner: PersonOut | None
    starts_on: date | None
    ends_on: date | None
    deliverable: DeliverableOut | None
    url: str

    # An agenda entry wraps a topic with its status and rank (`selectors.AgendaEntry`).
    @staticmethod
    def resolve_id(obj: AgendaEntry) -> int:
        return obj.topic.pk

    @staticmethod
    def resolve_community(obj: AgendaEntry) -> str:
        return obj.topic.community.slug

    @staticmethod
    def resolve_title(obj: AgendaEntry) -> str:
        return obj.topic.title

    @staticmethod
    def resolve_why(obj: AgendaEntry) -> str:
        return obj.topic.why

    @staticmethod
    def resolve_why_html(obj: AgendaEntry) -> str:
        return obj.topic.why_html

    @staticmethod
    def resolve_expected_deliverable(obj: AgendaEntry) -> str:
        return obj.topic.deliverable

    @staticmethod
    def resolve_author(obj: AgendaEntry) -> Any:
        return obj.topic.author

    @staticmethod
    def resolve_created_at(obj: AgendaEntry) -> datetime:
        return obj.topic.created_at

    @staticmethod
    def resolve_status(obj: AgendaEntry) -> str:
        return str(obj.status.value)

    @staticmethod
    def resolve_rank(obj: AgendaEntry) -> Any:
        return vars(obj.rank) if obj.rank is not None else None

    @staticmethod
    def resolve_owner(obj: AgendaEntry) -> Any:
        return obj.topic.owner

    @staticmethod
    def resolve_starts_on(obj: AgendaEntry) -> date | None:
        return obj.topic.starts_on

    @staticmethod
    def resolve_ends_on(obj: AgendaEntry) -> date | None:
        return obj.topic.ends_on

    @staticmethod
    def resolve_deliverable(obj: AgendaEntry) -> Any:
        return obj.topic.document

    @staticmethod
    def resolve_url(obj: AgendaEntry, context: dict[str, Any]) -> str:
        return absolute_link(obj.topic, context)


class PollOptionOut(Schema):
    id: int
    label: str
    topic_id: int | None

    @staticmethod
    def resolve_topic_id(obj: Any) -> int | None:
        topic_type = ContentType.objects.get_for_model(Topic).pk  # cached by Django
        return int(obj.object_id) if obj.content_type_id == topic_type else None


class PollOut(Schema):
    id: int
    proposal_id: int
    title: str
    deadline: datetime
    is_closed: bool
    options: list[PollOptionOut]
    url: str = Field(description="The decision's page, where members vote.")

    # A prioritisation is a proposal (a poll) whose options are topics.
    @staticmethod
    def resolve_proposal_id(obj: Any) -> int:
        return int(obj.proposal.pk)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.proposal.title)

    @staticmethod
    def resolve_deadline(obj: Any) -> datetime:
        deadline: datetime = obj.proposal.deadline
        return deadline

    @staticmethod
    def resolve_is_closed(obj: Any) -> bool:
        return bool(obj.proposal.is_closed)

    @staticmethod
    def resolve_options(obj: Any) -> list[Any]:
        return list(obj.proposal.options.all())

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj.proposal, context)


class AgendaOut(Schema):
    today: date
    candidates: list[TopicOut] = Field(description="Unscheduled topics, ranked ones first.")
    this_month: list[TopicOut]
    next_month: list[TopicOut]
    later: list[TopicOut]
    delivered: list[TopicOut]
    late: list[TopicOut]
    open_poll: PollOut | None


class TopicIn(Strict):
    title: str = Field(max_length=200)
    why: str = Field(max_length=20_000, description="Markdown: why the community should do it.")
    deliverable: str = Field("", max_length=300, description="What the proposer expects.")


class ScheduleIn(Strict):
    owner: Username = Field(description="The username of the member who owns the topic.")
    starts_on: date | None = Field(None, description="Today when left out.")
    ends_on: date | None = Field(None, description="One month after the start when left out.")
    deliverable_title: str = Field("", max_length=200, description="The topic's title if empty.")


class PrioritisationIn(Strict):
    topic_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        None,
        max_length=50,
        description="The candidates to rank; every unscheduled topic if left out.",
    )
    deadline: Moment | None = Field(None, description="A week from now when left out.")


class HelpFilters(Schema):
    status: Literal["open", "closed"] | None = Field(
        None, description="open: due today or later; closed: the date has passed."
    )


class ContributionOut(Schema):
    id: int
    request_id: int
    body: str
    body_html: str
    author: PersonOut
    created_at: datetime
    thanked_at: datetime | None
    accepted_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class HelpRequestOut(Schema):
    id: int
    community: str
    title: str
    body: str
    body_html: str
    due: date
    is_open: bool
    author: PersonOut
    created_at: datetime
    contribution_count: int
    url: str

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return str(obj.community.slug)

    @staticmethod
    def resolve_is_open(obj: Any) -> bool:
        return bool(obj.is_open())

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


def _contributions(obj: Any, context: dict[str, Any]) -> list[Any]:
    """The request's contributions, read once, each knowing its request (for its link)."""
    found = context.setdefault("contributions_by_request", {})
    if obj.pk not in found:
        contributions = list(obj.contributions.all())
        for contribution in contributions:
            contribution.request = obj
        found[obj.pk] = contributions
    return list(found[obj.pk])


class HelpRequestDetailOut(HelpRequestOut):
    contributions: list[ContributionOut]

    @staticmethod
    def resolve_contributions(obj: Any, context: dict[str, Any]) -> list[Any]:
        return _contributions(obj, context)

    @staticmethod
    def resolve_contribution_count(obj: Any, context: dict[str, Any]) -> int:
        return len(_contributions(obj, context))


class HelpRequestIn(Strict):
    title: str = Field(max_length=200, description="What you need input on.")
    body: str = Field(max_length=MAX_BODY, description="The piece of work, in markdown.")
    due: date = Field(description="The last day input is welcome.")


class ContributionIn(Strict):
    body: str = Field(max_length=MAX_BODY, description="Markdown.")


class PromoteIn(Strict):
    document_id: int = Field(ge=1, le=MAX_ID, description="The best practice to add a section to.")
    heading: str = Field(
        "", max_length=200, description="The request's or question's title if empty."
    )


class PromotionOut(Schema):
    id: int
    document_id: int
    revision_number: int
    credited: PersonOut
    document_url: str

    @staticmethod
    def resolve_revision_number(obj: Any) -> int:
        return int(obj.revision.number)

    @staticmethod
    def resolve_credited(obj: Any) -> Any:
        """Who wrote what became the section: the contribution's or the answer's author."""
        return (obj.contribution or obj.answer).author

    @staticmethod
    def resolve_document_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj.document, context)
