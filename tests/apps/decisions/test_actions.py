"""Action items (joint implementation) against the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.decisions.actions import (
    action_item_create,
    action_item_set_status,
    action_item_take,
    action_item_update,
)
from cultivate.apps.decisions.models import ActionItem
from cultivate.apps.decisions.selectors import action_items_for, proposal_progress
from cultivate.apps.decisions.services import proposal_close
from cultivate.apps.decisions.tasks import send_overdue_action_reminders
from cultivate.apps.notifications.models import Kind, Notification


def _item(community, by, owner, *, proposal=None, days=3, title="Draft the log template"):
    return action_item_create(
        community=community,
        by=by,
        title=title,
        owner=owner,
        due=timezone.localdate() + timedelta(days=days),
        proposal=proposal,
    )


def test_an_action_item_owner_who_is_not_a_member_is_refused(community, member, outsider):
    with pytest.raises(ValidationError) as error:
        _item(community, member, outsider)
    assert error.value.message_dict["owner"] == [
        "Otto Outsider is not a member of Mechanical Engineering; choose a member as the owner."
    ]


def test_a_due_date_in_the_past_is_refused(community, member):
    with pytest.raises(ValidationError) as error:
        _item(community, member, member, days=-1)
    assert "in the past" in error.value.message_dict["due"][0]


def test_a_non_member_cannot_create_an_action_item(community, outsider, member):
    with pytest.raises(PermissionDenied):
        _item(community, outsider, member)


def test_creating_an_item_for_someone_records_commit_and_tells_the_owner(
    community, consent, member, second
):
    item = _item(community, member, second, proposal=consent)
    [commit] = ActivityRecord.objects.filter(verb="commit")
    assert (commit.actor_id, commit.target_actor_id, commit.parent_pk) == (
        member.pk,
        second.pk,
        consent.pk,
    )
    [notice] = Notification.objects.filter(kind=Kind.ACTION)
    assert notice.recipient_id == second.pk
    assert item.title in notice.summary


def test_taking_an_item_makes_you_its_owner_and_records_commit(community, member, second):
    item = _item(community, member, member)
    action_item_take(item=item, by=second)
    item.refresh_from_db()
    assert item.owner_id == second.pk
    [_, take] = ActivityRecord.objects.filter(verb="commit").order_by("id")
    assert take.actor_id == second.pk
    assert take.target_actor_id is None


def test_completing_records_complete_and_counts_in_the_decisions_progress(
    community, consent, member, second
):
    first = _item(community, member, member, proposal=consent)
    _item(community, member, second, proposal=consent, title="Train the shift leads")
    action_item_set_status(item=first, by=member, status="doing")
    action_item_set_status(item=first, by=member, status="done")
    verbs = list(
        ActivityRecord.objects.filter(object_type="actionitem").values_list("verb", flat=True)
    )
    assert verbs == ["commit", "commit", "edit", "complete"]
    progress = proposal_progress(consent)
    assert (progress.done, progress.total, progress.percent) == (1, 2, 50)
    first.refresh_from_db()
    assert first.completed_at is not None


def test_only_the_owner_its_creator_or_a_coordinator_change_an_item(
    community, member, second, coordinator, make_user, join
):
    third = make_user()
    join(third, community)
    item = _item(community, member, second)
    with pytest.raises(PermissionDenied):
        action_item_set_status(item=item, by=third, status="done")
    action_item_set_status(item=item, by=coordinator, status="doing")
    action_item_update(item=item, by=member, due=timezone.localdate() + timedelta(days=9))
    assert ActionItem.objects.get(pk=item.pk).status == "doing"


def test_an_unknown_status_is_refused_naming_the_choices(community, member):
    item = _item(community, member, member)
    with pytest.raises(ValidationError) as error:
        action_item_set_status(item=item, by=member, status="finished")
    assert "open, doing, done" in error.value.message_dict["status"][0]


def test_the_actions_list_filters_by_status_owner_and_overdue(community, member, second):
    late = _item(community, member, second, title="Late")
    ActionItem.objects.filter(pk=late.pk).update(due=timezone.localdate() - timedelta(days=2))
    done = _item(community, member, member, title="Done")
    action_item_set_status(item=done, by=member, status="done")
    _item(community, member, member, title="Fresh")

    def titles(**filters):
        return [i.title for i in action_items_for(member, community, **filters)]

    assert titles() == ["Late", "Done", "Fresh"]
    assert titles(status="done") == ["Done"]
    assert titles(owner="sam") == ["Late"]
    assert titles(overdue=True) == ["Late"]


def test_overdue_owners_are_reminded_at_most_once_per_item_per_day(community, member, second):
    late = _item(community, member, second, title="Write the template")
    mine = _item(community, member, member, title="Book the room")
    due = timezone.localdate() - timedelta(days=2)
    ActionItem.objects.filter(pk__in=[late.pk, mine.pk]).update(due=due)
    Notification.objects.all().delete()
    now = timezone.now()
    assert send_overdue_action_reminders.enqueue(now.isoformat()).return_value == 2
    assert send_overdue_action_reminders.enqueue(now.isoformat()).return_value == 0
    reminders = Notification.objects.filter(kind=Kind.ACTION).order_by("recipient_id")
    assert [(n.recipient_id, n.summary) for n in reminders] == sorted(
        [
            (second.pk, f"Overdue by 2 days: Write the template (due {due:%d %b %Y})"),
            (member.pk, f"Overdue by 2 days: Book the room (due {due:%d %b %Y})"),
        ]
    )
    tomorrow = (now + timedelta(days=1)).isoformat()
    assert send_overdue_action_reminders.enqueue(tomorrow).return_value == 2


def test_a_done_item_is_never_reminded(community, member, second):
    item = _item(community, member, second)
    action_item_set_status(item=item, by=second, status="done")
    ActionItem.objects.filter(pk=item.pk).update(due=timezone.localdate() - timedelta(days=5))
    assert send_overdue_action_reminders.enqueue(timezone.now().isoformat()).return_value == 0


def test_the_last_done_item_of_a_decision_posts_its_milestone_once(
    community, consent, member, second
):
    from cultivate.apps.celebrations.models import Milestone

    proposal_close(proposal=consent, by=member, outcome="Adopted.")
    first = _item(community, member, member, proposal=consent)
    last = _item(community, member, second, proposal=consent, title="Train the shift leads")
    action_item_set_status(item=first, by=member, status="done")
    assert not Milestone.objects.exists()
    action_item_set_status(item=last, by=second, status="done")
    [milestone] = Milestone.objects.all()
    assert milestone.key == f"decision-done-{consent.pk}"
    assert set(milestone.people.values_list("pk", flat=True)) == {member.pk, second.pk}
    assert milestone.url == consent.get_absolute_url()
    action_item_set_status(item=last, by=second, status="doing")
    action_item_set_status(item=last, by=second, status="done")
    assert Milestone.objects.count() == 1
