"""Keyboard only: a member asks, a colleague answers and a member RSVPs with Tab, typing and Enter,
and wherever the focus goes it can be seen."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.meetings.models import Rsvp
from cultivate.apps.meetings.services import event_create
from cultivate.apps.sharing.models import Answer, Question

from .screens import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(),
    name: (label || e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
    visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
  };
}"""
"""What has the focus: its tag, the name a person reads on it, and whether a focus ring shows."""


def _tab_to(page: Page, tag: str, name: str, *, limit: int = 120) -> None:
    """Press Tab until an element `tag` whose name starts with `name` has the focus.

    The element may have it already (a form's autofocus). Every element passed on the way must
    show that it has the focus; the page itself (`body`, before the first Tab) need not.
    """
    seen = []
    for _ in range(limit):
        focused = page.evaluate(_FOCUSED)
        if focused["tag"] == tag and focused["name"].startswith(name):
            return
        if focused["tag"] != "body":
            assert focused["visible"], (
                f"the focus on {focused['tag']} {focused['name']!r} is unseen"
            )
            seen.append(f"{focused['tag']} {focused['name'][:30]!r}")
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {tag} {name!r}; it went through {seen[:40]}")


def _log_in_by_keyboard(page: Page, url: str, username: str, next_path: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_path}")
    _tab_to(page, "input", "User name")
    page.keyboard.type(username)
    _tab_to(page, "input", "Password")
    page.keyboard.type("a-Long-passw0rd")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == next_path)


def test_ask_answer_and_rsvp_with_the_keyboard_alone(live_server, browser: Browser, shoot):
    founder = person("founder", "Fiona Founder")
    community = community_create(by=founder, name="Pump Reliability", practice="reliability")
    asker, helper = person("asker", "Ana Asker"), person("helper", "Hugo Helper")
    community_join(community=community, user=asker)
    community_join(community=community, user=helper)
    start = timezone.now() + timedelta(days=3)
    event = event_create(
        community=community,
        host=founder,
        title="Pump teardown breakfast",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        location="Workshop B",
    )

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _log_in_by_keyboard(page, live_server.url, "asker", f"/c/{community.slug}/questions/")
    _tab_to(page, "a", "Ask a question")
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/ask/")
    _tab_to(page, "input", "Title")
    page.keyboard.type("Why does the seal on pump 4 weep after every restart?")
    _tab_to(page, "textarea", "Details")
    page.keyboard.type("It stops after an hour. Mechanical seal, water at 60 degrees.")
    _tab_to(page, "input", "Tags")
    page.keyboard.type("seals, pumps")
    _tab_to(page, "button", "Post your question")
    page.keyboard.press("Enter")
    expect(page.locator("#q-title")).to_contain_text("seal on pump 4")
    question = Question.objects.get(community=community)
    assert question.author == asker
    assert sorted(question.tags.values_list("name", flat=True)) == ["pumps", "seals"]

    page.context.close()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    question_path = f"/c/{community.slug}/questions/{question.pk}/"
    _log_in_by_keyboard(page, live_server.url, "helper", question_path)
    _tab_to(page, "textarea", "Your answer")
    page.keyboard.type(
        "A weeping seal at start-up is normal until the faces bed in; check the flush."
    )
    _tab_to(page, "button", "Post your answer")
    page.keyboard.press("Enter")
    expect(page.get_by_text("check the flush")).to_be_visible()
    assert Answer.objects.get(question=question).author == helper

    page.goto(f"{live_server.url}/c/{community.slug}/events/{event.pk}/")
    _tab_to(page, "button", "Going")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("my-rsvp")).to_contain_text("Going")
    assert Rsvp.objects.get(event=event, user=helper).status == "going"
    shoot(page, "keyboard-rsvp-390")
