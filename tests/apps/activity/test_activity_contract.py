"""Every community service records exactly one Activity, with the right verb, actor, target and parent."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from django.db import transaction

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities import services as community_services
from cultivate.apps.communities.models import Membership, Visibility
from cultivate.apps.insights.mappers import community_activities, community_activity_frame
from cultivate.apps.sharing import services as sharing
from cultivate.core.activity import FRAME_SCHEMA, Verb


class Recorder:
    """Run a service and return the single Activity it recorded (failing if it recorded 0 or 2+)."""

    def __call__(self, action):
        before = set(ActivityRecord.objects.values_list("pk", flat=True))
        result = action()
        new = list(ActivityRecord.objects.exclude(pk__in=before))
        assert len(new) == 1, f"expected exactly one Activity, got {[a.verb for a in new]}"
        return new[0], result


@pytest.fixture
def recorded():
    return Recorder()


def test_every_service_records_one_activity_with_verb_actor_target_and_parent(
    recorded, make_user, coordinator
):
    asker, helper, newcomer = make_user("asker"), make_user("helper"), make_user("newcomer")

    activity, community = recorded(
        lambda: community_services.community_create(
            by=coordinator, name="Welding", practice="welding"
        )
    )
    assert (activity.verb, activity.actor_id, activity.object_type) == (
        "join",
        coordinator.pk,
        "membership",
    )

    for person in (asker, helper):
        activity, _ = recorded(
            lambda p=person: community_services.community_join(community=community, user=p)
        )
        assert (activity.verb, activity.actor_id) == ("join", person.pk)

    activity, question = recorded(
        lambda: sharing.question_ask(
            community=community, author=asker, title="Which filler rod?", body="For 316L pipe."
        )
    )
    assert (activity.verb, activity.actor_id, activity.object_pk) == ("ask", asker.pk, question.pk)
    assert activity.target_actor_id is None

    activity, answer = recorded(
        lambda: sharing.answer_create(question=question, author=helper, body="ER316LSi.")
    )
    assert (activity.verb, activity.actor_id, activity.target_actor_id) == (
        "answer",
        helper.pk,
        asker.pk,
    )
    assert (activity.parent_type, activity.parent_pk) == ("question", question.pk)

    activity, _ = recorded(lambda: sharing.answer_accept(answer=answer, by=asker))
    assert (activity.verb, activity.actor_id, activity.target_actor_id) == (
        "accept",
        asker.pk,
        helper.pk,
    )
    assert activity.parent_pk == question.pk

    activity, _comment = recorded(
        lambda: sharing.comment_create(target=answer, author=asker, body="Thanks!")
    )
    assert (activity.verb, activity.target_actor_id, activity.parent_pk) == (
        "reply",
        helper.pk,
        question.pk,
    )

    activity, _ = recorded(lambda: sharing.vote_cast(target=answer, user=asker))
    assert (activity.verb, activity.actor_id, activity.target_actor_id) == (
        "react",
        asker.pk,
        helper.pk,
    )

    activity, post = recorded(
        lambda: sharing.post_create(
            community=community,
            author=helper,
            title="Purge gas tip",
            body="Argon backing.",
            kind="tip",
        )
    )
    assert (activity.verb, activity.meta) == ("share", {"kind": "tip"})

    activity, _ = recorded(
        lambda: sharing.content_edit(content=post, by=helper, body="Argon backing, 5 l/min.")
    )
    assert (activity.verb, activity.actor_id) == ("edit", helper.pk)

    activity, _ = recorded(lambda: sharing.content_flag(content=post, by=asker, reason="Duplicate"))
    assert (activity.verb, activity.target_actor_id) == ("flag", helper.pk)

    activity, _ = recorded(lambda: sharing.content_hide(content=post, by=coordinator, reason="dup"))
    assert (activity.verb, activity.meta["action"]) == ("moderate", "hide")
    activity, _ = recorded(lambda: sharing.content_restore(content=post, by=coordinator))
    assert activity.meta["action"] == "restore"

    helper_membership = Membership.objects.get(community=community, user=helper)
    activity, _ = recorded(
        lambda: community_services.member_promote(membership=helper_membership, by=coordinator)
    )
    assert (activity.verb, activity.target_actor_id) == ("moderate", helper.pk)

    activity, _ = recorded(
        lambda: community_services.membership_invite(
            community=community, user=newcomer, by=coordinator
        )
    )
    assert (activity.verb, activity.target_actor_id) == ("invite", newcomer.pk)

    activity, _ = recorded(
        lambda: community_services.community_leave(community=community, user=asker)
    )
    assert (activity.verb, activity.actor_id) == ("leave", asker.pk)

    asker_again = make_user("returning")
    community_services.community_join(community=community, user=asker_again)
    membership = Membership.objects.get(community=community, user=asker_again)
    activity, _ = recorded(
        lambda: community_services.member_remove(
            membership=membership, by=coordinator, reason="left the company"
        )
    )
    assert (activity.verb, activity.target_actor_id) == ("moderate", asker_again.pk)


def test_requests_to_join_a_private_community_record_the_join_on_approval(
    recorded, make_user, coordinator
):
    community = community_services.community_create(
        by=coordinator, name="Audit", practice="audit", visibility=Visibility.PRIVATE
    )
    person = make_user()
    before = ActivityRecord.objects.count()
    membership = community_services.membership_request(community=community, user=person)
    assert ActivityRecord.objects.count() == before
    activity, _ = recorded(
        lambda: community_services.membership_approve(membership=membership, by=coordinator)
    )
    assert (activity.verb, activity.actor_id, activity.meta) == (
        "join",
        person.pk,
        {"approved_by": coordinator.pk},
    )


@pytest.mark.django_db(transaction=True)
def test_an_activity_cannot_be_recorded_outside_a_transaction(community, coordinator):
    with pytest.raises(RuntimeError):
        activity_record(
            verb=Verb.SHARE, actor_id=coordinator.pk, community_id=community.pk, obj=community
        )


def test_a_failed_write_leaves_no_activity_behind(community, member):
    before = ActivityRecord.objects.count()

    def write_then_fail() -> None:
        with transaction.atomic():
            sharing.post_create(community=community, author=member, title="t", body="b")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        write_then_fail()
    assert ActivityRecord.objects.count() == before


def test_the_mapper_exports_the_community_as_a_frame_with_the_contract_schema(
    community, coordinator, member
):
    when = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    question = sharing.question_ask(
        community=community, author=member, title="Q", body="B", at=when
    )
    sharing.answer_create(question=question, author=coordinator, body="A", at=when.replace(hour=10))
    frame = community_activity_frame(community)
    assert frame.schema == pl.Schema(FRAME_SCHEMA)
    answers = frame.filter(pl.col("verb") == "answer")
    assert answers["target_actor"].to_list() == [f"cultivate:user:{member.pk}"]
    assert answers["parent_id"].to_list() == [f"cultivate:question:{question.pk}"]
    assert answers["at"].to_list() == [when.replace(hour=10)]
    assert frame.height == len(list(community_activities(community)))
    assert set(frame["community"].to_list()) == {community.slug}


def test_edits_flags_and_moderation_of_answers_and_comments_point_at_their_thread(
    recorded, community, coordinator, member
):
    question = sharing.question_ask(community=community, author=member, title="Q", body="B")
    answer = sharing.answer_create(question=question, author=coordinator, body="A")
    remark = sharing.comment_create(target=answer, author=member, body="C")
    for content in (answer, remark):
        author = coordinator if content is answer else member
        for action in (
            lambda c=content, a=author: sharing.content_edit(content=c, by=a, body="changed text"),
            lambda c=content: sharing.content_flag(
                content=c, by=coordinator if c is remark else member, reason="r"
            ),
            lambda c=content: sharing.content_hide(content=c, by=coordinator),
        ):
            activity, _ = recorded(action)
            assert (activity.parent_type, activity.parent_pk) == ("question", question.pk)


def test_an_edit_that_changes_nothing_records_nothing(community, member):
    post = sharing.post_create(community=community, author=member, title="T", body="Same")
    before = ActivityRecord.objects.count()
    sharing.content_edit(content=post, by=member, body="Same", title="T")
    assert ActivityRecord.objects.count() == before
