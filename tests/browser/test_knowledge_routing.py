"""The right question reaches the right person: similar questions while asking, who can answer,
a routed question answered by the person it was routed to, and the weekly digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.digest.sending import weekly_digests_send
from cultivate.apps.notifications.services import email_preferences_update
from cultivate.apps.sharing.models import Question, QuestionReuse, RoutedQuestion
from cultivate.apps.sharing.routing import questions_route
from cultivate.apps.sharing.services import answer_accept, answer_create, question_ask

from .screens import Screen, person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("encoder_dir"),
]


def _community_with_an_expert() -> tuple[Community, User, User]:
    """A community where Bea answered the bearing questions (accepted) and Nico asks."""
    founder = person("founder", "Fiona Founder")
    community = community_create(by=founder, name="Reliability", practice="reliability")
    bea = person("bea", "Bea Bearings")
    nico = person("nico", "Nico Newcomer")
    for someone in (bea, nico):
        community_join(community=community, user=someone)
    for title, answer_text in (
        ("Which grease for a fast bearing?", "A lithium complex grease, NLGI 2."),
        ("Bearing runs hot after regreasing", "Too much grease: purge the excess."),
    ):
        question = question_ask(community=community, author=founder, title=title, body="Context.")
        answer = answer_create(question=question, author=bea, body=answer_text)
        answer_accept(answer=answer, by=founder)
    return community, bea, nico


def test_similar_questions_appear_while_asking_and_one_answers_it(screen: Screen, shoot) -> None:
    community, _bea, nico = _community_with_an_expert()
    page = screen.log_in("nico", f"/c/{community.slug}/questions/ask/")
    page.get_by_label("Title").press_sequentially("my bearing overheats after adding grease")
    box = page.locator("#similar-questions")
    expect(box).to_contain_text("Bearing runs hot after regreasing")
    expect(box).to_contain_text("Too much grease: purge the excess.")
    shoot(page, "routing-01-similar-while-asking")
    box.get_by_role("button", name="This answers my question").first.click()
    expect(page.get_by_text("Glad it was already answered")).to_be_visible()
    assert QuestionReuse.objects.filter(user=nico).count() == 1
    assert not Question.objects.filter(title__startswith="my bearing").exists()


def test_who_can_answer_and_a_routed_question_answered_by_its_person(screen: Screen, shoot) -> None:
    community, bea, nico = _community_with_an_expert()
    question = question_ask(
        community=community,
        author=nico,
        title="Bearing temperature climbs after greasing: normal?",
        body="It settles after an hour.",
    )
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=30))
    asker = screen.log_in("nico", question.get_absolute_url())
    experts = asker.get_by_test_id("experts")
    expect(experts).to_contain_text("Bea Bearings")
    expect(experts).to_contain_text("accepted answers on similar questions")
    shoot(asker, "routing-02-who-can-answer")

    mail.outbox.clear()
    assert questions_route() == 1
    assert RoutedQuestion.objects.filter(question=question, user=bea).exists()
    assert any("Nobody has answered" in m.subject for m in mail.outbox if m.to == [bea.email])

    expert = screen.log_in("bea", "/notifications/")
    notice = expert.get_by_role("link", name="Nobody has answered")
    expect(notice).to_be_visible()
    notice.first.click()
    expert.get_by_role("textbox", name="Your answer").fill("Normal for an hour: the grease churns.")
    expert.get_by_role("button", name="Post your answer").click()
    expect(expert.get_by_text("the grease churns")).to_be_visible()
    shoot(expert, "routing-03-routed-answered")
    assert RoutedQuestion.objects.get(question=question, user=bea).answered_at is not None

    asker.goto(f"{screen.base_url}/insights/c/{community.slug}/health/")
    figures = asker.get_by_role("region", name="Questions reaching people")
    expect(figures).to_contain_text("Answered by someone they were routed to")
    expect(figures).to_contain_text("100% of those routed")
    shoot(asker, "routing-04-health-figures")


def test_the_weekly_digest_reads_well_as_an_email(screen: Screen, shoot) -> None:
    community, bea, nico = _community_with_an_expert()
    question_ask(
        community=community,
        author=nico,
        title="How much grease does a 6205 bearing need?",
        body="New motor, no manual.",
    )
    now = timezone.now()
    email_preferences_update(user=bea, choices={"digest_day": now.weekday()})
    mail.outbox.clear()
    assert weekly_digests_send(now=now) >= 1
    [sent] = [m for m in mail.outbox if m.to == [bea.email]]
    html = str(sent.alternatives[0][0])
    page = screen.new_page()
    page.set_content(html)
    expect(page.get_by_role("heading", name="Questions you could answer")).to_be_visible()
    expect(
        page.get_by_role("link", name="How much grease does a 6205 bearing need?")
    ).to_be_visible()
    shoot(page, "routing-05-digest-email")
    preview = screen.log_in("bea", "/digest/preview/")
    expect(preview.get_by_text("How much grease does a 6205 bearing need?")).to_be_visible()
