"""Who can answer this: members ranked by what they did on similar questions, shown to few."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.services import profile_update
from cultivate.apps.communities.models import Community
from cultivate.apps.search.embeddings import embeddings_catch_up
from cultivate.apps.sharing.experts import who_can_answer
from cultivate.apps.sharing.services import answer_accept, answer_create, question_ask, vote_cast
from cultivate.core.semantics.experts import Evidence, answer_weight, rank_people

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_closer_heavier_and_newer_evidence_ranks_higher() -> None:
    ranked = rank_people(
        [
            Evidence("far", 0.3, 1.0, NOW, "answer"),
            Evidence("near", 0.9, 1.0, NOW, "answer"),
            Evidence("old", 0.9, 1.0, NOW - timedelta(days=730), "answer"),
            Evidence("accepted", 0.3, answer_weight(0, True), NOW, "accepted"),
        ],
        now=NOW,
    )
    assert [r.person for r in ranked] == ["accepted", "near", "far", "old"]
    assert ranked[-1].score == pytest.approx(0.9 / 4)  # two half-lives


def test_load_spreads_the_asking_and_the_asker_is_left_out() -> None:
    evidence = [Evidence("busy", 0.8, 1.0), Evidence("free", 0.6, 1.0), Evidence("asker", 1.0, 9.0)]
    ranked = rank_people(evidence, now=NOW, load={"busy": 2}, exclude=["asker"])
    assert [r.person for r in ranked] == ["free", "busy"]
    assert ranked[1].score == pytest.approx(0.8 / 2)


def test_votes_count_with_diminishing_returns() -> None:
    assert answer_weight(0, False) == 1.0
    assert answer_weight(10, False) - answer_weight(9, False) < answer_weight(1, False) - 1.0


@pytest.fixture
def people(
    make_user: Callable[..., User], community: Community, join: Callable[..., None]
) -> dict[str, User]:
    found = {}
    for name in ("asker", "bearing_expert", "pump_expert", "newcomer", "declared"):
        found[name] = make_user(name, display_name=name.replace("_", " ").title())
        join(found[name], community)
    return found


@pytest.fixture
def history(community: Community, people: dict[str, User]) -> None:
    def thread(title: str, answerer: User, accept: bool) -> None:
        question = question_ask(
            community=community, author=people["newcomer"], title=title, body="Context."
        )
        answer = answer_create(question=question, author=answerer, body="Here is how.")
        if accept:
            answer_accept(answer=answer, by=people["newcomer"])
            vote_cast(target=answer, user=people["asker"])

    thread("Which grease for a bearing at high speed?", people["bearing_expert"], True)
    thread("Bearing runs hot after regreasing, why?", people["bearing_expert"], True)
    thread("How to detect bearing wear from vibration?", people["bearing_expert"], False)
    thread("Centrifugal pump cavitation at low flow", people["pump_expert"], True)
    thread("Pump seal leaks after a week", people["pump_expert"], False)
    profile_update(user=people["declared"], display_name="Declared", expertise="lubrication")
    embeddings_catch_up()


@pytest.mark.usefixtures("encoder_dir", "history")
def test_the_people_who_answered_similar_questions_come_first(
    community: Community, people: dict[str, User]
) -> None:
    question = question_ask(
        community=community,
        author=people["asker"],
        title="My bearing overheats at 3,000 rpm: wrong grease?",
        body="Since the last service.",
    )
    embeddings_catch_up()
    experts = who_can_answer(question)
    assert experts[0].person == people["bearing_expert"]
    assert "2 accepted answers on similar questions" in experts[0].reasons
    assert people["asker"] not in [e.person for e in experts]
    pump = question_ask(
        community=community, author=people["asker"], title="Pump cavitation noise", body="At night."
    )
    embeddings_catch_up()
    assert who_can_answer(pump)[0].person == people["pump_expert"]


@pytest.mark.usefixtures("encoder_dir", "history")
def test_declared_expertise_that_names_the_question_counts(
    community: Community, people: dict[str, User]
) -> None:
    question = question_ask(
        community=community,
        author=people["asker"],
        title="Lubrication schedule for gearboxes",
        body="Oil or grease?",
        tags="lubrication",
    )
    experts = {e.person: e for e in who_can_answer(question, limit=10)}
    assert "declared expertise in this" in experts[people["declared"]].reasons


@pytest.mark.usefixtures("encoder_dir", "history")
def test_only_the_asker_and_coordinators_see_who_can_answer(
    client: Client, community: Community, people: dict[str, User], coordinator: User
) -> None:
    question = question_ask(
        community=community, author=people["asker"], title="Bearing grease question", body="x"
    )
    embeddings_catch_up()
    api = f"/api/questions/{question.pk}/experts"
    for person, shown in (
        (people["asker"], True),
        (coordinator, True),
        (people["newcomer"], False),
    ):
        client.force_login(person)
        html = client.get(question.get_absolute_url()).content.decode()
        assert ("Who can answer this?" in html) is shown
        response = client.get(api)
        assert response.status_code == (200 if shown else 403)
        if shown:
            assert response.json()[0]["username"] == "bearing_expert"
            assert response.json()[0]["reasons"]
