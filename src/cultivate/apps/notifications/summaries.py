"""The daily summary: one e-mail a day with what someone has not read yet, instead of one per event.

It is the default for every kind of notice (`EmailRhythm.DAILY`). `cultivate tick` queues it every
hour; a person gets at most one a day (`SUMMARY_EVERY` after the last), holding their unread
notices of the kinds they want summarised since then, grouped by community and worded in their
language. Nobody with nothing new gets an e-mail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import EmailPreferences, EmailRhythm, Notification

SUMMARY_EVERY = timedelta(days=1)
LOOKBACK = timedelta(days=7)
"""A summary never reaches further back than this, however long since the last one."""
MAX_LINES = 40


@dataclass(frozen=True, slots=True)
class Summary:
    """One person's summary e-mail, ready to send."""

    to: str
    subject: str
    body: str


def _zone(name: str) -> ZoneInfo:
    """The reader's time zone, or the site's where theirs is unset or unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _due_notices(now: datetime) -> dict[int, list[Notification]]:
    """Unread notices of the last LOOKBACK, by recipient, oldest first."""
    notices: dict[int, list[Notification]] = defaultdict(list)
    rows = (
        Notification.objects.filter(
            read_at__isnull=True, created_at__gt=now - LOOKBACK, created_at__lte=now
        )
        .select_related("community")
        .order_by("recipient_id", "created_at", "id")
    )
    for notice in rows:
        notices[notice.recipient_id].append(notice)
    return notices


def _summary_text(notices: list[Notification], since: datetime) -> tuple[str, str]:
    """The subject and plain-text body, in the active language."""
    by_community: dict[str, list[Notification]] = defaultdict(list)
    for notice in notices:
        by_community[notice.community.name].append(notice)
    count = len(notices)
    subject = ngettext(
        "[Cultivate] %(count)s new notice in your communities",
        "[Cultivate] %(count)s new notices in your communities",
        count,
    ) % {"count": count}
    lines = [
        _("What happened since %(when)s:") % {"when": date_format(since, "DATETIME_FORMAT")},
        "",
    ]
    shown = 0
    for name, items in sorted(by_community.items()):
        lines.append(name)
        for notice in items:
            if shown < MAX_LINES:
                lines.append(f"- {notice.text}\n  {settings.SITE_URL}{notice.url}")
            shown += 1
        lines.append("")
    if shown > MAX_LINES:
        more = shown - MAX_LINES
        lines.append(
            ngettext("… and %(count)s more", "… and %(count)s more", more) % {"count": more}
        )
        lines.append("")
    site = settings.SITE_URL
    lines.append(f"{_('All your notifications:')} {site}/notifications/")
    lines.append(f"{_('Choose which e-mails you get:')} {site}/notifications/settings/")
    return subject, "\n".join(lines)


def email_summaries_due(now: datetime) -> tuple[list[Summary], list[int]]:
    """Return the summaries due at `now` and who they go to (to mark as sent)."""
    notices = _due_notices(now)
    if not notices:
        return [], []
    prefs = {p.user_id: p for p in EmailPreferences.objects.filter(user_id__in=list(notices))}
    people = (
        get_user_model()
        .objects.filter(pk__in=list(notices), is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "language", "time_zone")
    )
    summaries, sent_to = [], []
    for pk, address, language, zone in people:
        mine = prefs.get(pk) or EmailPreferences(user_id=pk)
        last = mine.summary_sent_at
        if last is not None and last > now - SUMMARY_EVERY:
            continue  # one a day
        since = max(last or now - SUMMARY_EVERY, now - LOOKBACK)
        wanted = [
            n
            for n in notices[pk]
            if n.created_at > since and mine.rhythm(n.kind) == EmailRhythm.DAILY
        ]
        if not wanted:
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body = _summary_text(wanted, timezone.localtime(since, _zone(zone)))
        summaries.append(Summary(to=address, subject=subject, body=body))
        sent_to.append(pk)
    return summaries, sent_to


def email_summaries_send(*, now: datetime | None = None) -> int:
    """Send every summary that is due and mark when; return how many left.

    It runs as a background job already (`tasks.send_email_summaries`), so it sends directly.
    """
    moment = now or timezone.now()
    summaries, sent_to = email_summaries_due(moment)
    for summary in summaries:
        send_mail(summary.subject, summary.body, settings.DEFAULT_FROM_EMAIL, [summary.to])
    for pk in sent_to:
        EmailPreferences.objects.update_or_create(user_id=pk, defaults={"summary_sent_at": moment})
    return len(summaries)
