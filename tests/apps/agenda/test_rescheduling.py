"""A scheduled topic moves to another time box or owner; its deliverable's date follows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.agenda.rescheduling import topic_reschedule
from cultivate.apps.agenda.services import topic_schedule
from cultivate.apps.notifications.models import Notification


def test_moving_a_scheduled_topic_moves_its_due_date_and_tells_both_owners(
    topics, coordinator, member, second
):
    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member)
    start = timezone.localdate() + timedelta(days=40)

    moved = topic_reschedule(
        topic=topic, by=coordinator, owner=second, starts_on=start, ends_on=start + timedelta(30)
    )

    assert (moved.starts_on, moved.ends_on, moved.owner_id) == (
        start,
        start + timedelta(30),
        second.pk,
    )
    assert moved.document.due_on == start + timedelta(30)
    assert Notification.objects.filter(recipient=second, summary__contains="you own it").exists()
    assert Notification.objects.filter(recipient=member, summary__contains="now belongs").exists()


def test_an_unscheduled_topic_or_a_box_in_the_past_is_refused(topics, coordinator, member):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        topic_reschedule(
            topic=topics[1], by=coordinator, owner=member, starts_on=today, ends_on=today
        )
    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member)
    with pytest.raises(ValidationError):
        topic_reschedule(
            topic=topic,
            by=coordinator,
            owner=member,
            starts_on=today - timedelta(60),
            ends_on=today - timedelta(30),
        )


def test_only_those_who_steer_the_agenda_move_topics(topics, coordinator, member):
    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        topic_reschedule(topic=topic, by=member, owner=member, starts_on=today, ends_on=today)


def test_the_topic_page_offers_the_move_to_coordinators(client, topics, coordinator, member):
    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member)
    client.force_login(coordinator)
    assert 'data-testid="reschedule"' in client.get(topic.get_absolute_url()).content.decode()
    start = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("agenda:reschedule", args=[topic.community.slug, topic.pk]),
        {"owner": member.pk, "starts_on": start, "ends_on": start + timedelta(days=20)},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.ends_on == start + timedelta(days=20)
