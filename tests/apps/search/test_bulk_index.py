"""Bulk indexing: what imports write in a few statements is found like what people write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.imports.services import history_import
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.search.selectors import search
from cultivate.apps.search.services import search_index_bulk_update
from cultivate.apps.sharing.models import Answer, Question
from cultivate.apps.sharing.services import answer_create, question_ask

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def _write_dump(folder: Path) -> Path:
    """Write a two-post Stack Exchange dump: a tagged question about sprockets and its answer."""
    folder.mkdir()
    (folder / "Users.xml").write_text(
        HEAD + "<users>\n"
        '  <row Id="7" CreationDate="2020-01-01T10:00:00.000" DisplayName="Sam Sprocket" />\n'
        '  <row Id="8" CreationDate="2020-01-02T10:00:00.000" DisplayName="Gus Gear" />\n'
        "</users>\n"
    )
    (folder / "Posts.xml").write_text(
        HEAD + "<posts>\n"
        '  <row Id="1" PostTypeId="1" AcceptedAnswerId="2" CreationDate="2020-02-01T09:00:00.000"'
        ' Score="3" ViewCount="40" Body="&lt;p&gt;The chain skips on the smallest '
        'cog.&lt;/p&gt;" OwnerUserId="7" Title="Why does my sprocket chatter?"'
        ' Tags="&lt;drivetrain&gt;&lt;chains&gt;" AnswerCount="1" CommentCount="0" />\n'
        '  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-02-01T11:00:00.000"'
        ' Score="2" Body="&lt;p&gt;Replace the worn derailleur pulley.&lt;/p&gt;"'
        ' OwnerUserId="8" CommentCount="0" />\n'
        "</posts>\n"
    )
    (folder / "Comments.xml").write_text(HEAD + "<comments>\n</comments>\n")
    return folder


def test_an_imported_question_and_its_answer_are_found_by_search(
    tmp_path: Path, community: Community, coordinator: User
) -> None:
    dump = _write_dump(tmp_path / "se-bikes")

    history_import(path=dump, community=community, by=coordinator)

    question = Question.objects.get(community=community)
    by_kind = {hit.kind: hit for hit in search(coordinator, "sprocket").hits}
    assert set(by_kind) == {"question", "answer"}
    assert by_kind["question"].url == question.get_absolute_url()
    assert by_kind["answer"].title == "Why does my sprocket chatter?"
    assert [hit.kind for hit in search(coordinator, "derailleur pulley").hits] == ["answer"]
    assert [hit.kind for hit in search(coordinator, "drivetrain").hits] == ["question"]
    document = SearchDocument.objects.get(kind="question", object_pk=question.pk)
    assert document.tags == "drivetrain chains"
    assert document.created_at == question.created_at


@pytest.fixture
def writer(make_user: Callable[..., User], community: Community, join: Callable[..., None]) -> User:
    user = make_user("wren", display_name="Wren Writer")
    join(user, community)
    return user


def test_bulk_indexing_again_updates_documents_in_place_and_renames_answers(
    writer: User, community: Community
) -> None:
    question = question_ask(
        community=community, author=writer, title="Grease for bearings", body="Which one?"
    )
    answer = answer_create(question=question, author=writer, body="Lithium, sparingly.")
    before = set(SearchDocument.objects.values_list("pk", "kind", "object_pk"))
    Question.objects.filter(pk=question.pk).update(title="Oil for bushings")
    question.refresh_from_db()

    assert search_index_bulk_update([question, answer]) == 2

    assert set(SearchDocument.objects.values_list("pk", "kind", "object_pk")) == before
    assert set(SearchDocument.objects.values_list("kind", "title")) == {
        ("question", "Oil for bushings"),
        ("answer", "Oil for bushings"),
    }
    assert {hit.kind for hit in search(writer, "bushings").hits} == {"question", "answer"}
    assert search(writer, "grease").total == 0


def test_bulk_indexing_takes_as_many_queries_for_thirty_pieces_as_for_three(
    writer: User, community: Community
) -> None:
    def content(n: int) -> list[Question | Answer]:
        made: list[Question | Answer] = []
        for i in range(n):
            question = question_ask(
                community=community,
                author=writer,
                title=f"Gear ratio question {i}",
                body="Which ratio for a hill?",
                tags="gears",
            )
            made += [question, answer_create(question=question, author=writer, body="34 by 28.")]
        return [Question.objects.get(pk=o.pk) if isinstance(o, Question) else o for o in made]

    few, many = content(3), content(30)
    with CaptureQueriesContext(connection) as small:
        search_index_bulk_update(few)
    with CaptureQueriesContext(connection) as large:
        search_index_bulk_update(many)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert SearchDocument.objects.filter(tags="gears").count() == 33
