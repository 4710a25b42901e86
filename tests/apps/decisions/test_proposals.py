"""Proposals, stances, tallies and outcomes against the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.decisions.models import PollOption, Stance
from cultivate.apps.decisions.selectors import proposal_tally, stance_history
from cultivate.apps.decisions.services import proposal_close, proposal_create, stance_take
from cultivate.apps.notifications.models import Kind, Notification


def _propose(community, by, **overrides):
    fields = {
        "community": community,
        "by": by,
        "title": "Rotate the meetup host",
        "body": "Each month another member hosts.",
        "deadline": timezone.now() + timedelta(days=3),
        "process": "consent",
        "options": None,
    }
    return proposal_create(**(fields | overrides))


def test_proposing_records_one_propose_activity_and_tells_every_member(
    community, coordinator, member, second
):
    proposal = _propose(community, member)
    [activity] = ActivityRecord.objects.filter(object_type="proposal", object_pk=proposal.pk)
    assert (activity.verb, activity.actor_id, activity.meta) == (
        "propose",
        member.pk,
        {"process": "consent"},
    )
    told = set(Notification.objects.filter(kind=Kind.DECISION).values_list("recipient", flat=True))
    assert told == {coordinator.pk, second.pk}


def test_a_non_member_cannot_propose(community, outsider):
    with pytest.raises(PermissionDenied):
        _propose(community, outsider)


def test_a_deadline_in_the_past_is_refused(community, member):
    with pytest.raises(ValidationError) as error:
        _propose(community, member, deadline=timezone.now() - timedelta(hours=1))
    assert "in the past" in error.value.message_dict["deadline"][0]


def test_a_poll_with_fewer_than_two_options_is_refused(community, member):
    with pytest.raises(ValidationError) as error:
        _propose(community, member, process="poll", options=["Only one", "  "])
    assert error.value.message_dict["options"] == ["A poll needs at least 2 options (it has 1)."]


def test_a_poll_with_duplicate_options_is_refused_naming_them(community, member):
    with pytest.raises(ValidationError) as error:
        _propose(community, member, process="poll", options=["Tea", "Coffee", "tea", "Coffee"])
    message = error.value.message_dict["options"][0]
    assert "'tea'" in message
    assert "'Coffee'" in message


def test_a_poll_with_more_than_twenty_options_is_refused(community, member):
    with pytest.raises(ValidationError) as error:
        _propose(community, member, process="poll", options=[f"Option {n}" for n in range(21)])
    assert "at most 20" in error.value.message_dict["options"][0]


def test_poll_options_can_carry_a_key_or_a_generic_link(community, member, second):
    proposal = _propose(
        community,
        member,
        process="poll",
        options=["Bearings", "Gears", "People"],
        option_links=["topic-1", community, None],
    )
    keyed, linked, plain = PollOption.objects.filter(proposal=proposal).order_by("position")
    assert keyed.key == "topic-1"
    assert linked.target == community
    assert (plain.key, plain.content_type_id, plain.object_id) == ("", None, None)


def test_the_tally_counts_each_consent_stance_and_who_took_it(consent, coordinator, second):
    stance_take(proposal=consent, by=coordinator, stance="agree")
    stance_take(proposal=consent, by=second, stance="disagree", reason="Too much admin.")
    tally = proposal_tally(consent)
    counts = {row.choice: (row.count, [p.username for p in row.people]) for row in tally.rows}
    assert counts == {
        "agree": (1, ["coco"]),
        "abstain": (0, []),
        "disagree": (1, ["sam"]),
        "block": (0, []),
    }
    assert tally.total == 2
    assert tally.blocks == 0


def test_the_poll_tally_ranks_options_by_votes(poll, coordinator, second, member):
    _, alignment, vibration = poll.options.order_by("position")
    stance_take(proposal=poll, by=coordinator, option=alignment)
    stance_take(proposal=poll, by=second, option=alignment.pk)
    stance_take(proposal=poll, by=member, option=vibration)
    tally = proposal_tally(poll)
    assert [row.label for row in tally.rows] == ["Lubrication", "Alignment", "Vibration"]
    assert [(row.label, row.count) for row in tally.ranked] == [
        ("Alignment", 2),
        ("Vibration", 1),
        ("Lubrication", 0),
    ]
    assert tally.ranked[0].option == alignment


def test_a_vote_for_another_polls_option_is_refused(poll, consent, coordinator, community, member):
    other = _propose(community, member, process="poll", options=["A", "B"])
    with pytest.raises(ValidationError) as error:
        stance_take(proposal=poll, by=coordinator, option=other.options.first())
    assert "option" in error.value.message_dict


def test_changing_a_stance_keeps_its_history(consent, second):
    stance_take(proposal=consent, by=second, stance="disagree", reason="Too much admin.")
    stance_take(proposal=consent, by=second, stance="agree", reason="A template helps.")
    assert Stance.objects.get(proposal=consent, user=second).stance == "agree"
    history = stance_history(consent, second.pk)
    assert [(c.stance, c.reason) for c in history] == [
        ("disagree", "Too much admin."),
        ("agree", "A template helps."),
    ]
    assert proposal_tally(consent).total == 1


def test_each_stance_records_one_vote_saying_whether_it_changed(consent, second, member):
    stance_take(proposal=consent, by=second, stance="abstain")
    stance_take(proposal=consent, by=second, stance="agree")
    votes = ActivityRecord.objects.filter(verb="vote").order_by("id")
    assert [(v.meta, v.target_actor_id, v.parent_type) for v in votes] == [
        ({"stance": "abstain", "changed": False}, member.pk, "proposal"),
        ({"stance": "agree", "changed": True}, member.pk, "proposal"),
    ]


def test_the_same_stance_twice_is_refused(consent, second):
    stance_take(proposal=consent, by=second, stance="agree")
    with pytest.raises(ValidationError, match="already your stance"):
        stance_take(proposal=consent, by=second, stance="agree")


def test_a_block_must_carry_a_reason(consent, second):
    with pytest.raises(ValidationError) as error:
        stance_take(proposal=consent, by=second, stance="block", reason="  ")
    assert "reason" in error.value.message_dict
    stance_take(proposal=consent, by=second, stance="block", reason="It breaks our audit trail.")
    assert proposal_tally(consent).blocks == 1


def test_a_stance_after_the_deadline_is_refused_saying_when_it_closed(consent, second):
    later = consent.deadline + timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        stance_take(proposal=consent, by=second, stance="agree", at=later)
    local = timezone.localtime(consent.deadline)
    assert f"{local:%H:%M}" in error.value.messages[0]
    assert "closed at the deadline" in error.value.messages[0]


def test_a_non_members_stance_is_refused(consent, outsider):
    with pytest.raises(PermissionDenied):
        stance_take(proposal=consent, by=outsider, stance="agree")


def test_a_member_who_asked_to_join_is_not_yet_taking_part(private_community, make_user):
    from cultivate.apps.communities.services import membership_request

    coordinator = private_community.created_by
    proposal = _propose(private_community, coordinator)
    hopeful = make_user()
    membership_request(community=private_community, user=hopeful)
    with pytest.raises(PermissionDenied):
        stance_take(proposal=proposal, by=hopeful, stance="agree")


def test_only_the_proposer_or_a_coordinator_can_close(consent, second, coordinator):
    with pytest.raises(PermissionDenied):
        proposal_close(proposal=consent, by=second, outcome="We adopt it.")
    proposal_close(proposal=consent, by=coordinator, outcome="We adopt it.")
    assert consent.is_closed
    assert consent.closed_by == coordinator


def test_closing_early_records_decide_and_tells_members(consent, member, coordinator, second):
    Notification.objects.all().delete()
    proposal_close(proposal=consent, by=member, outcome="**Adopted**, starting in May.")
    consent.refresh_from_db()
    assert "<strong>Adopted</strong>" in consent.outcome_html
    [decide] = ActivityRecord.objects.filter(verb="decide")
    assert decide.meta == {"outcome": "Adopted, starting in May."}
    told = set(Notification.objects.filter(kind=Kind.DECISION).values_list("recipient", flat=True))
    assert told == {coordinator.pk, second.pk}


def test_closing_needs_a_written_outcome(consent, member):
    with pytest.raises(ValidationError) as error:
        proposal_close(proposal=consent, by=member, outcome=" ")
    assert "outcome" in error.value.message_dict


def test_a_closed_proposal_accepts_no_more_stances_and_cannot_close_again(consent, member, second):
    proposal_close(proposal=consent, by=member, outcome="Adopted.")
    with pytest.raises(ValidationError, match="closed on"):
        stance_take(proposal=consent, by=second, stance="agree")
    with pytest.raises(ValidationError, match="already closed"):
        proposal_close(proposal=consent, by=member, outcome="Again.")
