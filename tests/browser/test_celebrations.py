"""A member gives kudos and sees it in the wins feed; accepting a first answer posts a milestone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cultivate.apps.accounts.models import User
from cultivate.apps.celebrations.models import Kudos, Milestone
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.sharing.services import answer_create, question_ask

from .screens import PASSWORD, Screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_give_kudos_and_see_it_with_a_first_answer_milestone_in_the_wins_feed(
    live_server, screen: Screen, shoot
):
    founder = User.objects.create_user(
        "founder", "founder@example.org", PASSWORD, display_name="Fiona Founder"
    )
    community = community_create(
        by=founder, name="Reliability Engineering", practice="reliability", description="Uptime."
    )
    helper = User.objects.create_user(
        "hugo", "hugo@example.org", PASSWORD, display_name="Hugo Helper"
    )
    community_join(community=community, user=helper)
    question = question_ask(
        community=community,
        author=founder,
        title="How often should we re-grease the conveyor bearings?",
        body="Line 3 runs two shifts.",
    )
    answer_create(question=question, author=helper, body="Every 500 operating hours.")
    wins = f"/c/{community.slug}/wins/"

    # Fiona thanks Hugo from the wins page
    fiona = screen.log_in("founder", wins)
    expect(fiona.get_by_role("heading", name="Give kudos")).to_be_visible()
    # She finds Hugo by typing part of his name: the field offers the community's members.
    to = fiona.get_by_role("combobox", name="To")
    to.press_sequentially("Hug")
    expect(fiona.get_by_role("option", name="Hugo Helper")).to_be_visible()
    to.press("ArrowDown")
    to.press("Enter")
    expect(to).to_have_value("hugo")
    fiona.get_by_label("Reason").fill("Hugo stayed late to **rebuild the gearbox**.")
    shoot(fiona, "celebrations-01-kudos-form")
    fiona.get_by_role("button", name="Give kudos").click()
    expect(fiona.get_by_text("Kudos sent to Hugo Helper.")).to_be_visible()
    kudos = Kudos.objects.get()
    entry = fiona.locator(f"#kudos-{kudos.pk}")
    expect(entry).to_contain_text("rebuild the gearbox")
    expect(entry).to_contain_text("Hugo Helper")
    shoot(fiona, "celebrations-02-kudos-in-feed")

    # Fiona accepts Hugo's answer: his first, so the feed shows a milestone
    fiona.goto(f"{live_server.url}{question.get_absolute_url()}")
    fiona.get_by_role("button", name="Accept this answer").click()
    expect(fiona.get_by_test_id("solved")).to_be_visible()
    fiona.get_by_role("link", name="Wins").click()
    milestone = Milestone.objects.get()
    entry = fiona.locator(f"#milestone-{milestone.pk}")
    expect(entry).to_contain_text("Hugo Helper's first accepted answer")
    shoot(fiona, "celebrations-03-milestone-in-feed")

    # Hugo sees the notices and cheers the milestone, once
    hugo = screen.log_in("hugo", wins)
    expect(hugo.get_by_test_id("unread-count")).to_be_visible()
    hugo.locator(f"#milestone-{milestone.pk}").get_by_role("button", name="Cheer").click()
    expect(hugo.locator(f"#milestone-{milestone.pk}")).to_contain_text("✓ You cheered")
    expect(hugo.locator(f"#milestone-{milestone.pk}")).to_contain_text("1 cheer")
    shoot(hugo, "celebrations-04-cheered")
