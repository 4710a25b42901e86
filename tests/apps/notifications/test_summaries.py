"""The daily summary: one e-mail a day with the unread notices of the kinds a person summarises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.models import EmailPreferences, EmailRhythm, Kind, Notification
from cultivate.apps.notifications.summaries import MAX_LINES, email_summaries_send
from cultivate.apps.notifications.tasks import send_email_summaries
from cultivate.apps.sharing.services import answer_create, comment_create, question_ask

from .helpers import email_at_once

pytestmark = pytest.mark.django_db


def _busy_day(community: Community, member: User, coordinator: User) -> None:
    question = question_ask(community=community, author=member, title="Which grease?", body="?")
    answer = answer_create(question=question, author=coordinator, body="Lithium complex.")
    comment_create(target=question, author=coordinator, body="Also check the housing.")
    answer_create(question=question, author=coordinator, body="Or a polyurea grease.")
    del answer


def test_a_busy_day_arrives_as_one_summary_not_one_mail_per_event(
    community, member, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _busy_day(community, member, coordinator)
    assert mail.outbox == []  # nothing at once: the default is the daily summary

    sent = email_summaries_send(now=timezone.now() + timedelta(minutes=1))

    assert sent == 1
    [summary] = mail.outbox
    assert summary.to == [member.email]
    assert summary.subject == "[Cultivate] 3 new notices in your communities"
    assert community.name in summary.body
    assert summary.body.count("Coco Coordinator answered Which grease?") == 2
    assert "commented on Which grease?" in summary.body
    assert "/notifications/settings/" in summary.body
    assert EmailPreferences.objects.get(user=member).summary_sent_at is not None


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_only_whats_new(
    community, member, coordinator
):
    _busy_day(community, member, coordinator)
    first = timezone.now() + timedelta(minutes=1)
    assert email_summaries_send(now=first) == 1
    assert email_summaries_send(now=first + timedelta(hours=3)) == 0

    later = first + timedelta(hours=5)
    question = question_ask(
        community=community, author=member, title="Belt slip?", body="?", at=later
    )
    answer_create(question=question, author=coordinator, body="Tension it.", at=later)
    assert email_summaries_send(now=first + timedelta(days=1, minutes=1)) == 1
    latest = mail.outbox[-1].body
    assert "Belt slip?" in latest
    assert "Which grease?" not in latest


def test_read_notices_and_kinds_sent_at_once_or_off_stay_out_of_the_summary(
    community, member, coordinator
):
    email_at_once(member, Kind.ANSWER)
    EmailPreferences.objects.filter(user=member).update(comment=EmailRhythm.OFF)
    _busy_day(community, member, coordinator)
    assert email_summaries_send(now=timezone.now() + timedelta(minutes=1)) == 0

    Notification.objects.filter(recipient=member).update(kind=Kind.MENTION, read_at=timezone.now())
    assert email_summaries_send(now=timezone.now() + timedelta(days=2)) == 0


def test_the_summary_is_written_in_the_readers_language_and_time_zone(
    community, member, coordinator
):
    member.language, member.time_zone = "fr", "Asia/Tokyo"
    member.save(update_fields=["language", "time_zone"])
    _busy_day(community, member, coordinator)

    send_email_summaries.enqueue((timezone.now() + timedelta(minutes=1)).isoformat())

    [summary] = mail.outbox
    assert summary.subject == "[Cultivate] 3 nouvelles notifications dans vos communautés"
    assert "Coco Coordinator a répondu à Which grease?" in summary.body


def test_a_long_summary_lists_the_first_lines_and_says_how_many_more(community, member):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=member,
            community=community,
            kind=Kind.MILESTONE,
            summary=f"Win {n}",
            url="/c/x/",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(MAX_LINES + 5)
    )
    assert email_summaries_send(now=now + timedelta(minutes=1)) == 1
    assert "… and 5 more" in mail.outbox[0].body


def test_a_tick_a_little_earlier_the_next_day_still_sends_and_a_rerun_never_sends_twice(
    community, member, coordinator
):
    _busy_day(community, member, coordinator)
    first = timezone.now() + timedelta(minutes=1)
    assert email_summaries_send(now=first) == 1
    later = first + timedelta(hours=3)
    question = question_ask(community=community, author=member, title="Belt?", body="?", at=later)
    answer_create(question=question, author=coordinator, body="Tension it.", at=later)

    next_day = first + timedelta(days=1) - timedelta(minutes=10)  # cron is not a metronome
    assert email_summaries_send(now=next_day) == 1
    assert email_summaries_send(now=next_day) == 0
    assert len(mail.outbox) == 2
