"""A topic goes from proposal to delivered: propose, prioritise in a poll, schedule, draft
together on the practices pages, review, publish, and see it delivered on the agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cultivate.apps.agenda.models import Topic
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.practices.models import Revision, Status

from .screens import Screen, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_a_paragraph(page: Page, text: str, why: str) -> None:
    page.get_by_role("link", name="Edit", exact=True).click()
    body = page.get_by_label("Text")
    body.fill(f"{body.input_value().rstrip()}\n\n{text}\n")
    page.get_by_label("What did you change?").fill(why)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved as revision")).to_be_visible()


def test_a_topic_is_proposed_prioritised_scheduled_written_and_delivered(
    live_server: Any, screen: Screen, shoot: Callable[..., Any]
) -> None:
    cora = person("cora", "Cora Coordinator")
    community = community_create(
        by=cora, name="Supply Chain", practice="logistics", description="Stock, stores, flow."
    )
    mia, sam, rita = (
        person("mia", "Mia Member"),
        person("sam", "Sam Second"),
        person("rita", "Rita Reviewer"),
    )
    for someone in (mia, sam, rita):
        community_join(community=community, user=someone)
    topic_propose(community=community, by=sam, title="Supplier audits", why="We audit ad hoc.")
    agenda_path = f"/c/{community.slug}/agenda/"

    # Mia proposes a topic.
    proposer = screen.log_in(mia.username, agenda_path)
    proposer.get_by_role("link", name="Propose a topic").click()
    proposer.get_by_label("Title").fill("Keeping inventory low")
    proposer.get_by_label("Why it matters").fill("Our stores hold **two years** of spare parts.")
    proposer.get_by_label("Expected deliverable").fill("a best practice on keeping inventory low")
    shoot(proposer, "agenda-01-propose")
    proposer.get_by_role("button", name="Propose the topic").click()
    expect(proposer.get_by_test_id("topic-status")).to_have_text("Proposed")
    topic = Topic.objects.get(title="Keeping inventory low")

    # Cora opens the prioritisation poll over both candidates.
    coordinator = screen.log_in(cora.username, agenda_path)
    coordinator.get_by_role("link", name="Prioritise topics").click()
    expect(coordinator.get_by_role("button", name="Open the poll")).to_be_visible()
    shoot(coordinator, "agenda-02-prioritise")
    coordinator.get_by_role("button", name="Open the poll").click()
    expect(coordinator.get_by_role("heading", name="Prioritise the agenda")).to_be_visible()
    poll_url = coordinator.url

    # Members vote; inventory wins two to one.
    for voter, choice in (
        (mia, "Keeping inventory low"),
        (sam, "Supplier audits"),
        (rita, "Keeping inventory low"),
    ):
        page = screen.log_in(voter.username, poll_url.removeprefix(live_server.url))
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Cast my vote").click()
        expect(page.get_by_text("Your stance is counted.")).to_be_visible()
        if voter == rita:
            shoot(page, "agenda-03-voted")
        page.context.close()

    coordinator.reload()
    coordinator.get_by_role("textbox", name="Outcome").fill("Inventory first, audits next.")
    coordinator.get_by_role("button", name="Close the proposal").click()
    coordinator.goto(f"{live_server.url}{agenda_path}")
    candidates = coordinator.get_by_test_id("candidates")
    expect(candidates.locator("li").first).to_contain_text("Keeping inventory low")
    expect(candidates.locator("li").first).to_contain_text("#1")
    shoot(coordinator, "agenda-04-ranked")

    # Cora schedules the winner with Mia as its owner: the draft practice starts.
    candidates.get_by_role("link", name="Keeping inventory low").click()
    owner_finder = coordinator.get_by_role("combobox", name="Type a name to find a member")
    owner_finder.press_sequentially("mia")
    owner_finder.press("ArrowDown")
    owner_finder.press("Enter")
    expect(owner_finder).to_have_value("Mia Member")
    expect(coordinator.get_by_label("Owner")).to_have_value(str(mia.pk))
    coordinator.get_by_role("button", name="Schedule").click()
    expect(coordinator.get_by_test_id("topic-status")).to_have_text("Planned")
    shoot(coordinator, "agenda-05-scheduled")
    topic.refresh_from_db()
    assert topic.document is not None
    document_path = topic.document.get_absolute_url()

    # Two people draft the practice on its pages.
    proposer.goto(f"{live_server.url}{document_path}")
    _add_a_paragraph(proposer, "Order in small batches, weekly.", "Batch sizes")
    writer = screen.log_in(sam.username, document_path)
    _add_a_paragraph(writer, "Review slow movers every quarter.", "Slow movers")
    expect(writer.get_by_test_id("contributors")).to_contain_text("Sam Second")
    shoot(writer, "agenda-06-drafted")
    assert set(
        Revision.objects.filter(document=topic.document).values_list("author", flat=True)
    ) >= {
        mia.pk,
        sam.pk,
    }

    # Cora asks Rita to review; Rita approves; Cora publishes.
    coordinator.goto(f"{live_server.url}{document_path}")
    coordinator.get_by_label("Rita Reviewer").check()
    coordinator.get_by_role("button", name="Request review").click()
    reviewer = screen.log_in(rita.username, document_path)
    reviewer.get_by_label("Approve").check()
    reviewer.get_by_role("button", name="Send my review").click()
    expect(reviewer.get_by_text("Approved.", exact=True)).to_be_visible()
    shoot(reviewer, "agenda-07-approved")
    coordinator.reload()
    coordinator.get_by_role("button", name="Publish").click()
    topic.document.refresh_from_db()
    assert topic.document.status == Status.PUBLISHED

    # The agenda shows the topic delivered, on time.
    coordinator.goto(f"{live_server.url}{agenda_path}")
    delivered = coordinator.get_by_test_id("column-delivered")
    expect(delivered).to_contain_text("Keeping inventory low")
    expect(delivered).to_contain_text("Delivered on time")
    shoot(coordinator, "agenda-08-delivered")
