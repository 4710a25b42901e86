"""Generated requests against the API's own OpenAPI document (issue 16, 7a).

schemathesis reads the document the running app serves at /api/openapi.json and generates
requests for every operation, valid ones and invalid ones, each with a member's write token.
They go through the whole WSGI stack (middleware, auth, the real database) to rows seeded
beforehand: a valid request's path, and its fields that name a person or a row, take seeded
values half the time, so requests reach real communities, posts, events and people rather than
only 404s. Every response must be no server error, and have a status code, a content type and a
body the document declares for its operation; an operation the document says needs a token must
refuse the same request without one.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import help_contribute, help_request_create
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.api.services import token_create
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.communities.models import Community, Visibility
from cultivate.apps.communities.services import community_create
from cultivate.apps.decisions.actions import action_item_create
from cultivate.apps.decisions.services import proposal_create
from cultivate.apps.meetings.coffee import coffee_opt_in, coffee_round_run
from cultivate.apps.meetings.services import event_create
from cultivate.apps.practices.services import document_create, revision_save
from cultivate.apps.sharing.services import answer_create, content_hide, post_create, question_ask

# The WSGI calls run in this thread and commit as they would on a server (Django's request
# signals close the connection after each); a transactional test lets them, and empties the
# tables afterwards.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}
"""Requests per operation and mode: 64 operations make about 1,800."""

MIN_REQUESTS = 1000

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]

SETTINGS = hypothesis_settings(
    deadline=None,  # the project never asserts timings
    derandomize=True,  # the same requests on every run
    database=None,  # nothing replayed from an earlier run: what runs is what this file says
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)

REFERENCES = {
    "owner": "people",
    "receiver": "people",
    "reviewers": "people",
    "present": "people",
    "username": "people",
    "person": "people",
    "proposal_id": "proposals",
    "option_id": "options",
    "question_id": "questions",
    "document_id": "practices",
    "topic_ids": "topics",
    "base_number": "number",
    "from": "number",
    "to": "number",
    "time_zone": "zones",
}
"""Fields of bodies and queries that name a person or a row: the kind of seeded value."""

LINKS = {
    "answer": "answers",
    "actionitem": "actions",
    "document": "practices",
    "helpcontribution": "help-contributions",
}
"""What a kudos' `link_id` names, by its `link_kind`."""


