"""No request, however malformed, produces a 500: a sweep over every page with odd input."""

from __future__ import annotations

import pytest

from cultivate.apps.sharing.services import answer_create, post_create, question_ask

ODD = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "%00",
    "a\x00b",
    "<script>",
    "a" * 3000,
    "' OR 1=1 --",
    "../../etc",
]


@pytest.fixture
def content(community, coordinator, member):
    question = question_ask(community=community, author=member, title="Q", body="B", tags="x")
    answer = answer_create(question=question, author=coordinator, body="A")
    post = post_create(community=community, author=member, title="P", body="B")
    return question, answer, post


def _paths(community, question, answer, post):
    slug = community.slug
    return [
        "/",
        f"/c/{slug}/",
        f"/c/{slug}/members/",
        f"/c/{slug}/questions/",
        f"/c/{slug}/posts/",
        f"/c/{slug}/questions/ask/",
        f"/c/{slug}/posts/new/",
        question.get_absolute_url(),
        post.get_absolute_url(),
        f"/c/answer/{answer.pk}/edit/",
        f"/c/answer/{answer.pk}/history/",
        f"/c/post/{post.pk}/flag/",
        f"/c/{slug}/moderation/",
        f"/c/{slug}/invite/",
        "/search/",
        "/communities/new/",
        "/notifications/",
        "/notifications/settings/",
        "/accounts/signup/",
        "/accounts/login/",
        "/api/communities",
        f"/api/questions/{question.pk}",
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_odd_query_strings_never_produce_a_server_error(
    client, who, community, coordinator, member, content
):
    if who != "anonymous":
        client.force_login(member if who == "member" else coordinator)
    for path in _paths(community, *content):
        for value in ODD:
            response = client.get(
                path,
                {
                    "page": value,
                    "q": value,
                    "status": value,
                    "tag": value,
                    "kind": value,
                    "community": value,
                    "next": value,
                },
            )
            assert response.status_code < 500, (path, value[:20], response.status_code)


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_odd_form_posts_never_produce_a_server_error(
    client, who, community, coordinator, member, content
):
    if who != "anonymous":
        client.force_login(member if who == "member" else coordinator)
    for path in _paths(community, *content):
        for value in ODD:
            response = client.post(
                path,
                {
                    "title": value,
                    "body": value,
                    "tags": value,
                    "kind": value,
                    "reason": value,
                    "username": value,
                    "name": value,
                    "visibility": value,
                    "slug": value,
                    "practice": value,
                },
            )
            assert response.status_code < 500, (path, value[:20], response.status_code)


def test_nul_characters_anywhere_are_refused_with_a_400(client, community, member, content):
    question = content[0]
    client.force_login(member)
    assert client.get("/people/a\x00b/").status_code == 400
    assert client.get(f"/c/{community.slug}/members/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/api/communities/a%00b").status_code == 400
    response = client.post(
        f"/api/questions/{question.pk}/answers",
        data='{"body": "x\\u0000y"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request contains a NUL")
    assert (
        client.post(question.get_absolute_url() + "answer/", {"body": "a\x00b"}).status_code == 400
    )
    form = client.post(
        question.get_absolute_url() + "answer/",
        "body=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 400


def test_odd_ids_and_kinds_in_action_urls_are_404s_not_errors(client, member, content):
    client.force_login(member)
    for path in [
        "/c/widget/1/vote/",
        "/c/answer/0/accept/",
        "/c/answers/99999999/accept/",
        "/c/comment/1/explode/",
        "/c/post/1/teleport/",
        "/c/x/members/5/promote/",
    ]:
        assert client.post(path).status_code in (403, 404, 405), path


def test_unknown_api_paths_answer_json_404s(client):
    response = client.get("/api/nope/at/all")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No API endpoint")
