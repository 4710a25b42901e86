"""Rows appended in one go read back exactly as the ORM would have written them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.rows import append_rows


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
