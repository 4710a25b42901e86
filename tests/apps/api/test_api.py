"""The REST API against the real database: auth, privacy, errors, pagination and query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.api.services import token_create, token_revoke
from cultivate.apps.communities.models import Community
from cultivate.apps.keyset import encode_cursor
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import (
    answer_create,
    content_hide,
    post_create,
    question_ask,
)


def bearer(user: User) -> dict[str, str]:
    """Return the header that authenticates as this person with a fresh token."""
    _, secret = token_create(user=user, name="tests", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, url: str, data: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def api(client: Client) -> Client:
    return client


# --- auth ----------------------------------------------------------------------------------------


def test_a_bearer_token_acts_as_its_owner(api, community, member):
    response = post_json(
        api,
        f"/api/communities/{community.slug}/questions",
        {"title": "Which grease?", "body": "For 120 °C bearings."},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"]["username"] == member.username
    assert Question.objects.get(pk=response.json()["id"]).author == member


def test_using_a_token_notes_when_it_was_last_used(api, community, member):
    token, secret = token_create(user=member, name="cron")
    assert token.last_used_at is None
    api.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_gets_401(api, community, member):
    token, secret = token_create(user=member, name="old laptop")
    token_revoke(token=token, by=member)
    response = api.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401(api, member):
    token, secret = token_create(
        user=member, name="short", expires_at=timezone.now() + timezone.timedelta(days=1)
    )
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer cult_not-a-real-token", "Bearer nonsense", "Bearer ", "Basic dXNlcjpwdw=="]
)
def test_an_unknown_or_malformed_token_gets_401_even_for_public_reads(api, community, header):
    response = api.get("/api/communities", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_of_a_deactivated_person_gets_401(api, member):
    headers = bearer(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert api.get("/api/communities", **headers).status_code == 401


def test_the_secret_is_never_stored(member):
    token, secret = token_create(user=member, name="ci")
    stored = type(token).objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    assert secret.startswith(token.prefix)


def test_anonymous_callers_read_public_content_but_cannot_write(api, community, member):
    question_ask(community=community, author=member, title="Torque?", body="How much?")
    assert api.get(f"/api/communities/{community.slug}/questions").json()["count"] == 1
    response = post_json(
        api, f"/api/communities/{community.slug}/questions", {"title": "Hi", "body": "There"}
    )
    assert response.status_code == 401
    assert response.json()["detail"]
    assert Question.objects.count() == 1


def test_the_browser_session_can_write(api, community, member):
    api.force_login(member)
    response = post_json(
        api,
        f"/api/communities/{community.slug}/posts",
        {"title": "A tip", "body": "Torque in stages.", "kind": "tip"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "tip"


def test_a_session_write_without_the_csrf_token_is_refused(community, member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = post_json(
        browser, f"/api/communities/{community.slug}/posts", {"title": "A", "body": "B"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert response.json()["code"] == "forbidden"


def test_a_token_write_needs_no_csrf_token(community, member):
    script = Client(enforce_csrf_checks=True)
    response = post_json(
        script,
        f"/api/communities/{community.slug}/posts",
        {"title": "A", "body": "B"},
        **bearer(member),
    )
    assert response.status_code == 201


# --- the same acts as the web --------------------------------------------------------------------


def test_asking_through_the_api_records_the_same_activity_as_the_web(api, community, member):
    response = post_json(
        api,
        f"/api/communities/{community.slug}/questions",
        {"title": "Which bearing grease?", "body": "For 120 °C?", "tags": ["Bearings", "grease"]},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    question_id = response.json()["id"]
    assert response.json()["tags"] == ["bearings", "grease"]
    records = ActivityRecord.objects.filter(
        verb="ask", object_type="question", object_pk=question_id
    )
    assert records.count() == 1
    record = records.get()
    assert record.actor_id == member.pk
    assert record.community_id == community.pk
    assert record.meta == {"tags": ["bearings", "grease"]}


def test_answering_and_accepting_through_the_api_marks_the_question_solved(
    api, community, member, coordinator
):
    question = question_ask(community=community, author=member, title="Torque?", body="How much?")
    response = post_json(
        api, f"/api/questions/{question.pk}/answers", {"body": "40 Nm."}, **bearer(coordinator)
    )
    assert response.status_code == 201, response.content
    answer_id = response.json()["id"]
    assert ActivityRecord.objects.filter(verb="answer", object_pk=answer_id).count() == 1
    response = api.post(f"/api/answers/{answer_id}/accept", **bearer(member))
    assert response.status_code == 200, response.content
    assert response.json()["is_accepted"] is True
    detail = api.get(f"/api/questions/{question.pk}").json()
    assert detail["is_solved"] is True
    assert detail["accepted_answer_id"] == answer_id
    assert [a["id"] for a in detail["answers"]] == [answer_id]
    assert ActivityRecord.objects.filter(verb="accept", object_pk=answer_id).count() == 1


def test_accepting_by_someone_other_than_the_asker_is_403(
    api, community, member, coordinator, make_user, join
):
    third = make_user()
    join(third, community)
    question = question_ask(community=community, author=member, title="Torque?", body="How much?")
    answer = answer_create(question=question, author=coordinator, body="40 Nm.")
    response = api.post(f"/api/answers/{answer.pk}/accept", **bearer(third))
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "detail": "Only the person who asked or a coordinator can accept an answer.",
    }
    assert Question.objects.get(pk=question.pk).accepted_answer_id is None


def test_accepting_twice_is_a_400_with_the_services_message(api, community, member, coordinator):
    question = question_ask(community=community, author=member, title="Torque?", body="How much?")
    answer = answer_create(question=question, author=coordinator, body="40 Nm.")
    assert api.post(f"/api/answers/{answer.pk}/accept", **bearer(member)).status_code == 200
    response = api.post(f"/api/answers/{answer.pk}/accept", **bearer(member))
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["This answer is already accepted."]}
    assert response.json()["code"] == "already_accepted"


def test_a_non_member_cannot_post_in_a_public_community(api, community, outsider):
    response = post_json(
        api,
        f"/api/communities/{community.slug}/posts",
        {"title": "Hi", "body": "Buy my stuff"},
        **bearer(outsider),
    )
    assert response.status_code == 403
    assert "Join" in response.json()["detail"]


# --- privacy -------------------------------------------------------------------------------------


@pytest.fixture
def secret_question(private_community: Community, coordinator: User) -> Question:
    return question_ask(
        community=private_community,
        author=coordinator,
        title="Near miss #4",
        body="What went wrong.",
    )


def _private_urls(private_community: Community, question: Question) -> list[str]:
    answer = answer_create(question=question, author=question.author, body="Root cause.")
    post = post_create(
        community=private_community, author=question.author, title="Review", body="Internal."
    )
    return [
        f"/api/communities/{private_community.slug}",
        f"/api/communities/{private_community.slug}/posts",
        f"/api/communities/{private_community.slug}/questions",
        f"/api/questions/{question.pk}",
        f"/api/questions/{question.pk}/answers",
        f"/api/posts/{post.pk}",
        f"answer:{answer.pk}",
    ]


def test_a_non_member_gets_404_for_a_private_community_and_everything_in_it(
    api, private_community, secret_question, outsider
):
    for caller in ({}, bearer(outsider)):
        for url in _private_urls(private_community, secret_question):
            if url.startswith("answer:"):
                response = api.post(f"/api/answers/{url.split(':')[1]}/accept", **caller)
                # anonymous callers are asked to log in before anything is looked up
                assert response.status_code == (404 if caller else 401), url
                continue
            response = api.get(url, **caller)
            assert response.status_code == 404, (url, response.content)
            assert "Safety" not in response.content.decode()
            assert "Near miss" not in response.content.decode()


def test_a_non_member_cannot_write_into_a_private_community_and_learns_nothing(
    api, private_community, secret_question, outsider
):
    headers = bearer(outsider)
    slug = private_community.slug
    for url, body in [
        (f"/api/communities/{slug}/questions", {"title": "Hi", "body": "Hello"}),
        (f"/api/communities/{slug}/posts", {"title": "Hi", "body": "Hello"}),
        (f"/api/questions/{secret_question.pk}/answers", {"body": "Hello"}),
    ]:
        response = post_json(api, url, body, **headers)
        assert response.status_code == 404, url
        assert response.json() == json.loads(
            post_json(
                api,
                url.replace(slug, "no-such-slug").replace(str(secret_question.pk), "999999999"),
                body,
                **headers,
            ).content
        )


def test_private_communities_are_absent_from_lists_for_non_members(
    api, community, private_community, outsider, coordinator
):
    anonymous = api.get("/api/communities").json()
    assert [c["slug"] for c in anonymous["items"]] == [community.slug]
    assert anonymous["count"] == 1
    stranger = api.get("/api/communities", **bearer(outsider)).json()
    assert [c["slug"] for c in stranger["items"]] == [community.slug]
    insider = api.get("/api/communities", **bearer(coordinator)).json()
    assert {c["slug"] for c in insider["items"]} == {community.slug, private_community.slug}


def test_a_member_reads_a_private_community(
    api, private_community, secret_question, make_user, join
):
    insider = make_user()
    join(insider, private_community)
    headers = bearer(insider)
    assert api.get(f"/api/communities/{private_community.slug}", **headers).status_code == 200
    listed = api.get(f"/api/communities/{private_community.slug}/questions", **headers).json()
    assert [q["id"] for q in listed["items"]] == [secret_question.pk]
    assert api.get(f"/api/questions/{secret_question.pk}", **headers).status_code == 200


def test_hidden_content_is_excluded_except_for_coordinators(api, community, member, coordinator):
    shown = question_ask(community=community, author=member, title="Shown", body="Fine.")
    hidden = question_ask(community=community, author=member, title="Hidden", body="Spam.")
    content_hide(content=hidden, by=coordinator, reason="spam")
    url = f"/api/communities/{community.slug}/questions"
    assert [q["id"] for q in api.get(url, **bearer(member)).json()["items"]] == [shown.pk]
    assert api.get(f"/api/questions/{hidden.pk}", **bearer(member)).status_code == 404
    seen = api.get(url, **bearer(coordinator)).json()["items"]
    assert {q["id"]: q["is_hidden"] for q in seen} == {shown.pk: False, hidden.pk: True}
    assert api.get(f"/api/questions/{hidden.pk}", **bearer(coordinator)).status_code == 200


def test_hidden_answers_are_excluded_from_a_question(api, community, member, coordinator):
    question = question_ask(community=community, author=member, title="Q", body="?")
    kept = answer_create(question=question, author=coordinator, body="Good answer.")
    gone = answer_create(question=question, author=member, body="Spam answer.")
    content_hide(content=gone, by=coordinator)
    detail = api.get(f"/api/questions/{question.pk}").json()
    assert [a["id"] for a in detail["answers"]] == [kept.pk]
    listed = api.get(f"/api/questions/{question.pk}/answers").json()
    assert listed["count"] == 1
    assert api.post(f"/api/answers/{gone.pk}/accept", **bearer(member)).status_code == 404


# --- errors --------------------------------------------------------------------------------------


def test_validation_errors_name_each_bad_field(api, community, member):
    response = post_json(
        api,
        f"/api/communities/{community.slug}/questions",
        {"title": "x" * 201, "body": 5, "tags": ["ok", "y" * 41], "colour": "red"},
        **bearer(member),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"title", "body", "tags", "colour"}
    assert all(
        isinstance(m, list) and m and all(isinstance(s, str) for s in m) for m in errors.values()
    )
    assert "200" in errors["title"][0]
    assert errors["tags"][0].startswith("item 2: ")
    assert "title" in response.json()["detail"]


def test_a_missing_field_is_named(api, community, member):
    response = post_json(
        api, f"/api/communities/{community.slug}/posts", {"title": "Only"}, **bearer(member)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["body"]


def test_a_service_refusal_names_its_fields_with_400(api, community, member):
    response = post_json(
        api,
        f"/api/communities/{community.slug}/questions",
        {"title": "   ", "body": "", "tags": ["not a tag!"]},
        **bearer(member),
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"title", "body", "tags"}
    assert body["errors"]["title"] == ["Write a title."]
    assert body["detail"]
    assert body["code"] == "invalid_input"


def test_a_bad_query_parameter_is_named(api, community):
    url = f"/api/communities/{community.slug}/questions?status=closed&limit=0"
    response = api.get(url)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"status", "limit"}
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    "raw", [b"{not json", b'{"title": "a", ', b"\xff\xfe", b"[1, 2]", b'"just a string"', b"null"]
)
def test_a_malformed_body_is_a_4xx_never_a_500(api, community, member, raw):
    response = api.post(
        f"/api/communities/{community.slug}/questions",
        raw,
        content_type="application/json",
        **bearer(member),
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_malformed_json_is_400(api, community, member):
    response = api.post(
        f"/api/communities/{community.slug}/questions",
        b"{not json",
        content_type="application/json",
        **bearer(member),
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert response.json()["code"] == "bad_json"


def test_every_error_names_its_code(api, community, member):
    assert api.get("/api/nowhere").json()["code"] == "not_found"
    refused = api.delete("/api/communities")
    assert refused.status_code == 405
    assert refused.json()["code"] == "method_not_allowed"
    assert "GET" in refused["Allow"]
    unauthenticated = post_json(api, f"/api/communities/{community.slug}/questions", {})
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "path", ["/api/posts/0", "/api/questions/99999999999999999999999", "/api/questions/abc"]
)
def test_impossible_ids_are_422_and_unknown_ones_404(api, db, path):
    assert api.get(path).status_code == 422
    assert api.get("/api/questions/123456").status_code == 404
    assert api.get(f"/api/questions/{2**63 - 1}").status_code == 404
    assert api.get("/api/communities/nope").json() == {
        "code": "not_found",
        "detail": "No such community.",
    }


def test_a_moment_with_any_offset_iso_8601_allows_is_kept_in_utc(api, community, member):
    # PostgreSQL stores offsets up to 15:59 only: this deadline was a server error there.
    response = post_json(
        api,
        f"/api/communities/{community.slug}/proposals",
        {
            "title": "Adopt a log",
            "body": "One sheet.",
            "process": "consent",
            "deadline": "2999-05-30T21:03:39-16:28",
        },
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    assert response.json()["deadline"] == "2999-05-31T13:31:39Z"


def test_a_moment_at_the_calendars_end_is_refused_rather_than_a_server_error(
    api, community, member
):
    event = {
        "title": "New year",
        "starts_at": "9999-12-31T22:00:00",  # read in New York: after the end of year 9999 in UTC
        "ends_at": "9999-12-31T23:00:00",
        "time_zone": "America/New_York",
        "location": "Hall 3",
    }
    response = post_json(api, f"/api/communities/{community.slug}/events", event, **bearer(member))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"starts_at", "ends_at"}


# --- pagination and query counts ----------------------------------------------------------------


def test_lists_are_paginated_with_limit_and_offset(api, community, member):
    ids = [
        question_ask(community=community, author=member, title=f"Question {n}", body="?").pk
        for n in range(7)
    ]
    newest_first = list(reversed(ids))
    url = f"/api/communities/{community.slug}/questions"
    first = api.get(url, {"limit": 3}).json()
    assert first["count"] == 7
    assert [q["id"] for q in first["items"]] == newest_first[:3]
    rest = api.get(url, {"limit": 3, "offset": 6}).json()
    assert [q["id"] for q in rest["items"]] == newest_first[6:]
    assert (rest["limit"], rest["offset"]) == (3, 6)
    assert api.get(url, {"offset": 100}).json()["items"] == []
    assert api.get(url, {"limit": 101}).status_code == 422


def test_a_newest_first_list_is_walked_to_its_end_by_following_next(api, community, member):
    ids = [
        question_ask(community=community, author=member, title=f"Question {n}", body="?").pk
        for n in range(7)
    ]
    url = f"/api/communities/{community.slug}/questions"
    seen: list[int] = []
    page = api.get(url, {"limit": 3}).json()
    while True:
        seen += [q["id"] for q in page["items"]]
        assert page["count"] == 7
        if page["next"] is None:
            break
        page = api.get(url, {"limit": 3, "after": page["next"]}).json()
    assert seen == list(reversed(ids))


def test_a_cursor_skips_nothing_when_rows_share_a_moment(api, community, member):
    questions = [
        question_ask(community=community, author=member, title=f"Same time {n}", body="?")
        for n in range(5)
    ]
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        created_at=questions[0].created_at
    )
    url = f"/api/communities/{community.slug}/questions"
    first = api.get(url, {"limit": 2}).json()
    second = api.get(url, {"limit": 2, "after": first["next"]}).json()
    third = api.get(url, {"limit": 2, "after": second["next"]}).json()
    walked = [q["id"] for page in (first, second, third) for q in page["items"]]
    assert walked == sorted((q.pk for q in questions), reverse=True)
    assert third["next"] is None


def test_a_bad_cursor_is_refused_naming_the_after_field(api, community, member):
    question_ask(community=community, author=member, title="Torque?", body="How much?")
    url = f"/api/communities/{community.slug}/questions"
    junk = api.get(url, {"after": "not-a-cursor"})
    assert junk.status_code == 400
    assert junk.json()["code"] == "bad_cursor"
    assert list(junk.json()["errors"]) == ["after"]
    real = api.get(url).json()["items"][0]
    cursor = encode_cursor(Question.objects.get(pk=real["id"]))
    both = api.get(url, {"after": cursor, "offset": 3})
    assert both.status_code == 400
    assert both.json()["code"] == "bad_cursor"
    assert api.get(url, {"after": cursor}).json()["items"] == []


def test_a_list_not_ordered_newest_first_has_no_next_and_refuses_after(api, community):
    page = api.get("/api/communities").json()
    assert page["next"] is None
    refused = api.get("/api/communities", {"after": encode_cursor(community)})
    assert refused.status_code == 400
    assert "offset only" in refused.json()["detail"]


def test_questions_filter_by_status_and_tag(api, community, member, coordinator):
    solved = question_ask(
        community=community, author=member, title="Solved", body="?", tags="grease"
    )
    answered = question_ask(community=community, author=member, title="Answered", body="?")
    lonely = question_ask(
        community=community, author=member, title="Lonely", body="?", tags="grease"
    )
    from cultivate.apps.sharing.services import answer_accept

    answer_accept(answer=answer_create(question=solved, author=coordinator, body="A"), by=member)
    answer_create(question=answered, author=coordinator, body="B")
    url = f"/api/communities/{community.slug}/questions"

    def ids(**params: str) -> set[int]:
        return {q["id"] for q in api.get(url, params).json()["items"]}

    assert ids(status="solved") == {solved.pk}
    assert ids(status="open") == {answered.pk, lonely.pk}
    assert ids(status="unanswered") == {lonely.pk}
    assert ids(tag="grease") == {solved.pk, lonely.pk}
    assert ids(tag="grease", status="open") == {lonely.pk}


def _fill(community: Community, author: User, answerer: User, n: int) -> Question:
    question = None
    for i in range(n):
        question = question_ask(
            community=community, author=author, title=f"Q{i}", body="?", tags=[f"t{i}", "shared"]
        )
        post_create(community=community, author=author, title=f"P{i}", body="!")
        answer_create(question=question, author=answerer, body=f"A{i}")
    assert question is not None
    return question


@pytest.mark.parametrize("n", [1, 8])
def test_list_endpoints_use_a_bounded_number_of_queries(
    api, community, member, coordinator, make_user, join, django_assert_max_num_queries, n
):
    for _ in range(n):
        join(make_user(), community)
    question = _fill(community, member, coordinator, n)
    for _ in range(n):
        answer_create(question=question, author=coordinator, body="More")
    headers = bearer(member)
    api.get("/api/communities", **headers)  # the token's last-used time is written once a minute
    urls = [
        "/api/communities",
        f"/api/communities/{community.slug}",
        f"/api/communities/{community.slug}/posts",
        f"/api/communities/{community.slug}/questions",
        f"/api/questions/{question.pk}",
        f"/api/questions/{question.pk}/answers",
    ]
    for url in urls:
        with django_assert_max_num_queries(9):
            assert api.get(url, **headers).status_code == 200
        with django_assert_max_num_queries(7):
            assert api.get(url).status_code == 200


# --- documentation -------------------------------------------------------------------------------


def test_the_docs_and_the_openapi_schema_answer(api):
    assert api.get("/api/docs").status_code == 200
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/communities/{slug}/questions" in schema["paths"]
    assert "/api/answers/{id}/accept" in schema["paths"]
    assert any(
        s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values()
    )


def test_the_schema_says_reading_needs_no_token_and_writing_does(api):
    schema = api.get("/api/openapi.json").json()
    communities = schema["paths"]["/api/communities"]["get"]
    ask = schema["paths"]["/api/communities/{slug}/questions"]["post"]
    pairs = schema["paths"]["/api/communities/{slug}/coffee/pairs"]["get"]  # a member's own
    assert {} in communities["security"]
    assert ask["security"] == pairs["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


def test_every_list_is_a_page_of_ninjas_pagination_with_the_documented_shape(api):
    schema = api.get("/api/openapi.json").json()
    lists = {
        path: operation["get"]
        for path, operation in schema["paths"].items()
        if "get" in operation
        and any(p["name"] == "limit" for p in operation["get"].get("parameters", []))
    }
    assert len(lists) == 12
    for path, operation in lists.items():
        names = [p["name"] for p in operation["parameters"]]
        assert {"offset", "after"} <= set(names), path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert page["title"].startswith("Paged"), path
        assert page["required"] == ["count", "limit", "offset", "items"], path
        assert "next" in page["properties"], path


def test_a_page_past_the_end_is_empty_and_still_counts_everything(api, community, member):
    for n in range(3):
        question_ask(community=community, author=member, title=f"Torque {n}?", body="How much?")
    slug = community.slug
    whole = api.get(f"/api/communities/{slug}/questions?limit=100").json()
    past = api.get(f"/api/communities/{slug}/questions?offset={whole['count']}&limit=5").json()
    assert whole["count"] == len(whole["items"]) == 3
    assert past == {
        "count": whole["count"],
        "limit": 5,
        "offset": whole["count"],
        "items": [],
        "next": None,
    }
