"""The Content-Security-Policy holds in a real browser: no page breaks it, an injected script is refused."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from .screens import PASSWORD
from .showcase import community_with_everything, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scripts_allowed(policy: str) -> list[str] | None:
    """Where the policy lets scripts come from (script-src, else default-src)."""
    directives = {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }
    return directives.get("script-src", directives.get("default-src"))


def _signed_in_page(browser: Browser, base_url: str, refused: list[str]) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill("founder")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


def test_no_main_page_or_htmx_action_breaks_the_content_security_policy(
    live_server, browser: Browser, make_user, join
):
    _, community, ids = community_with_everything(make_user, join)
    refused: list[str] = []
    page = _signed_in_page(browser, live_server.url, refused)
    extra = ["/settings/tokens/", "/api/docs", "/digest/preview/", "/accounts/password/change/"]
    for path in [*main_pages(community, ids), *extra]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.ok, f"{path} answered {response.status}"
        assert _scripts_allowed(response.headers.get("content-security-policy", "")) in (
            ["'self'"],
            ["'none'"],  # the e-mail preview: no script at all
        ), path
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/c/{community.slug}/questions/ask/")
    page.get_by_label("Details").fill("We grease every **two shifts**.")
    page.get_by_role("button", name="Preview").click()  # an htmx request and swap
    expect(page.get_by_test_id("preview").locator("strong")).to_have_text("two shifts")
    page.goto(f"{live_server.url}/settings/tokens/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Make the token").click()
    page.wait_for_load_state()  # the page's deferred scripts have run
    page.locator("#new-token-secret").focus()  # selected whole by a script file, no inline handler
    page.wait_for_function(
        """() => { const field = document.querySelector('#new-token-secret');
                   return field.value.length > 0 && field.selectionStart === 0
                          && field.selectionEnd === field.value.length; }"""
    )
    assert not refused, "\n".join(refused)


def test_a_script_or_style_injected_into_a_page_is_refused_by_the_browser(
    live_server, browser: Browser, make_user, join
):
    _, community, _ = community_with_everything(make_user, join)
    refused: list[str] = []
    page = _signed_in_page(browser, live_server.url, refused)
    page.goto(f"{live_server.url}/c/{community.slug}/")
    ran = page.evaluate(
        """() => new Promise(done => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
          const box = document.createElement('div');
          box.setAttribute('style', 'width: 123px');
          document.body.append(box);
          setTimeout(() => done([window.injected === true, box.offsetWidth === 123]), 100);
        })"""
    )
    assert ran == [False, False]
    assert any("script" in line for line in refused), refused
