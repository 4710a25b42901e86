"""The main pages pass axe-core's checks and fit a phone: 20 pages at 1280 and at 390 px wide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.meetings.services import event_create
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import post_create

from ..apps.insights.helpers import make_lively
from .screens import WIDER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def _community_with_everything(make_user, join) -> tuple[User, Community, dict[str, int]]:
    """A community with a question and answers, a post, an event, a best practice, a topic, kudos."""
    founder = User.objects.create_user(
        "founder",
        "founder@example.org",
        "a-Long-passw0rd",
        display_name="Fiona Founder",
        is_km_lead=True,
    )
    community = community_create(by=founder, name="Mechanical Reliability", practice="reliability")
    members = make_lively(community, make_user, join)
    post_create(
        community=community,
        author=members[0],
        title="Our line 3 bearing checklist",
        body="We check **grease** and *noise* every Monday.",
    )
    starts = timezone.now() + timedelta(days=7)
    event = event_create(
        community=community,
        host=founder,
        title="Bearings breakfast",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        time_zone="Europe/Paris",
        location="Room 204",
        description="Bring a **worn** bearing.",
    )
    document = document_create(
        community=community,
        by=founder,
        title="Re-greasing conveyor bearings",
        body="## When\nEvery 500 hours on a two-shift line.",
    )
    topic_propose(
        community=community,
        by=members[1],
        title="Inventory levels of spare bearings",
        why="We run out twice a year and nobody knows the right level.",
    )
    kudos_give(
        community=community,
        giver=founder,
        receiver=members[2],
        reason="for the clearest answer on bearing wear",
    )
    health_snapshot_compute(community=community)
    question = Question.objects.filter(community=community).order_by("pk").first()
    assert question is not None
    return founder, community, {"event": event.pk, "document": document.pk, "question": question.pk}


def _main_pages(community: Community, ids: dict[str, int]) -> list[str]:
    c = f"/c/{community.slug}"
    return [
        "/",
        "/welcome/",
        f"{c}/",
        f"{c}/questions/",
        f"{c}/questions/{ids['question']}/",
        f"{c}/questions/ask/",
        f"{c}/posts/",
        f"{c}/events/",
        f"{c}/events/{ids['event']}/",
        f"{c}/practices/",
        f"{c}/practices/{ids['document']}/",
        f"{c}/agenda/",
        f"{c}/wins/",
        f"/insights/c/{community.slug}/health/",
        "/insights/portfolio/",
        "/insights/method/",
        "/search/?q=bearing",
        "/notifications/",
    ]


def test_the_main_pages_pass_axe_and_fit_a_phone(
    live_server, browser: Browser, shoot, axe_violations, make_user, join
):
    _, community, ids = _community_with_everything(make_user, join)
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
        for path in _main_pages(community, ids):
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
