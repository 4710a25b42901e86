"""Writes for a decision's implementation: action items (create, take, move along, complete)
and the reminders for overdue ones.

Each service checks permission, writes inside one transaction, records exactly one Activity and
tells the members concerned; finishing a proposal's last item celebrates it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_contribute, is_member
from cultivate.apps.notifications import phrases
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.notifications.services import notify
from cultivate.apps.validation import raise_if, require
from cultivate.core.activity import Verb

from .models import ActionItem, ActionStatus, Proposal
from .permissions import check_change_action_item

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def _check_owner(errors: dict[str, str], owner: User, community: Community) -> None:
    if not is_member(owner, community):
        errors["owner"] = _(
            "%(name)s is not a member of %(name_2)s; choose a member as the owner."
        ) % {"name": owner.name, "name_2": community.name}


def action_item_create(
    *,
    community: Community,
    by: User,
    title: str,
    owner: User,
    due: date,
    proposal: Proposal | None = None,
    at: datetime | None = None,
) -> ActionItem:
    """Create an action item, from a decision's outcome or on its own; its owner is told."""
    check_contribute(by, community)
    now = at or timezone.now()
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("what needs doing"), 200)
    _check_owner(errors, owner, community)
    today = timezone.localdate(now)
    if due is None:
        errors["due"] = _("Give a due date.")
    elif due < today:
        errors["due"] = _("The due date %(due)s is in the past; choose today or later.") % {
            "due": dateformat.format(due, "d M Y")
        }
    if proposal is not None and proposal.community_id != community.pk:
        errors["proposal"] = _("That decision belongs to another community.")
    raise_if(errors)
    with transaction.atomic():
        item = ActionItem.objects.create(
            community=community,
            proposal=proposal,
            title=title,
            owner=owner,
            created_by=by,
            due=due,
            created_at=now,
            updated_at=now,
        )
        act_done(
            verb=Verb.COMMIT,
            actor=by,
            community=community,
            obj=item,
            parent=proposal,
            target_actor_id=owner.pk,
            at=now,
            text=title,
            tell=[
                Tell(
                    recipient_ids=[owner.pk],
                    kind=Kind.ACTION,
                    summary=phrase(
                        gettext_noop("%(name)s gave you an action item: %(title)s (due %(due)s)"),
                        name=by.name,
                        title=title,
                        due=dateformat.format(due, "d M Y"),
                    ),
                    url=item.get_absolute_url(),
                )
            ],
        )
    return item


def _verb_for(item: ActionItem, by: User, status: str, owner: User) -> Verb:
    """Completing is COMPLETE, taking the item yourself is COMMIT, anything else is an EDIT."""
    if status == ActionStatus.DONE and item.status != ActionStatus.DONE:
        return Verb.COMPLETE
    if owner.pk == by.pk and item.owner_id != by.pk:
        return Verb.COMMIT
    return Verb.EDIT