def _world(
    *,
    member: User,
    coordinator: User,
    community: Community,
    private_community: Community,
    join: Callable[[User, Community], None],
    make_user: Callable[..., User],
) -> dict[str, list[Any]]:
    """Seed rows of every kind the API serves; return the values each reference may take.

    The token's owner (the member) is a member of the public and the private community and
    coordinates a private one of their own; a third community is private and closed to them.
    """
    now = timezone.now()
    own = community_create(
        by=member,
        name="Data Practitioners",
        practice="data",
        visibility=Visibility.PRIVATE,
        description="Pipelines, models and the people who keep them running.",
    )
    join(coordinator, own)
    join(member, private_community)
    closed = community_create(
        by=coordinator, name="Board Room", practice="leadership", visibility=Visibility.PRIVATE
    )
    stranger = make_user("olga", display_name="Olga Other")
    join(stranger, closed)
    world: dict[str, list[Any]] = {
        "slug": [community.slug, private_community.slug, own.slug, closed.slug],
        "kind": ["milestone", "kudos"],
        "number": [1, 2],
        "people": [member.username, coordinator.username, stranger.username],
        "zones": ["Europe/Berlin", "UTC", "Asia/Kolkata", "America/Sao_Paulo"],
    }

    def add(kind: str, row: Any) -> None:
        world.setdefault(kind, []).append(row.pk)

    # The community, someone in it, someone else in it, and its coordinator.
    for place, insider, other, lead in (
        (community, member, coordinator, coordinator),
        (own, member, coordinator, member),
        (closed, stranger, coordinator, coordinator),
    ):
        day = timezone.localdate(now)
        add("posts", post_create(community=place, author=insider, title="A tip", body="Torque in stages.", kind="tip"))  # fmt: skip
        story = post_create(community=place, author=other, title="We fixed it", body="**Bold**.", kind="story")  # fmt: skip
        add("posts", story)
        content_hide(content=story, by=lead, reason="Spam.")
        question = question_ask(community=place, author=insider, title="Which grease?", body="For 120 °C bearings.", tags=["grease", "bearings"])  # fmt: skip
        add("questions", question)
        add("answers", answer_create(question=question, author=other, body="Lithium complex."))
        theirs = question_ask(community=place, author=other, title="Torque?", body="How much?")
        add("questions", theirs)
        add("answers", answer_create(question=theirs, author=insider, body="Forty newton metres."))
        start = now + timedelta(days=3)
        add("events", event_create(community=place, host=other, title="Bearing clinic", starts_at=start, ends_at=start + timedelta(hours=1), time_zone="Europe/Berlin", location="Hall 3"))  # fmt: skip
        consent = proposal_create(community=place, by=insider, title="Adopt a failure log", body="One sheet.", deadline=now + timedelta(days=7), process="consent", options=None)  # fmt: skip
        add("proposals", consent)
        poll = proposal_create(community=place, by=other, title="Which topic first?", body="Pick one.", deadline=now + timedelta(days=7), process="poll", options=["Lubrication", "Alignment"])  # fmt: skip
        add("proposals", poll)
        for option in poll.options.all():
            add("options", option)
        add("actions", action_item_create(community=place, by=insider, title="Set up the log", owner=insider, due=day + timedelta(days=14), proposal=consent))  # fmt: skip
        document = document_create(community=place, by=insider, title="Bearing lubrication", body="# Lubrication\n\nGrease every 500 hours.\n")  # fmt: skip
        revision_save(document=document, by=insider, body="# Lubrication\n\nGrease every 400 hours.\n", base_number=1)  # fmt: skip
        add("practices", document)
        add("topics", topic_propose(community=place, by=insider, title="Keeping inventory low", why="We keep too much."))  # fmt: skip
        help_request = help_request_create(community=place, by=other, title="Input on our checklist", body="What is missing?", due=day + timedelta(days=7))  # fmt: skip
        add("help-requests", help_request)
        add("help-contributions", help_contribute(request=help_request, by=insider, body="Add the torque table."))  # fmt: skip
        add("kudos", kudos_give(community=place, giver=other, receiver=insider, reason="For the torque table."))  # fmt: skip
        coffee_opt_in(community=place, user=insider)
        coffee_opt_in(community=place, user=other)
        for pair in coffee_round_run(community=place, by=None, seed=1).pairs.all():
            add("pairs", pair)
    return world


_PARAMETER = re.compile(r"\{(\w+)\}")

Operation = schemathesis.APIOperation[Any, Any, Any, Any]
Case = schemathesis.Case[Operation]


