"""The celebrations services against the real database: kudos, cheers and milestones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.celebrations.models import Cheer, Kudos, Milestone
from cultivate.apps.celebrations.services import kudos_give, milestone_post, win_cheer
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.sharing.services import answer_create, content_hide, question_ask
from cultivate.core.activity import Verb


def celebrations(**filters):
    return ActivityRecord.objects.filter(verb=Verb.CELEBRATE.value, **filters)


# --- kudos ---------------------------------------------------------------------------------------


def test_kudos_record_one_celebrate_activity_towards_the_receiver(community, member, helper):
    kudos = kudos_give(
        community=community, giver=member, receiver=helper, reason="Fixed the **pump** at 3 am."
    )
    record = celebrations().get()
    assert (record.actor_id, record.target_actor_id) == (member.pk, helper.pk)
    assert (record.object_type, record.object_pk) == ("kudos", kudos.pk)
    assert record.meta == {"kind": "kudos"}
    assert "<strong>pump</strong>" in kudos.reason_html


def test_the_receiver_is_notified_of_kudos(community, member, helper):
    kudos_give(community=community, giver=member, receiver=helper, reason="Thanks!")
    notice = Notification.objects.get(recipient=helper)
    assert notice.kind == Kind.KUDOS
    assert notice.actor == member
    assert "Thanks!" in notice.summary


def test_kudos_linked_to_an_answer_record_it_as_the_parent(community, member, helper, answer):
    kudos = kudos_give(
        community=community,
        giver=member,
        receiver=helper,
        reason="This answer saved the line.",
        link_kind="answer",
        link_id=answer.pk,
    )
    assert kudos.link == answer
    record = celebrations().get()
    assert (record.parent_type, record.parent_pk) == ("answer", answer.pk)


def test_a_kudos_reason_is_required(community, member, helper):
    with pytest.raises(ValidationError) as error:
        kudos_give(community=community, giver=member, receiver=helper, reason="   ")
    assert "reason" in error.value.message_dict
    assert not Kudos.objects.exists()


def test_nobody_gives_kudos_to_themselves(community, member):
    with pytest.raises(PermissionDenied, match="yourself"):
        kudos_give(community=community, giver=member, receiver=member, reason="I rock.")


def test_a_non_member_can_neither_give_nor_receive_kudos(community, member, outsider):
    with pytest.raises(PermissionDenied):
        kudos_give(community=community, giver=outsider, receiver=member, reason="Thanks.")
    with pytest.raises(PermissionDenied, match="not a member"):
        kudos_give(community=community, giver=member, receiver=outsider, reason="Thanks.")
    assert not Kudos.objects.exists()
    assert not celebrations().exists()


def test_a_link_to_something_that_is_not_linkable_is_refused(community, member, helper):
    with pytest.raises(ValidationError) as error:
        kudos_give(
            community=community,
            giver=member,
            receiver=helper,
            reason="Thanks.",
            link_kind="post",
            link_id=1,
        )
    assert "link_kind" in error.value.message_dict


def test_an_answer_from_another_community_cannot_be_linked(
    community, private_community, coordinator, member, helper, join
):
    join(helper, private_community)
    question = question_ask(community=private_community, author=coordinator, title="Q", body="B")
    foreign = answer_create(question=question, author=helper, body="Secret fix.")
    with pytest.raises(ValidationError) as error:
        kudos_give(
            community=community,
            giver=member,
            receiver=helper,
            reason="Thanks.",
            link_kind="answer",
            link_id=foreign.pk,
        )
    assert "link_id" in error.value.message_dict


def test_a_hidden_answer_cannot_be_linked(community, coordinator, member, helper, answer):
    content_hide(content=answer, by=coordinator)
    with pytest.raises(ValidationError, match="no answer"):
        kudos_give(
            community=community,
            giver=member,
            receiver=helper,
            reason="Thanks.",
            link_kind="answer",
            link_id=answer.pk,
        )


# --- cheers --------------------------------------------------------------------------------------


def test_a_cheer_records_celebrate_once_and_a_second_is_refused(community, member, helper):
    kudos = kudos_give(community=community, giver=member, receiver=helper, reason="Thanks.")
    win_cheer(win=kudos, user=helper)
    with pytest.raises(ValidationError, match="already cheered"):
        win_cheer(win=kudos, user=helper)
    kudos.refresh_from_db()
    assert kudos.cheer_count == 1
    cheers = celebrations(meta__kind="cheer")
    assert cheers.count() == 1
    assert (cheers.get().object_type, cheers.get().object_pk) == ("kudos", kudos.pk)


def test_members_cheer_a_milestone_without_a_target(community, member, helper, coordinator):
    milestone = milestone_post(community=community, key="k", title="Ten years", people=[helper])
    assert milestone is not None
    win_cheer(win=milestone, user=member)
    win_cheer(win=milestone, user=coordinator)
    milestone.refresh_from_db()
    assert milestone.cheer_count == 2
    records = celebrations(meta__kind="cheer", object_type="milestone")
    assert records.count() == 2
    assert set(records.values_list("target_actor_id", flat=True)) == {None}


def test_a_non_member_cannot_cheer(community, helper, outsider):
    milestone = milestone_post(community=community, key="k", title="Ten years", people=[helper])
    assert milestone is not None
    with pytest.raises(PermissionDenied):
        win_cheer(win=milestone, user=outsider)
    assert not Cheer.objects.exists()


# --- milestone_post ------------------------------------------------------------------------------


def test_a_milestone_is_posted_once_per_key_and_records_no_activity(community, helper):
    first = milestone_post(community=community, key="k", title="Big day", people=[helper])
    again = milestone_post(community=community, key="k", title="Other title", people=[])
    assert first is not None
    assert again is None
    assert Milestone.objects.get().title == "Big day"
    assert not ActivityRecord.objects.filter(object_type="milestone").exists()


def test_a_milestone_notifies_its_people_and_the_members(
    community, coordinator, member, helper, outsider
):
    milestone_post(community=community, key="k", title="Big day", people=[helper, outsider])
    told = set(Notification.objects.filter(kind=Kind.MILESTONE).values_list("recipient", flat=True))
    # a public community's milestone may tell a celebrated non-member too
    assert told == {coordinator.pk, member.pk, helper.pk, outsider.pk}
    assert Notification.objects.filter(kind=Kind.MILESTONE, actor__isnull=False).count() == 0


def test_a_private_milestone_tells_only_members(private_community, coordinator, outsider):
    milestone_post(community=private_community, key="k", title="Quiet win", people=[outsider])
    told = set(Notification.objects.filter(kind=Kind.MILESTONE).values_list("recipient", flat=True))
    assert told == {coordinator.pk}


def test_a_milestone_posted_inside_another_transaction_survives_a_duplicate(community, helper):
    with transaction.atomic():
        milestone_post(community=community, key="k", title="One", people=[helper])
        assert milestone_post(community=community, key="k", title="Two", people=[helper]) is None
        Milestone.objects.filter(key="k").update(title="Still usable")
    assert Milestone.objects.get().title == "Still usable"


def test_a_replayed_milestone_keeps_its_past_date(community, helper):
    past = datetime(2021, 3, 4, 9, 30, tzinfo=UTC)
    milestone = milestone_post(community=community, key="k", title="Then", people=[helper], at=past)
    assert milestone is not None
    assert milestone.created_at == past
    assert set(Notification.objects.values_list("created_at", flat=True)) == {past}


def test_a_milestone_without_a_title_is_refused(community, helper):
    with pytest.raises(ValidationError) as error:
        milestone_post(community=community, key="k", title=" ", people=[helper])
    assert "title" in error.value.message_dict
