"""The best-practices API: documents, revisions, 409 on stale saves, diffs, the workflow, privacy."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from cultivate.apps.accounts.models import User
from cultivate.apps.api.services import token_create
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.services import question_ask

from .conftest import TEXT


def bearer(user: User) -> dict[str, str]:
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client: Client, url: str, data: Any, user: User) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(user))


def test_a_member_creates_lists_and_reads_a_document(client, community, member):
    created = send(
        client,
        f"/api/communities/{community.slug}/practices",
        {"title": "Torque", "body": "M8: 25 Nm", "due_on": "2030-01-31", "topic_key": "t-7"},
        member,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["head_number"], body["due_on"]) == ("draft", 1, "2030-01-31")
    assert body["contributors"][0]["revisions"] == 1
    listed = client.get(f"/api/communities/{community.slug}/practices").json()
    assert [d["title"] for d in listed["items"]] == ["Torque"]
    detail = client.get(f"/api/practices/{body['id']}").json()
    assert detail["body"] == "M8: 25 Nm"


def test_a_stale_save_answers_409_with_the_head_and_a_fresh_one_wins(
    client, document, member, reviewer
):
    url = f"/api/practices/{document.pk}/revisions"
    first = send(client, url, {"body": TEXT.replace("500", "400"), "base_number": 1}, reviewer)
    assert first.status_code == 201
    assert first.json()["number"] == 2
    stale = send(client, url, {"body": TEXT.replace("500", "600"), "base_number": 1}, member)
    assert stale.status_code == 409
    assert stale.json()["head"]["number"] == 2
    assert "400 hours" in stale.json()["head"]["body"]
    fresh = send(client, url, {"body": TEXT.replace("500", "600"), "base_number": 2}, member)
    assert fresh.status_code == 201
    assert fresh.json()["merged_with"] is None


def test_a_stale_save_of_other_lines_is_merged_and_names_the_revision(
    client, document, member, reviewer
):
    url = f"/api/practices/{document.pk}/revisions"
    send(client, url, {"body": TEXT.replace("500", "400"), "base_number": 1}, reviewer)
    merged = send(
        client, url, {"body": TEXT.replace("every job", "each job"), "base_number": 1}, member
    )
    assert merged.status_code == 201
    assert merged.json()["merged_with"] == 2


def test_revisions_and_the_diff_between_them(client, document, member):
    send(
        client,
        f"/api/practices/{document.pk}/revisions",
        {"body": TEXT.replace("Use lithium complex.", "Use calcium."), "base_number": 1},
        member,
    )
    revisions = client.get(f"/api/practices/{document.pk}/revisions").json()
    assert [r["number"] for r in revisions["items"]] == [2, 1]
    old = client.get(f"/api/practices/{document.pk}/revisions/1").json()
    assert old["body"] == TEXT
    diff = client.get(f"/api/practices/{document.pk}/diff?from=1&to=2").json()
    assert (diff["identical"], diff["added"], diff["removed"]) == (False, 1, 1)
    changed = [ln for h in diff["hunks"] for ln in h["lines"] if ln["kind"] != "equal"]
    assert [(ln["kind"], ln["text"]) for ln in changed] == [
        ("delete", "Use lithium complex."),
        ("insert", "Use calcium."),
    ]
    same = client.get(f"/api/practices/{document.pk}/diff?from=2&to=2").json()
    assert same["identical"] is True
    assert client.get(f"/api/practices/{document.pk}/diff?from=1&to=5").status_code == 404


def test_the_workflow_through_the_api(client, community, document, member, reviewer):
    base = f"/api/practices/{document.pk}"
    asked = send(client, f"{base}/review-requests", {"reviewers": ["rita"]}, member)
    assert asked.status_code == 200, asked.content
    assert asked.json()[0]["verdict"] == "requested"
    refused = send(client, f"{base}/publish", {}, member)
    assert refused.status_code == 400
    assert "approved" in refused.json()["detail"]
    changes = send(client, f"{base}/reviews", {"verdict": "changes", "comment": "Brand?"}, reviewer)
    assert changes.json()["verdict"] == "changes"
    send(client, f"{base}/reviews", {"verdict": "approve"}, reviewer)
    published = send(client, f"{base}/publish", {"review_by": "2099-01-01"}, member)
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["review_by"]) == (
        "published",
        "2099-01-01",
    )
    outdated = send(client, f"{base}/outdated", {"reason": "New grease."}, reviewer)
    assert outdated.json()["outdated"] == "New grease."
    question = question_ask(community=community, author=reviewer, title="Grease?", body="Which?")
    linked = send(client, f"{base}/questions", {"question_id": question.pk}, member)
    assert [q["id"] for q in linked.json()["questions"]] == [question.pk]


def test_an_unknown_reviewer_is_named(client, document, member):
    response = send(
        client, f"/api/practices/{document.pk}/review-requests", {"reviewers": ["nobody"]}, member
    )
    assert response.status_code == 400
    assert "nobody" in response.json()["errors"]["reviewers"][0]


def test_a_private_community_s_documents_are_404_to_outsiders(
    client, private_community, coordinator, outsider
):
    document = document_create(
        community=private_community, by=coordinator, title="Secret", body="Text"
    )
    assert client.get(f"/api/practices/{document.pk}").status_code == 404
    assert client.get(f"/api/communities/{private_community.slug}/practices").status_code == 404
    response = send(
        client, f"/api/practices/{document.pk}/revisions", {"body": "x", "base_number": 1}, outsider
    )
    assert response.status_code == 404


def test_writing_needs_a_login_and_membership(client, document, outsider):
    url = f"/api/practices/{document.pk}/revisions"
    anonymous = client.post(
        url, json.dumps({"body": "x", "base_number": 1}), content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert send(client, url, {"body": "x", "base_number": 1}, outsider).status_code == 403
