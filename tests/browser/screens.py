"""What the browser flows share: the two screens they run on, signing in, and their people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, Page

from cultivate.apps.accounts.models import User

PASSWORD = "a-Long-passw0rd"
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
"""Every flow runs on both: a laptop and a phone held upright."""


def person(username: str, name: str, **fields: Any) -> User:
    """A person who can sign in with PASSWORD."""
    return User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, display_name=name, **fields
    )


@dataclass(frozen=True)
class Screen:
    """The screen a flow runs on; each person in the flow gets their own browser context."""

    name: str
    browser: Browser
    base_url: str

    @property
    def width(self) -> int:
        return SCREENS[self.name]["width"]

    def new_page(self, **context: Any) -> Page:
        return self.browser.new_context(viewport=SCREENS[self.name], **context).new_page()

    def log_in(
        self, username: str, path: str = "/", password: str = PASSWORD, **context: Any
    ) -> Page:
        """A new page signed in as `username`, on `path`."""
        page = self.new_page(**context)
        page.goto(f"{self.base_url}/accounts/login/?next={path}")
        page.get_by_label("User name").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page


def axe_run(page: Any, axe_script: str) -> list[str]:
    """Run axe-core on the page; describe each violation in one line (rule, impact, where).

    The rules are axe's defaults (WCAG 2.x A and AA, and its best practices).
    """
    # Evaluated through the browser's debugging protocol: the page's Content-Security-Policy
    # refuses inline scripts, so add_script_tag(content=...) would be blocked.
    page.evaluate(f"{axe_script}\n;0")
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{item['id']} ({item['impact']}, {len(item['nodes'])}x): {item['help']}"
        f" at {item['nodes'][0]['target']}"
        for item in found
    ]


WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))
  .join(', ')"""
"""The innermost elements that reach past the screen's right edge, to name in a failure."""
