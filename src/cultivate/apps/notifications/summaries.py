"""The daily summary: one e-mail a day with what someone has not read yet, instead of one per event.

It is the default for every kind of notice (`EmailRhythm.DAILY`). `cultivate tick` queues it every
hour; a person gets at most one a day (`SUMMARY_EVERY` after the last), holding their unread
notices of the kinds they want summarised since then, grouped by community and worded in their
language. Nobody with nothing new gets an e-mail.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException
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
SLACK = timedelta(minutes=30)
LOOKBACK = timedelta(days=7)
"""A summary never reaches further back than this, however long since the last one."""
MAX_LINES = 40
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Summary:
    """One person's summary e-mail, ready to send."""

    user_id: int
    to: str
    subject: str
    body: str


def reader_zone(name: str) -> ZoneInfo:
    """The reader's time zone, or the site's where theirs is unset or unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _due_notices(now: datetime) -> dict[int, list[Notification]]:
    """Unread notices of the last LOOKBACK, by recipient, oldest first, for the people due a
    summary (none yet, or the last one a day ago): the hourly run reads nobody else's."""
    summarised_today = EmailPreferences.objects.filter(summary_sent_at__gt=_day_before(now))
    notices: dict[int, list[Notification]] = defaultdict(list)
    rows = (
        Notification.objects.filter(
            read_at__isnull=True, created_at__gt=now - LOOKBACK, created_at__lte=now
        )
        .exclude(recipient_id__in=summarised_today.values("user_id"))
        .select_related("community")
        .order_by("recipient_id", "created_at", "id")
    )
    for notice in rows:
        notices[notice.recipient_id].append(notice)
    return notices


def _day_before(now: datetime) -> datetime:
    """A summary sent after this one counts as today's: a day, less the slack of an hourly clock
    that runs a little earlier one day than the next."""
    return now - SUMMARY_EVERY + SLACK


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
    everything, choose = _("All your notifications:"), _("Choose which e-mails you get:")
    lines.append(f"{everything} {site}/notifications/")
    lines.append(f"{choose} {site}/notifications/settings/")
    return subject, "\n".join(lines)


def email_summaries_due(now: datetime) -> list[Summary]:
    """Return the summaries due at `now`."""
    notices = _due_notices(now)
    if not notices:
        return []
    prefs = {p.user_id: p for p in EmailPreferences.objects.filter(user_id__in=list(notices))}
    people = (
        get_user_model()
        .objects.filter(pk__in=list(notices), is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "language", "time_zone")
    )
    summaries = []
    for pk, address, language, zone in people:
        mine = prefs.get(pk) or EmailPreferences(user_id=pk)
        last = mine.summary_sent_at
        if last is not None and last > _day_before(now):
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
            subject, body = _summary_text(wanted, timezone.localtime(since, reader_zone(zone)))
        summaries.append(Summary(user_id=pk, to=address, subject=subject, body=body))
    return summaries


def _claim(pk: int, moment: datetime) -> bool:
    """Mark the person's summary as sent at `moment`, unless another run did since it was read.

    Marking before sending means a failed or repeated run never mails anyone twice (a lost
    summary is the lesser harm: the notices are all in the app).
    """
    EmailPreferences.objects.get_or_create(user_id=pk)
    claimed = EmailPreferences.objects.filter(user_id=pk).exclude(
        summary_sent_at__gt=_day_before(moment)
    )
    return claimed.update(summary_sent_at=moment) == 1


def email_summaries_send(*, now: datetime | None = None) -> int:
    """Send every summary that is due and mark when; return how many left.

    It runs as a background job already (`tasks.send_email_summaries`), so it sends directly.
    """
    moment = now or timezone.now()
    sent = 0
    for summary in email_summaries_due(moment):
        pk = summary.user_id
        if not _claim(pk, moment):
            continue  # another run sent it
        try:
            send_mail(summary.subject, summary.body, settings.DEFAULT_FROM_EMAIL, [summary.to])
        except (OSError, SMTPException):
            logger.exception("The daily summary to user %s could not be sent", pk)
            continue
        sent += 1
    return sent
