"""The best-practice services against the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.notifications.models import Notification
from cultivate.apps.practices.models import Document, Revision, Status, Verdict
from cultivate.apps.practices.reviewing import (
    document_mark_outdated,
    document_publish,
    document_rereview,
    review_give,
    review_request,
)
from cultivate.apps.practices.selectors import contributors, practices_for_question
from cultivate.apps.practices.services import (
    StaleRevisionError,
    document_create,
    question_link,
    revision_save,
    section_add,
)
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.sharing.services import question_ask

from .conftest import TEXT


def _verbs(document: Document) -> list[tuple[str, str]]:
    return list(
        ActivityRecord.objects.filter(community_id=document.community_id)
        .exclude(verb="join")
        .order_by("id")
        .values_list("verb", "object_type")
    )


def test_creating_a_document_saves_revision_one_and_records_one_contribution(document, member):
    revision = Revision.objects.get(document=document)
    assert (revision.number, revision.author, revision.body) == (1, member, TEXT)
    assert document.status == Status.DRAFT
    assert document.head_number == 1
    assert "<h1>Lubrication</h1>" in document.body_html
    record = ActivityRecord.objects.get(verb="contribute")
    assert (record.object_type, record.object_pk) == ("revision", revision.pk)
    assert (record.parent_type, record.parent_pk) == ("document", document.pk)


def test_a_non_member_cannot_start_a_document(community, outsider):
    with pytest.raises(PermissionDenied):
        document_create(community=community, by=outsider, title="Mine", body="Text")


def test_an_empty_title_and_text_are_refused_with_their_fields_named(community, member):
    with pytest.raises(ValidationError) as error:
        document_create(community=community, by=member, title=" ", body="\n")
    assert set(error.value.message_dict) == {"title", "body"}


def test_every_save_is_a_new_revision_with_author_message_and_full_text(document, reviewer, member):
    result = revision_save(
        document=document,
        by=reviewer,
        body=TEXT.replace("500", "400"),
        base_number=1,
        message="Shorter interval",
    )
    assert result.merged_with is None
    assert (result.revision.number, result.revision.message) == (2, "Shorter interval")
    document.refresh_from_db()
    assert document.head_number == 2
    assert "400 hours" in document.body
    assert [(c.person, c.revisions) for c in contributors(document)] == [
        (reviewer, 1),
        (member, 1),
    ] or [(c.person, c.revisions) for c in contributors(document)] == [(member, 1), (reviewer, 1)]
    assert [verb for verb, _ in _verbs(document)] == ["contribute", "contribute"]


def test_saving_the_same_text_again_is_refused(document, member):
    with pytest.raises(ValidationError) as error:
        revision_save(document=document, by=member, body=TEXT, base_number=1)
    assert "same text as revision 1" in error.value.message_dict["body"][0]


def test_a_stale_save_that_touches_the_same_line_never_overwrites_the_newer_revision(
    document, member, reviewer
):
    revision_save(document=document, by=reviewer, body=TEXT.replace("500", "400"), base_number=1)
    with pytest.raises(StaleRevisionError) as error:
        revision_save(document=document, by=member, body=TEXT.replace("500", "600"), base_number=1)
    assert error.value.head.number == 2
    assert "600 hours" in error.value.typed
    document.refresh_from_db()
    assert document.head_number == 2
    assert "400 hours" in document.body
    assert Revision.objects.filter(document=document).count() == 2


def test_a_stale_save_that_touches_other_lines_is_merged_automatically(document, member, reviewer):
    revision_save(document=document, by=reviewer, body=TEXT.replace("500", "400"), base_number=1)
    result = revision_save(
        document=document,
        by=member,
        body=TEXT.replace("Log every job.", "Log every job in the CMMS."),
        base_number=1,
    )
    assert result.merged_with is not None
    assert result.merged_with.number == 2
    assert result.revision.merged
    assert "Merged with revision 2" in result.revision.message
    document.refresh_from_db()
    assert "400 hours" in document.body
    assert "in the CMMS" in document.body


def test_saving_on_the_new_head_after_a_refusal_wins(document, member, reviewer):
    revision_save(document=document, by=reviewer, body=TEXT.replace("500", "400"), base_number=1)
    with pytest.raises(StaleRevisionError):
        revision_save(document=document, by=member, body=TEXT.replace("500", "600"), base_number=1)
    result = revision_save(
        document=document, by=member, body=TEXT.replace("500", "600"), base_number=2
    )
    assert result.revision.number == 3


def test_a_base_revision_that_does_not_exist_is_refused(document, member):
    with pytest.raises(ValidationError) as error:
        revision_save(document=document, by=member, body="New", base_number=7)
    assert "base_number" in error.value.message_dict


def test_a_section_credits_its_author_as_a_new_revision(document, member, reviewer):
    revision = section_add(
        document=document,
        by=member,
        heading="Food-grade lines",
        body="Use NSF H1 grease.",
        credit=reviewer,
        source_url="https://example.org/help/3",
    )
    document.refresh_from_db()
    assert revision.number == 2
    assert revision.credit == reviewer
    assert document.body.endswith(
        "## Food-grade lines\n\nUse NSF H1 grease.\n\n_Contributed by @rita_ "
        "([source](https://example.org/help/3))\n"
    )
    assert document.body.startswith(TEXT.rstrip())
    sections = {c.person: c.sections for c in contributors(document)}
    assert sections[reviewer] == 1


def _reviewed(document, member, reviewer, *, approve=True, comment=""):
    review_request(document=document, by=member, reviewers=[reviewer])
    review_give(document=document, by=reviewer, approve=approve, comment=comment)


def test_requesting_a_review_moves_the_document_to_review_and_tells_the_reviewer(
    document, member, reviewer
):
    review_request(document=document, by=member, reviewers=[reviewer])
    document.refresh_from_db()
    assert document.status == Status.REVIEW
    notice = Notification.objects.get(recipient=reviewer)
    assert notice.kind == "review"
    assert "Bearing lubrication" in notice.summary


def test_only_the_author_or_a_coordinator_requests_reviews(
    document, reviewer, coordinator, make_user, community, join
):
    third = make_user()
    join(third, community)
    with pytest.raises(PermissionDenied):
        review_request(document=document, by=third, reviewers=[reviewer])
    review_request(document=document, by=coordinator, reviewers=[reviewer])


def test_the_author_cannot_review_their_own_document_nor_ask_an_outsider(
    document, member, outsider
):
    with pytest.raises(ValidationError) as error:
        review_request(document=document, by=member, reviewers=[member])
    assert "own document" in error.value.message_dict["reviewers"][0]
    with pytest.raises(ValidationError) as error:
        review_request(document=document, by=member, reviewers=[outsider])
    assert "Otto Outsider" in error.value.message_dict["reviewers"][0]


def test_only_the_requested_reviewers_give_a_verdict(document, member, reviewer, coordinator):
    review_request(document=document, by=member, reviewers=[reviewer])
    with pytest.raises(PermissionDenied):
        review_give(document=document, by=coordinator, approve=True)


def test_asking_for_changes_needs_a_comment(document, member, reviewer):
    review_request(document=document, by=member, reviewers=[reviewer])
    with pytest.raises(ValidationError) as error:
        review_give(document=document, by=reviewer, approve=False, comment=" ")
    assert "comment" in error.value.message_dict


def test_publishing_needs_an_approval(document, member, reviewer):
    with pytest.raises(ValidationError, match="Ask for a review first"):
        document_publish(document=document, by=member)
    review_request(document=document, by=member, reviewers=[reviewer])
    with pytest.raises(ValidationError, match="No reviewer has approved"):
        document_publish(document=document, by=member)


def test_an_outstanding_change_request_blocks_publishing_until_the_reviewer_approves(
    document, member, reviewer, coordinator
):
    review_request(document=document, by=member, reviewers=[reviewer, coordinator])
    review_give(document=document, by=coordinator, approve=True)
    review_give(document=document, by=reviewer, approve=False, comment="Name the grease brand.")
    with pytest.raises(ValidationError, match="asked for changes"):
        document_publish(document=document, by=member)
    review_give(document=document, by=reviewer, approve=True)
    document_publish(document=document, by=member)
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED


def test_only_the_author_or_a_coordinator_publishes(document, member, reviewer, coordinator):
    _reviewed(document, member, reviewer)
    with pytest.raises(PermissionDenied):
        document_publish(document=document, by=reviewer)
    document_publish(document=document, by=coordinator)


def test_publishing_records_publish_with_on_time_when_there_is_a_due_date(
    community, member, reviewer
):
    today = timezone.localdate()
    on_time = document_create(
        community=community, by=member, title="On time", body="Text", due_on=today
    )
    late = document_create(
        community=community,
        by=member,
        title="Late",
        body="Text",
        due_on=today - timedelta(days=1),
    )
    no_due = document_create(community=community, by=member, title="Whenever", body="Text")
    for doc in (on_time, late, no_due):
        _reviewed(doc, member, reviewer)
        document_publish(document=doc, by=member)
    metas = {
        r.object_pk: r.meta for r in ActivityRecord.objects.filter(verb="publish", actor=member)
    }
    assert metas == {on_time.pk: {"on_time": True}, late.pk: {"on_time": False}, no_due.pk: {}}


def test_publishing_sets_a_review_by_date_a_year_ahead_unless_given(document, member, reviewer):
    _reviewed(document, member, reviewer)
    document_publish(document=document, by=member)
    assert document.review_by == timezone.localdate() + timedelta(days=365)
    assert not document.edited_since_publication


def test_editing_a_published_document_makes_a_revision_and_shows_edited_since_publication(
    document, member, reviewer
):
    _reviewed(document, member, reviewer)
    document_publish(document=document, by=member)
    revision_save(document=document, by=reviewer, body=TEXT + "\nNew line.\n", base_number=1)
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert document.edited_since_publication


def test_anyone_marks_a_published_practice_outdated_and_a_coordinator_clears_it(
    document, member, reviewer, coordinator
):
    _reviewed(document, member, reviewer)
    document_publish(document=document, by=member)
    with pytest.raises(ValidationError):
        document_mark_outdated(document=document, by=reviewer, reason="  ")
    document_mark_outdated(document=document, by=reviewer, reason="The OEM changed the grease.")
    assert document.outdated_because() == "The OEM changed the grease."
    with pytest.raises(PermissionDenied):
        document_rereview(document=document, by=member)
    document_rereview(
        document=document, by=coordinator, review_by=timezone.localdate() + timedelta(30)
    )
    document.refresh_from_db()
    assert document.outdated_because() == ""
    assert document.reviewed_at is not None


def test_a_passed_review_by_date_shows_the_document_outdated(document, member, reviewer):
    _reviewed(document, member, reviewer)
    document_publish(document=document, by=member)
    later = document.review_by + timedelta(days=1)
    assert "review-by date" in document.outdated_because(later)


def test_a_draft_cannot_be_marked_outdated(document, reviewer):
    with pytest.raises(ValidationError, match="Only a published practice"):
        document_mark_outdated(document=document, by=reviewer, reason="Old")


def test_questions_link_both_ways(document, community, reviewer, member):
    question = question_ask(community=community, author=reviewer, title="Grease?", body="Which?")
    question_link(document=document, question=question, by=member)
    assert list(document.questions.all()) == [question]
    assert practices_for_question(question) == [document]
    with pytest.raises(ValidationError, match="already linked"):
        question_link(document=document, question=question, by=member)


def test_a_question_from_another_community_cannot_be_linked(
    document, private_community, coordinator, member
):
    question = question_ask(
        community=private_community, author=coordinator, title="Secret?", body="Which?"
    )
    with pytest.raises(ValidationError, match="same community"):
        question_link(document=document, question=question, by=member)


def test_a_document_is_indexed_for_search_and_reindexed_on_save(document, member):
    entry = SearchDocument.objects.get(kind="document", object_pk=document.pk)
    assert entry.title == "Bearing lubrication"
    assert "Grease every 500 hours" in entry.body
    revision_save(document=document, by=member, body=TEXT.replace("500", "250"), base_number=1)
    entry.refresh_from_db()
    assert "Grease every 250 hours" in entry.body


def test_each_workflow_act_records_exactly_one_activity(document, member, reviewer):
    before = ActivityRecord.objects.count()
    review_request(document=document, by=member, reviewers=[reviewer])
    review_give(document=document, by=reviewer, approve=True)
    document_publish(document=document, by=member)
    document_mark_outdated(document=document, by=reviewer, reason="Old grease.")
    assert ActivityRecord.objects.count() == before + 4
    verdict = ActivityRecord.objects.get(meta__action="approve")
    assert verdict.target_actor_id == member.pk
    assert document.reviews.get().verdict == Verdict.APPROVED
