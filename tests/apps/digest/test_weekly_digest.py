"""The weekly digest: what a member could do this week, on the day they chose, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_request_create
from cultivate.apps.agenda.services import topic_propose, topic_schedule
from cultivate.apps.celebrations.services import milestone_post
from cultivate.apps.communities.models import Community
from cultivate.apps.digest.contents import digest_for
from cultivate.apps.digest.sending import weekly_digests_send
from cultivate.apps.notifications.services import email_preferences_update
from cultivate.apps.search.embeddings import embeddings_catch_up
from cultivate.apps.sharing.services import answer_accept, answer_create, question_ask

pytestmark = pytest.mark.usefixtures("encoder_dir")


@pytest.fixture
def week(
    community: Community,
    coordinator: User,
    make_user: Callable[..., User],
    join: Callable[..., None],
) -> dict[str, User]:
    """A bearing expert, a newcomer who asks, and a week with a deadline, a help request and a win."""
    expert = make_user("bea", email="bea@example.org", display_name="Bea Bearings")
    asker = make_user("nico", email="nico@example.org")
    for person in (expert, asker):
        join(person, community)
    for title in ("Which grease for a fast bearing?", "Bearing runs hot after regreasing"):
        old = question_ask(community=community, author=asker, title=title, body="Context.")
        answer = answer_create(question=old, author=expert, body="Here is how.")
        answer_accept(answer=answer, by=asker)
    question_ask(
        community=community, author=asker, title="My bearing overheats at speed", body="Why?"
    )
    embeddings_catch_up()
    today = timezone.localdate()
    topic = topic_propose(
        community=community, by=coordinator, title="Inventory levels", why="We keep too much."
    )
    topic_schedule(
        topic=topic,
        by=coordinator,
        owner=coordinator,
        starts_on=today,
        ends_on=today + timedelta(5),
    )
    help_request_create(
        community=community,
        by=coordinator,
        title="Review my gearbox checklist",
        body="Any gaps?",
        due=today + timedelta(days=3),
    )
    milestone_post(community=community, key="first-100", title="100 questions asked", people=[])
    return {"expert": expert, "asker": asker}


def test_the_digest_holds_questions_one_could_answer_deadlines_and_wins(
    week: dict[str, User],
) -> None:
    digest = digest_for(week["expert"], timezone.now())
    assert [item.title for item in digest.questions] == ["My bearing overheats at speed"]
    assert {item.title for item in digest.deadlines} >= {
        "Inventory levels",
        "Review my gearbox checklist",
    }
    assert "100 questions asked" in [item.title for item in digest.wins]
    assert digest_for(week["asker"], timezone.now()).questions == []  # not one's own question


def test_it_comes_on_the_chosen_day_once_a_week_as_text_and_html(week: dict[str, User]) -> None:
    expert = week["expert"]
    now = timezone.now()
    email_preferences_update(user=expert, choices={"digest_day": (now.weekday() + 1) % 7})
    mail.outbox.clear()
    weekly_digests_send(now=now)
    assert expert.email not in [m.to[0] for m in mail.outbox]
    email_preferences_update(user=expert, choices={"digest_day": now.weekday()})
    weekly_digests_send(now=now)
    [sent] = [m for m in mail.outbox if m.to == [expert.email]]
    assert sent.subject == "[Cultivate] Your week: 1 question you could answer"
    assert "My bearing overheats at speed" in sent.body
    html, kind = sent.alternatives[0]
    assert kind == "text/html"
    assert "Questions you could answer" in str(html)
    weekly_digests_send(now=now + timedelta(hours=1))
    assert len([m for m in mail.outbox if m.to == [expert.email]]) == 1


def test_nobody_who_turned_it_off_gets_one(week: dict[str, User]) -> None:
    email_preferences_update(user=week["expert"], choices={"digest_day": None})
    mail.outbox.clear()
    for day in range(7):
        weekly_digests_send(now=timezone.now() + timedelta(days=day))
    assert week["expert"].email not in [m.to[0] for m in mail.outbox]


def test_the_digest_reads_in_the_member_s_language(week: dict[str, User]) -> None:
    expert = week["expert"]
    User.objects.filter(pk=expert.pk).update(language="fr")
    now = timezone.now()
    email_preferences_update(user=expert, choices={"digest_day": now.weekday()})
    mail.outbox.clear()
    weekly_digests_send(now=now)
    [sent] = [m for m in mail.outbox if m.to == [expert.email]]
    assert "Votre semaine" in sent.subject


def test_a_member_can_preview_their_digest(client: Client, week: dict[str, User]) -> None:
    client.force_login(week["expert"])
    settings_page = client.get(reverse("notifications:settings")).content.decode()
    assert reverse("digest:preview") in settings_page
    html = client.get(reverse("digest:preview")).content.decode()
    assert "My bearing overheats at speed" in html
    text = client.get(reverse("digest:preview"), {"format": "text"}).content.decode()
    assert "Questions you could answer" in text
