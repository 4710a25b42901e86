"""Send each member their weekly digest on the day they chose, in their language and time zone.

`cultivate tick` queues `send_weekly_digests` every hour; a person is due on their chosen
weekday (in their own time zone) once six days have passed since the last one. The run marks
a digest sent before sending it, so two runs never mail anyone twice. Nobody with nothing in
their week gets an e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cultivate.apps.notifications.models import EmailPreferences
from cultivate.apps.notifications.summaries import reader_zone

from .contents import Digest, Experts, digest_for, experts_memo

EVERY = timedelta(days=6)
"""At most one digest in this long: a weekly run an hour early still counts as next week's."""
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestMail:
    to: str
    subject: str
    text: str
    html: str


def digest_mail(user: object, digest: Digest, now: datetime) -> DigestMail:
    """Render the digest as plain text and HTML in the active language."""
    count = len(digest.questions)
    subject = (
        ngettext(
            "[Cultivate] Your week: %(count)s question you could answer",
            "[Cultivate] Your week: %(count)s questions you could answer",
            count,
        )
        % {"count": count}
        if count
        else _("[Cultivate] Your week in your communities")
    )
    context = {
        "person": user,
        "digest": digest,
        "site": settings.SITE_URL,
        "settings_url": f"{settings.SITE_URL}{reverse('notifications:settings')}",
        "week_of": now,
    }
    return DigestMail(
        to=str(getattr(user, "email", "")),
        subject=subject,
        text=render_to_string("digest/email.txt", context),
        html=render_to_string("digest/email.html", context),
    )


def _due_people(now: datetime) -> list[tuple[int, str, str, str]]:
    """(pk, e-mail, language, time zone) of the people whose digest day it may be."""
    recent = EmailPreferences.objects.filter(digest_sent_at__gt=now - EVERY).values("user_id")
    off = EmailPreferences.objects.filter(digest_day__isnull=True).values("user_id")
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(Q(pk__in=recent) | Q(pk__in=off))
        .values_list("pk", "email", "language", "time_zone")
    )


def _claim(pk: int, now: datetime) -> bool:
    """Mark the digest sent unless another run did: marking first never mails anyone twice."""
    EmailPreferences.objects.get_or_create(user_id=pk)
    fresh = EmailPreferences.objects.filter(user_id=pk).exclude(digest_sent_at__gt=now - EVERY)
    return fresh.update(digest_sent_at=now) == 1


def weekly_digests_send(*, now: datetime | None = None, experts: Experts | None = None) -> int:
    """Send every digest due at `now`; return how many left."""
    moment = now or timezone.now()
    experts = experts or experts_memo()
    days = dict(EmailPreferences.objects.values_list("user_id", "digest_day"))
    default_day = EmailPreferences._meta.get_field("digest_day").default
    sent = 0
    due = _due_people(moment)
    people = get_user_model().objects.in_bulk([pk for pk, *_ in due])
    for pk, address, language, zone in due:
        local = timezone.localtime(moment, reader_zone(zone))
        if local.weekday() != days.get(pk, default_day):
            continue
        person = people[pk]
        digest = digest_for(person, moment, experts)
        if digest.is_empty or not _claim(pk, moment):
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            mail = digest_mail(person, digest, local)
        message = EmailMultiAlternatives(
            mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [address]
        )
        message.attach_alternative(mail.html, "text/html")
        try:
            message.send()
        except (OSError, SMTPException):
            logger.exception("The weekly digest to user %s could not be sent", pk)
            continue
        sent += 1
    return sent
