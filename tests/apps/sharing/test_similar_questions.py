"""Similar questions while asking and beside a question: by meaning and words, privately."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import Community
from cultivate.apps.practices.services import document_create
from cultivate.apps.search.embeddings import embeddings_catch_up, embeddings_update
from cultivate.apps.search.models import Embedding, SearchDocument
from cultivate.apps.sharing.models import Question, QuestionReuse
from cultivate.apps.sharing.services import (
    answer_accept,
    answer_create,
    content_edit,
    content_hide,
    question_ask,
)
from cultivate.apps.sharing.similar import related_to, similar_questions, stored_embedding

pytestmark = pytest.mark.usefixtures("encoder_dir")

PASSWORD = "How do I reset my password after it expired?"
GREASE = "Which grease suits a bearing running at 3,000 rpm?"
PUMP = "Our centrifugal pump makes a gravel noise at low flow"


def _ask(community: Community, author: User, title: str, body: str = "Details follow.") -> Question:
    return question_ask(community=community, author=author, title=title, body=body)


def _embed_all() -> None:
    embeddings_catch_up()


@pytest.fixture
def threads(community: Community, member: User, coordinator: User) -> dict[str, Question]:
    password = _ask(community, member, PASSWORD, "The portal says my password expired.")
    grease = _ask(community, member, GREASE)
    pump = _ask(community, member, PUMP)
    answer = answer_create(
        question=password, author=coordinator, body="Use **Forgot password** on the login page."
    )
    answer_accept(answer=answer, by=member)
    _embed_all()
    return {"password": password, "grease": grease, "pump": pump}


def test_a_question_in_other_words_finds_the_one_asked_before(
    community: Community, member: User, threads: dict[str, Question]
) -> None:
    found = similar_questions(member, community, "I forgot my login passphrase, how to change it")
    assert found[0].question == threads["password"]
    assert found[0].answer_line == "Use Forgot password on the login page."


def test_answered_questions_come_first(
    community: Community, member: User, coordinator: User, threads: dict[str, Question]
) -> None:
    newer = _ask(community, member, "Resetting a password that expired: how?")
    embeddings_update(
        SearchDocument.objects.filter(object_pk=newer.pk).values_list("pk", flat=True)
    )
    found = [s.question for s in similar_questions(member, community, "reset an expired password")]
    assert found[:2] == [threads["password"], newer]


def test_the_ask_page_fragment_lists_them_with_a_way_to_say_it_answers(
    client: Client, community: Community, member: User, threads: dict[str, Question]
) -> None:
    client.force_login(member)
    url = reverse("sharing:similar", args=[community.slug])
    response = client.get(url, {"title": "lost my password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert PASSWORD in html
    assert reverse("sharing:reuse", args=[community.slug, threads["password"].pk]) in html
    ask = client.get(reverse("sharing:ask", args=[community.slug])).content.decode()
    assert f'hx-get="{url}"' in ask


def test_saying_it_answers_records_one_reuse_activity(
    client: Client, community: Community, member: User, threads: dict[str, Question]
) -> None:
    client.force_login(member)
    url = reverse("sharing:reuse", args=[community.slug, threads["password"].pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert QuestionReuse.objects.filter(question=threads["password"], user=member).count() == 1
    records = ActivityRecord.objects.filter(verb="react", object_type="question", actor=member)
    assert [r.meta for r in records] == [{"reused": True}]


def test_a_private_community_s_questions_are_never_suggested_to_outsiders(
    client: Client,
    private_community: Community,
    coordinator: User,
    outsider: User,
) -> None:
    secret = _ask(private_community, coordinator, "Incident 42: the crane brake failed, why?")
    _embed_all()
    assert similar_questions(outsider, private_community, "crane brake failure") == []
    assert [
        s.question for s in similar_questions(coordinator, private_community, "crane brake")
    ] == [secret]
    client.force_login(outsider)
    url = reverse("sharing:similar", args=[private_community.slug])
    assert client.get(url, {"title": "crane brake failure"}).status_code == 404


def test_hidden_questions_are_not_suggested(
    community: Community, member: User, coordinator: User, threads: dict[str, Question]
) -> None:
    content_hide(content=threads["grease"], by=coordinator)
    for person in (member, coordinator):
        found = [
            s.question for s in similar_questions(person, community, "bearing grease at speed")
        ]
        assert threads["grease"] not in found


@pytest.mark.parametrize(
    "title",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "word " * 10_000,
        "```python\nraise ValueError('x')\n```",
        "Comment réinitialiser mon mot de passe ?",
        "\x00reset",
    ],
)
def test_any_title_gets_an_answer_and_never_an_error(
    client: Client, community: Community, member: User, threads: dict[str, Question], title: str
) -> None:
    client.force_login(member)
    response = client.get(reverse("sharing:similar", args=[community.slug]), {"title": title})
    assert response.status_code in (200, 400)  # NUL is refused by the middleware
    if not title.strip() or title == "🙂🙂🙂":
        assert "<li" not in response.content.decode()


def test_the_question_page_shows_related_questions_and_best_practices(
    client: Client,
    community: Community,
    member: User,
    coordinator: User,
    threads: dict[str, Question],
) -> None:
    other = _ask(community, member, "Password expired and the reset mail never arrives")
    document = document_create(
        community=community,
        by=coordinator,
        title="Resetting passwords: the checklist",
        body="How to reset an expired password for a colleague, step by step.",
    )
    _embed_all()
    related = related_to(member, community, other, stored_embedding(other)[1])
    assert threads["password"] in [s.question for s in related.questions]
    assert [p.title for p in related.practices] == [document.title]
    client.force_login(member)
    html = client.get(other.get_absolute_url()).content.decode()
    assert PASSWORD in html
    assert "Resetting passwords: the checklist" in html


def test_an_embedding_is_written_after_the_commit_and_again_only_when_the_text_changes(
    community: Community,
    member: User,
    django_capture_on_commit_callbacks: Callable[..., object],
    encoder_dir: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        question = _ask(community, member, GREASE)
    embedding = Embedding.objects.get(document__kind="question", document__object_pk=question.pk)
    assert len(bytes(embedding.vector)) == 384 * 4
    assert embeddings_update([embedding.pk]) == 0  # the same text: nothing to do
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        content_edit(content=question, by=member, title=PUMP, body="Changed.")
    assert Embedding.objects.get(pk=embedding.pk).text_hash != embedding.text_hash


def test_answers_are_not_embedded(
    community: Community, member: User, coordinator: User, threads: dict[str, Question]
) -> None:
    kinds = set(Embedding.objects.values_list("kind", flat=True))
    assert kinds == {"question"}
    assert SearchDocument.objects.filter(kind="answer").exists()


def test_the_health_page_counts_the_duplicates_avoided(
    client: Client, community: Community, member: User, threads: dict[str, Question]
) -> None:
    client.force_login(member)
    client.post(reverse("sharing:reuse", args=[community.slug, threads["password"].pk]))
    html = client.get(reverse("insights:health", args=[community.slug])).content.decode()
    assert "Duplicates avoided" in html
    assert "<strong>1</strong>" in html


def test_the_api_answers_with_similar_questions_and_keeps_private_ones_private(
    client: Client,
    community: Community,
    private_community: Community,
    member: User,
    outsider: User,
    threads: dict[str, Question],
) -> None:
    client.force_login(member)
    url = f"/api/communities/{community.slug}/questions/similar"
    found = client.get(url, {"title": "lost my password"}).json()
    assert found[0]["title"] == PASSWORD
    assert found[0]["solved"] is True
    assert found[0]["accepted_answer_start"].startswith("Use Forgot password")
    client.force_login(outsider)
    private = f"/api/communities/{private_community.slug}/questions/similar"
    assert client.get(private, {"title": "anything"}).status_code == 404
