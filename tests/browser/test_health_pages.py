"""A KM lead opens the Portfolio, sorts it by health, and opens a community's Health page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from cultivate.apps.demo.cast import LOGINS
from cultivate.apps.demo.services import demo_organisation_create
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import health_snapshots_compute_all

from .screens import Screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AS_OF = datetime(2025, 3, 31, tzinfo=UTC)


def test_a_km_lead_sorts_the_portfolio_by_health_and_opens_a_health_page(
    live_server, screen: Screen, shoot
):
    demo_organisation_create(seed=7, as_of=AS_OF, people=80, months=6)
    health_snapshots_compute_all(as_of=AS_OF)
    healthiest = HealthSnapshot.objects.select_related("community").order_by(
        "-health_score", "community__name"
    )[0]
    lead = next(login for login in LOGINS if login.is_km_lead)

    page = screen.log_in(lead.username, "/", password=lead.password)

    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="Portfolio of communities")).to_be_visible()
    table = page.get_by_test_id("portfolio")
    expect(table.locator("tbody tr")).to_have_count(8)

    health_header = page.get_by_role("columnheader", name="Health", exact=True)
    health_header.get_by_role("link").click()  # ascending first
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Health")
    health_header.get_by_role("link").click()
    expect(page.locator('th[aria-sort="descending"]')).to_have_text("Health")
    first_row = table.locator("tbody tr").first
    expect(first_row).to_contain_text(healthiest.community.name)
    expect(first_row).to_contain_text(str(healthiest.health_score))
    shoot(page, "portfolio")

    first_row.get_by_role("link", name=healthiest.community.name).click()
    expect(page.get_by_role("heading", name=healthiest.community.name)).to_be_visible()
    expect(page.get_by_test_id("level")).to_contain_text(f"Level {healthiest.level}")
    expect(page.get_by_test_id("health-score")).to_have_text(str(healthiest.health_score))
    expect(page.get_by_text("Who helps whom").first).to_be_visible()
    assert page.locator("svg.chart").count() >= 5
    expect(page.get_by_test_id("risk")).to_contain_text("within 90 days")
    shoot(page, "health")
