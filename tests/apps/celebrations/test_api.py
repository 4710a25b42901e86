"""The celebrations API: the wins feed, giving kudos, cheering, with the web's privacy rules."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.api.services import token_create
from cultivate.apps.celebrations.models import Kudos
from cultivate.apps.celebrations.services import kudos_give, milestone_post
from cultivate.core.activity import Verb


def bearer(user: User) -> dict[str, str]:
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, url: str, data: Any = None, **headers: str) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)


def test_the_wins_feed_lists_milestones_and_kudos_newest_first(client, community, member, helper):
    milestone_post(community=community, key="k", title="First release", people=[helper])
    kudos_give(community=community, giver=member, receiver=helper, reason="Thanks for *that*.")
    body = client.get(f"/api/communities/{community.slug}/wins").json()
    assert body["count"] == 2
    kudos, milestone = body["items"]
    assert kudos["kind"] == "kudos"
    assert kudos["receiver"]["username"] == helper.username
    assert "<em>that</em>" in kudos["reason_html"]
    assert milestone["kind"] == "milestone"
    assert milestone["people"] == [{"username": helper.username, "name": helper.name}]


def test_the_wins_feed_pages_by_offset_past_its_first_page_and_refuses_a_cursor(
    client, community, member, helper
):
    milestone_post(community=community, key="k", title="First release", people=[helper])
    for n in range(3):
        kudos_give(community=community, giver=member, receiver=helper, reason=f"Thanks {n}.")
    url = f"/api/communities/{community.slug}/wins"

    first = client.get(url, {"limit": 2}).json()
    rest = client.get(url, {"limit": 2, "offset": 2}).json()

    assert (first["count"], len(first["items"]), len(rest["items"])) == (4, 2, 2)
    assert first["next"] is None  # two tables' rows: a position in one is not one in the other
    assert client.get(url, {"after": "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMH4x"}).status_code == 400


def test_a_member_gives_kudos_linked_to_an_answer(client, community, member, helper, answer):
    response = post_json(
        client,
        f"/api/communities/{community.slug}/kudos",
        {
            "receiver": helper.username,
            "reason": "Great fix.",
            "link_kind": "answer",
            "link_id": answer.pk,
        },
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    assert response.json()["link"]["kind"] == "answer"
    assert response.json()["link"]["url"].endswith(f"#answer-{answer.pk}")
    assert ActivityRecord.objects.filter(verb=Verb.CELEBRATE.value).count() == 1


def test_kudos_without_a_reason_are_refused_naming_the_field(client, community, member, helper):
    response = post_json(
        client,
        f"/api/communities/{community.slug}/kudos",
        {"receiver": helper.username, "reason": ""},
        **bearer(member),
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_kudos_to_an_unknown_person_name_the_receiver(client, community, member):
    response = post_json(
        client,
        f"/api/communities/{community.slug}/kudos",
        {"receiver": "nobody-here", "reason": "Thanks."},
        **bearer(member),
    )
    assert response.status_code == 400
    assert "receiver" in response.json()["errors"]


def test_an_outsider_cannot_give_kudos_in_a_public_community(client, community, helper, outsider):
    response = post_json(
        client,
        f"/api/communities/{community.slug}/kudos",
        {"receiver": helper.username, "reason": "Thanks."},
        **bearer(outsider),
    )
    assert response.status_code == 403
    assert not Kudos.objects.exists()


def test_giving_kudos_needs_a_login(client, community, helper):
    response = post_json(
        client,
        f"/api/communities/{community.slug}/kudos",
        {"receiver": helper.username, "reason": "Thanks."},
    )
    assert response.status_code == 401


def test_a_private_communitys_wins_are_404_to_outsiders(
    client, private_community, coordinator, outsider
):
    milestone = milestone_post(
        community=private_community, key="k", title="Quiet", people=[coordinator]
    )
    assert milestone is not None
    url = f"/api/communities/{private_community.slug}/wins"
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(outsider)).status_code == 404
    cheer = f"{url}/milestone/{milestone.pk}/cheer"
    assert post_json(client, cheer, **bearer(outsider)).status_code == 404
    assert client.get(url, **bearer(coordinator)).json()["count"] == 1


def test_a_member_cheers_once_and_the_second_cheer_is_refused(client, community, member, helper):
    milestone = milestone_post(community=community, key="k", title="Launch", people=[helper])
    assert milestone is not None
    url = f"/api/communities/{community.slug}/wins/milestone/{milestone.pk}/cheer"
    headers = bearer(member)
    first = post_json(client, url, **headers)
    assert first.status_code == 200, first.content
    assert first.json()["cheered"] is True
    assert first.json()["cheer_count"] == 1
    second = post_json(client, url, **headers)
    assert second.status_code == 400
    assert "already cheered" in second.json()["detail"]


def test_cheering_an_unknown_kind_of_win_is_rejected(client, community, member):
    url = f"/api/communities/{community.slug}/wins/post/1/cheer"
    assert post_json(client, url, **bearer(member)).status_code == 422


def test_the_feed_filters_one_persons_wins(client, community, coordinator, member, helper):
    kudos_give(community=community, giver=member, receiver=helper, reason="One.")
    kudos_give(community=community, giver=member, receiver=coordinator, reason="Two.")
    body = client.get(f"/api/communities/{community.slug}/wins", {"person": helper.username}).json()
    assert [w["reason"] for w in body["items"]] == ["One."]
