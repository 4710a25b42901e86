"""The agenda's REST endpoints: topics, the prioritisation poll, scheduling and help requests."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_contribute, help_request_create
from cultivate.apps.agenda.models import Prioritisation, Topic
from cultivate.apps.agenda.services import prioritisation_close, topic_propose
from cultivate.apps.api.services import token_create
from cultivate.apps.communities.models import Community
from cultivate.apps.decisions.services import stance_take
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.services import answer_create, question_ask


def bearer(user: User) -> dict[str, Any]:
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_a_member_proposes_a_topic_and_everyone_lists_it(
    client: Client, community: Community, member: User
) -> None:
    response = post_json(
        client,
        f"/api/communities/{community.slug}/agenda/topics",
        {"title": "Inventory", "why": "Too many spares.", "deliverable": "a best practice"},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["expected_deliverable"]) == ("proposed", "a best practice")
    listed = client.get(f"/api/communities/{community.slug}/agenda/topics").json()
    assert [t["title"] for t in listed["items"]] == ["Inventory"]


def test_proposing_without_a_token_is_401_and_for_an_outsider_403(
    client: Client, community: Community, outsider: User
) -> None:
    url = f"/api/communities/{community.slug}/agenda/topics"
    body = {"title": "X", "why": "Y"}
    assert post_json(client, url, body).status_code == 401
    assert post_json(client, url, body, **bearer(outsider)).status_code == 403


def test_a_private_communitys_agenda_and_requests_are_404_to_outsiders(
    client: Client, private_community: Community, coordinator: User, outsider: User
) -> None:
    topic = topic_propose(community=private_community, by=coordinator, title="Audit", why="Yes.")
    request = help_request_create(
        community=private_community,
        by=coordinator,
        title="Read this",
        body="Please.",
        due=timezone.localdate(),
    )
    headers = bearer(outsider)
    for url in [
        f"/api/communities/{private_community.slug}/agenda",
        f"/api/communities/{private_community.slug}/agenda/topics",
        f"/api/agenda/topics/{topic.pk}",
        f"/api/communities/{private_community.slug}/help-requests",
        f"/api/help-requests/{request.pk}",
    ]:
        assert client.get(url, **headers).status_code == 404, url
    assert client.get(f"/api/agenda/topics/{topic.pk}", **bearer(coordinator)).status_code == 200


def test_prioritise_vote_close_schedule_and_read_the_timeline(
    client: Client, community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    headers = bearer(coordinator)
    opened = post_json(
        client,
        f"/api/communities/{community.slug}/agenda/prioritisation",
        {"topic_ids": [topics[0].pk, topics[2].pk]},
        **headers,
    )
    assert opened.status_code == 201, opened.content
    poll = opened.json()
    assert [o["topic_id"] for o in poll["options"]] == [topics[0].pk, topics[2].pk]
    prioritisation = Prioritisation.objects.get(pk=poll["id"])
    stance_take(proposal=prioritisation.proposal, by=member, option=poll["options"][1]["id"])
    prioritisation_close(prioritisation=prioritisation, by=coordinator)
    agenda = client.get(f"/api/communities/{community.slug}/agenda").json()
    assert [(t["id"], t["rank"] and t["rank"]["position"]) for t in agenda["candidates"]] == [
        (topics[2].pk, 1),
        (topics[0].pk, 2),
        (topics[1].pk, None),
    ]
    scheduled = post_json(
        client, f"/api/agenda/topics/{topics[2].pk}/schedule", {"owner": member.username}, **headers
    )
    assert scheduled.status_code == 200, scheduled.content
    body = scheduled.json()
    assert body["status"] == "planned"
    assert body["deliverable"]["status"] == "draft"
    assert body["deliverable"]["due_on"] == body["ends_on"]
    agenda = client.get(f"/api/communities/{community.slug}/agenda").json()
    assert [t["id"] for t in agenda["this_month"]] == [topics[2].pk]


def test_scheduling_names_an_unknown_owner_and_refuses_members(
    client: Client, community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    url = f"/api/agenda/topics/{topics[0].pk}/schedule"
    assert post_json(client, url, {"owner": member.username}, **bearer(member)).status_code == 403
    assert not Topic.objects.get(pk=topics[0].pk).is_scheduled
    response = post_json(client, url, {"owner": "nobody"}, **bearer(coordinator))
    assert response.status_code == 400
    assert response.json()["errors"]["owner"] == ["Nobody is called 'nobody'."]


def test_a_poll_with_a_topic_of_another_community_is_refused(
    client: Client,
    community: Community,
    coordinator: User,
    topics: list[Topic],
    private_community: Community,
) -> None:
    stranger = topic_propose(community=private_community, by=coordinator, title="X", why="Y")
    response = post_json(
        client,
        f"/api/communities/{community.slug}/agenda/prioritisation",
        {"topic_ids": [topics[0].pk, stranger.pk]},
        **bearer(coordinator),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["topic_ids"] == [
        f"No topic {stranger.pk} in {community.name}."
    ]


def test_help_request_contribute_thank_accept_and_promote(
    client: Client, community: Community, member: User, second: User
) -> None:
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = post_json(
        client,
        f"/api/communities/{community.slug}/help-requests",
        {"title": "Review my checklist", "body": "Draft **here**.", "due": due},
        **bearer(member),
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    contributed = post_json(
        client,
        f"/api/help-requests/{request_id}/contributions",
        {"body": "Add torque values."},
        **bearer(second),
    )
    assert contributed.status_code == 201, contributed.content
    contribution_id = contributed.json()["id"]
    owner = bearer(member)
    assert post_json(
        client, f"/api/help-contributions/{contribution_id}/thank", {}, **owner
    ).json()["thanked_at"]
    assert post_json(
        client, f"/api/help-contributions/{contribution_id}/accept", {}, **owner
    ).json()["accepted_at"]
    document = document_create(community=community, by=member, title="Checklists", body="Intro.")
    promoted = post_json(
        client,
        f"/api/help-contributions/{contribution_id}/promote",
        {"document_id": document.pk, "heading": "Torque"},
        **owner,
    )
    assert promoted.status_code == 201, promoted.content
    assert promoted.json()["credited"]["username"] == second.username
    assert promoted.json()["revision_number"] == 2
    detail = client.get(f"/api/help-requests/{request_id}").json()
    assert detail["contribution_count"] == 1
    assert detail["contributions"][0]["author"]["username"] == second.username


def test_a_contribution_after_the_date_is_400_naming_the_date(
    client: Client, community: Community, member: User, second: User
) -> None:
    past = timezone.now() - timedelta(days=10)
    request = help_request_create(
        community=community,
        by=member,
        title="Old",
        body="Old.",
        due=timezone.localdate(past + timedelta(days=2)),
        at=past,
    )
    response = post_json(
        client, f"/api/help-requests/{request.pk}/contributions", {"body": "Late"}, **bearer(second)
    )
    assert response.status_code == 400
    due = request.due
    assert f"closed after {due.day} {due:%b %Y}" in response.json()["detail"]


def test_an_answer_is_promoted_through_the_api(
    client: Client, community: Community, member: User, second: User
) -> None:
    question = question_ask(community=community, author=member, title="Seals?", body="How long?")
    answer = answer_create(question=question, author=second, body="Two years.")
    document = document_create(community=community, by=member, title="Seals", body="Intro.")
    response = post_json(
        client, f"/api/answers/{answer.pk}/promote", {"document_id": document.pk}, **bearer(member)
    )
    assert response.status_code == 201, response.content
    assert response.json()["credited"]["username"] == second.username


def test_a_help_request_listing_filters_by_status(
    client: Client, community: Community, member: User, second: User
) -> None:
    request = help_request_create(
        community=community, by=member, title="Now", body="Now.", due=timezone.localdate()
    )
    help_contribute(request=request, by=second, body="Sure.")
    url = f"/api/communities/{community.slug}/help-requests"
    assert [r["id"] for r in client.get(url, {"status": "open"}).json()["items"]] == [request.pk]
    assert client.get(url, {"status": "closed"}).json()["items"] == []
    assert client.get(url, {"status": "bogus"}).status_code == 422
