"""The API's request and response shapes; request bodies are strict and bounded.

Responses are read from the models (ninja's `from_attributes`); what a model does not hold as
an attribute (a link, a slug, tag names) is a `resolve_<field>` on the schema.

Imported only by api.py (ninja needs configured settings before it is imported).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from cultivate.apps.sharing.models import PostKind
from cultivate.apps.tags.services import MAX_TAGS

MAX_ID = 2**63 - 1
"""Ids beyond a signed 64-bit integer cannot exist; refusing them keeps the database out of it."""

MAX_BODY = 100_000

TagName = Annotated[str, StringConstraints(max_length=40)]

FIRST_YEAR, LAST_YEAR = 2, 9998
"""A moment in the calendar's first or last year may not exist once it is read in another time
zone (Python's datetime ends at year 1 and 9999); a year short of each end always does."""


def _moment(value: datetime) -> datetime:
    """Keep a moment the services can move between time zones; one with an offset becomes UTC.

    PostgreSQL refuses offsets beyond 15:59, which ISO 8601 allows (up to 23:59): a deadline
    sent with `-16:28` was a server error there. A naive moment stays naive (an event reads it
    in its own time zone).
    """
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"give a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value if value.tzinfo is None else value.astimezone(UTC)


Moment = Annotated[datetime, AfterValidator(_moment)]
"""A date and time a request sends: within years 2-9998, in UTC when it has an offset."""


class _Linked(Protocol):
    def get_absolute_url(self) -> str: ...


def absolute_link(obj: _Linked, context: dict[str, Any]) -> str:
    """The object's page as a link a client can follow from anywhere (the request has the host)."""
    return str(context["request"].build_absolute_uri(obj.get_absolute_url()))


class ErrorOut(Schema):
    """Every error: a machine-readable code, a sentence, and for bad input each field's messages."""

    code: str = Field(
        description="A word a program can act on, e.g. `already_voted` (docs/api.md)."
    )
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class PostFilters(Schema):
    kind: PostKind | None = Field(None, description="Only posts of this kind.")


class QuestionFilters(Schema):
    status: Literal["open", "solved", "unanswered"] | None = Field(
        None, description="open: no accepted answer; solved: one accepted; unanswered: no answers."
    )
    tag: TagName | None = Field(None, description="Only questions with this tag.")


class PersonOut(Schema):
    username: str
    name: str


class ExpertOut(Schema):
    """A member who may answer a question, and why (for the asker and coordinators)."""

    username: str
    name: str
    score: float = Field(description="Evidence weighed by closeness, recency and load.")
    reasons: list[str]


class SimilarOut(Schema):
    """A question like the one being asked, with the start of its accepted answer."""

    id: int
    title: str
    solved: bool
    answer_count: int
    accepted_answer_start: str


class CommunityOut(Schema):
    """A community, read from the model (`from_attributes`); only its link is resolved."""

    slug: str
    name: str
    practice: str
    description: str
    visibility: str
    member_count: int
    created_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: _Linked, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class PostOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    kind: str
    title: str
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="Rendered and sanitised HTML.")
    author: PersonOut
    created_at: datetime
    updated_at: datetime
    score: int
    comment_count: int
    is_hidden: bool = Field(description="Only coordinators ever receive hidden content.")
    url: str

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return str(obj.community.slug)

    @staticmethod
    def resolve_url(obj: _Linked, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class AnswerOut(Schema):
    id: int
    question_id: int
    body: str
    body_html: str
    author: PersonOut
    created_at: datetime
    updated_at: datetime
    score: int
    comment_count: int
    is_accepted: bool
    is_hidden: bool
    url: str

    @staticmethod
    def resolve_is_accepted(obj: Any) -> bool:
        """Read from the question the endpoint attached, so a page of answers costs no query."""
        return bool(obj.question.accepted_answer_id == obj.pk)

    @staticmethod
    def resolve_url(obj: _Linked, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class QuestionOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    title: str
    body: str
    body_html: str
    tags: list[str]
    author: PersonOut
    created_at: datetime
    updated_at: datetime
    score: int
    answer_count: int
    comment_count: int
    is_solved: bool
    accepted_answer_id: int | None
    is_hidden: bool
    url: str

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return str(obj.community.slug)

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: _Linked, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class QuestionDetailOut(QuestionOut):
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Any) -> list[Any]:
        """The visible answers the selector loaded, each knowing its question."""
        answers = list(obj.answers.all())
        for answer in answers:
            answer.question = obj
        return answers


class Strict(Schema):
    """A request body: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class PostIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field(max_length=MAX_BODY, description="Markdown.")
    kind: PostKind = PostKind.ARTICLE


class QuestionIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field(max_length=MAX_BODY, description="Markdown.")
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)


class AnswerIn(Strict):
    body: str = Field(max_length=MAX_BODY, description="Markdown.")
