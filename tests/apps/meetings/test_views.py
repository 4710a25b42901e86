"""Meeting pages: forms, RSVPs, times in the event's zone, calendar files and feeds, privacy."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.meetings.coffee import coffee_opt_in
from cultivate.apps.meetings.models import CoffeePair, Event, Rsvp
from cultivate.apps.meetings.services import calendar_token_for, event_create
from cultivate.apps.notifications.models import Notification


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_a_member_plans_an_event_in_their_own_time_zone(client, community, member):
    _login(client, member)
    response = client.post(
        reverse("meetings:event_new", args=[community.slug]),
        {
            "kind": "working_session",
            "title": "Sit together on the FMEA",
            "starts_at": "2031-09-01T14:00",
            "ends_at": "2031-09-01T17:00",
            "time_zone": "Asia/Kolkata",
            "location": "Pune plant, room 4",
            "capacity": "6",
            "description": "Bring the **draft**.",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.starts_at.isoformat() == "2031-09-01T08:30:00+00:00"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Mon 1 Sep 2031, 14:00\u201317:00" in page
    assert "(Asia/Kolkata)" in page
    assert "<strong>draft</strong>" in page


def test_the_form_shows_each_problem_beside_its_field(client, community, member):
    _login(client, member)
    response = client.post(
        reverse("meetings:event_new", args=[community.slug]),
        {
            "kind": "meetup",
            "title": "Backwards",
            "starts_at": "2031-09-01T14:00",
            "ends_at": "2031-09-01T13:00",
            "time_zone": "Nowhere/Special",
            "capacity": "0",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown time zone &#x27;Nowhere/Special&#x27;" in page
    assert "at least 1 seat" in page
    assert "Give a place or a link" in page
    assert not Event.objects.exists()


def test_rsvp_from_the_page_and_a_full_event_waitlists(client, make_event, members):
    event = make_event(capacity=1)
    url = reverse("meetings:rsvp", args=[event.community.slug, event.pk])
    _login(client, members[0]).post(url, {"status": "going"})
    _login(client, members[1]).post(url, {"status": "going"})
    assert Rsvp.objects.get(user=members[1]).status == "waitlisted"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "On the waitlist" in page
    assert "(number 1)" in page


def test_the_ics_download_parses_and_names_the_zone(client, make_event):
    event = make_event(title="Bearing clinic; part 2, with tea")
    response = client.get(reverse("meetings:event_ics", args=[event.community.slug, event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    (item,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(item["summary"]) == "Bearing clinic; part 2, with tea"
    assert item["dtstart"].params["TZID"] == "Europe/Berlin"


def test_a_public_feed_is_open_but_a_private_one_needs_the_members_secret(
    client, community, private_community, coordinator, member, outsider, make_event
):
    make_event(title="Open clinic")
    secret_event = make_event(title="Incident review", where=private_community)
    public = client.get(reverse("meetings:feed", args=[community.slug]))
    assert [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(public.content).walk("VEVENT")
    ] == ["Open clinic"]
    assert client.get(reverse("meetings:feed", args=[private_community.slug])).status_code == 404
    mine = calendar_token_for(user=coordinator, community=private_community).secret
    url = reverse("meetings:feed_token", args=[private_community.slug, mine])
    body = client.get(url).content
    assert b"Incident review" in body
    assert b"Open clinic" not in body
    # an outsider's own secret opens nothing private, and a wrong secret is a 404
    theirs = calendar_token_for(user=outsider, community=private_community).secret
    assert (
        client.get(
            reverse("meetings:feed_token", args=[private_community.slug, theirs])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("meetings:feed_token", args=[private_community.slug, "nope"])
        ).status_code
        == 404
    )
    assert client.get(secret_event.get_absolute_url()).status_code == 404
    assert (
        client.get(
            reverse("meetings:event_ics", args=[private_community.slug, secret_event.pk])
        ).status_code
        == 404
    )


def test_resetting_the_secret_stops_the_old_feed_address(client, private_community, coordinator):
    old = calendar_token_for(user=coordinator, community=private_community).secret
    _login(client, coordinator).post(reverse("meetings:feed_reset", args=[private_community.slug]))
    assert (
        client.get(reverse("meetings:feed_token", args=[private_community.slug, old])).status_code
        == 404
    )
    new = calendar_token_for(user=coordinator, community=private_community).secret
    assert (
        client.get(reverse("meetings:feed_token", args=[private_community.slug, new])).status_code
        == 200
    )


def test_the_events_page_lists_coming_and_past_events_with_the_tab(client, make_event, member):
    make_event(title="Next week")
    make_event(title="Last week", in_hours=-170)
    page = _login(client, member).get(reverse("meetings:events", args=["mechanical-engineering"]))
    text = page.content.decode()
    assert "Next week" in text
    assert "Last week" in text
    assert 'aria-current="page">Events' in text


def test_the_host_takes_attendance_and_writes_notes_from_the_pages(
    client, make_event, members, coordinator
):
    event = make_event(in_hours=-2)
    from cultivate.apps.meetings.models import Rsvp as R

    R.objects.create(event=event, user=members[0], status="going")
    _login(client, coordinator)
    form = client.get(reverse("meetings:attendance", args=[event.community.slug, event.pk]))
    assert members[0].name in form.content.decode()
    client.post(
        reverse("meetings:attendance", args=[event.community.slug, event.pk]),
        {"present": [members[0].pk, members[1].pk]},
    )
    client.post(
        reverse("meetings:notes", args=[event.community.slug, event.pk]),
        {"notes": "We agreed on **weekly** greasing."},
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>weekly</strong>" in page
    assert members[1].name in page
    assert (
        _login(client, members[2])
        .get(reverse("meetings:attendance", args=[event.community.slug, event.pk]))
        .status_code
        == 403
    )


def test_a_coordinator_runs_a_round_and_a_member_says_we_met(
    client, community, coordinator, members
):
    for person in members[:2]:
        coffee_opt_in(community=community, user=person)
    _login(client, coordinator).post(reverse("meetings:coffee_round", args=[community.slug]))
    pair = CoffeePair.objects.get()
    page = _login(client, members[0]).get(reverse("meetings:coffee", args=[community.slug]))
    assert members[1].name in page.content.decode()
    client.post(reverse("meetings:coffee_met", args=[community.slug, pair.pk]))
    pair.refresh_from_db()
    assert pair.met_reported_by_id == members[0].pk


def test_a_round_with_too_few_people_says_so_on_the_page(client, community, coordinator):
    response = _login(client, coordinator).post(
        reverse("meetings:coffee_round", args=[community.slug]), follow=True
    )
    assert "Nobody has opted in to coffee pairing yet" in response.content.decode()


def test_opting_in_and_out_from_the_page(client, community, member):
    _login(client, member).post(reverse("meetings:coffee_opt_in", args=[community.slug]))
    page = client.get(reverse("meetings:coffee", args=[community.slug])).content.decode()
    assert "Opt out of coffee pairing" in page
    client.post(reverse("meetings:coffee_opt_out", args=[community.slug]))
    page = client.get(reverse("meetings:coffee", args=[community.slug])).content.decode()
    assert "Opt in to coffee pairing" in page


def test_naive_wall_clock_in_a_dst_zone_keeps_the_typed_time(community, member):
    from datetime import datetime

    event = event_create(
        community=community,
        host=member,
        title="Winter",
        starts_at=datetime(2031, 12, 1, 9, 0),
        ends_at=datetime(2031, 12, 1, 10, 0),
        time_zone="America/New_York",
        location="HQ",
    )
    assert event.local_start.hour == 9
    assert event.starts_at.hour == 14


def test_the_events_page_asks_the_same_few_queries_for_two_events_or_eight(
    client, community, member, make_event, make_user, join, page_queries
) -> None:
    from cultivate.apps.meetings.services import rsvp_set

    url = reverse("meetings:events", args=[community.slug])
    client.force_login(member)
    for n in range(2):
        make_event(title=f"Clinic {n}", in_hours=24 + n)
    few = page_queries(client, url)
    for n in range(6):
        event = make_event(title=f"Workshop {n}", in_hours=100 + n)
        guest = make_user(f"guest{n}")
        join(guest, community)
        rsvp_set(event=event, user=guest, status="going")

    assert page_queries(client, url) == few <= 8, few  # no query per event, host or answer


def test_a_new_event_shows_on_the_cached_events_page_once_it_is_planned(
    client, community, member, make_event, django_capture_on_commit_callbacks
):
    url = reverse("meetings:events", args=[community.slug])
    _login(client, member)
    assert "Pump teardown" not in client.get(url).content.decode()  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Pump teardown")
    assert "Pump teardown" in client.get(url).content.decode()


def test_a_cached_private_events_page_is_never_shown_to_an_outsider(
    client, private_community, coordinator, make_event, make_user
):
    make_event(title="Incident review", where=private_community)
    url = reverse("meetings:events", args=[private_community.slug])
    assert "Incident review" in _login(client, coordinator).get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 404
    outsider = _login(client, make_user("outsider"))
    response = outsider.get(url)
    assert response.status_code == 404
    assert b"Incident review" not in response.content


def test_an_rsvp_moves_the_going_count_on_the_cached_events_page(
    client, community, member, make_event, django_capture_on_commit_callbacks
):
    from cultivate.apps.meetings.services import rsvp_set

    event = make_event(title="Seal clinic")
    url = reverse("meetings:events", args=[community.slug])
    _login(client, member)
    assert "0 going" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_set(event=event, user=member, status="going")
    assert "1 going" in client.get(url).content.decode()


def test_the_event_page_asks_the_same_few_queries_however_many_answered(
    client, community, member, make_event, make_user, join, django_assert_max_num_queries
):
    from cultivate.apps.meetings.services import rsvp_set

    event = make_event(title="Vibration clinic", capacity=3)
    url = reverse("meetings:event", args=[community.slug, event.pk])
    _login(client, member)
    for n in range(6):  # three going, three waiting
        guest = make_user(f"guest{n}")
        join(guest, community)
        rsvp_set(event=event, user=guest, status="going")
    rsvp_set(event=event, user=member, status="going")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "4 on the waitlist" in text
    assert "(number 4)" in text


def test_an_odd_page_number_never_fills_the_cached_first_page_with_another_page(
    client, community, member, make_event
):
    for n in range(25):
        make_event(title=f"Past clinic {n:02d}", in_hours=-1000 + n)
    url = reverse("meetings:events", args=[community.slug])
    _login(client, member)
    last = client.get(url, {"page": "-1"}).content.decode()  # Django shows the last page
    assert "Past clinic 00" in last
    assert "Past clinic 24" not in last
    first = client.get(url).content.decode()
    assert "Past clinic 24" in first
    assert "Past clinic 00" not in first


def test_an_event_reads_in_the_viewers_zone_with_its_own_beside(client, make_event, member):
    event = make_event(time_zone="Europe/Berlin")
    client.force_login(member)
    own_zone_only = client.get(event.get_absolute_url()).content.decode()
    member.time_zone = "America/New_York"
    member.save(update_fields=["time_zone"])

    page = client.get(event.get_absolute_url()).content.decode()

    new_york = timezone.localtime(event.starts_at, ZoneInfo("America/New_York"))
    berlin = timezone.localtime(event.starts_at, ZoneInfo("Europe/Berlin"))
    assert "your time, America/New_York" in page
    assert f"{new_york:%H:%M}" in page.split('data-testid="when"', 1)[1].split("</p>", 1)[0]
    assert f"{berlin:%H:%M} Europe/Berlin" in page
    assert "your time" not in own_zone_only  # without a zone of one's own: the event's zone
    listing = client.get(reverse("meetings:events", args=[event.community.slug])).content.decode()
    assert "your time, America/New_York" in listing  # the cached list too, keyed by the zone


def test_the_event_form_starts_in_the_hosts_own_time_zone(client, community, coordinator):
    coordinator.time_zone = "Asia/Tokyo"
    coordinator.save(update_fields=["time_zone"])
    client.force_login(coordinator)

    page = client.get(reverse("meetings:event_new", args=[community.slug])).content.decode()

    assert 'name="time_zone" value="Asia/Tokyo"' in page


def test_a_coordinator_plans_an_event_for_another_member_to_host_and_a_member_hosts_their_own(
    client, community, coordinator, member, make_user
):
    fields = {
        "kind": "meetup",
        "title": "Gearbox teardown",
        "starts_at": "2031-09-01T14:00",
        "ends_at": "2031-09-01T15:00",
        "time_zone": "Europe/Paris",
        "location": "Workshop B",
    }
    url = reverse("meetings:event_new", args=[community.slug])
    _login(client, coordinator)
    form = client.get(url).content.decode()
    assert 'name="host"' in form
    assert "data-people-picker" in form
    response = client.post(url, fields | {"host": member.pk})
    assert response.status_code == 302
    assert Event.objects.get(title="Gearbox teardown").host == member
    told = Notification.objects.get(recipient=member)
    assert told.summary.startswith("Coco Coordinator planned Gearbox teardown (")
    assert told.summary.endswith("with you as its host")

    outsider = make_user("olga")
    refused = client.post(url, fields | {"title": "Not theirs", "host": outsider.pk})
    assert refused.status_code == 400  # only the community's members may host
    assert not Event.objects.filter(title="Not theirs").exists()

    _login(client, member)
    assert 'name="host"' not in client.get(url).content.decode()
    client.post(url, fields | {"title": "My own", "host": coordinator.pk})
    assert Event.objects.get(title="My own").host == member


def test_only_a_coordinator_plans_an_event_for_someone_else_to_host(
    community, coordinator, member, make_user, join
):
    other = make_user("otto")
    join(other, community)
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(PermissionDenied):
        event_create(
            community=community,
            host=other,
            by=member,
            title="Not mine to plan",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            time_zone="UTC",
            location="Room 1",
        )
    assert not Event.objects.exists()


def test_a_calendar_secret_opens_its_own_community_feed_and_no_other(
    client, coordinator, private_community, make_event
):
    from cultivate.apps.communities.models import Visibility
    from cultivate.apps.communities.services import community_create

    other = community_create(
        by=coordinator, name="Safety reviews", practice="safety", visibility=Visibility.PRIVATE
    )
    make_event(title="Near-miss review", where=other)
    secret = calendar_token_for(user=coordinator, community=private_community).secret
    mine = reverse("meetings:feed_token", args=[private_community.slug, secret])
    assert client.get(mine).status_code == 200
    elsewhere = reverse("meetings:feed_token", args=[other.slug, secret])
    assert client.get(elsewhere).status_code == 404
    own = calendar_token_for(user=coordinator, community=other).secret
    assert own != secret
    assert (
        b"Near-miss review"
        in client.get(reverse("meetings:feed_token", args=[other.slug, own])).content
    )
