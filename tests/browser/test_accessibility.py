"""The main pages pass axe-core's checks and fit a phone: 20 pages at 1280 and at 390 px wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .screens import WIDER
from .showcase import community_with_everything, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def test_the_main_pages_pass_axe_and_fit_a_phone(
    live_server, browser: Browser, shoot, axe_violations, make_user, join
):
    _, community, ids = community_with_everything(make_user, join)
    problems: list[str] = []
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        for path in ("/accounts/login/", "/accounts/signup/"):
            page.goto(f"{live_server.url}{path}")
            problems += [f"{width}px {path}: {line}" for line in axe_violations(page)]
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("User name").fill("founder")
        page.locator("#id_password").fill("a-Long-passw0rd")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        for path in main_pages(community, ids):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.ok, f"{path} answered {response.status}"
            problems += [f"{width}px {path}: {line}" for line in axe_violations(page)]
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                culprits = page.evaluate(WIDER)
                problems.append(f"{width}px {path}: the page is {wide} px wide ({culprits})")
        shoot(page, "accessibility-notifications")
        page.context.close()
    assert not problems, "\n".join(problems)
