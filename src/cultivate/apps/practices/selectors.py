"""Reads of best practices; each starts from a community the person may see.

A document is as visible as its community: members of a private community only, anyone for a
public one. Lists never load revision texts, which can be a megabyte each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community, Membership, MembershipState
from cultivate.apps.communities.permissions import can_view_community, is_coordinator
from cultivate.apps.communities.selectors import visible_community_ids
from cultivate.apps.sharing.models import Question

from .diffing import Diff, diff_texts
from .models import Document, QuestionLink, Review, Revision, Status

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

LIST_FIELDS = (
    "id",
    "community",
    "author",
    "title",
    "head_number",
    "status",
    "due_on",
    "topic_key",
    "created_at",
    "updated_at",
    "published_at",
    "vouched_number",
    "review_by",
    "outdated_reason",
)


def documents_for(
    user: User | AnonymousUser, community: Community, *, status: str = ""
) -> QuerySet[Document]:
    """Return the community's best practices, most recently changed first, without their text."""
    if not can_view_community(user, community):
        raise Http404(_("No such community."))
    documents = Document.objects.filter(community=community)
    if status in Status.values:
        documents = documents.filter(status=status)
    return (
        documents.only(*LIST_FIELDS, "author__username", "author__display_name")
        .select_related("author", "community")
        .order_by("-updated_at", "-id")
    )


def document_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Document:
    """Return the document, or 404 if it is not in this community or the person may not see it."""
    if not can_view_community(user, community):
        raise Http404(_("No such best practice."))
    document = (
        Document.objects.filter(community=community, pk=pk)
        .select_related("author", "community", "published_by", "outdated_by")
        .first()
    )
    if document is None:
        raise Http404(_("No such best practice."))
    return document


def document_get_by_id(user: User | AnonymousUser, pk: int) -> Document:
    """Return a visible document by id alone (for the API), or 404."""
    document = (
        Document.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("author", "community", "published_by", "outdated_by")
        .first()
    )
    if document is None:
        raise Http404(_("No such best practice."))
    return document


def revisions_of(document: Document) -> QuerySet[Revision]:
    """Return the document's revisions, newest first, without their texts."""
    return (
        Revision.objects.filter(document=document)
        .defer("body")
        .select_related("author", "credit")
        .order_by("-number")
    )


def revision_get(document: Document, number: int) -> Revision:
    """Return one revision with its text, or 404."""
    revision = (
        Revision.objects.filter(document=document, number=number)
        .select_related("author", "credit")
        .first()
    )
    if revision is None:
        raise Http404(_("No revision %(number)s of this best practice.") % {"number": number})
    return revision


@dataclass(frozen=True)
class Contributor:
    person: User
    revisions: int
    sections: int


def contributors(document: Document) -> list[Contributor]:
    """Return who wrote the document: revision authors and credited section writers, most first."""
    revisions = dict(
        Revision.objects.filter(document=document)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    sections = dict(
        Revision.objects.filter(document=document, credit__isnull=False)
        .values("credit_id")
        .annotate(n=Count("id"))
        .values_list("credit_id", "n")
    )
    people = get_user_model().objects.in_bulk(set(revisions) | set(sections))
    found = [
        Contributor(person=people[pk], revisions=revisions.get(pk, 0), sections=sections.get(pk, 0))
        for pk in people
    ]
    return sorted(found, key=lambda c: (-c.revisions - c.sections, c.person.name))


def reviews_of(document: Document) -> list[Review]:
    return list(Review.objects.filter(document=document).select_related("reviewer"))


def reviewer_choices(document: Document) -> QuerySet[Membership]:
    """Return the members who may be asked to review: everyone active but the author."""
    return (
        Membership.objects.filter(community_id=document.community_id, state=MembershipState.ACTIVE)
        .exclude(user_id=document.author_id)
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )


def linked_questions(user: User | AnonymousUser, document: Document) -> list[Question]:
    """Return the questions the document answers, hidden ones only for coordinators."""
    questions = Question.objects.filter(
        pk__in=QuestionLink.objects.filter(document=document).values("question_id")
    )
    if not is_coordinator(user, document.community):
        questions = questions.filter(is_hidden=False)
    return list(questions.select_related("community").order_by("-created_at"))


def practices_for_question(question: Question) -> list[Document]:
    """Return the best practices linked to a question the person already sees (same community)."""
    return list(
        Document.objects.filter(
            pk__in=QuestionLink.objects.filter(question=question).values("document_id")
        )
        .only(*LIST_FIELDS)
        .select_related("community")
        .order_by("-updated_at")
    )


def question_choices(document: Document, limit: int = 50) -> QuerySet[Question]:
    """Return recent visible questions of the community that are not linked yet."""
    return (
        Question.objects.filter(community_id=document.community_id, is_hidden=False)
        .exclude(pk__in=QuestionLink.objects.filter(document=document).values("question_id"))
        .only("id", "title", "created_at")
        .order_by("-created_at")[:limit]
    )


def revision_diff(document: Document, old: int, new: int) -> tuple[Revision, Revision, Diff]:
    """Return the two revisions and the diff from `old` to `new` (either order is allowed)."""
    first, second = revision_get(document, old), revision_get(document, new)
    return first, second, diff_texts(first.body, second.body)