def _seeded_paths(path: str, world: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of seeded values an operation's path parameters can take.

    An `{id}` takes the ids of the rows named by the path segment before it (`/events/{id}`);
    a win's id is a kudos'.
    """
    segments = path.strip("/").split("/")
    choices: list[dict[str, Any]] = [{}]
    for name in _PARAMETER.findall(path):
        if name == "id":
            before = segments[segments.index("{id}") - 1]
            values = world.get("kudos" if before == "{kind}" else before, [])
        else:
            values = world.get(name, [])
        choices = [choice | {name: value} for choice in choices for value in values] or choices
    return [choice for choice in choices if choice]


def _inputs(operation: Operation) -> tuple[bool, bool]:
    """Whether the operation has an input that can be invalid, and one outside its path.

    An operation whose only input is free text in its path (a community's slug) has no invalid
    request at all: schemathesis cannot generate a negative example for it.
    """
    raw = operation.definition.raw
    parameters = raw.get("parameters", [])
    beyond_path = "requestBody" in raw or any(p["in"] != "path" for p in parameters)
    constrained = any(set(p["schema"]) - {"title", "description", "type"} for p in parameters)
    typed = any(p["schema"].get("type") != "string" for p in parameters)
    return beyond_path or constrained or typed, beyond_path


def _refer_to_seeded_rows(
    case: Case, draw: Callable[..., Any], world: dict[str, list[Any]]
) -> None:
    """Replace, each with an even chance, the generated values of fields naming a person or
    a row by seeded ones; still valid, as each is a string or an id the schema takes."""
    for fields in (case.body, case.query):
        if not isinstance(fields, dict):
            continue
        for name, value in list(fields.items()):
            kind = LINKS.get(str(fields.get("link_kind"))) if name == "link_id" else None
            kind = kind or REFERENCES.get(name)
            if kind is None or not world.get(kind) or not draw(st.booleans()):
                continue
            seeded = st.sampled_from(world[kind])
            many = st.lists(seeded, min_size=1, max_size=3, unique=True)
            fields[name] = draw(many) if isinstance(value, list) else draw(seeded)


def test_every_generated_request_gets_a_declared_answer_and_never_a_server_error(
    member: User,
    coordinator: User,
    community: Community,
    private_community: Community,
    join: Callable[[User, Community], None],
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    # A thousand requests from one token in a minute are over the API's rate (429, declared);
    # the limits have their own tests (tests/apps/test_limits.py): here every request must
    # reach the endpoint it was generated for.
    settings.CULTIVATE_RATE_LIMITS_ON = False
    world = _world(
        member=member,
        coordinator=coordinator,
        community=community,
        private_community=private_community,
        join=join,
        make_user=make_user,
    )
    _, secret = token_create(user=member, name="schemathesis", scope="write")
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    loaded = list(schema.get_all_operations())
    operations = [result.ok() for result in loaded if isinstance(result, Ok)]
    assert len(operations) == len(loaded) > 60, "an operation schemathesis cannot read"

    sent = 0
    answers: Counter[int] = Counter()
    failures: list[str] = []
    only_valid: list[str] = []  # no request to them can be invalid: their only input is a slug

    def send_some(cases: st.SearchStrategy[Case], examples: int, positive: bool) -> None:
        @hypothesis_settings(SETTINGS, max_examples=examples)
        @given(case=cases, data=st.data())
        def send(case: Case, data: st.DataObject) -> None:
            nonlocal sent
            if positive:
                _refer_to_seeded_rows(case, data.draw, world)
            response = case.call()
            sent += 1
            answers[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        send()

    started = time.perf_counter()
    for operation in operations:
        can_be_invalid, beyond_path = _inputs(operation)
        if not can_be_invalid:
            only_valid.append(operation.label)
        for mode, examples in EXAMPLES.items():
            if mode == GenerationMode.NEGATIVE and not can_be_invalid:
                continue
            strategies = [operation.as_strategy(generation_mode=mode, headers=auth)]
            if mode == GenerationMode.POSITIVE or beyond_path:  # else nothing is left to negate
                strategies += [
                    operation.as_strategy(generation_mode=mode, headers=auth, path_parameters=path)
                    for path in _seeded_paths(operation.path, world)
                ]
            try:
                send_some(st.one_of(strategies), examples, mode == GenerationMode.POSITIVE)
            except (Exception, FailureGroup) as error:  # every operation's failures are reported
                failures.append(f"{operation.label} ({mode.value}): {error}")
    elapsed = time.perf_counter() - started

    print(f"\n{sent} requests to {len(operations)} operations in {elapsed:.0f} s: {answers}")
    print(f"only valid requests to: {', '.join(only_valid)}")
    assert not failures, "\n\n".join(failures)
    assert sent >= MIN_REQUESTS
    # The token worked throughout, and many requests reached real rows rather than only errors.
    assert answers[401] == 0
    assert answers[200] + answers[201] >= MIN_REQUESTS // 5
