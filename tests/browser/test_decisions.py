"""A member proposes; two members take stances (one changes theirs) and the tally updates live;
the proposer closes with an outcome, hands out action items, the owners complete them, and the
decision shows its progress at 100%."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.decisions.models import ActionItem, Proposal, StanceChange

from .screens import Screen, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_take_stances_close_act_and_see_the_decision_done(
    live_server, screen: Screen, shoot
):
    founder = person("fiona", "Fiona Founder")
    community = community_create(
        by=founder, name="Plant Safety", practice="safety", description="Fewer near misses."
    )
    for username, name in (("alex", "Alex Adams"), ("bea", "Bea Brown")):
        community_join(community=community, user=person(username, name))

    proposer = screen.log_in("fiona", f"/c/{community.slug}/")
    proposer.get_by_role("link", name="Decisions").click()
    proposer.get_by_role("link", name="Propose something").click()
    proposer.get_by_label("Title").fill("Report every near miss within 24 hours")
    proposer.get_by_label("Proposal").fill("A **short form** on the intranet, reviewed weekly.")
    proposer.get_by_label("Consent: agree, abstain, disagree or block").check()
    deadline = timezone.localtime(timezone.now() + timedelta(days=7))
    proposer.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    shoot(proposer, "decisions-01-propose")
    proposer.get_by_role("button", name="Propose").click()
    expect(proposer.get_by_role("heading", name="Report every near miss")).to_be_visible()
    proposal = Proposal.objects.get()

    alex = screen.log_in("alex", proposal.get_absolute_url())
    alex.get_by_label("Agree", exact=True).check()
    alex.get_by_role("button", name="Take this stance").click()
    expect(alex.get_by_text("Your stance is counted.")).to_be_visible()

    bea = screen.log_in("bea", proposal.get_absolute_url())
    bea.get_by_label("Disagree", exact=True).check()
    bea.get_by_label("Reason").fill("24 hours is tight on night shifts.")
    bea.get_by_role("button", name="Take this stance").click()
    expect(bea.get_by_test_id("count-disagree")).to_have_text("1")
    shoot(bea, "decisions-02-disagree")
    bea.get_by_label("Agree", exact=True).check()
    bea.get_by_label("Reason").fill("Fine if night shifts report by the next morning.")
    bea.get_by_role("button", name="Change my stance").click()
    expect(bea.get_by_test_id("count-agree")).to_have_text("2")
    bea.get_by_role("link", name="Your history").click()
    expect(bea.get_by_test_id("history").get_by_role("listitem")).to_have_count(2)
    shoot(bea, "decisions-03-history")
    assert StanceChange.objects.filter(user__username="bea").count() == 2

    # the proposer's page was open all along: the tally refreshes itself by htmx polling
    expect(proposer.get_by_test_id("count-agree")).to_have_text("2", timeout=15_000)
    expect(proposer.get_by_test_id("count-disagree")).to_have_text("0")
    shoot(proposer, "decisions-04-live-tally")

    proposer.get_by_role("textbox", name="Outcome").fill(
        "**Adopted**: night shifts report by the next morning."
    )
    proposer.get_by_role("button", name="Close the proposal").click()
    expect(proposer.get_by_test_id("decided")).to_be_visible()
    expect(proposer.get_by_test_id("outcome")).to_contain_text("Adopted")

    for title, owner in (
        ("Build the intranet form", "Alex Adams"),
        ("Brief night shifts", "Bea Brown"),
    ):
        proposer.get_by_role("link", name="Add an action item").click()
        proposer.get_by_label("What needs doing").fill(title)
        proposer.get_by_label("Owner").select_option(label=owner)
        proposer.get_by_label("Due").fill((timezone.localdate() + timedelta(days=14)).isoformat())
        proposer.get_by_role("button", name="Create the action item").click()
        expect(proposer.get_by_text(title, exact=True).first).to_be_visible()
    expect(proposer.get_by_test_id("progress")).to_contain_text("0 of 2 done (0%)")
    shoot(proposer, "decisions-05-action-items")

    for page, title in ((alex, "Build the intranet form"), (bea, "Brief night shifts")):
        page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
        page.get_by_role("button", name=f"Mark done ({title})").click()
        expect(page.get_by_text(f"{title}: Done.")).to_be_visible()
    shoot(bea, "decisions-06-completed")

    proposer.reload()
    expect(proposer.get_by_test_id("progress")).to_contain_text("2 of 2 done (100%)")
    shoot(proposer, "decisions-07-done")
    assert not ActionItem.objects.exclude(status="done").exists()

    # every action item done: the decision's milestone is in the community's wins feed
    proposer.get_by_role("link", name="Wins").click()
    milestone = proposer.get_by_text(f"Done: every action item of “{proposal.title}”")
    expect(milestone).to_be_visible()
    shoot(proposer, "decisions-08-wins-milestone")
