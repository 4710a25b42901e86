"""Pages that had no query budget (the agenda, help requests, a profile) ask the same few queries
however much they show, so an N+1 cannot come back unseen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_contribute, help_request_create
from cultivate.apps.agenda.models import HelpRequest
from cultivate.apps.communities.models import Community

pytestmark = pytest.mark.django_db

CEILING = 20


def _helpers(make_user: Callable[..., User], join, community: Community, n: int) -> list[User]:
    people = [make_user(f"helper{n}-{k}", display_name=f"Helper {k}") for k in range(n)]
    for person in people:
        join(person, community)
    return people


def _request(community: Community, by: User, title: str) -> HelpRequest:
    return help_request_create(
        community=community,
        by=by,
        title=title,
        body="Draft.",
        due=timezone.localdate() + timedelta(days=5),
    )


def test_the_agenda_asks_the_same_queries_for_two_topics_or_ten(
    client: Client, community: Community, member: User, propose, make_user, join, page_queries
) -> None:
    url = reverse("agenda:agenda", args=[community.slug])
    client.force_login(member)
    propose("Inventory levels")
    propose("Supplier audits")
    few = page_queries(client, url)
    for n, person in enumerate(_helpers(make_user, join, community, 8)):
        propose(f"Topic {n}", by=person)
    assert page_queries(client, url) == few <= CEILING, few


def test_the_help_list_asks_the_same_queries_for_two_requests_or_ten(
    client: Client, community: Community, member: User, make_user, join, page_queries
) -> None:
    url = reverse("agenda:help_requests", args=[community.slug])
    client.force_login(member)
    for title in ("Review my checklist", "Check my torque table"):
        _request(community, member, title)
    few = page_queries(client, url)
    for n, person in enumerate(_helpers(make_user, join, community, 8)):
        request = _request(community, person, f"Request {n}")
        help_contribute(request=request, by=member, body="An idea.")
    assert page_queries(client, url) == few <= CEILING, few


def test_a_help_request_asks_the_same_queries_for_one_contribution_or_eight(
    client: Client, community: Community, member: User, make_user, join, page_queries
) -> None:
    request = _request(community, member, "Review my checklist")
    url = reverse("agenda:help_request", args=[community.slug, request.pk])
    people = _helpers(make_user, join, community, 8)
    help_contribute(request=request, by=people[0], body="First idea.")
    client.force_login(member)
    few = page_queries(client, url)
    for person in people[1:]:
        help_contribute(request=request, by=person, body="Another idea.")
    assert page_queries(client, url) == few <= CEILING, few


def test_a_profile_asks_the_same_queries_for_one_question_or_eight(
    client: Client, community: Community, member: User, page_queries
) -> None:
    from cultivate.apps.sharing.services import answer_create, question_ask

    url = reverse("people:profile", args=[member.username])
    question_ask(community=community, author=member, title="First?", body="?")
    client.force_login(member)
    few = page_queries(client, url)
    for n in range(7):
        question = question_ask(community=community, author=member, title=f"Q{n}?", body="?")
        answer_create(question=question, author=member, body="Self-answered.")
    assert page_queries(client, url) == few <= CEILING, few
