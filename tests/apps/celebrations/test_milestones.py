"""The automatic milestones, reached through the sharing services that call them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.celebrations.milestones import question_count_threshold
from cultivate.apps.celebrations.models import Milestone
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import answer_accept, answer_create, question_ask
from cultivate.core.activity import Verb


def test_a_members_first_accepted_answer_is_a_milestone(community, member, helper, answer):
    answer_accept(answer=answer, by=member)
    milestone = Milestone.objects.get()
    assert milestone.key == f"first-accepted-answer:{helper.pk}"
    assert list(milestone.people.all()) == [helper]
    assert milestone.url == answer.get_absolute_url()
    assert Notification.objects.filter(kind=Kind.MILESTONE, recipient=helper).exists()
    assert not ActivityRecord.objects.filter(verb=Verb.CELEBRATE.value).exists()


def test_a_milestone_title_reads_in_each_readers_language(community, member, helper, answer):
    answer_accept(answer=answer, by=member)
    milestone = Milestone.objects.get()

    assert milestone.title == f"{helper.name}'s first accepted answer"  # stored in English
    with translation.override("fr"):
        assert milestone.shown_title == f"Première réponse acceptée de {helper.name}"
        notice = Notification.objects.get(kind=Kind.MILESTONE, recipient=helper)
        assert f"Première réponse acceptée de {helper.name}" in notice.text
    with translation.override("en"):
        assert milestone.shown_title == milestone.title


def test_a_second_accepted_answer_is_not_a_milestone(community, member, helper, answer):
    answer_accept(answer=answer, by=member)
    question = question_ask(community=community, author=member, title="And oil?", body="Which?")
    second = answer_create(question=question, author=helper, body="ISO VG 68.")
    answer_accept(answer=second, by=member)
    assert Milestone.objects.count() == 1


def test_an_answer_accepted_before_the_check_existed_still_counts_as_earlier(
    community, member, helper, answer
):
    # imported history may set an accepted answer without the service
    Question.objects.filter(pk=answer.question_id).update(accepted_answer=answer)
    question = question_ask(community=community, author=member, title="And oil?", body="Which?")
    later = answer_create(question=question, author=helper, body="ISO VG 68.")
    answer_accept(answer=later, by=member)
    assert not Milestone.objects.exists()


def test_re_accepting_after_a_change_does_not_post_twice(
    community, coordinator, member, helper, answer
):
    answer_accept(answer=answer, by=member)
    other = answer_create(question=answer.question, author=coordinator, body="Or a PFPE grease.")
    answer_accept(answer=other, by=member)
    answer_accept(answer=answer, by=member)
    assert Milestone.objects.filter(key__startswith="first-accepted-answer").count() == 2
    assert Milestone.objects.filter(key=f"first-accepted-answer:{helper.pk}").count() == 1


@pytest.mark.parametrize(
    ("count", "threshold"),
    [(99, None), (100, 100), (499, 100), (500, 500), (999, 500), (1000, 1000), (2500, 2000)],
)
def test_question_counts_map_to_the_milestone_they_reached(count, threshold):
    assert question_count_threshold(count) == threshold


def test_the_hundredth_question_is_a_milestone_replayed_at_its_past_time(community, member):
    start = datetime(2020, 1, 1, tzinfo=UTC)
    Question.objects.bulk_create(
        Question(community=community, author=member, title=f"Q{i}", body="b", body_html="b")
        for i in range(98)
    )
    question_ask(community=community, author=member, title="Ninety-nine", body="b", at=start)
    assert not Milestone.objects.exists()
    hundredth_at = start + timedelta(days=1)
    hundredth = question_ask(
        community=community, author=member, title="Hundred", body="b", at=hundredth_at
    )
    question_ask(community=community, author=member, title="Hundred and one", body="b")
    milestone = Milestone.objects.get()
    assert milestone.key == "questions:100"
    assert milestone.created_at == hundredth_at
    assert milestone.url == hundredth.get_absolute_url()
    assert "100 questions" in milestone.title
