"""Proposing, prioritising and scheduling topics, against the real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.agenda.models import Prioritisation, Topic
from cultivate.apps.agenda.selectors import agenda_for, topic_get_for_user, topic_ranking
from cultivate.apps.agenda.services import (
    prioritisation_close,
    prioritisation_open,
    topic_propose,
    topic_schedule,
)
from cultivate.apps.agenda.timeline import Bucket, TopicStatus
from cultivate.apps.communities.models import Community
from cultivate.apps.decisions.services import stance_take
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.practices.models import Status


def _activities(obj_type: str, pk: int) -> list[ActivityRecord]:
    return list(ActivityRecord.objects.filter(object_type=obj_type, object_pk=pk).order_by("id"))


def test_proposing_a_topic_records_plan_with_the_expected_deliverable(
    community: Community, member: User
) -> None:
    topic = topic_propose(
        community=community,
        by=member,
        title="Keeping inventory low",
        why="Our stores hold **two years** of spares.",
        deliverable="a best practice on keeping inventory low",
    )
    [activity] = _activities("topic", topic.pk)
    assert (activity.verb, activity.actor_id, activity.meta) == (
        "plan",
        member.pk,
        {"deliverable": "a best practice on keeping inventory low"},
    )
    assert "<strong>two years</strong>" in topic.why_html


def test_a_topic_without_a_deliverable_records_plan_without_meta(
    community: Community, member: User
) -> None:
    topic = topic_propose(community=community, by=member, title="Alignment", why="Lasers.")
    assert _activities("topic", topic.pk)[0].meta == {}


def test_a_topic_needs_a_title_and_a_reason(community: Community, member: User) -> None:
    with pytest.raises(ValidationError) as error:
        topic_propose(community=community, by=member, title=" ", why="")
    assert error.value.message_dict == {
        "title": ["Write a title."],
        "why": ["Write why the community should work on it."],
    }


def test_only_members_propose_topics(community: Community, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        topic_propose(community=community, by=outsider, title="Gears", why="Teeth.")


def test_a_private_communitys_topics_are_invisible_to_outsiders(
    private_community: Community, coordinator: User, outsider: User
) -> None:
    topic = topic_propose(community=private_community, by=coordinator, title="Audits", why="Yes.")
    with pytest.raises(Http404):
        topic_get_for_user(outsider, private_community, topic.pk)
    with pytest.raises(Http404):
        agenda_for(outsider, private_community)
    assert topic_get_for_user(coordinator, private_community, topic.pk) == topic


def test_opening_a_prioritisation_poll_links_each_option_to_its_topic(
    community: Community, coordinator: User, topics: list[Topic]
) -> None:
    prioritisation = prioritisation_open(community=community, by=coordinator)
    options = list(prioritisation.proposal.options.all())
    assert [o.label for o in options] == [t.title for t in topics]
    assert [o.target for o in options] == topics
    [activity] = _activities("proposal", prioritisation.proposal.pk)
    assert (activity.verb, activity.meta) == ("propose", {"process": "poll"})
    assert not _activities("prioritisation", prioritisation.pk)


def test_only_coordinators_open_a_prioritisation_poll(
    community: Community, member: User, topics: list[Topic]
) -> None:
    with pytest.raises(PermissionDenied):
        prioritisation_open(community=community, by=member)


def test_a_poll_needs_two_candidate_topics(
    community: Community, coordinator: User, propose: Callable[..., Topic]
) -> None:
    propose("Only one")
    with pytest.raises(ValidationError) as error:
        prioritisation_open(community=community, by=coordinator)
    assert error.value.message_dict["topics"] == [
        "A prioritisation poll needs at least 2 candidate topics (it has 1)."
    ]


def test_a_second_poll_waits_until_the_first_is_closed(
    community: Community, coordinator: User, topics: list[Topic]
) -> None:
    first = prioritisation_open(community=community, by=coordinator)
    with pytest.raises(ValidationError, match="already open until"):
        prioritisation_open(community=community, by=coordinator)
    prioritisation_close(prioritisation=first, by=coordinator)
    assert prioritisation_open(community=community, by=coordinator).pk != first.pk


def test_topics_of_the_same_name_get_distinct_poll_options(
    community: Community, coordinator: User, propose: Callable[..., Topic]
) -> None:
    a, b = propose("Gears"), propose("gears")
    prioritisation = prioritisation_open(community=community, by=coordinator)
    labels = [o.label for o in prioritisation.proposal.options.all()]
    assert labels == [f"Gears (#{a.pk})", f"gears (#{b.pk})"]


def test_closing_the_poll_ranks_the_topics_by_its_tally(
    community: Community, coordinator: User, member: User, second: User, topics: list[Topic]
) -> None:
    inventory, lubrication, alignment = topics
    prioritisation = prioritisation_open(community=community, by=coordinator)
    options = {o.object_id: o for o in prioritisation.proposal.options.all()}
    stance_take(proposal=prioritisation.proposal, by=member, option=options[alignment.pk])
    stance_take(proposal=prioritisation.proposal, by=second, option=options[alignment.pk])
    stance_take(proposal=prioritisation.proposal, by=coordinator, option=options[inventory.pk])
    assert topic_ranking(community) == {}  # votes are not final while the poll is open
    prioritisation_close(prioritisation=prioritisation, by=coordinator)

    ranks = topic_ranking(community)
    assert [(ranks[t.pk].position, ranks[t.pk].votes) for t in topics] == [(2, 1), (3, 0), (1, 2)]
    agenda = agenda_for(member, community)
    assert [e.topic for e in agenda.candidates] == [alignment, inventory, lubrication]
    outcome = prioritisation.proposal.outcome
    assert outcome.splitlines()[2:] == [
        "1. Alignment (2 votes)",
        "2. Keeping inventory low (1 vote)",
        "3. Bearing lubrication (0 votes)",
    ]


def test_a_poll_past_its_deadline_ranks_even_before_anyone_closes_it(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    start = timezone.now() - timedelta(days=10)
    prioritisation = prioritisation_open(
        community=community, by=coordinator, deadline=start + timedelta(days=2), at=start
    )
    option = prioritisation.proposal.options.get(object_id=topics[2].pk)
    stance_take(proposal=prioritisation.proposal, by=member, option=option, at=start)
    assert topic_ranking(community)[topics[2].pk].position == 1


def test_scheduling_starts_the_deliverable_due_at_the_end_of_the_box_and_records_plan(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    topic = topics[0]
    at = timezone.make_aware(datetime(2025, 3, 3, 9))
    topic_schedule(topic=topic, by=coordinator, owner=member, at=at)
    topic.refresh_from_db()
    assert (topic.starts_on, topic.ends_on, topic.owner) == (
        date(2025, 3, 3),
        date(2025, 4, 2),
        member,
    )
    document = topic.document
    assert document is not None
    assert (document.title, document.due_on, document.status) == (
        "Keeping inventory low",
        date(2025, 4, 2),
        Status.DRAFT,
    )
    assert document.topic_key == f"agenda-topic-{topic.pk}"
    assert "keeping inventory low" in document.body
    plan = _activities("topic", topic.pk)[-1]
    assert (plan.verb, plan.actor_id, plan.meta, plan.at) == (
        "plan",
        coordinator.pk,
        {"deliverable": "Keeping inventory low"},
        at,
    )
    told = Notification.objects.get(recipient=member, kind=Kind.ACTION)
    assert "deliver “Keeping inventory low” by 2 Apr 2025" in told.summary


def test_scheduling_takes_explicit_dates_and_a_deliverable_title(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    today = timezone.localdate()
    topic = topic_schedule(
        topic=topics[1],
        by=coordinator,
        owner=member,
        starts_on=today + timedelta(days=40),
        ends_on=today + timedelta(days=60),
        deliverable_title="Lubrication intervals",
    )
    assert topic.document is not None
    assert (topic.document.title, topic.document.due_on) == (
        "Lubrication intervals",
        today + timedelta(days=60),
    )


def test_a_box_that_ends_before_it_starts_or_before_today_is_refused(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        topic_schedule(
            topic=topics[0],
            by=coordinator,
            owner=member,
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert "before it starts" in error.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as error:
        topic_schedule(
            topic=topics[0],
            by=coordinator,
            owner=member,
            starts_on=today - timedelta(days=30),
            ends_on=today - timedelta(days=2),
        )
    assert "before today" in error.value.message_dict["ends_on"][0]


def test_only_coordinators_schedule_and_only_members_own(
    community: Community, coordinator: User, member: User, outsider: User, topics: list[Topic]
) -> None:
    with pytest.raises(PermissionDenied):
        topic_schedule(topic=topics[0], by=member, owner=member)
    with pytest.raises(ValidationError) as error:
        topic_schedule(topic=topics[0], by=coordinator, owner=outsider)
    assert "not a member" in error.value.message_dict["owner"][0]


def test_the_topics_owner_steers_its_best_practice_to_publication(
    community: Community,
    coordinator: User,
    member: User,
    second: User,
    topics: list[Topic],
) -> None:
    from cultivate.apps.practices.reviewing import document_publish, review_give, review_request

    topic = topic_schedule(topic=topics[0], by=coordinator, owner=member)
    document = topic.document
    assert document is not None
    assert document.steward == member
    review_request(document=document, by=member, reviewers=[second])
    review_give(document=document, by=second, approve=True)
    document.refresh_from_db()
    document_publish(document=document, by=member)
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    with pytest.raises(PermissionDenied, match="author, its owner or a coordinator"):
        review_request(document=document, by=second, reviewers=[member])


def test_a_topic_is_scheduled_once(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    topic_schedule(topic=topics[0], by=coordinator, owner=member)
    with pytest.raises(ValidationError, match="already scheduled"):
        topic_schedule(topic=topics[0], by=coordinator, owner=member)


def test_a_scheduled_topic_leaves_the_candidates_and_cannot_be_polled(
    community: Community, coordinator: User, member: User, topics: list[Topic]
) -> None:
    topic_schedule(topic=topics[0], by=coordinator, owner=member)
    agenda = agenda_for(member, community)
    assert topics[0] not in [e.topic for e in agenda.candidates]
    assert [e.topic for e in agenda.timeline[Bucket.THIS_MONTH]] == [topics[0]]
    assert agenda.timeline[Bucket.THIS_MONTH][0].status == TopicStatus.PLANNED
    with pytest.raises(ValidationError, match="already scheduled"):
        prioritisation_open(community=community, by=coordinator, topics=topics)
    assert Prioritisation.objects.count() == 0
    assert Topic.objects.filter(scheduled_at__isnull=True).count() == 2
