"""The bulk writers imports use keep what the single-row services keep, row for row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cultivate.apps.communities.services import community_create
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.sharing.bulk import (
    accepted_answers_set,
    answers_bulk_create,
    comments_bulk_create,
    posts_bulk_create,
    questions_bulk_create,
    votes_bulk_create,
)
from cultivate.apps.sharing.models import Answer, Comment, Post, Question, Vote
from cultivate.apps.sharing.services import (
    answer_accept,
    answer_create,
    comment_create,
    post_create,
    question_ask,
    vote_cast,
)

AT = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
QUESTION = "Which **grease** for the bearings?\n\n<script>alert(1)</script> See https://example.org"
ANSWER = "Lithium complex, *NLGI 2*; <b onclick='x()'>not</b> more than the housing takes."
COMMENT = "Thanks, that matches [the datasheet](https://example.org/ds)."
STORY = "# Line 4 ran a year\n\nWithout an unplanned stop. <iframe src=x></iframe>"


def _indexed(obj: Post | Question | Answer) -> tuple[str, str, str, bool]:
    kind = obj._meta.model_name or ""
    entry = SearchDocument.objects.get(kind=kind, object_pk=obj.pk)
    return entry.title, entry.body, entry.tags, entry.is_hidden


def test_bulk_written_threads_equal_the_ones_the_services_write(community, member, coordinator):
    other = community_create(by=coordinator, name="Bulk twin", practice="mechanical engineering")

    question = question_ask(
        community=community, author=member, title="Grease", body=QUESTION, tags="bearings, oil"
    )
    answer = answer_create(question=question, author=coordinator, body=ANSWER)
    comment = comment_create(target=answer, author=member, body=COMMENT)
    vote_cast(target=answer, user=member)
    answer_accept(answer=answer, by=member)
    story = post_create(community=community, author=coordinator, title="A year", body=STORY)

    [twin_q] = questions_bulk_create(
        [
            (
                Question(
                    community=other, author=member, title="Grease", body=QUESTION, created_at=AT
                ),
                ["bearings", "oil"],
            )
        ]
    )
    [twin_a] = answers_bulk_create(
        [Answer(community=other, author=coordinator, question=twin_q, body=ANSWER, created_at=AT)]
    )
    [twin_c] = comments_bulk_create(
        [Comment(community=other, author=member, answer=twin_a, body=COMMENT, created_at=AT)]
    )
    votes_bulk_create([Vote(user=member, answer=twin_a, created_at=AT)])
    accepted_answers_set({twin_q.pk: twin_a.pk})
    [twin_story] = posts_bulk_create(
        [Post(community=other, author=coordinator, title="A year", body=STORY, created_at=AT)]
    )

    pairs = [(question, twin_q), (answer, twin_a), (comment, twin_c), (story, twin_story)]
    for original, twin in pairs:
        original.refresh_from_db()
        twin.refresh_from_db()
        assert twin.body_html == original.body_html
        assert "<script" not in twin.body_html
        assert "<b onclick" not in twin.body_html
        assert twin.updated_at == twin.created_at
    assert (twin_q.answer_count, twin_q.accepted_answer_id) == (1, twin_a.pk)
    assert (question.answer_count, question.accepted_answer_id) == (1, answer.pk)
    assert (twin_a.comment_count, twin_a.score) == (answer.comment_count, answer.score) == (1, 1)
    assert sorted(twin_q.tags.values_list("name", flat=True)) == ["bearings", "oil"]
    assert sorted(question.tags.values_list("name", flat=True)) == ["bearings", "oil"]
    for original, twin in [(question, twin_q), (answer, twin_a), (story, twin_story)]:
        assert _indexed(twin) == _indexed(original)


def test_bulk_votes_add_to_each_target_by_its_own_count(community, member, coordinator, outsider):
    [first, second] = questions_bulk_create(
        [
            (
                Question(community=community, author=coordinator, title=t, body="b", created_at=AT),
                [],
            )
            for t in ("One", "Two")
        ]
    )
    votes_bulk_create(
        [
            Vote(user=member, question=first, created_at=AT),
            Vote(user=outsider, question=first, created_at=AT),
            Vote(user=member, question=second, created_at=AT),
        ]
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.score, second.score) == (2, 1)


def test_accepting_in_bulk_keeps_the_single_row_rules_an_answer_of_the_same_question_not_hidden(
    community, member, coordinator
):
    asked = questions_bulk_create(
        [
            (
                Question(community=community, author=member, title=t, body=QUESTION, created_at=AT),
                [],
            )
            for t in ("Grease?", "Torque?", "Hidden?")
        ]
    )
    first, second, hidden_q = asked
    answers = answers_bulk_create(
        [
            Answer(community=community, author=coordinator, question=q, body=ANSWER, created_at=AT)
            for q in (first, second, hidden_q)
        ]
    )
    Question.objects.filter(pk=hidden_q.pk).update(is_hidden=True)

    changed = accepted_answers_set(
        {first.pk: answers[0].pk, second.pk: answers[0].pk, hidden_q.pk: answers[2].pk}
    )

    assert changed == 1
    accepted = dict(Question.objects.values_list("pk", "accepted_answer_id"))
    assert accepted == {first.pk: answers[0].pk, second.pk: None, hidden_q.pk: None}


def test_a_bulk_written_thread_is_last_active_at_its_newest_answer_or_comment(community, member):
    asked, answered, commented = AT, AT + timedelta(hours=1), AT + timedelta(hours=5)
    [busy, quiet] = questions_bulk_create(
        [
            (Question(community=community, author=member, title=t, body="b", created_at=asked), [])
            for t in ("Busy", "Quiet")
        ]
    )
    [answer] = answers_bulk_create(
        [Answer(community=community, author=member, question=busy, body="a", created_at=answered)]
    )
    comments_bulk_create(
        [Comment(community=community, author=member, answer=answer, body="c", created_at=commented)]
    )
    comments_bulk_create(  # an older comment moves nothing back
        [Comment(community=community, author=member, question=busy, body="c", created_at=asked)]
    )
    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert busy.last_activity_at == commented
    assert quiet.last_activity_at == asked
