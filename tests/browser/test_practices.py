"""Two people draft a best practice; a stale save shows the merge view; a reviewer approves; it is
published."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.practices.models import Document, Status

from .screens import Screen, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = """# Bearing lubrication

1. Grease every 500 operating hours.
2. Use a lithium complex grease.
3. Log every job in the maintenance system.
"""


def test_two_people_draft_a_stale_save_merges_a_reviewer_approves_and_it_is_published(
    live_server, screen: Screen, shoot
):
    founder = person("fiona", "Fiona Founder")
    community = community_create(
        by=founder, name="Reliability Engineering", practice="reliability", description="Uptime."
    )
    for username, name in (
        ("ana", "Ana Author"),
        ("ben", "Ben Builder"),
        ("rita", "Rita Reviewer"),
    ):
        community_join(community=community, user=person(username, name))

    ana = screen.log_in("ana", community.get_absolute_url())
    ana.get_by_role("link", name="Best practices").click()
    ana.get_by_role("link", name="Write a best practice").click()
    ana.get_by_label("Title").fill("Bearing lubrication")
    ana.get_by_label("Text").fill(DRAFT)
    shoot(ana, "practices-01-draft")
    ana.get_by_role("button", name="Save the draft").click()
    expect(ana.locator("#doc-title")).to_have_text("Bearing lubrication")
    expect(ana.get_by_test_id("status")).to_have_text("Draft")
    document = Document.objects.get()

    # Both open the editor on revision 1; Ben saves first.
    ben = screen.log_in("ben", document.get_absolute_url())
    ben.get_by_role("link", name="Edit", exact=True).click()
    ana.get_by_role("link", name="Edit", exact=True).click()
    ben.get_by_label("Text").fill(DRAFT.replace("500 operating hours", "400 operating hours"))
    ben.get_by_label("What did you change?").fill("Shorter interval for dusty lines")
    ben.get_by_role("button", name="Save").click()
    expect(ben.get_by_text("Saved as revision 2.")).to_be_visible()

    # Ana's save was based on revision 1 and changes the same line: the merge view.
    ana.get_by_label("Text").fill(DRAFT.replace("500 operating hours", "600 operating hours"))
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_test_id("merge-view")).to_be_visible()
    expect(ana.get_by_role("heading", name="Ben Builder saved revision 2")).to_be_visible()
    expect(ana.get_by_label("Text")).to_have_value(
        DRAFT.replace("500 operating hours", "600 operating hours")
    )
    shoot(ana, "practices-02-merge-view")
    ana.get_by_label("Text").fill(
        DRAFT.replace("500 operating hours", "400 operating hours (600 on clean lines)")
    )
    ana.get_by_role("button", name="Save on top of revision 2").click()
    expect(ana.get_by_text("Saved as revision 3.")).to_be_visible()
    expect(ana.get_by_test_id("contributors")).to_contain_text("Ben Builder: 1 revision")

    ana.get_by_role("link", name="Latest changes").click()
    expect(ana.get_by_test_id("diff")).to_be_visible()
    shoot(ana, "practices-03-diff")
    ana.go_back()

    # Ana finds the reviewer by typing part of her name (accents and case do not matter).
    finder = ana.get_by_role("combobox", name="Type a name to find a member")
    finder.press_sequentially("RITA rev")
    expect(ana.get_by_role("option")).to_have_text(["Rita Reviewer"])
    finder.press("Enter")
    expect(ana.get_by_label("Rita Reviewer")).to_be_checked()
    ana.get_by_role("button", name="Request review").click()
    expect(ana.get_by_test_id("status")).to_have_text("In review")

    rita = screen.log_in("rita", document.get_absolute_url())
    expect(rita.get_by_test_id("unread-count")).to_have_text("1")
    rita.get_by_label("Approve").check()
    rita.get_by_label("Comment").fill("Clear and complete.")
    rita.get_by_role("button", name="Send my review").click()
    expect(rita.get_by_test_id("reviews")).to_contain_text("Approved (revision 3)")
    shoot(rita, "practices-04-approved")

    ana.reload()
    ana.get_by_role("button", name="Publish").click()
    expect(ana.get_by_test_id("status")).to_have_text("Published")
    shoot(ana, "practices-05-published")
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert document.head_number == 3
