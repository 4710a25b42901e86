"""Writes for best practices: create, save revisions (refusing stale ones), sections, links.

Reviewing and publishing are in `reviewing.py`.

Each service checks permission, writes inside one transaction, records exactly one Activity,
keeps the search index in step and tells the people concerned. Saving locks the document row
first, so of two saves based on the same revision only one can become the next head.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.search.services import search_index_update
from cultivate.apps.sharing.models import Question
from cultivate.apps.validation import raise_if
from cultivate.core.activity import Verb
from cultivate.core.markup import render_markdown

from .merging import merge3
from .models import Document, QuestionLink, Revision
from .permissions import (
    check_write_document,
)

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_BODY = 2_000_000
"""Characters of markdown a document may hold: a long handbook, with room to spare."""


class StaleRevisionError(Exception):
    """The save was based on an older revision and clashes with what others saved since.

    Carries the head that won and the text the person typed, so the page can show both and the
    diff between them; nothing typed is lost.
    """

    def __init__(self, *, head: Revision, typed: str, title: str, conflicts: int) -> None:
        super().__init__(
            _(
                "Revision %(number)s by %(name)s was saved while you edited; your changes touch "
                "the same lines."
            )
            % {"number": head.number, "name": head.author.name}
        )
        self.head = head
        self.typed = typed
        self.title = title
        self.conflicts = conflicts


@dataclass(frozen=True)
class SaveResult:
    """The new revision, and whether it merged someone's newer revision in automatically."""

    revision: Revision
    merged_with: Revision | None = None


def _clean_text(errors: dict[str, str], field: str, value: str, what: str, limit: int) -> str:
    value = value.replace("\r\n", "\n").replace("\x00", "")
    if not value.strip():
        errors[field] = _("Write %(what)s.") % {"what": what}
    elif len(value) > limit:
        errors[field] = _("Keep %(what)s under %(limit)s characters (it has %(count)s).") % {
            "what": what,
            "limit": format(limit, ","),
            "count": format(len(value), ","),
        }
    return value


def _contribute(
    *, document: Document, revision: Revision, by: User, at: datetime, meta: dict[str, Any]
) -> None:
    """Record the CONTRIBUTE of a revision and refresh the document's search entry."""
    activity_record(
        verb=Verb.CONTRIBUTE,
        actor_id=by.pk,
        community_id=document.community_id,
        obj=revision,
        parent=document,
        at=at,
        text=revision.message,
        meta=meta,
    )
    search_index_update(document)


def document_create(
    *,
    community: Community,
    by: User,
    title: str,
    body: str,
    due_on: date | None = None,
    topic_key: str = "",
    message: str = "",
    steward: User | None = None,
    at: datetime | None = None,
) -> Document:
    """Start a best practice as a draft; its first text is revision 1.

    `steward` may also ask for reviews and publish (an agenda topic's owner, when a coordinator
    starts the deliverable for them).
    """
    check_write_document(by, community)
    errors: dict[str, str] = {}
    title = _clean_text(errors, "title", title, "a title", 200).strip()
    body = _clean_text(errors, "body", body, "the text", MAX_BODY)
    if len(topic_key) > 100:
        errors["topic_key"] = _("Keep the topic key under 100 characters.")
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        document = Document.objects.create(
            community=community,
            author=by,
            steward=steward,
            title=title,
            body=body,
            body_html=render_markdown(body),
            head_number=1,
            due_on=due_on,
            topic_key=topic_key.strip(),
            created_at=when,
            updated_at=when,
        )
        revision = Revision.objects.create(
            document=document,
            number=1,
            author=by,
            message=message.strip()[:300] or "First draft",
            title=title,
            body=body,
            created_at=when,
        )
        _contribute(document=document, revision=revision, by=by, at=when, meta={})
    return document


def _write_revision(
    *,
    document: Document,
    by: User,
    title: str,
    body: str,
    message: str,
    base_number: int | None,
    merged: bool = False,
    credit: User | None = None,
    source_url: str = "",
    at: datetime,
) -> Revision:
    """Append a revision to a locked document and make it the head (caller holds the lock)."""
    revision = Revision.objects.create(
        document=document,
        number=document.head_number + 1,
        author=by,
        message=message[:300],
        title=title,
        body=body,
        created_at=at,
        base_number=base_number,
        merged=merged,
        credit=credit,
        source_url=source_url,
    )
    document.title = title
    document.body = body
    document.body_html = render_markdown(body)
    document.head_number = revision.number
    document.updated_at = at
    document.save(update_fields=["title", "body", "body_html", "head_number", "updated_at"])
    return revision


