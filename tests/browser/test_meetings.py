"""A member RSVPs and takes the event home as .ics; a coordinator pairs people for coffee and a
member sees their pair and says they met."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.meetings.coffee import coffee_opt_in
from cultivate.apps.meetings.models import CoffeePair, Event, Rsvp
from cultivate.apps.meetings.services import event_create, rsvp_set
from cultivate.apps.notifications.models import Notification

from .screens import Screen, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_rsvps_and_downloads_the_event_as_ics(live_server, screen: Screen, shoot):
    host = person("hana", "Hana Host")
    community = community_create(
        by=host, name="Welding Guild", practice="welding", description="Arcs."
    )
    member = person("wes", "Wes Welder")
    community_join(community=community, user=member)
    start = (timezone.now() + timedelta(days=5)).replace(hour=7, minute=30, second=0, microsecond=0)
    event = event_create(
        community=community,
        host=host,
        title="Coffee, tips; and 🔥 TIG tricks",
        kind="coffee",
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        time_zone="America/Sao_Paulo",
        location="Canteen, table 4",
        capacity=5,
    )

    page = screen.log_in("wes", f"/c/{community.slug}/events/", accept_downloads=True)
    expect(page.get_by_role("link", name="Events")).to_have_attribute("aria-current", "page")
    shoot(page, "meetings-01-events")
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_test_id("when")).to_contain_text("(America/Sao_Paulo)")
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.get_by_test_id("my-rsvp")).to_contain_text("Going")
    shoot(page, "meetings-02-going")
    assert Rsvp.objects.get(event=event, user=member).status == "going"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{event.pk}.ics")
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    (item,) = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Coffee, tips; and 🔥 TIG tricks"
    assert item["dtstart"].params["TZID"] == "America/Sao_Paulo"
    assert item.decoded("dtstart") == event.starts_at


def test_a_coordinator_runs_a_coffee_round_and_a_member_says_we_met(
    live_server, screen: Screen, shoot
):
    coordinator = person("cora", "Cora Coordinator")
    community = community_create(
        by=coordinator, name="Quality Circle", practice="quality", description="Fewer defects."
    )
    ana = person("ana", "Ana Auditor", department="Quality")
    ben = person("ben", "Ben Builder", department="Assembly")
    for someone in (ana, ben):
        community_join(community=community, user=someone)
        coffee_opt_in(community=community, user=someone)

    lead = screen.log_in("cora", f"/c/{community.slug}/coffee/")
    expect(lead.get_by_text("2 members opted in.")).to_be_visible()
    lead.get_by_text("Pair people now").click()  # opens the confirmation, saying how many
    expect(lead.get_by_text("This pairs the 2 people who opted in")).to_be_visible()
    lead.get_by_role("button", name="Pair 2 people and tell them").click()
    expect(lead.get_by_text("Round done: 1 group told.")).to_be_visible()
    shoot(lead, "meetings-03-round-run")

    page = screen.log_in("ana", "/notifications/")
    expect(page.get_by_text("Coffee pairing: meet Ben Builder (Assembly)")).to_be_visible()
    page.goto(f"{live_server.url}/c/{community.slug}/coffee/")
    pair = page.get_by_test_id("coffee-pair")
    expect(pair).to_contain_text("Ben Builder")
    shoot(page, "meetings-04-my-pair")
    pair.get_by_role("button", name="We met").click()
    expect(page.get_by_text("Lovely: your meeting is recorded.")).to_be_visible()
    expect(page.get_by_test_id("coffee-pair")).to_contain_text("Met")
    shoot(page, "meetings-05-we-met")
    assert CoffeePair.objects.get().met_reported_by_id == ana.pk
    record = ActivityRecord.objects.get(verb="pair")
    assert (record.actor_id, record.target_actor_id) == (ana.pk, ben.pk)


def test_a_coordinator_plans_changes_and_cancels_an_event_on_a_phone_and_attendees_are_told(
    live_server, browser: Browser, shoot, axe_violations
):
    host = person("hana", "Hana Host", time_zone="Europe/Paris")
    community = community_create(by=host, name="Welding Guild", practice="welding")
    member = person("wes", "Wes Welder")
    community_join(community=community, user=member)
    day = (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%d")

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/c/{community.slug}/events/")
    page.get_by_label("User name").fill("hana")
    page.locator("#id_password").fill("a-Long-passw0rd")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Plan an event").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")  # the host's own
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("TIG tricks breakfast")
    page.get_by_label("Starts").fill(f"{day}T08:00")
    page.get_by_label("Ends").fill(f"{day}T09:00")
    page.get_by_label("Place").fill("Workshop B")
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_role("heading", name="TIG tricks breakfast")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "meetings-coordinator-01-planned-390")
    event = Event.objects.get(community=community)
    rsvp_set(event=event, user=member, status="going")

    page.get_by_role("link", name="Change").click()
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Ends").fill(f"{day}T11:00")
    page.get_by_role("button", name="Save and tell the people who answered").click()
    expect(page.get_by_test_id("when")).to_contain_text("10:00")
    event.refresh_from_db()
    assert event.sequence == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_test_id("cancel-event").locator("summary").click()
    page.get_by_label("Why it is cancelled").fill("The workshop is being rewired.")
    page.get_by_role("button", name="Cancel it and tell the people who answered").click()
    expect(page.get_by_test_id("cancelled")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "meetings-coordinator-02-cancelled-1280")
    told = Notification.objects.filter(recipient=member).values_list("summary", flat=True)
    assert any("changed" in line for line in told)
    assert any("cancelled" in line.lower() for line in told)
