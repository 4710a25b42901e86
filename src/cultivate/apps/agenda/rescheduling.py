"""Moving a scheduled topic to another time box, or to another owner, before it is delivered.

The deliverable's due date follows the box's new last day; the owner (and an owner taken off)
is told. The PLAN recorded when it was scheduled stays the one act: moving is not a new plan.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.communities.permissions import is_member
from cultivate.apps.notifications.effects import Tell, notify_all
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.practices.models import Document
from cultivate.apps.validation import raise_if

from .models import Topic
from .permissions import check_steer_agenda
from .selectors import published_on
from .services import check_time_box

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def topic_reschedule(
    *,
    topic: Topic,
    by: User,
    owner: User,
    starts_on: date,
    ends_on: date,
    at: datetime | None = None,
) -> Topic:
    """Give a scheduled, undelivered topic a new time box (and perhaps a new owner)."""
    community = topic.community
    check_steer_agenda(by, community)
    now = at or timezone.now()
    errors: dict[str, str] = {}
    if not is_member(owner, community):
        errors["owner"] = _(
            "%(name)s is not a member of %(name_2)s; choose a member as the owner."
        ) % {"name": owner.name, "name_2": community.name}
    check_time_box(errors, starts_on, ends_on, timezone.localdate(now))
    raise_if(errors)
    with transaction.atomic():
        locked = (
            Topic.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=topic.pk)
        )
        if locked.scheduled_at is None:
            raise ValidationError(_("Schedule the topic first; then it can be moved."))
        if published_on(locked.document) is not None:
            raise ValidationError(_("Its best practice is published: the topic is delivered."))
        previous_owner = locked.owner_id
        locked.owner, locked.starts_on, locked.ends_on = owner, starts_on, ends_on
        locked.save(update_fields=["owner", "starts_on", "ends_on"])
        if locked.document_id is not None:
            Document.objects.filter(pk=locked.document_id).update(due_on=ends_on)
        moved = phrase(
            gettext_noop("%(title)s moved to %(starts_on)s to %(ends_on)s; you own it"),
            title=locked.title,
            starts_on=dateformat.format(starts_on, "j M Y"),
            ends_on=dateformat.format(ends_on, "j M Y"),
        )
        tell = [Tell([owner.pk], Kind.ACTION, moved, locked.get_absolute_url())]
        if previous_owner and previous_owner != owner.pk:
            handed = phrase(
                gettext_noop("%(title)s now belongs to %(name)s"),
                title=locked.title,
                name=owner.name,
            )
            tell.append(Tell([previous_owner], Kind.ACTION, handed, locked.get_absolute_url()))
        notify_all(actor=by, community=community, at=now, tell=tell)
    topic.refresh_from_db()
    return topic
