"""Writes for celebrations: milestones the system posts, kudos people give, cheers on wins.

A person's act (kudos, cheer) records exactly one CELEBRATE Activity; a milestone is the system
speaking, so it records none. Every write works inside a caller's transaction and accepts `at`
so history can be replayed in the past.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import Phrase, phrase
from cultivate.core.activity import Verb
from cultivate.core.markup import plain_text, render_markdown

from .links import link_resolve
from .models import Cheer, Kudos, Milestone
from .notices import notify_milestone
from .permissions import check_cheer, check_give_kudos

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

REASON_LIMIT = 2000
KEY_LIMIT = 120


def milestone_post(
    *,
    community: Community,
    key: str,
    title: str | Phrase,
    people: Sequence[User],
    url: str = "",
    at: datetime | None = None,
) -> Milestone | None:
    """Post a milestone to the wins feed once per (community, key) and tell everyone.

    Return None, changing nothing, when the key was already posted. Runs in a savepoint so a
    caller's transaction survives a concurrent duplicate.
    """
    words = title.to_data() if isinstance(title, Phrase) else {}
    key, title = key.strip(), (title.worded("en") if isinstance(title, Phrase) else title).strip()
    if not key or len(key) > KEY_LIMIT:
        raise ValidationError(
            {
                "key": _("Give the milestone a key of 1-%(key_limit)s characters.")
                % {"key_limit": KEY_LIMIT}
            }
        )
    if not title:
        raise ValidationError({"title": _("A milestone needs a title to show in the wins feed.")})
    if Milestone.objects.filter(community=community, key=key).exists():
        return None
    when = at or timezone.now()
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(
                community=community,
                key=key,
                title=title[:200],
                title_words=words,
                url=url[:300],
                created_at=when,
            )
            milestone.people.add(*people)  # a new milestone: nobody to take off
            notify_milestone(milestone=milestone, people=people, at=when)
    except IntegrityError:
        return None
    return milestone


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the kudos are for.")})
    if len(reason) > REASON_LIMIT:
        message = _("Keep the reason under %(limit)s characters (it has %(count)s).") % {
            "limit": format(REASON_LIMIT, ","),
            "count": format(len(reason), ","),
        }
        raise ValidationError({"reason": message})
    return reason


def kudos_give(
    *,
    community: Community,
    giver: User,
    receiver: User,
    reason: str,
    link_kind: str = "",
    link_id: int | None = None,
    at: datetime | None = None,
) -> Kudos:
    """Thank another member for something, optionally pointing at the answer or work it was for."""
    check_give_kudos(giver, community, receiver)
    reason = _clean_reason(reason)
    link: Model | None = link_resolve(community=community, user=giver, kind=link_kind, pk=link_id)
    when = at or timezone.now()
    with transaction.atomic():
        kudos = Kudos.objects.create(
            community=community,
            giver=giver,
            receiver=receiver,
            reason=reason,
            reason_html=render_markdown(reason),
            link_type=ContentType.objects.get_for_model(type(link)) if link else None,
            link_id=link.pk if link else None,
            created_at=when,
        )
        act_done(
            verb=Verb.CELEBRATE,
            actor=giver,
            community=community,
            obj=kudos,
            parent=link,
            target_actor_id=receiver.pk,
            at=when,
            text=reason,
            meta={"kind": "kudos"},
            tell=[
                Tell(
                    recipient_ids=[receiver.pk],
                    kind=Kind.KUDOS,
                    summary=phrase(
                        gettext_noop("%(name)s gave you kudos: %(plain_text)s"),
                        name=giver.name,
                        plain_text=plain_text(reason, 120),
                    ),
                    url=kudos.get_absolute_url(),
                )
            ],
        )
    return kudos


def win_cheer(*, win: Milestone | Kudos, user: User, at: datetime | None = None) -> Cheer:
    """Cheer a milestone or a kudos; a second cheer from the same person is refused."""
    community = win.community
    check_cheer(user, community)
    field = "milestone" if isinstance(win, Milestone) else "kudos"
    try:
        with transaction.atomic():
            cheer = Cheer.objects.create(user=user, created_at=at or timezone.now(), **{field: win})
            type(win).objects.filter(pk=win.pk).update(cheer_count=F("cheer_count") + 1)
            activity_record(
                verb=Verb.CELEBRATE,
                actor_id=user.pk,
                community_id=community.pk,
                obj=win,
                target_actor_id=win.receiver_id if isinstance(win, Kudos) else None,
                at=at,
                meta={"kind": "cheer"},
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already cheered this win."), code="already_cheered"
        ) from None
    win.cheer_count += 1
    return cheer
