"""Rows appended in one go read back exactly as the ORM would have written them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.rows import append_rows, create_rows
from cultivate.apps.sharing.models import Question


def test_appended_activities_read_back_with_their_json_times_and_defaults(community, member):
    at = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    records = [
        ActivityRecord(
            verb="ask",
            actor_id=member.pk,
            community_id=community.pk,
            object_type="question",
            object_pk=n,
            at=at,
            text=f"question {n} with 'quotes', a tab\tand a newline\n",
            meta={"n": n, "tags": ["a", "b"], "none": None},
        )
        for n in range(3)
    ]
    before = ActivityRecord.objects.count()

    assert append_rows(records) == 3

    stored = list(ActivityRecord.objects.filter(object_type="question").order_by("object_pk"))
    assert ActivityRecord.objects.count() == before + 3
    assert [(r.object_pk, r.at, r.meta["tags"], r.meta["none"]) for r in stored] == [
        (n, at, ["a", "b"], None) for n in range(3)
    ]
    assert stored[1].text == "question 1 with 'quotes', a tab\tand a newline\n"


def test_nothing_to_append_writes_nothing_and_mixed_models_are_refused(community, member):
    assert append_rows([]) == 0
    record = ActivityRecord(
        verb="ask", actor_id=member.pk, community_id=community.pk, object_type="q", object_pk=1
    )
    with pytest.raises(TypeError):
        append_rows([record, community])


def test_created_rows_get_their_ids_and_the_next_write_continues_after_them(community, member):
    at = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    questions = [
        Question(community=community, author=member, title=f"Q{n}", body="b", created_at=at)
        for n in range(3)
    ]

    created = create_rows(questions)

    assert created is questions
    ids = [q.pk for q in questions]
    assert all(isinstance(pk, int) for pk in ids)
    assert len(set(ids)) == 3
    assert not questions[0]._state.adding
    stored = dict(Question.objects.filter(pk__in=ids).values_list("pk", "title"))
    assert stored == {q.pk: q.title for q in questions}
    later = Question.objects.create(community=community, author=member, title="Next", body="b")
    assert later.pk > max(ids)  # the sequence moved past the ids the rows took
    assert create_rows([]) == []


def test_rows_that_already_have_ids_are_refused(community, member):
    question = Question.objects.create(community=community, author=member, title="Q", body="b")
    with pytest.raises(ValueError, match="already have ids"):
        create_rows([question])


def test_values_of_another_type_are_still_prepared_as_their_field_would(community, member):
    from django.utils.translation import gettext_lazy

    record = ActivityRecord(
        verb=gettext_lazy("ask"),  # a lazy string in a text column
        actor_id=str(member.pk),  # a numeric string for a foreign key
        community_id=community.pk,
        object_type="question",
        object_pk="41",  # a numeric string in an integer column
        at=datetime(2024, 5, 6, tzinfo=UTC),
        text="",
    )

    append_rows([record])

    stored = ActivityRecord.objects.get(object_type="question", object_pk=41)
    assert (stored.verb, stored.actor_id) == ("ask", member.pk)
