"""At 390 px wide (a phone), a community's pages fit the screen: no sideways scrolling, and the
tabs are one row that scrolls within itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.services import community_create
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.sharing.services import question_ask

from ..apps.insights.helpers import make_lively

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_home_question_list_and_health_page_fit_a_phone(
    live_server, browser: Browser, shoot, make_user, join
):
    founder = User.objects.create_user(
        "founder", "founder@example.org", "a-Long-passw0rd", display_name="Fiona Founder"
    )
    community = community_create(by=founder, name="Mechanical Reliability", practice="reliability")
    question_ask(
        community=community,
        author=founder,
        title="How often should we re-grease conveyor bearings on a two-shift line?",
        body="Details.",
        tags="bearings, lubrication",
    )
    make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/c/{community.slug}/")
    page.get_by_label("User name").fill("founder")
    page.locator("#id_password").fill("a-Long-passw0rd")
    page.get_by_role("button", name="Log in").click()

    for path in (
        f"/c/{community.slug}/",
        f"/c/{community.slug}/questions/",
        f"/insights/c/{community.slug}/health/",
    ):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} is {wide} px wide at 390 px"
        tabs = page.locator("nav.tabs").bounding_box()
        assert tabs is not None
        assert tabs["height"] < 60, f"the tabs take {tabs['height']} px on {path}"
    shoot(page, "small-screen-questions")
