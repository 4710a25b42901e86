"""The decisions API: proposals, stances, history, outcomes and action items, with privacy."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.api.services import token_create
from cultivate.apps.decisions.services import proposal_create


def bearer(user: User) -> dict[str, str]:
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client: Client, method: str, url: str, data: Any, user: User) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(data), content_type="application/json", **bearer(user))


def test_a_member_proposes_a_poll_and_reads_its_tally(client, community, member, second):
    deadline = (timezone.now() + timedelta(days=2)).isoformat()
    created = send(
        client,
        "post",
        f"/api/communities/{community.slug}/proposals",
        {
            "title": "Next topic?",
            "body": "Choose.",
            "process": "poll",
            "deadline": deadline,
            "options": ["Seals", "Pumps"],
        },
        member,
    )
    assert created.status_code == 201, created.content
    proposal = created.json()
    pumps = proposal["tally"][1]["option_id"]
    voted = send(
        client, "post", f"/api/proposals/{proposal['id']}/stance", {"option_id": pumps}, second
    )
    assert voted.status_code == 200
    assert voted.json()["choice"] == "Pumps"
    detail = client.get(f"/api/proposals/{proposal['id']}").json()
    assert [(r["label"], r["count"]) for r in detail["tally"]] == [("Seals", 0), ("Pumps", 1)]
    assert detail["tally"][1]["people"] == [{"username": "sam", "name": "Sam Second"}]
    listed = client.get(f"/api/communities/{community.slug}/proposals?status=open").json()
    assert [p["id"] for p in listed["items"]] == [proposal["id"]]


def test_duplicate_poll_options_are_refused_naming_them(client, community, member):
    response = send(
        client,
        "post",
        f"/api/communities/{community.slug}/proposals",
        {
            "title": "T",
            "body": "B",
            "process": "poll",
            "deadline": (timezone.now() + timedelta(days=1)).isoformat(),
            "options": ["A", "a"],
        },
        member,
    )
    assert response.status_code == 400
    assert response.json()["errors"]["options"] == ["Each option must be different; repeated: 'a'."]


def test_a_stance_change_shows_in_the_history(client, consent, second):
    url = f"/api/proposals/{consent.pk}/stance"
    send(client, "post", url, {"stance": "disagree", "reason": "Costly."}, second)
    send(client, "post", url, {"stance": "agree"}, second)
    history = client.get(f"/api/proposals/{consent.pk}/stances/history?username=sam").json()
    assert [(h["stance"], h["reason"]) for h in history] == [("disagree", "Costly."), ("agree", "")]


def test_a_late_stance_is_refused_saying_when_it_closed(client, consent, second):
    from cultivate.apps.decisions.models import Proposal

    Proposal.objects.filter(pk=consent.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = send(
        client, "post", f"/api/proposals/{consent.pk}/stance", {"stance": "agree"}, second
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Taking part closed at the deadline, ")


def test_a_non_members_stance_is_forbidden(client, consent, outsider):
    response = send(
        client, "post", f"/api/proposals/{consent.pk}/stance", {"stance": "agree"}, outsider
    )
    assert response.status_code == 403


def test_the_proposer_closes_then_creates_and_completes_an_action_item(
    client, community, consent, member, second
):
    closed = send(
        client, "post", f"/api/proposals/{consent.pk}/close", {"outcome": "Adopted."}, member
    )
    assert closed.status_code == 200
    assert closed.json()["is_closed"]
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = send(
        client,
        "post",
        f"/api/communities/{community.slug}/actions",
        {"title": "Template", "owner": "sam", "due": due, "proposal_id": consent.pk},
        member,
    )
    assert created.status_code == 201, created.content
    item = created.json()
    done = send(client, "patch", f"/api/actions/{item['id']}", {"status": "done"}, second)
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    assert client.get(f"/api/proposals/{consent.pk}").json()["progress"] == {
        "done": 1,
        "total": 1,
        "percent": 100,
    }
    listed = client.get(f"/api/communities/{community.slug}/actions?status=done&owner=sam").json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]


def test_an_owner_who_is_not_a_member_is_refused(client, community, member, outsider):
    response = send(
        client,
        "post",
        f"/api/communities/{community.slug}/actions",
        {"title": "Audit", "owner": outsider.username, "due": timezone.localdate().isoformat()},
        member,
    )
    assert response.status_code == 400
    assert "not a member" in response.json()["errors"]["owner"][0]


def test_a_private_communitys_proposals_are_404_to_outsiders(client, private_community, outsider):
    proposal = proposal_create(
        community=private_community,
        by=private_community.created_by,
        title="Secret",
        body="Shh.",
        deadline=timezone.now() + timedelta(days=1),
        process="consent",
        options=None,
    )
    headers = bearer(outsider)
    assert client.get(f"/api/proposals/{proposal.pk}", **headers).status_code == 404
    assert client.get(f"/api/communities/{private_community.slug}/actions").status_code == 404
    stance = send(
        client, "post", f"/api/proposals/{proposal.pk}/stance", {"stance": "agree"}, outsider
    )
    assert stance.status_code == 404


def test_the_proposal_list_reads_in_the_same_queries_however_many_are_closed(
    client, community, member, coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cultivate.apps.decisions.services import proposal_close

    def close_new(n: int) -> None:
        for i in range(n):
            proposal = proposal_create(
                community=community,
                by=member,
                title=f"Proposal {i}",
                body="Shall we?",
                deadline=timezone.now() + timedelta(days=3),
                process="consent",
                options=None,
            )
            proposal_close(proposal=proposal, by=coordinator, outcome="Yes.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/communities/{community.slug}/proposals")
        assert response.status_code == 200
        return len(captured)

    close_new(2)
    few = queries()
    close_new(3)
    assert queries() == few
