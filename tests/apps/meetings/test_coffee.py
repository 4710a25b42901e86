"""Coffee-pairing services against the real database: opt in, rounds, notices, "we met"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cultivate.apps.accounts.models import Expertise
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.services import community_leave
from cultivate.apps.meetings.coffee import (
    coffee_met,
    coffee_opt_in,
    coffee_opt_out,
    coffee_round_run,
)
from cultivate.apps.meetings.models import CoffeePair, CoffeeRound
from cultivate.apps.meetings.tasks import run_coffee_round
from cultivate.apps.notifications.models import Notification


def _opt_in(community, people):
    for person in people:
        coffee_opt_in(community=community, user=person)


def test_a_round_with_fewer_than_two_people_says_why_and_pairs_nobody(
    community, coordinator, member
):
    with pytest.raises(ValidationError) as error:
        coffee_round_run(community=community, by=coordinator)
    assert "Nobody has opted in" in error.value.message_dict["members"][0]
    coffee_opt_in(community=community, user=member)
    with pytest.raises(ValidationError) as error:
        coffee_round_run(community=community, by=coordinator)
    assert "Only one member (Mia Member) has opted in" in error.value.message_dict["members"][0]
    assert "nobody was paired" in error.value.message_dict["members"][0]
    assert not CoffeeRound.objects.exists()


def test_a_round_pairs_everyone_opted_in_and_tells_each_who_and_why(
    community, coordinator, members
):
    welding = Expertise.objects.create(name="welding")
    for person in members[:2]:
        person.expertise.add(welding)
    members[0].department, members[1].department = "Quality", "Maintenance"
    for person in members[:2]:
        person.save(update_fields=["department"])
    _opt_in(community, members[:2])
    coffee_round_run(community=community, by=coordinator)
    pair = CoffeePair.objects.get()
    assert set(pair.members.values_list("pk", flat=True)) == {members[0].pk, members[1].pk}
    assert pair.shared_tags == ["welding"]
    notice = Notification.objects.get(recipient=members[0])
    assert notice.kind == "coffee"
    assert notice.actor_id == members[1].pk
    assert f"meet {members[1].name} (Maintenance); you both know welding" in notice.summary
    assert Notification.objects.filter(recipient=members[1], kind="coffee").count() == 1
    assert not ActivityRecord.objects.exclude(verb="join").exists()  # a round is a system act


def test_an_odd_number_makes_one_trio_and_nobody_meets_themselves(community, coordinator, members):
    _opt_in(community, [*members[:3], coordinator])
    coffee_opt_in(community=community, user=members[3])
    coffee_round_run(community=community, by=coordinator, seed=7)
    sizes = sorted(p.members.count() for p in CoffeePair.objects.all())
    assert sizes == [2, 3]
    notices = Notification.objects.filter(kind="coffee")
    assert notices.count() == 5
    trio = next(p for p in CoffeePair.objects.all() if p.members.count() == 3)
    someone = trio.members.first()
    assert " and " in Notification.objects.get(recipient=someone).summary


def test_the_next_round_avoids_the_pairs_of_earlier_rounds(community, coordinator, members):
    _opt_in(community, members)  # four people can meet three times without a repeat
    seen: set[frozenset[int]] = set()
    for seed in range(3):
        coffee_round_run(community=community, by=None, seed=seed)
        latest = CoffeeRound.objects.order_by("-id").first()
        for pair in latest.pairs.all():
            key = frozenset(pair.members.values_list("pk", flat=True))
            assert key not in seen
            seen.add(key)
    assert len(seen) == 6


def test_people_who_left_or_opted_out_are_not_paired(community, coordinator, members):
    _opt_in(community, members)
    coffee_opt_out(community=community, user=members[0])
    community_leave(community=community, user=members[1])
    coffee_round_run(community=community, by=coordinator)
    paired = set(CoffeePair.objects.get().members.values_list("pk", flat=True))
    assert paired == {members[2].pk, members[3].pk}


def test_only_coordinators_run_a_round_by_hand_and_only_members_opt_in(community, member, outsider):
    with pytest.raises(PermissionDenied):
        coffee_round_run(community=community, by=member)
    with pytest.raises(PermissionDenied):
        coffee_opt_in(community=community, user=outsider)


def test_the_scheduled_job_runs_a_round_or_says_why_not(community, members):
    assert "Nobody has opted in" in run_coffee_round.call(community_id=community.pk)
    _opt_in(community, members[:2])
    assert "1 group in Mechanical Engineering" in run_coffee_round.call(community_id=community.pk)
    assert CoffeeRound.objects.filter(run_by__isnull=True).exists()


def test_we_met_records_one_pair_towards_the_other_person_once(community, coordinator, members):
    _opt_in(community, members[:2])
    coffee_round_run(community=community, by=coordinator)
    pair = CoffeePair.objects.get()
    coffee_met(pair=pair, by=members[1])
    record = ActivityRecord.objects.get(verb="pair")
    assert (record.actor_id, record.target_actor_id, record.object_type, record.meta) == (
        members[1].pk,
        members[0].pk,
        "coffeepair",
        {},
    )
    with pytest.raises(ValidationError):
        coffee_met(pair=pair, by=members[0])
    assert ActivityRecord.objects.filter(verb="pair").count() == 1


def test_only_someone_in_the_pair_says_they_met(community, coordinator, members):
    _opt_in(community, members[:2])
    coffee_round_run(community=community, by=coordinator)
    with pytest.raises(PermissionDenied):
        coffee_met(pair=CoffeePair.objects.get(), by=members[2])


def test_a_coordinator_confirms_a_round_seeing_how_many_people_it_tells(
    client, community, coordinator, members
):
    _opt_in(community, members)
    client.force_login(coordinator)

    page = client.get(reverse("meetings:coffee", args=[community.slug])).content.decode()

    confirm = page.split('data-testid="coffee-confirm"', 1)[1].split("</details>", 1)[0]
    assert f"This pairs the {len(members)} people who opted in" in confirm
    assert f"Pair {len(members)} people and tell them" in confirm
    assert reverse("meetings:coffee_round", args=[community.slug]) in confirm


def test_the_import_page_is_a_coordinators_tab(client, community, coordinator, member):
    upload = reverse("imports:upload", args=[community.slug])
    client.force_login(coordinator)
    page = client.get(reverse("sharing:home", args=[community.slug])).content.decode()
    assert f'href="{upload}"' in page
    assert 'aria-current="page">Import' in client.get(upload).content.decode()
    client.force_login(member)
    assert upload not in client.get(reverse("sharing:home", args=[community.slug])).content.decode()
