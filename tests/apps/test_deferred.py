"""Deferred rows: written in bulk at the end of a replay, exactly as the services would write them."""

from __future__ import annotations

from django.db import transaction

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import Community
from cultivate.apps.deferred import defer, flush_deferred, writes_deferred
from cultivate.apps.notifications.models import Notification
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.sharing.services import answer_create, content_edit, question_ask


def test_outside_a_block_nothing_is_kept_and_the_writer_writes_at_once() -> None:
    assert defer(print, "row") is False
    flush_deferred()  # nothing to write, nothing raised


def test_rows_wait_for_the_end_of_the_block_then_land_as_the_services_would_write_them(
    community: Community, member: User, coordinator: User
) -> None:
    records_before = ActivityRecord.objects.count()
    with transaction.atomic(), writes_deferred():
        question = question_ask(
            community=community, author=member, title="Pump seal leaks", body="Which seal?"
        )
        answer_create(question=question, author=coordinator, body="Try a lip seal.")
        content_edit(content=question, by=member, title="Pump seal leaks at 3 bar", body="Which?")
        assert ActivityRecord.objects.count() == records_before
        assert not SearchDocument.objects.filter(kind="question", object_pk=question.pk).exists()

    verbs = list(
        ActivityRecord.objects.filter(community=community)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[-3:] == ["ask", "answer", "edit"]  # in the order the acts happened
    assert Notification.objects.filter(recipient=member).exists()  # the asker hears of it
    indexed = SearchDocument.objects.get(kind="question", object_pk=question.pk)
    assert indexed.title == "Pump seal leaks at 3 bar"  # the latest text, indexed once
    answer_entry = SearchDocument.objects.get(kind="answer")
    assert answer_entry.title == "Pump seal leaks at 3 bar"
