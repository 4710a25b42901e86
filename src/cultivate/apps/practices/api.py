"""REST endpoints for best practices, mounted on the one API in config/urls.py.

Thin: parse, call one selector or service, shape. Same permissions as the pages; a private
community's documents answer 404 to non-members. A stale save answers 409 with the head.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cultivate.apps.api.api import ERRORS, ID
from cultivate.apps.api.auth import WRITE
from cultivate.apps.api.schemas import ErrorOut
from cultivate.apps.api.shaping import paginated, writer
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.sharing.models import Question

from . import reviewing, selectors, services
from .models import Document, Review, Revision
from .schemas import (
    DiffOut,
    DiffQuery,
    DocumentDetailOut,
    DocumentFilters,
    DocumentIn,
    DocumentOut,
    LinkIn,
    OutdatedIn,
    ReviewByIn,
    ReviewIn,
    ReviewOut,
    ReviewRequestIn,
    RevisionOut,
    RevisionTextOut,
    SaveIn,
    SaveOut,
    StaleOut,
)

router = Router(tags=["practices"])
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**ERRORS, 422: ErrorOut}


def _get(request: HttpRequest, id: int) -> Document:
    return selectors.document_get_by_id(request.user, id)


@router.get("/communities/{slug}/practices", response={200: list[DocumentOut], **ERRORS})
@paginated
def document_list(
    request: HttpRequest, slug: str, filters: Query[DocumentFilters]
) -> QuerySet[Document]:
    """List a community's best practices, most recently changed first."""
    community = community_get_for_user(request.user, slug)
    return selectors.documents_for(request.user, community, status=filters.status or "")


