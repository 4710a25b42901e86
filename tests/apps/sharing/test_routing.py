"""Unanswered questions reach the few people who can answer them, and no one too often."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.models import Notification
from cultivate.apps.notifications.services import email_preferences_update
from cultivate.apps.search.embeddings import embeddings_catch_up
from cultivate.apps.sharing.models import Question, RoutedQuestion
from cultivate.apps.sharing.routing import questions_route
from cultivate.apps.sharing.services import answer_accept, answer_create, question_ask

pytestmark = pytest.mark.usefixtures("encoder_dir")

TOPICS = [
    "Which grease for a bearing at high speed?",
    "Bearing runs hot after regreasing, why?",
    "How to detect bearing wear from vibration?",
]


@pytest.fixture
def experts(
    make_user: Callable[..., User], community: Community, join: Callable[..., None]
) -> list[User]:
    """Five members who each answered (and had accepted) the bearing questions, the first most."""
    asker = make_user("old_asker")
    join(asker, community)
    people = []
    for n in range(5):
        person = make_user(f"expert{n}", email=f"expert{n}@example.org")
        join(person, community)
        people.append(person)
    for i, title in enumerate(TOPICS):
        question = question_ask(community=community, author=asker, title=title, body="Context.")
        for person in people[: 5 - i]:
            answer = answer_create(question=question, author=person, body="Here is how.")
            if person == people[0]:
                answer_accept(answer=answer, by=asker)
    embeddings_catch_up()
    return people


def _waiting(community: Community, author: User, title: str, hours: int = 30) -> Question:
    question = question_ask(community=community, author=author, title=title, body="Help?")
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )
    embeddings_catch_up()
    question.refresh_from_db()
    return question


def test_a_question_unanswered_for_a_day_goes_to_the_top_three_with_one_email(
    community: Community,
    member: User,
    experts: list[User],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    question = _waiting(community, member, "My bearing overheats: wrong grease?")
    fresh = _waiting(community, member, "Bearing noise since this morning", hours=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert questions_route() == 1
    routed = set(RoutedQuestion.objects.filter(question=question).values_list("user", flat=True))
    assert len(routed) == 3
    assert experts[0].pk in routed
    assert not RoutedQuestion.objects.filter(question=fresh).exists()
    notices = Notification.objects.filter(kind="routed")
    assert set(notices.values_list("recipient", flat=True)) == routed
    assert len(mail.outbox) == 3
    assert all("Nobody has answered" in m.subject for m in mail.outbox)
    assert questions_route() == 0  # routed once


def test_nobody_gets_more_than_three_a_week(
    community: Community, member: User, experts: list[User]
) -> None:
    for n in range(5):
        _waiting(community, member, f"Bearing grease question number {n}")
    questions_route()
    per_person = [RoutedQuestion.objects.filter(user=p).count() for p in experts]
    assert max(per_person) <= 3
    assert RoutedQuestion.objects.count() <= 15


def test_people_who_opted_out_or_paused_are_not_asked(
    community: Community, member: User, experts: list[User]
) -> None:
    email_preferences_update(user=experts[0], choices={"routing": False})
    email_preferences_update(
        user=experts[1],
        choices={"routing": True, "routing_paused_until": timezone.localdate() + timedelta(days=3)},
    )
    question = _waiting(community, member, "Bearing temperature too high, grease?")
    questions_route()
    routed = set(RoutedQuestion.objects.filter(question=question).values_list("user", flat=True))
    assert routed
    assert not routed & {experts[0].pk, experts[1].pk}


def test_a_community_can_turn_routing_off(
    community: Community, member: User, experts: list[User]
) -> None:
    Community.objects.filter(pk=community.pk).update(route_after_hours=0)
    _waiting(community, member, "Bearing grease at low temperature?")
    assert questions_route() == 0


def test_the_answer_of_a_routed_person_is_counted_on_the_health_page(
    client: Client, community: Community, member: User, experts: list[User]
) -> None:
    question = _waiting(community, member, "My bearing overheats: which grease?")
    questions_route()
    person = RoutedQuestion.objects.filter(question=question).first().user
    answer_create(question=question, author=person, body="Use a high-speed grease.")
    route = RoutedQuestion.objects.get(question=question, user=person)
    assert route.answered_at is not None
    client.force_login(member)
    html = client.get(reverse("insights:health", args=[community.slug])).content.decode()
    assert "Unanswered questions routed" in html
    assert "Answered by someone they were routed to" in html
    assert "100% of those routed" in html
    assert "Median time from routing to an answer" in html


def test_coordinators_choose_when_questions_are_routed(
    client: Client, community: Community, coordinator: User, member: User
) -> None:
    url = reverse("communities:routing", args=[community.slug])
    client.force_login(member)
    assert client.post(url, {"route_after_hours": "4"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, {"route_after_hours": "4"}).status_code == 302
    community.refresh_from_db()
    assert community.route_after_hours == 4
    response = client.post(url, {"route_after_hours": "999"}, follow=True)
    assert "336" in response.content.decode()
    community.refresh_from_db()
    assert community.route_after_hours == 4
    page = client.get(reverse("sharing:moderation", args=[community.slug])).content.decode()
    assert 'name="route_after_hours"' in page


def test_the_notification_settings_page_pauses_routing_and_picks_the_digest_day(
    client: Client, member: User
) -> None:
    from cultivate.apps.notifications.models import EmailPreferences, Kind

    client.force_login(member)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="routing_paused_until"' in page
    assert 'name="digest_day"' in page
    until = timezone.localdate() + timedelta(days=10)
    form = {kind.value: "daily" for kind in Kind}
    form |= {"routing": "on", "routing_paused_until": until.isoformat(), "digest_day": "4"}
    assert client.post(reverse("notifications:settings"), form).status_code == 302
    prefs = EmailPreferences.objects.get(user=member)
    assert prefs.routing
    assert prefs.routing_paused_until == until
    assert prefs.digest_day == 4
    assert not prefs.takes_routed_questions(timezone.localdate())
    form |= {"digest_day": ""}
    form.pop("routing")
    client.post(reverse("notifications:settings"), form)
    prefs.refresh_from_db()
    assert prefs.digest_day is None
    assert not prefs.routing
