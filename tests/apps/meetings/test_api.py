"""The meetings API: same rules as the pages, JSON errors naming fields, private stays private."""

from __future__ import annotations

import json
from typing import Any

import icalendar
from django.test import Client

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.api.services import token_create
from cultivate.apps.meetings.coffee import coffee_opt_in
from cultivate.apps.meetings.models import CoffeePair


def bearer(user) -> dict[str, str]:
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client: Client, method: str, url: str, data: Any = None, **headers: str) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json", **headers)


EVENT = {
    "title": "Lunch & learn",
    "kind": "webinar",
    "starts_at": "2031-06-02T12:00",
    "ends_at": "2031-06-02T13:00",
    "time_zone": "Europe/Lisbon",
    "link": "https://meet.example.org/lunch",
    "capacity": 1,
}


def test_create_list_rsvp_and_read_an_event(client, community, member, members):
    created = send(
        client, "post", f"/api/communities/{community.slug}/events", EVENT, **bearer(member)
    )
    assert created.status_code == 201, created.content
    event = created.json()
    assert event["starts_at"].startswith("2031-06-02T11:00:00")  # Lisbon is UTC+1 in June
    assert event["when"] == "Mon 2 Jun 2031, 12:00\u201313:00 (Europe/Lisbon)"
    listed = client.get(f"/api/communities/{community.slug}/events").json()
    assert [e["id"] for e in listed["items"]] == [event["id"]]
    first = send(
        client, "post", f"/api/events/{event['id']}/rsvp", {"status": "going"}, **bearer(members[0])
    )
    second = send(
        client, "post", f"/api/events/{event['id']}/rsvp", {"status": "going"}, **bearer(members[1])
    )
    assert first.json()["status"] == "going"
    assert second.json() == {
        "event_id": event["id"],
        "status": "waitlisted",
        "waitlist_position": 1,
    }
    detail = client.get(f"/api/events/{event['id']}").json()
    assert [p["username"] for p in detail["going"]] == [members[0].username]
    assert [p["username"] for p in detail["waitlist"]] == [members[1].username]
    ics = client.get(f"/api/events/{event['id']}/ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]["summary"] == "Lunch & learn"


def test_bad_event_input_is_a_400_naming_each_field(client, community, member):
    bad = EVENT | {"ends_at": "2031-06-02T11:00", "capacity": 0, "time_zone": "Atlantis/Lost"}
    response = send(
        client, "post", f"/api/communities/{community.slug}/events", bad, **bearer(member)
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"time_zone", "capacity"}
    bad = EVENT | {"ends_at": "2031-06-02T11:00"}
    response = send(
        client, "post", f"/api/communities/{community.slug}/events", bad, **bearer(member)
    )
    assert "before it starts" in response.json()["errors"]["ends_at"][0]
    response = send(
        client,
        "post",
        f"/api/communities/{community.slug}/events",
        EVENT | {"colour": 1},
        **bearer(member),
    )
    assert response.status_code == 422


def test_attendance_and_notes_through_the_api(client, make_event, members, coordinator):
    event = make_event(in_hours=-2)
    response = send(
        client,
        "put",
        f"/api/events/{event.pk}/attendance",
        {"present": [members[0].username, members[1].username]},
        **bearer(coordinator),
    )
    assert response.status_code == 200, response.content
    assert ActivityRecord.objects.filter(verb="attend").count() == 2
    assert ActivityRecord.objects.filter(verb="meet").count() == 1
    unknown = send(
        client,
        "put",
        f"/api/events/{event.pk}/attendance",
        {"present": ["ghost"]},
        **bearer(coordinator),
    )
    assert unknown.status_code == 400
    assert "ghost" in unknown.json()["detail"]
    notes = send(
        client, "put", f"/api/events/{event.pk}/notes", {"notes": "*Done*"}, **bearer(coordinator)
    )
    assert "<em>Done</em>" in notes.json()["notes_html"]
    refused = send(
        client, "put", f"/api/events/{event.pk}/notes", {"notes": "x"}, **bearer(members[2])
    )
    assert refused.status_code == 403


def test_coffee_through_the_api(client, community, coordinator, members):
    for person in members[:2]:
        assert send(
            client, "post", f"/api/communities/{community.slug}/coffee/opt-in", **bearer(person)
        ).json()["opted_in"]
    assert (
        send(
            client, "post", f"/api/communities/{community.slug}/coffee/rounds", **bearer(members[0])
        ).status_code
        == 403
    )
    round_ = send(
        client, "post", f"/api/communities/{community.slug}/coffee/rounds", **bearer(coordinator)
    )
    assert round_.status_code == 201
    assert len(round_.json()["groups"]) == 1
    pairs = client.get(
        f"/api/communities/{community.slug}/coffee/pairs", **bearer(members[0])
    ).json()
    assert [o["username"] for o in pairs[0]["others"]] == [members[1].username]
    met = send(client, "post", f"/api/coffee/pairs/{pairs[0]['id']}/met", **bearer(members[0]))
    assert met.json()["met_at"] is not None
    again = send(client, "post", f"/api/coffee/pairs/{pairs[0]['id']}/met", **bearer(members[1]))
    assert again.status_code == 400
    out = send(
        client, "delete", f"/api/communities/{community.slug}/coffee/opt-in", **bearer(members[0])
    )
    assert out.json()["opted_in"] is False


def test_a_round_with_too_few_people_is_a_400_saying_why(client, community, coordinator):
    response = send(
        client, "post", f"/api/communities/{community.slug}/coffee/rounds", **bearer(coordinator)
    )
    assert response.status_code == 400
    assert "at least two people" in response.json()["errors"]["members"][0]


def test_a_private_communitys_events_and_pairs_are_404_to_outsiders(
    client, private_community, coordinator, make_event, outsider, make_user, join
):
    event = make_event(where=private_community)
    other = make_user()
    join(other, private_community)
    for person in (coordinator, other):
        coffee_opt_in(community=private_community, user=person)
    send(
        client,
        "post",
        f"/api/communities/{private_community.slug}/coffee/rounds",
        **bearer(coordinator),
    )
    pair = CoffeePair.objects.get()
    headers = bearer(outsider)
    assert (
        client.get(f"/api/communities/{private_community.slug}/events", **headers).status_code
        == 404
    )
    assert client.get(f"/api/events/{event.pk}", **headers).status_code == 404
    assert client.get(f"/api/events/{event.pk}/ics", **headers).status_code == 404
    assert (
        send(
            client, "post", f"/api/events/{event.pk}/rsvp", {"status": "going"}, **headers
        ).status_code
        == 404
    )
    assert send(client, "post", f"/api/coffee/pairs/{pair.pk}/met", **headers).status_code == 404
    assert client.get(f"/api/events/{event.pk}").status_code == 404