@router.post(
    "/communities/{slug}/practices", response={201: DocumentDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def document_new(request: HttpRequest, slug: str, payload: DocumentIn) -> Status[Document]:
    """Start a best practice as a draft (revision 1) in a community you belong to."""
    community = community_get_for_user(request.user, slug)
    document = services.document_create(
        community=community,
        by=writer(request),
        title=payload.title,
        body=payload.body,
        due_on=payload.due_on,
        topic_key=payload.topic_key,
    )
    return Status(201, document)


@router.get("/practices/{id}", response={200: DocumentDetailOut, **ERRORS})
def document_detail(request: HttpRequest, id: int = ID) -> Document:
    """Return a document with its head text, contributors, reviews and linked questions."""
    return _get(request, id)


@router.get("/practices/{id}/revisions", response={200: list[RevisionOut], **ERRORS})
@paginated
def revision_list(request: HttpRequest, id: int = ID) -> QuerySet[Revision]:
    """List the revisions, newest first (without their texts)."""
    return selectors.revisions_of(_get(request, id))


@router.get("/practices/{id}/revisions/{number}", response={200: RevisionTextOut, **ERRORS})
def revision_detail(request: HttpRequest, number: int, id: int = ID) -> Revision:
    """Return one revision with its full markdown text."""
    return selectors.revision_get(_get(request, id), number)


@router.get("/practices/{id}/diff", response={200: DiffOut, **ERRORS})
def diff(request: HttpRequest, query: Query[DiffQuery], id: int = ID) -> dict[str, Any]:
    """Compare two revisions line by line (default: the head with the revision before it)."""
    document = _get(request, id)
    new = query.new or document.head_number
    old = query.old or max(1, new - 1)
    _, _, result = selectors.revision_diff(document, old, new)
    return {
        "old": old,
        "new": new,
        "identical": result.identical,
        "added": result.added,
        "removed": result.removed,
        "truncated": result.truncated,
        "hunks": [
            {
                "header": hunk.header,
                "lines": [
                    {"kind": ln.kind, "old_no": ln.old_no, "new_no": ln.new_no, "text": ln.text}
                    for ln in hunk.lines
                ],
            }
            for hunk in result.hunks
        ],
    }


@router.post(
    "/practices/{id}/revisions",
    response={201: SaveOut, 409: StaleOut, **WRITE_ERRORS},
    auth=WRITE,
)
def revision_new(request: HttpRequest, payload: SaveIn, id: int = ID) -> Status[dict[str, Any]]:
    """Save a new text based on `base_number`; 409 with the head when it clashes with a newer one.

    When someone saved since but changed other lines, both changes are merged and the answer
    names the revision merged in (`merged_with`).
    """
    document = _get(request, id)
    try:
        result = services.revision_save(
            document=document,
            by=writer(request),
            body=payload.body,
            base_number=payload.base_number,
            title=payload.title,
            message=payload.message,
        )
    except services.StaleRevisionError as stale:
        return Status(
            409,
            {
                "code": "stale_revision",
                "detail": str(stale),
                "head": stale.head,
                "conflicts": stale.conflicts,
            },
        )
    merged = result.merged_with.number if result.merged_with is not None else None
    saved = RevisionOut.model_validate(result.revision).model_dump()
    return Status(201, saved | {"merged_with": merged})


@router.post(
    "/practices/{id}/review-requests",
    response={200: list[ReviewOut], **WRITE_ERRORS},
    auth=WRITE,
)
def review_request(request: HttpRequest, payload: ReviewRequestIn, id: int = ID) -> list[Review]:
    """Ask members (by username) to review; the document moves to 'review'."""
    document = _get(request, id)
    people = list(get_user_model().objects.filter(username__in=payload.reviewers))
    missing = set(payload.reviewers) - {p.username for p in people}
    if missing:
        raise ValidationError(
            {"reviewers": _("No such person: %(join)s.") % {"join": ", ".join(sorted(missing))}}
        )
    reviews = reviewing.review_request(document=document, by=writer(request), reviewers=people)
    return list(reviews)


@router.post("/practices/{id}/reviews", response={200: ReviewOut, **WRITE_ERRORS}, auth=WRITE)
def review_give(request: HttpRequest, payload: ReviewIn, id: int = ID) -> Review:
    """Approve, or ask for changes with a comment (requested reviewers only)."""
    review = reviewing.review_give(
        document=_get(request, id),
        by=writer(request),
        approve=payload.verdict == "approve",
        comment=payload.comment,
    )
    return review


@router.post("/practices/{id}/publish", response={200: DocumentOut, **WRITE_ERRORS}, auth=WRITE)
def publish(request: HttpRequest, payload: ReviewByIn, id: int = ID) -> Document:
    """Publish: needs one approval and no outstanding change request (author or coordinator)."""
    document = reviewing.document_publish(
        document=_get(request, id), by=writer(request), review_by=payload.review_by
    )
    return document


@router.post("/practices/{id}/outdated", response={200: DocumentOut, **WRITE_ERRORS}, auth=WRITE)
def mark_outdated(request: HttpRequest, payload: OutdatedIn, id: int = ID) -> Document:
    """Mark a published practice outdated, saying why."""
    document = reviewing.document_mark_outdated(
        document=_get(request, id), by=writer(request), reason=payload.reason
    )
    return document


@router.post("/practices/{id}/rereview", response={200: DocumentOut, **WRITE_ERRORS}, auth=WRITE)
def rereview(request: HttpRequest, payload: ReviewByIn, id: int = ID) -> Document:
    """A coordinator vouches for the current text again, clearing the outdated mark."""
    document = reviewing.document_rereview(
        document=_get(request, id), by=writer(request), review_by=payload.review_by
    )
    return document


@router.post(
    "/practices/{id}/questions", response={201: DocumentDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def link_question(request: HttpRequest, payload: LinkIn, id: int = ID) -> Status[Document]:
    """Link a question of the same community that the practice answers."""
    document = _get(request, id)
    question = Question.objects.filter(
        pk=payload.question_id, community_id=document.community_id
    ).first()
    if question is None:
        raise Http404(_("No such question in this community."))
    services.question_link(document=document, question=question, by=writer(request))
    return Status(201, document)
