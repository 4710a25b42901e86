"""Tell people about what concerns them: in the app always, by e-mail when they chose it.

Called by other services inside their transaction; e-mail is queued only once that commits.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community, Membership, MembershipState
from cultivate.apps.communities.permissions import check_view_community
from cultivate.apps.deferred import defer
from cultivate.apps.rows import append_rows
from cultivate.apps.tags.selectors import tag_watchers

from .models import CommunityWatch, EmailPreferences, EmailRhythm, Kind, Notification
from .phrases import Phrase
from .tasks import send_notification_email

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

_email_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("email_muted", default=False)


@contextlib.contextmanager
def email_muted() -> Iterator[None]:
    """Keep e-mail quiet while generating or importing history (in-app notices are still stored)."""
    token = _email_muted.set(True)
    try:
        yield
    finally:
        _email_muted.reset(token)


def _members_among(community: Community, user_ids: Iterable[int]) -> set[int]:
    """Keep only people who can still see the community, so nothing private leaks by notice."""
    ids = set(user_ids)
    if not ids or not community.is_private:
        return ids
    return set(
        Membership.objects.filter(
            community=community, user_id__in=ids, state=MembershipState.ACTIVE
        ).values_list("user_id", flat=True)
    )


def notify(
    *,
    recipient_ids: Iterable[int],
    kind: Kind,
    actor: User | None,
    community: Community,
    summary: str | Phrase,
    url: str,
    at: datetime | None = None,
) -> int:
    """Store a notice for each recipient other than the actor and queue the e-mails they want.

    `actor` is None when Cultivate itself speaks (reminders, milestones): then everyone named
    hears it. `at` dates the notice when history is replayed (the demo, imports). A `Phrase`
    summary is worded for each reader in their language; a plain one reads as it is.
    """
    others = set(recipient_ids) - ({actor.pk} if actor is not None else set())
    recipients = _members_among(community, others)
    if not recipients:
        return 0
    sentence = summary if isinstance(summary, Phrase) else Phrase("%(text)s", {"text": summary})
    english = sentence.worded("en")
    now = at or timezone.now()
    notices = [
        Notification(
            recipient_id=rid,
            kind=kind,
            actor=actor,
            community=community,
            summary=english[:300],
            phrase=sentence.to_data() if isinstance(summary, Phrase) else {},
            url=url[:300],
            created_at=now,
        )
        for rid in sorted(recipients)
    ]
    if not defer(_write_notices, notices):
        _write_notices([notices])
    if not _email_muted.get():
        _queue_emails(recipients, kind, sentence, url)
    return len(recipients)


def _write_notices(batches: list[list[Notification]]) -> None:
    """Insert the notices in one go (nobody needs their ids back: `rows.append_rows`)."""
    append_rows([n for batch in batches for n in batch])


def _queue_emails(recipient_ids: set[int], kind: Kind, sentence: Phrase, url: str) -> None:
    """E-mail the notice at once to those who chose that for its kind (the daily summary,
    the default, carries it for the others: `summaries.email_summaries_send`)."""
    chosen = dict(
        EmailPreferences.objects.filter(user_id__in=recipient_ids).values_list(
            "user_id", kind.value
        )
    )
    default = EmailPreferences().rhythm(kind.value)  # for who never chose
    at_once = {pk for pk in recipient_ids if chosen.get(pk, default) == EmailRhythm.NOW}
    if not at_once:
        return
    people = list(
        get_user_model()
        .objects.filter(pk__in=at_once, is_active=True)
        .exclude(email="")
        .values_list("email", "language")
    )
    link = f"{settings.SITE_URL}{url}"
    for address, language in people:
        language = language or settings.LANGUAGE_CODE
        summary = sentence.worded(language)
        with translation.override(language):
            choose = _("Choose which e-mails you get:")
        transaction.on_commit(
            functools.partial(
                send_notification_email.enqueue,
                to=address,
                subject=f"[Cultivate] {summary[:120]}",
                body=f"{summary}\n\n{link}\n\n{choose} {settings.SITE_URL}/notifications/settings/",
            )
        )


def watchers_of_question(community: Community, tag_ids: Iterable[int]) -> set[int]:
    """Return who watches the community or any of the tags."""
    ids = set(CommunityWatch.objects.filter(community=community).values_list("user_id", flat=True))
    return ids | tag_watchers(tag_ids)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_preferences_update(*, user: User, choices: dict[str, Any]) -> EmailPreferences:
    """Save how each kind of notice reaches the person by e-mail (a kind left out: never),
    and whether unanswered questions may be routed to them (on unless said, and until when
    they are paused)."""
    with transaction.atomic():
        prefs, _ = EmailPreferences.objects.get_or_create(user=user)
        fields = [k.value for k in Kind]
        for field in fields:
            chosen = choices.get(field, EmailRhythm.OFF)
            setattr(prefs, field, chosen if chosen in EmailRhythm.values else EmailRhythm.OFF)
        day = choices.get("digest_day", prefs.digest_day)
        prefs.digest_day = day if day in range(7) else None
        prefs.routing = bool(choices.get("routing", True))
        paused = choices.get("routing_paused_until")
        prefs.routing_paused_until = paused if isinstance(paused, date) else None
        prefs.save(update_fields=[*fields, "digest_day", "routing", "routing_paused_until"])
    return prefs


def community_watch_toggle(*, user: User, community: Community) -> bool:
    """Start or stop watching a community's new questions; return whether it is now watched.

    Anyone may stop watching; only someone who may see the community may start, so a watch
    never tells an outsider that a private community exists.
    """
    with transaction.atomic():
        deleted, _ = CommunityWatch.objects.filter(user=user, community=community).delete()
        if deleted:
            return False
        check_view_community(user, community)
        CommunityWatch.objects.get_or_create(user=user, community=community)
    return True


def notifications_prune(*, now: datetime | None = None) -> int:
    """Forget notices older than CULTIVATE_KEEP_NOTIFICATIONS_DAYS (read or not): they name
    people and what they did, and nobody scrolls back a year. Return how many went."""
    days = int(getattr(settings, "CULTIVATE_KEEP_NOTIFICATIONS_DAYS", 365))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _unused = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
