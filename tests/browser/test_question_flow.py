"""A person signs up, joins, asks; a colleague answers; the asker accepts; the question shows solved."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import question_ask

from .screens import SCREENS, Screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_join_ask_answer_accept_and_see_it_solved(live_server, screen: Screen, shoot):
    founder = User.objects.create_user(
        "founder", "founder@example.org", "a-Long-passw0rd", display_name="Fiona Founder"
    )
    community = community_create(
        by=founder,
        name="Reliability Engineering",
        practice="reliability",
        description="Keeping machines running.",
    )
    helper = User.objects.create_user(
        "helper",
        "helper@example.org",
        "a-Long-passw0rd",
        display_name="Hugo Helper",
        title="Senior reliability engineer",
    )
    community_join(community=community, user=helper)
    question_ask(
        community=community,
        author=helper,
        title="Which grease for conveyor bearings at 80 °C?",
        body="The line runs hot in summer.",
        tags="bearings, grease",
    )

    asker = screen.new_page()
    asker.goto(f"{live_server.url}/accounts/signup/")
    asker.get_by_label("User name").fill("priya")
    asker.get_by_label("E-mail").fill("priya@example.org")
    asker.get_by_label("Name", exact=True).fill("Priya Patel")
    asker.locator("#id_password").fill("a-Long-passw0rd")
    asker.get_by_label("Password again").fill("a-Long-passw0rd")
    shoot(asker, "01-sign-up")
    asker.get_by_label("Department").fill("Reliability")
    asker.get_by_role("button", name="Create my account").click()
    expect(asker.get_by_test_id("sign-up-sent")).to_contain_text("priya@example.org")
    # She opens the link the e-mail brought (the live server shares this process's outbox).
    link = re.search(r"http://[^/\s]+(/accounts/signup/finish/\S+)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    asker.goto(f"{live_server.url}{link.group(1)}")
    asker.get_by_label("The password you chose").fill("a-Long-passw0rd")
    asker.get_by_role("button", name="Finish and sign in").click()
    expect(asker.get_by_role("link", name="Priya Patel")).to_be_visible()

    # The first page suggests communities from her department, with her first steps.
    expect(asker.get_by_test_id("first-steps")).to_contain_text("0 of 3 done")
    suggested = asker.get_by_test_id("suggestions").locator("li").first
    expect(suggested).to_contain_text("Reliability Engineering")
    suggested.get_by_role("button", name="Join").click()
    expect(asker.get_by_text("Welcome to Reliability Engineering")).to_be_visible()
    expect(asker.get_by_test_id("first-steps")).to_contain_text("1 of 3 done")
    shoot(asker, "02-joined")
    asker.goto(f"{live_server.url}/")
    asker.get_by_role("link", name="Reliability Engineering").click()

    asker.get_by_role("link", name="Ask a question").first.click()
    asker.get_by_label("Title").fill("How often should we re-grease the conveyor bearings?")
    asker.get_by_label("Details").fill("Line 3 runs **two shifts**; the OEM manual says nothing.")
    # The tags field offers the community's tags as she types, with how often each is used.
    tags = asker.get_by_role("combobox", name="Tags")
    tags.press_sequentially("Bea")
    suggestion = asker.get_by_role("option", name="bearings")
    expect(suggestion).to_contain_text("1 question")
    tags.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    tags.press("Enter")
    expect(tags).to_have_value("bearings, ")
    tags.press_sequentially("lubrication")
    asker.get_by_role("button", name="Preview").click()
    expect(asker.get_by_test_id("preview").locator("strong")).to_have_text("two shifts")
    shoot(asker, "03-composed")
    asker.get_by_role("button", name="Post your question").click()
    expect(asker.get_by_role("heading", name="How often should we re-grease")).to_be_visible()
    shoot(asker, "03-asked")
    question = Question.objects.get(title__startswith="How often")
    assert sorted(question.tags.values_list("name", flat=True)) == ["bearings", "lubrication"]

    colleague = screen.new_page()
    colleague.goto(f"{live_server.url}/accounts/login/?next={question.get_absolute_url()}")
    colleague.get_by_label("User name").fill("helper")
    colleague.locator("#id_password").fill("a-Long-passw0rd")
    colleague.get_by_role("button", name="Log in").click()
    colleague.get_by_role("textbox", name="Your answer").fill(
        "Every 500 operating hours with a lithium complex grease."
    )
    colleague.get_by_role("button", name="Post your answer").click()
    expect(colleague.get_by_text("Every 500 operating hours")).to_be_visible()
    shoot(colleague, "04-answered")

    asker.reload()
    expect(asker.get_by_test_id("unread-count")).to_have_text("1")
    asker.get_by_role("button", name="Accept this answer").click()
    expect(asker.get_by_test_id("solved")).to_be_visible()
    expect(asker.get_by_text("Accepted answer")).to_be_visible()
    shoot(asker, "05-solved")
    question.refresh_from_db()
    assert question.is_solved


def test_a_question_typed_survives_a_closed_tab_and_previews_as_it_will_show(
    live_server, browser: Browser, screen: Screen, shoot
):
    founder = User.objects.create_user(
        "founder", "founder@example.org", "a-Long-passw0rd", display_name="Fiona Founder"
    )
    community = community_create(by=founder, name="Pumps", practice="pumps")
    context = browser.new_context(viewport=SCREENS[screen.name])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/c/{community.slug}/questions/ask/")
    page.get_by_label("User name").fill("founder")
    page.locator("#id_password").fill("a-Long-passw0rd")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Title").fill("Which seal for hot water?")
    page.get_by_label("Details").fill("Water at **90 °C**, pressure 6 bar.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview").locator("strong")).to_have_text("90 °C")
    page.close()  # the tab is closed before sending

    again = context.new_page()
    again.goto(f"{live_server.url}/c/{community.slug}/questions/ask/")
    expect(again.get_by_label("Title")).to_have_value("Which seal for hot water?")
    expect(again.get_by_label("Details")).to_have_value("Water at **90 °C**, pressure 6 bar.")
    expect(again.get_by_text("Your unsent text from last time is back.")).to_be_visible()
    shoot(again, "question-draft-restored")
    again.get_by_role("button", name="Post your question").click()
    expect(again.get_by_role("heading", name="Which seal for hot water?")).to_be_visible()
    again.goto(f"{live_server.url}/c/{community.slug}/questions/ask/")
    expect(again.get_by_label("Title")).to_have_value("")  # sent: the draft is gone