def action_item_update(
    *,
    item: ActionItem,
    by: User,
    title: str | None = None,
    owner: User | None = None,
    due: date | None = None,
    status: str | None = None,
    at: datetime | None = None,
) -> ActionItem:
    """Change an action item: its status, owner, due date or title (only what is given).

    Any member may take an item for themselves; other changes are for its owner, its creator or a
    coordinator. When the last open item of a decision is done, the community gets a milestone.
    """
    community = item.community
    new_owner = owner if owner is not None else item.owner
    taking = new_owner.pk == by.pk and item.owner_id != by.pk
    if taking and title is None and due is None and status is None:
        check_contribute(by, community)
        if item.is_done:
            raise ValidationError(_("This item is already done; there is nothing left to take."))
    else:
        check_change_action_item(by, community, item.owner_id, item.created_by_id)
    now = at or timezone.now()
    errors: dict[str, str] = {}
    new_title = item.title if title is None else require(errors, "title", title, _("a title"), 200)
    new_status = item.status if status is None else status
    if new_status not in ActionStatus.values:
        errors["status"] = _("Choose a status: %(join)s (got %(status)s).") % {
            "join": ", ".join(ActionStatus.values),
            "status": repr(status),
        }
    if owner is not None and owner.pk != item.owner_id:
        _check_owner(errors, owner, community)
    new_due = item.due if due is None else due
    if due is not None and due != item.due and due < timezone.localdate(now):
        errors["due"] = _("The due date %(due)s is in the past; choose today or later.") % {
            "due": dateformat.format(due, "d M Y")
        }
    raise_if(errors)
    changed = {
        "title": new_title != item.title,
        "owner": new_owner.pk != item.owner_id,
        "due": new_due != item.due,
        "status": new_status != item.status,
    }
    if not any(changed.values()):
        return item
    verb = _verb_for(item, by, new_status, new_owner)
    with transaction.atomic():
        item.title, item.owner, item.due = new_title, new_owner, new_due
        if changed["status"]:
            item.completed_at = now if new_status == ActionStatus.DONE else None
        item.status, item.updated_at = new_status, now
        if changed["due"]:
            item.reminded_on = None  # a new date earns a fresh reminder when it, too, slips
        item.save(
            update_fields=[
                "title",
                "owner",
                "due",
                "status",
                "completed_at",
                "updated_at",
                "reminded_on",
            ]
        )
        activity_record(
            verb=verb,
            actor_id=by.pk,
            community_id=community.pk,
            obj=item,
            parent=item.proposal,
            target_actor_id=item.owner_id if verb == Verb.EDIT else None,
            at=now,
            meta={"changed": sorted(k for k, v in changed.items() if v)}
            if verb == Verb.EDIT
            else {},
        )
        if changed["owner"]:
            notify(
                recipient_ids=[new_owner.pk],
                kind=Kind.ACTION,
                actor=by,
                community=community,
                summary=phrase(
                    gettext_noop("You now own the action item %(new_title)s (due %(new_due)s)"),
                    new_title=new_title,
                    new_due=dateformat.format(new_due, "d M Y"),
                ),
                url=item.get_absolute_url(),
                at=now,
            )
        if verb == Verb.COMPLETE and item.proposal is not None:
            _celebrate_if_all_done(item.proposal, now)
    return item


def action_item_take(*, item: ActionItem, by: User, at: datetime | None = None) -> ActionItem:
    """Take (claim) an action item: you become its owner."""
    if item.owner_id == by.pk:
        raise ValidationError(_("You already own this item."))
    return action_item_update(item=item, by=by, owner=by, at=at)


def action_item_set_status(
    *, item: ActionItem, by: User, status: str, at: datetime | None = None
) -> ActionItem:
    """Move an action item to open, doing or done."""
    return action_item_update(item=item, by=by, status=status, at=at)


def _celebrate_if_all_done(proposal: Proposal, at: datetime) -> None:
    """Post the decision's milestone once its last open action item is done."""
    items = list(ActionItem.objects.filter(proposal=proposal).select_related("owner"))
    if not items or any(not i.is_done for i in items):
        return
    from cultivate.apps.celebrations.services import milestone_post

    owners = list({i.owner_id: i.owner for i in items}.values())
    milestone_post(
        community=proposal.community,
        key=f"decision-done-{proposal.pk}",
        title=phrase(gettext_noop("Done: every action item of “%(title)s”"), title=proposal.title),
        people=owners,
        url=proposal.get_absolute_url(),
        at=at,
    )


def action_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each owner of an overdue action item, at most once per item per day; return how
    many were reminded."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    overdue = list(
        ActionItem.objects.exclude(status=ActionStatus.DONE)
        .filter(due__lt=today)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("owner", "community")
    )
    if not overdue:
        return 0
    sent = 0
    for item in overdue:
        with transaction.atomic():
            ActionItem.objects.filter(pk=item.pk).update(reminded_on=today)
            days = (today - item.due).days
            sent += notify(
                recipient_ids=[item.owner_id],
                kind=Kind.ACTION,
                actor=None,  # Cultivate reminds: the owner hears it even if they gave it
                community=item.community,
                summary=phrases.ngettext(
                    "Overdue by %(count)s day: %(title)s (due %(due)s)",
                    "Overdue by %(count)s days: %(title)s (due %(due)s)",
                    days,
                    title=item.title,
                    due=dateformat.format(item.due, "d M Y"),
                ),
                url=item.get_absolute_url(),
                at=moment,
            )
    return sent
