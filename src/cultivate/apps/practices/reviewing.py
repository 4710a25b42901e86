"""The review workflow of a best practice: ask for reviews, give one, publish, mark outdated,
vouch for it again.

Like every service, each checks permission, writes in one transaction, records one Activity and
tells the people concerned; the document row is locked first (`services.locked`), so two
reviewers or a save and a publish never pass each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cultivate.apps.communities.permissions import is_member
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.validation import raise_if
from cultivate.core.activity import Verb

from .models import Document, Review, Revision, Status, Verdict
from .permissions import (
    check_mark_outdated,
    check_rereview_document,
    check_review_document,
    check_steer_document,
)
from .services import locked, steward_act

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_REVIEWERS = 10
REVIEW_PERIOD = timedelta(days=365)
"""How long a published practice stays fresh when nobody names a review-by date."""


def review_request(
    *, document: Document, by: User, reviewers: Iterable[User], at: datetime | None = None
) -> list[Review]:
    """Ask members to review the document; it moves to 'in review' and they are told."""
    community = document.community
    check_steer_document(by, community, document.author_id, document.steward_id)
    people = {person.pk: person for person in reviewers}
    errors: dict[str, str] = {}
    if not people:
        errors["reviewers"] = _("Choose at least one member to review it.")
    elif len(people) > MAX_REVIEWERS:
        errors["reviewers"] = _("Ask at most %(max_reviewers)s reviewers at once.") % {
            "max_reviewers": MAX_REVIEWERS
        }
    elif document.author_id in people:
        errors["reviewers"] = _("The author cannot review their own document; choose someone else.")
    else:
        outside = [p.name for p in people.values() if not is_member(p, community)]
        if outside:
            errors["reviewers"] = _("Only members can review; not a member: %(join)s.") % {
                "join": ", ".join(outside)
            }
    if document.status == Status.PUBLISHED:
        errors["reviewers"] = _("The document is already published.")
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        locked(document)
        reviews: list[Review] = []
        for person in people.values():
            review, _unused = Review.objects.update_or_create(
                document=document,
                reviewer=person,
                defaults={
                    "requested_by": by,
                    "verdict": Verdict.REQUESTED,
                    "comment": "",
                    "revision_number": None,
                    "requested_at": when,
                    "decided_at": None,
                },
            )
            reviews.append(review)
        if document.status != Status.REVIEW:
            document.status = Status.REVIEW
            document.save(update_fields=["status"])
        asked = phrase(
            gettext_noop("%(name)s asks you to review the best practice %(title)s"),
            name=by.name,
            title=document.title,
        )
        steward_act(
            document=document,
            by=by,
            action="request_review",
            at=when,
            tell=[Tell(list(people), Kind.REVIEW, asked, document.get_absolute_url())],
        )
    return reviews


def review_give(
    *,
    document: Document,
    by: User,
    approve: bool,
    comment: str = "",
    at: datetime | None = None,
    revision: int | None = None,
) -> Review:
    """Approve the document, or ask for changes saying what to change; the author is told.

    `revision` is the one the reviewer read: when someone saved another since, the verdict is
    refused, so an approval always names the text that was approved.
    """
    community = document.community
    reviews = {r.reviewer_id: r for r in Review.objects.filter(document=document)}
    check_review_document(by, community, set(reviews))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": _("Say what should change, so the authors can act on it.")}
        )
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Keep the comment under 5,000 characters.")})
    if document.status != Status.REVIEW:
        raise ValidationError(_("The document is not in review."))
    when = at or timezone.now()
    with transaction.atomic():
        locked(document)
        head = Document.objects.values_list("head_number", flat=True).get(pk=document.pk)
        if revision is not None and revision != head:
            raise ValidationError(
                _(
                    "Revision %(head)s was saved while you read revision %(read)s: read it, "
                    "then give your verdict."
                )
                % {"head": head, "read": revision},
                code="stale_revision",
            )
        review = reviews[by.pk]
        review.verdict = Verdict.APPROVED if approve else Verdict.CHANGES
        review.comment = comment
        review.revision_number = document.head_number
        review.decided_at = when
        review.save(update_fields=["verdict", "comment", "revision_number", "decided_at"])
        said = (
            gettext_noop("%(name)s approved %(title)s")
            if approve
            else gettext_noop("%(name)s asked for changes to %(title)s")
        )
        steward_act(
            document=document,
            by=by,
            action="approve" if approve else "ask_changes",
            target_actor_id=document.author_id,
            at=when,
            text=comment,
            tell=[
                Tell(
                    [document.author_id],
                    Kind.REVIEW,
                    phrase(said, name=by.name, title=document.title),
                    document.get_absolute_url(),
                )
            ],
        )
    return review


def publish_blockers(document: Document) -> list[str]:
    """Return what stands between the document and publication, as sentences (empty: none)."""
    if document.status == Status.PUBLISHED:
        return [_("It is already published.")]
    if document.status != Status.REVIEW:
        return [_("Ask for a review first: publishing needs at least one approval.")]
    reviews = list(
        Review.objects.filter(document=document).values_list("verdict", "revision_number")
    )
    verdicts = [verdict for verdict, _number in reviews]
    approved = [number for verdict, number in reviews if verdict == Verdict.APPROVED]
    blockers = []
    if not approved:
        blockers.append(_("No reviewer has approved it yet."))
    elif document.head_number not in approved:
        blockers.append(
            _(
                "The text changed after it was approved (revision %(approved)s; it is at "
                "revision %(head)s now): ask for a review of this revision."
            )
            % {"approved": max(n or 0 for n in approved), "head": document.head_number}
        )
    changes = verdicts.count(Verdict.CHANGES)
    if changes:
        blockers.append(
            ngettext(
                "%(count)s reviewer asked for changes; ask them to review again once you have "
                "made them.",
                "%(count)s reviewers asked for changes; ask them to review again once you have "
                "made them.",
                changes,
            )
            % {"count": changes}
        )
    return blockers


def document_publish(
    *, document: Document, by: User, review_by: date | None = None, at: datetime | None = None
) -> Document:
    """Publish a reviewed document: at least one approval and no outstanding change request."""
    community = document.community
    check_steer_document(by, community, document.author_id, document.steward_id)
    when = at or timezone.now()
    today = timezone.localdate(when)
    if review_by is not None and review_by <= today:
        raise ValidationError({"review_by": _("Choose a review-by date in the future.")})
    with transaction.atomic():
        locked(document)
        blockers = publish_blockers(document)
        if blockers:
            raise ValidationError(" ".join(blockers))
        document.status = Status.PUBLISHED
        document.published_at = when
        document.published_by = by
        document.vouched_number = document.head_number
        document.review_by = review_by or today + REVIEW_PERIOD
        document.save(
            update_fields=["status", "published_at", "published_by", "vouched_number", "review_by"]
        )
        meta = {"on_time": today <= document.due_on} if document.due_on else {}
        contributors = Revision.objects.filter(document=document).values_list(
            "author_id", flat=True
        )
        published = phrase(gettext_noop("%(title)s is published"), title=document.title)
        act_done(
            verb=Verb.PUBLISH,
            actor=by,
            community=community,
            obj=document,
            at=when,
            text=document.title,
            meta=meta,
            tell=[Tell(set(contributors), Kind.REVIEW, published, document.get_absolute_url())],
        )
    return document


def document_mark_outdated(
    *, document: Document, by: User, reason: str, at: datetime | None = None
) -> Document:
    """Say a published practice is out of date and why; its author and coordinators see it."""
    check_mark_outdated(by, document.community)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say what is out of date, so someone can fix it.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    if not document.is_published:
        raise ValidationError(_("Only a published practice can be marked outdated."))
    when = at or timezone.now()
    with transaction.atomic():
        document.outdated_reason = reason
        document.outdated_by = by
        document.outdated_at = when
        document.save(update_fields=["outdated_reason", "outdated_by", "outdated_at"])
        marked = phrase(
            gettext_noop("%(name)s marked %(title)s outdated: %(reason)s"),
            name=by.name,
            title=document.title,
            reason=reason,
        )
        steward_act(
            document=document,
            by=by,
            action="mark_outdated",
            target_actor_id=document.author_id,
            at=when,
            text=reason,
            tell=[Tell([document.author_id], Kind.REVIEW, marked, document.get_absolute_url())],
        )
    return document


def document_rereview(
    *, document: Document, by: User, review_by: date | None = None, at: datetime | None = None
) -> Document:
    """A coordinator vouches for the current text again: clear the outdated mark, reset the date."""
    check_rereview_document(by, document.community)
    if not document.is_published:
        raise ValidationError(_("Only a published practice can be re-reviewed."))
    when = at or timezone.now()
    today = timezone.localdate(when)
    if review_by is not None and review_by <= today:
        raise ValidationError({"review_by": _("Choose a review-by date in the future.")})
    with transaction.atomic():
        locked(document)
        document.outdated_reason = ""
        document.outdated_by = None
        document.outdated_at = None
        document.reviewed_at = when
        document.review_by = review_by or today + REVIEW_PERIOD
        document.vouched_number = document.head_number
        document.save(
            update_fields=[
                "outdated_reason",
                "outdated_by",
                "outdated_at",
                "reviewed_at",
                "review_by",
                "vouched_number",
            ]
        )
        steward_act(document=document, by=by, action="rereview", at=when)
    return document
