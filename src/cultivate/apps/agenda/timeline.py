"""Where a topic stands on the agenda, derived from dates alone (no database, easy to test).

A scheduled topic's deliverable is delivered on time when it was published on or before the last
day of the time box, delivered late when published after it, and late when the box is over and it
is still unpublished. Anything else is planned: this month, next month or later by its start.
"""

from __future__ import annotations

import enum
from datetime import date

from django.utils.translation import gettext_lazy


class TopicStatus(enum.StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    DELIVERED_ON_TIME = "delivered_on_time"
    DELIVERED_LATE = "delivered_late"
    LATE = "late"


class Bucket(enum.StrEnum):
    THIS_MONTH = "this_month"
    NEXT_MONTH = "next_month"
    LATER = "later"
    DELIVERED = "delivered"
    LATE = "late"


BUCKET_LABELS = {
    Bucket.THIS_MONTH: gettext_lazy("This month"),
    Bucket.NEXT_MONTH: gettext_lazy("Next month"),
    Bucket.LATER: gettext_lazy("Later"),
    Bucket.DELIVERED: gettext_lazy("Delivered"),
    Bucket.LATE: gettext_lazy("Late"),
}

STATUS_LABELS = {
    TopicStatus.PROPOSED: gettext_lazy("Proposed"),
    TopicStatus.PLANNED: gettext_lazy("Planned"),
    TopicStatus.DELIVERED_ON_TIME: gettext_lazy("Delivered on time"),
    TopicStatus.DELIVERED_LATE: gettext_lazy("Delivered late"),
    TopicStatus.LATE: gettext_lazy("Late"),
}


def topic_status(*, ends_on: date | None, published_on: date | None, today: date) -> TopicStatus:
    """Return the topic's status from its time box's end and its deliverable's publication day."""
    if ends_on is None:
        return TopicStatus.PROPOSED
    if published_on is not None:
        return (
            TopicStatus.DELIVERED_ON_TIME if published_on <= ends_on else TopicStatus.DELIVERED_LATE
        )
    return TopicStatus.LATE if today > ends_on else TopicStatus.PLANNED


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def timeline_bucket(*, status: TopicStatus, starts_on: date, today: date) -> Bucket:
    """Return the timeline column of a scheduled topic.

    A planned topic whose box started before this month is still work of this month.
    """
    if status in (TopicStatus.DELIVERED_ON_TIME, TopicStatus.DELIVERED_LATE):
        return Bucket.DELIVERED
    if status == TopicStatus.LATE:
        return Bucket.LATE
    months_ahead = _month_index(starts_on) - _month_index(today)
    if months_ahead <= 0:
        return Bucket.THIS_MONTH
    if months_ahead == 1:
        return Bucket.NEXT_MONTH
    return Bucket.LATER


def one_month_from(start: date) -> date:
    """Return the last day of a one-month box from `start` (3 Mar -> 2 Apr; 31 Jan -> 28 Feb).

    A box starting in the calendar's last month ends on its last day (a start in December 9999
    looped forever looking for a day of January 10000).
    """
    year, month = divmod(_month_index(start) + 1, 12)
    month += 1
    if year > date.max.year:
        return date.max
    day = start.day
    while True:
        try:
            same_day_next_month = date(year, month, day)
            break
        except ValueError:
            day -= 1  # 31 Jan + one month is the end of February
    if day != start.day:
        return same_day_next_month
    return date.fromordinal(same_day_next_month.toordinal() - 1)
