"""The agenda and help pages: who sees what, and the forms driving the services."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_contribute, help_request_create
from cultivate.apps.agenda.models import HelpContribution, Prioritisation, Topic
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.celebrations.models import Kudos
from cultivate.apps.communities.models import Community
from cultivate.apps.practices.models import Revision
from cultivate.apps.practices.services import document_create


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_agenda_page_shows_the_tab_candidates_and_columns(
    client: Client, community: Community, topics: list[Topic]
) -> None:
    response = client.get(reverse("agenda:agenda", args=[community.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">Agenda</a>' in html
    for label in ("This month", "Next month", "Later", "Delivered", "Late"):
        assert label in html
    assert topics[0].title in html


def test_an_empty_agenda_says_so_once_with_the_next_step(
    client: Client, community: Community, member: User
) -> None:
    html = _login(client, member).get(reverse("agenda:agenda", args=[community.slug]))
    page = html.content.decode()

    assert page.count("No topics yet") == 1
    assert 'data-testid="agenda-empty"' in page
    assert reverse("agenda:topic_new", args=[community.slug]) in page
    assert "This month" not in page  # no five empty columns
    assert "Nothing here" not in page


def test_a_private_communitys_pages_are_404_to_outsiders(
    client: Client, private_community: Community, coordinator: User, outsider: User
) -> None:
    topic = topic_propose(community=private_community, by=coordinator, title="Audit", why="Yes.")
    request = help_request_create(
        community=private_community, by=coordinator, title="Q", body="B", due=timezone.localdate()
    )
    _login(client, outsider)
    slug = private_community.slug
    for url in [
        reverse("agenda:agenda", args=[slug]),
        reverse("agenda:topic", args=[slug, topic.pk]),
        reverse("agenda:help_requests", args=[slug]),
        reverse("agenda:help_request", args=[slug, request.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_member_proposes_a_topic_through_the_form(
    client: Client, community: Community, member: User
) -> None:
    _login(client, member)
    response = client.post(
        reverse("agenda:topic_new", args=[community.slug]),
        {"title": "Inventory", "why": "Too many spares.", "deliverable": "a best practice"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()


def test_an_empty_proposal_shows_the_fields_at_fault(
    client: Client, community: Community, member: User
) -> None:
    _login(client, member)
    response = client.post(reverse("agenda:topic_new", args=[community.slug]), {"title": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_only_coordinators_see_the_schedule_form_and_open_polls(
    client: Client, community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    _login(client, member)
    page = client.get(topics[0].get_absolute_url()).content.decode()
    assert "Schedule this topic" not in page
    assert client.get(reverse("agenda:prioritise", args=[community.slug])).status_code == 403
    _login(client, coordinator)
    page = client.get(topics[0].get_absolute_url()).content.decode()
    assert "Schedule this topic" in page


def test_a_coordinator_opens_the_poll_and_schedules_through_the_pages(
    client: Client, community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    _login(client, coordinator)
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("agenda:prioritise", args=[community.slug]),
        {"topics": [t.pk for t in topics], "deadline": deadline},
    )
    prioritisation = Prioritisation.objects.get()
    assert response["Location"] == prioritisation.proposal.get_absolute_url()
    response = client.post(
        reverse("agenda:schedule", args=[community.slug, topics[0].pk]),
        {"owner": member.pk, "starts_on": "", "ends_on": "", "deliverable_title": ""},
    )
    assert response.status_code == 302
    topics[0].refresh_from_db()
    assert topics[0].owner == member
    assert topics[0].document is not None


def test_a_bad_time_box_is_shown_beside_the_end_date(
    client: Client, community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    _login(client, coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("agenda:schedule", args=[community.slug, topics[0].pk]),
        {
            "owner": member.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "before it starts" in response.content.decode()


def test_help_pages_ask_contribute_and_accept(
    client: Client, community: Community, member: User, second: User
) -> None:
    _login(client, member)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("agenda:help_new", args=[community.slug]),
        {"title": "Review my checklist", "body": "Draft.", "due": due},
    )
    assert response.status_code == 302
    request_url = response["Location"]
    assert "Help wanted" in client.get(request_url).content.decode()
    _login(client, second)
    response = client.post(f"{request_url}contribute/", {"body": "Add torque values."})
    contribution = HelpContribution.objects.get()
    assert response["Location"].endswith(f"#contribution-{contribution.pk}")
    _login(client, member)
    client.post(reverse("agenda:accept", args=[contribution.pk]))
    client.post(reverse("agenda:thank", args=[contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.accepted_at
    assert contribution.thanked_at
    page = client.get(request_url).content.decode()
    assert "✓ Accepted" in page
    assert "Thanked" in page


def test_a_closed_request_says_so_and_offers_no_form(
    client: Client, community: Community, member: User, second: User
) -> None:
    past = timezone.now() - timedelta(days=10)
    request = help_request_create(
        community=community,
        by=member,
        title="Old",
        body="Old.",
        due=timezone.localdate(past),
        at=past,
    )
    _login(client, second)
    page = client.get(request.get_absolute_url()).content.decode()
    due = request.due
    assert f"Closed after {due.day} {due:%b %Y}" in page
    assert "Your contribution" not in page
    response = client.post(f"{request.get_absolute_url()}contribute/", {"body": "Late."})
    assert response.status_code == 400
    assert "it takes no more contributions" in response.content.decode()


def test_promoting_through_the_page_adds_a_credited_section(
    client: Client, community: Community, member: User, second: User
) -> None:
    request = help_request_create(
        community=community, by=member, title="Seals", body="How?", due=timezone.localdate()
    )
    contribution = help_contribute(request=request, by=second, body="Monthly checks.")
    document = document_create(community=community, by=member, title="Seal care", body="Intro.")
    _login(client, member)
    url = reverse("agenda:promote", args=[contribution.pk])
    assert "Seal care" in client.get(url).content.decode()
    response = client.post(url, {"document": document.pk, "heading": ""})
    assert response["Location"] == document.get_absolute_url()
    assert Revision.objects.get(document=document, number=2).credit == second


def test_a_member_other_than_the_requester_thanks_a_contribution_with_kudos_in_place(
    client: Client, community: Community, member: User, second: User, coordinator: User
) -> None:
    request = help_request_create(
        community=community,
        by=member,
        title="Review my checklist",
        body="Draft.",
        due=timezone.localdate() + timedelta(days=5),
    )
    contribution = help_contribute(request=request, by=second, body="Add a torque step.")
    url = reverse("agenda:help_request", args=[community.slug, request.pk])

    _login(client, coordinator)
    page = client.get(url).content.decode()
    assert "Thank Sam Second" in page
    assert 'name="link_kind" value="helpcontribution"' in page
    response = client.post(
        reverse("celebrations:kudos_new", args=[community.slug]),
        {
            "receiver": second.username,
            "reason": "That torque step saved my audit.",
            "link_kind": "helpcontribution",
            "link_id": contribution.pk,
            "next": f"{url}#contribution-{contribution.pk}",
        },
    )
    assert response.status_code == 302
    assert Kudos.objects.get(receiver=second).link == contribution

    _login(client, member)  # the requester keeps their own thanks, recorded as a reaction
    assert 'value="helpcontribution"' not in client.get(url).content.decode()
