"""The best-practices API's request and response shapes; request bodies are strict and bounded.

Responses read the models (`from_attributes`); links, slugs and what a document's page gathers
(contributors, reviews, linked questions) resolve on the schemas.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from cultivate.apps.api.schemas import MAX_ID, PersonOut, Strict, absolute_link

from . import selectors
from .models import Document, Status
from .reviewing import MAX_REVIEWERS
from .services import MAX_BODY

Username = Annotated[str, StringConstraints(max_length=150)]


class DocumentFilters(Schema):
    status: Status | None = Field(None, description="Only documents in this state.")


class DocumentOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    title: str
    status: str = Field(description="draft, review or published.")
    author: PersonOut
    head_number: int = Field(description="The newest revision's number; base your saves on it.")
    due_on: date | None
    topic_key: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    review_by: date | None
    outdated: str = Field(description="Why it is outdated, or '' when it is not.")
    edited_since_publication: bool
    url: str

    @staticmethod
    def resolve_community(obj: Document) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_outdated(obj: Document) -> str:
        return obj.outdated_because()

    @staticmethod
    def resolve_url(obj: Document, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class ContributorOut(Schema):
    person: PersonOut
    revisions: int
    sections: int = Field(description="Sections credited to them (help-request contributions).")


class ReviewOut(Schema):
    reviewer: PersonOut
    verdict: str = Field(description="requested, approved or changes.")
    comment: str
    revision_number: int | None
    requested_at: datetime
    decided_at: datetime | None


class LinkedQuestionOut(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)


class DocumentDetailOut(DocumentOut):
    body: str = Field(description="The head's markdown.")
    body_html: str
    contributors: list[ContributorOut]
    reviews: list[ReviewOut]
    questions: list[LinkedQuestionOut]

    @staticmethod
    def resolve_contributors(obj: Document) -> list[Any]:
        return list(selectors.contributors(obj))

    @staticmethod
    def resolve_reviews(obj: Document) -> list[Any]:
        return list(selectors.reviews_of(obj))

    @staticmethod
    def resolve_questions(obj: Document, context: dict[str, Any]) -> list[Any]:
        """Only the linked questions the reader may see."""
        return list(selectors.linked_questions(context["request"].user, obj))


class RevisionOut(Schema):
    number: int
    author: PersonOut
    message: str
    title: str
    created_at: datetime
    base_number: int | None
    merged: bool
    credit: PersonOut | None


class RevisionTextOut(RevisionOut):
    body: str


class SaveOut(RevisionOut):
    merged_with: int | None = Field(
        description="The newer revision merged in automatically, when the save was stale."
    )


class StaleOut(Schema):
    """409: someone saved over the same lines; nothing was written."""

    code: str = "stale_revision"
    detail: str
    head: RevisionTextOut
    conflicts: int


class DiffLineOut(Schema):
    kind: Literal["equal", "delete", "insert"]
    old_no: int | None
    new_no: int | None
    text: str


class HunkOut(Schema):
    header: str
    lines: list[DiffLineOut]


class DiffOut(Schema):
    old: int
    new: int
    identical: bool
    added: int
    removed: int
    truncated: bool
    hunks: list[HunkOut]


class DiffQuery(Schema):
    old: int | None = Field(None, alias="from", ge=1, le=MAX_ID, description="Default: to - 1.")
    new: int | None = Field(None, alias="to", ge=1, le=MAX_ID, description="Default: the head.")


class DocumentIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field(max_length=MAX_BODY, description="Markdown.")
    due_on: date | None = None
    topic_key: str = Field("", max_length=100)


class SaveIn(Strict):
    body: str = Field(max_length=MAX_BODY, description="The whole new markdown text.")
    base_number: int = Field(ge=1, le=MAX_ID, description="The revision you edited.")
    title: str | None = Field(None, max_length=200)
    message: str = Field("", max_length=300)


class ReviewRequestIn(Strict):
    reviewers: list[Username] = Field(min_length=1, max_length=MAX_REVIEWERS)


class ReviewIn(Strict):
    verdict: Literal["approve", "changes"]
    comment: str = Field("", max_length=5000)


class ReviewByIn(Strict):
    review_by: date | None = None


class OutdatedIn(Strict):
    reason: str = Field(max_length=500)


class LinkIn(Strict):
    question_id: int = Field(ge=1, le=MAX_ID)
