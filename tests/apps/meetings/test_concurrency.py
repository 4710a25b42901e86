"""Two people taking the last seat at the same moment: one gets it, the other the waitlist.

Only PostgreSQL runs the two transactions truly side by side (SQLite serialises every write).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from cultivate.apps.meetings.models import Rsvp
from cultivate.apps.meetings.services import event_create, rsvp_set

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
]


def test_two_people_taking_the_last_seat_at_once_leave_one_on_the_waitlist(
    community, coordinator, make_user, join
):
    people = [make_user(), make_user()]
    for person in people:
        join(person, community)
    start = timezone.now() + timedelta(days=3)
    event = event_create(
        community=community,
        host=coordinator,
        title="One seat left",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="UTC",
        location="Room 1",
        capacity=1,
    )
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def take_the_seat(person) -> None:
        try:
            ready.wait(timeout=10)  # both threads start their transaction together
            rsvp_set(event=event, user=person, status="going")
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=take_the_seat, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(Rsvp.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["going", "waitlisted"]
