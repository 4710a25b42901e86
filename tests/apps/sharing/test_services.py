"""The sharing services against the real database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import (
    answer_accept,
    answer_create,
    comment_create,
    content_edit,
    post_create,
    question_ask,
    vote_cast,
)


def test_accepting_an_answer_marks_the_question_solved(community, coordinator, member):
    question = question_ask(
        community=community,
        author=member,
        title="Which bearing grease?",
        body="For 120 °C?",
        tags="bearings, grease",
    )
    answer = answer_create(question=question, author=coordinator, body="Use a lithium complex.")
    answer_accept(answer=answer, by=member)
    question.refresh_from_db()
    assert question.is_solved
    assert question.answer_count == 1
    assert sorted(question.tags.values_list("name", flat=True)) == ["bearings", "grease"]


def test_switching_the_accepted_answer_back_and_forth_records_one_acceptance(
    community, coordinator, member, make_user, join
):
    from cultivate.apps.activity.models import ActivityRecord

    other = make_user()
    join(other, community)
    question = question_ask(community=community, author=member, title="Seal?", body="Which one?")
    first = answer_create(question=question, author=coordinator, body="A lip seal.")
    second = answer_create(question=question, author=other, body="A mechanical seal.")
    for answer in (first, second, first, second, first):
        answer_accept(answer=answer, by=member)
    accepts = ActivityRecord.objects.filter(verb="accept", parent_pk=question.pk)
    assert accepts.count() == 1
    only = accepts.get()
    assert (only.object_pk, only.target_actor_id) == (first.pk, coordinator.pk)


def test_only_the_asker_or_a_coordinator_can_accept_an_answer(
    community, coordinator, member, make_user, join
):
    third = make_user()
    join(third, community)
    question = question_ask(community=community, author=member, title="Torque?", body="How much?")
    answer = answer_create(question=question, author=coordinator, body="40 Nm.")
    with pytest.raises(PermissionDenied):
        answer_accept(answer=answer, by=third)
    answer_accept(answer=answer, by=coordinator)
    assert Question.objects.get(pk=question.pk).accepted_answer_id == answer.pk


def test_a_non_member_cannot_ask(community, outsider):
    with pytest.raises(PermissionDenied):
        question_ask(community=community, author=outsider, title="Hi", body="Hello")


def test_an_empty_title_is_refused_with_the_field_named(community, member):
    with pytest.raises(ValidationError) as error:
        question_ask(community=community, author=member, title="  ", body="Body")
    assert "title" in error.value.message_dict


def test_nobody_votes_twice_or_for_themselves(community, coordinator, member):
    post = post_create(community=community, author=member, title="Tip", body="Oil it.", kind="tip")
    with pytest.raises(PermissionDenied):
        vote_cast(target=post, user=member)
    vote_cast(target=post, user=coordinator)
    with pytest.raises(ValidationError) as twice:
        vote_cast(target=post, user=coordinator)
    assert twice.value.code == "already_voted"
    post.refresh_from_db()
    assert post.score == 1


def test_an_edit_keeps_the_previous_text_as_a_revision(community, member):
    from cultivate.apps.sharing.services import revisions_of

    post = post_create(community=community, author=member, title="Tip", body="First text")
    content_edit(content=post, by=member, body="Second text", title="Better tip")
    post.refresh_from_db()
    assert post.body == "Second text"
    assert [r.body for r in revisions_of(post)] == ["First text"]


def test_a_comment_counts_on_its_target(community, coordinator, member):
    question = question_ask(community=community, author=member, title="Q", body="B")
    comment_create(target=question, author=coordinator, body="Which alloy?")
    question.refresh_from_db()
    assert question.comment_count == 1
