"""The agenda timeline: statuses and columns derived from hand-set dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.agenda.models import Topic
from cultivate.apps.agenda.selectors import agenda_for, status_of
from cultivate.apps.agenda.services import topic_schedule
from cultivate.apps.agenda.timeline import (
    Bucket,
    TopicStatus,
    one_month_from,
    timeline_bucket,
    topic_status,
)
from cultivate.apps.communities.models import Community
from cultivate.apps.practices.models import Document
from cultivate.apps.practices.reviewing import document_publish, review_give, review_request

END = date(2025, 4, 30)


@pytest.mark.parametrize(
    ("published_on", "today", "expected"),
    [
        (None, date(2025, 4, 10), TopicStatus.PLANNED),
        (None, END, TopicStatus.PLANNED),
        (None, date(2025, 5, 1), TopicStatus.LATE),
        (date(2025, 4, 29), date(2025, 6, 1), TopicStatus.DELIVERED_ON_TIME),
        (END, date(2025, 6, 1), TopicStatus.DELIVERED_ON_TIME),
        (date(2025, 5, 1), date(2025, 6, 1), TopicStatus.DELIVERED_LATE),
    ],
)
def test_status_follows_the_end_of_the_box_and_the_day_of_publication(
    published_on: date | None, today: date, expected: Any
) -> None:
    assert topic_status(ends_on=END, published_on=published_on, today=today) == expected


def test_a_topic_without_a_box_is_proposed() -> None:
    assert topic_status(ends_on=None, published_on=None, today=END) == TopicStatus.PROPOSED


@pytest.mark.parametrize(
    ("starts_on", "expected"),
    [
        (date(2025, 2, 10), Bucket.THIS_MONTH),  # started earlier, still running
        (date(2025, 3, 31), Bucket.THIS_MONTH),
        (date(2025, 4, 1), Bucket.NEXT_MONTH),
        (date(2025, 5, 1), Bucket.LATER),
        (date(2026, 3, 1), Bucket.LATER),
    ],
)
def test_a_planned_topic_goes_in_the_column_of_its_start(starts_on: date, expected: Any) -> None:
    today = date(2025, 3, 15)
    assert timeline_bucket(status=TopicStatus.PLANNED, starts_on=starts_on, today=today) == expected


def test_delivered_and_late_topics_have_their_own_columns_whatever_their_start() -> None:
    today, start = date(2025, 3, 15), date(2025, 3, 1)
    for status, bucket in [
        (TopicStatus.DELIVERED_ON_TIME, Bucket.DELIVERED),
        (TopicStatus.DELIVERED_LATE, Bucket.DELIVERED),
        (TopicStatus.LATE, Bucket.LATE),
    ]:
        assert timeline_bucket(status=status, starts_on=start, today=today) == bucket


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 3), date(2025, 4, 2)),
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 12, 15), date(2026, 1, 14)),
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 30), date(2024, 2, 29)),
    ],
)
def test_a_default_box_lasts_one_month(start: date, end: date) -> None:
    assert one_month_from(start) == end


@pytest.mark.parametrize("start", [date(9999, 12, 1), date(9999, 12, 31)])
def test_a_box_starting_in_the_calendars_last_month_ends_on_its_last_day(start: date) -> None:
    assert one_month_from(start) == date.max


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _publish(document: Document, author: User, reviewer: User, day: date) -> None:
    review_request(document=document, by=author, reviewers=[reviewer], at=_moment(day, 8))
    review_give(document=document, by=reviewer, approve=True, at=_moment(day, 9))
    document_publish(document=document, by=author, at=_moment(day, 10))


def test_the_agenda_places_each_topic_by_its_dates_and_its_deliverable(
    community: Community,
    coordinator: User,
    member: User,
    second: User,
    topics: list[Topic],
    propose: Callable[..., Topic],
) -> None:
    march = date(2025, 3, 3)
    on_time, late_delivery, overdue = topics
    running, upcoming = propose("Vibration"), propose("Gear wear")
    for topic, start in [
        (on_time, march),
        (late_delivery, march),
        (overdue, march),
        (running, date(2025, 5, 20)),
        (upcoming, date(2025, 7, 1)),
    ]:
        topic_schedule(
            topic=topic, by=coordinator, owner=member, starts_on=start, at=_moment(march)
        )
    for topic in (on_time, late_delivery, overdue, running, upcoming):
        topic.refresh_from_db()
    assert on_time.document is not None
    assert late_delivery.document is not None
    _publish(on_time.document, coordinator, second, date(2025, 4, 2))  # the box's last day
    _publish(late_delivery.document, coordinator, second, date(2025, 4, 3))

    agenda = agenda_for(member, community, now=_moment(date(2025, 6, 10)))

    def titles(bucket: Bucket) -> list[str]:
        return [entry.topic.title for entry in agenda.timeline[bucket]]

    assert titles(Bucket.DELIVERED) == [on_time.title, late_delivery.title]
    assert [e.status for e in agenda.timeline[Bucket.DELIVERED]] == [
        TopicStatus.DELIVERED_ON_TIME,
        TopicStatus.DELIVERED_LATE,
    ]
    assert titles(Bucket.LATE) == [overdue.title]
    assert titles(Bucket.THIS_MONTH) == [running.title]
    assert titles(Bucket.NEXT_MONTH) == [upcoming.title]
    assert titles(Bucket.LATER) == []
    publishes = ActivityRecord.objects.filter(verb="publish").order_by("at")
    assert [a.meta for a in publishes] == [{"on_time": True}, {"on_time": False}]


def test_a_topic_turns_late_the_day_after_its_box_ends_unpublished(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    start = date(2025, 3, 3)
    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member, at=_moment(start))
    assert topic.ends_on == date(2025, 4, 2)
    assert status_of(topic, date(2025, 4, 2)) == TopicStatus.PLANNED
    assert status_of(topic, date(2025, 4, 2) + timedelta(days=1)) == TopicStatus.LATE