def locked(document: Document) -> Document:
    """Return the document's row locked for this transaction, refreshed into the given object."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    for name in ("title", "body", "head_number", "status", "updated_at"):
        setattr(document, name, getattr(locked, name))
    return document


def revision_save(
    *,
    document: Document,
    by: User,
    body: str,
    base_number: int,
    title: str | None = None,
    message: str = "",
    at: datetime | None = None,
) -> SaveResult:
    """Save a new revision written on top of `base_number`.

    When someone saved since, their change and this one are merged line by line if they touch
    different lines; otherwise StaleRevisionError refuses the save and nothing is overwritten.
    """
    check_write_document(by, document.community)
    errors: dict[str, str] = {}
    body = _clean_text(errors, "body", body, "the text", MAX_BODY)
    if title is not None:
        title = _clean_text(errors, "title", title, "a title", 200).strip()
    if base_number < 1:
        errors["base_number"] = _("Say which revision your text is based on.")
    raise_if(errors)
    message = message.strip()
    when = at or timezone.now()
    with transaction.atomic():
        locked(document)
        new_title = title if title is not None else document.title
        if base_number > document.head_number:
            raise ValidationError(
                {
                    "base_number": _(
                        "There is no revision %(base_number)s; the newest is %(head_number)s."
                    )
                    % {"base_number": base_number, "head_number": document.head_number}
                }
            )
        merged_with: Revision | None = None
        if base_number != document.head_number:
            head = Revision.objects.select_related("author").get(
                document=document, number=document.head_number
            )
            base = Revision.objects.get(document=document, number=base_number)
            result = merge3(base.body, body, head.body)
            title_clash = new_title not in (base.title, head.title)
            if not result.clean or (title_clash and head.title != base.title):
                raise StaleRevisionError(
                    head=head, typed=body, title=new_title, conflicts=result.conflicts or 1
                )
            body = result.text
            if new_title == base.title:
                new_title = head.title
            merged_with = head
        if body == document.body and new_title == document.title:
            raise ValidationError(
                {
                    "body": _(
                        "This is the same text as revision %(head_number)s; change something "
                        "before saving."
                    )
                    % {"head_number": document.head_number}
                }
            )
        if merged_with is not None:
            note = f"merged with revision {merged_with.number} by {merged_with.author.name}"
            message = f"{message} ({note})" if message else note.capitalize()
        revision = _write_revision(
            document=document,
            by=by,
            title=new_title,
            body=body,
            message=message,
            base_number=base_number,
            merged=merged_with is not None,
            at=when,
        )
        _contribute(
            document=document,
            revision=revision,
            by=by,
            at=when,
            meta={"merged": True} if merged_with is not None else {},
        )
    return SaveResult(revision=revision, merged_with=merged_with)


def section_add(
    *,
    document: Document,
    by: User,
    heading: str,
    body: str,
    credit: User,
    source_url: str = "",
    at: datetime | None = None,
) -> Revision:
    """Append a section written by `credit` (a help request's contribution) as a new revision.

    The section ends with a line naming its author, so the credit survives later edits.
    """
    check_write_document(by, document.community)
    errors: dict[str, str] = {}
    heading = _clean_text(errors, "heading", heading, "a heading", 200).strip()
    text = _clean_text(errors, "body", body, "the section", MAX_BODY).strip()
    if source_url and not source_url.startswith(("http://", "https://", "/")):
        errors["source_url"] = _("Give the source as a link starting with https:// or /.")
    raise_if(errors)
    heading = " ".join(heading.split())  # one line, or it would not stay a heading
    credit_line = f"_Contributed by @{credit.username}_"
    if source_url:
        credit_line += f" ([source]({source_url}))"
    when = at or timezone.now()
    with transaction.atomic():
        locked(document)
        new_body = f"{document.body.rstrip()}\n\n## {heading}\n\n{text}\n\n{credit_line}\n"
        if len(new_body) > MAX_BODY:
            raise ValidationError(
                {
                    "body": _("The document would pass %(max_body)s characters with this section.")
                    % {"max_body": format(MAX_BODY, ",")}
                }
            )
        revision = _write_revision(
            document=document,
            by=by,
            title=document.title,
            body=new_body,
            message=_("Added the section “%(heading)s” by %(name)s")
            % {"heading": heading[:200], "name": credit.name},
            base_number=document.head_number,
            credit=credit,
            source_url=source_url[:500],
            at=when,
        )
        _contribute(
            document=document,
            revision=revision,
            by=by,
            at=when,
            meta={"section": True, "credit": credit.pk},
        )
    return revision


def steward_act(
    *,
    document: Document,
    by: User,
    action: str,
    target_actor_id: int | None = None,
    at: datetime | None = None,
    text: str = "",
    tell: Sequence[Tell] = (),
) -> None:
    """Record a workflow act (review, outdated mark): stewardship, not a contribution."""
    act_done(
        verb=Verb.EDIT,
        actor=by,
        community=document.community,
        obj=document,
        target_actor_id=target_actor_id,
        at=at,
        text=text,
        meta={"action": action},
        tell=tell,
    )


def question_link(*, document: Document, question: Question, by: User) -> QuestionLink:
    """Link a question the practice answers; both pages then list the other."""
    check_write_document(by, document.community)
    if question.community_id != document.community_id:
        raise ValidationError({"question": _("Link a question from the same community.")})
    if question.is_hidden:
        raise ValidationError({"question": _("That question is hidden.")})
    if QuestionLink.objects.filter(document=document, question=question).exists():
        raise ValidationError({"question": _("That question is already linked.")})
    with transaction.atomic():
        link = QuestionLink.objects.create(document=document, question=question, linked_by=by)
        steward_act(
            document=document,
            by=by,
            action="link_question",
            target_actor_id=question.author_id,
        )
    return link


def question_unlink(*, document: Document, question: Question, by: User) -> None:
    """Remove a question's link to the practice."""
    check_write_document(by, document.community)
    with transaction.atomic():
        deleted, _unused = QuestionLink.objects.filter(
            document=document, question=question
        ).delete()
        if not deleted:
            raise ValidationError({"question": _("That question is not linked.")})
        steward_act(document=document, by=by, action="unlink_question")
