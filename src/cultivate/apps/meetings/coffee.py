"""Writes for coffee pairing: opt in and out, run a round, say "we met".

A round is a system act (no Activity); the first "we met" on a pair records one PAIR.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import Phrase, phrase
from cultivate.apps.notifications.services import notify
from cultivate.core.activity import Verb

from .models import CoffeeOptIn, CoffeePair, CoffeeRound
from .pairing import Person, met_pairs, pair_people, shared_tags
from .permissions import check_join_coffee, check_report_coffee_met, check_run_coffee_round
from .selectors import opted_in_people

if TYPE_CHECKING:
    from collections.abc import Sequence


def coffee_opt_in(*, community: Community, user: User, at: datetime | None = None) -> CoffeeOptIn:
    """Ask to be paired in the community's coming rounds."""
    check_join_coffee(user, community)
    with transaction.atomic():
        opt_in, _unused = CoffeeOptIn.objects.get_or_create(
            community=community, user=user, defaults={"created_at": at or timezone.now()}
        )
    return opt_in


def coffee_opt_out(*, community: Community, user: User) -> bool:
    """Stop being paired from the next round on; return whether the person was opted in."""
    with transaction.atomic():
        deleted, _unused = CoffeeOptIn.objects.filter(community=community, user=user).delete()
    return bool(deleted)


def _opted_in(community: Community) -> list[User]:
    """Return the opted-in people who are still active members, with their expertise."""
    return list(opted_in_people(community).prefetch_related("expertise").order_by("pk"))


def _history(community: Community) -> set[frozenset[int]]:
    """Return every two people grouped together in the community's earlier rounds."""
    rows = CoffeePair.members.through.objects.filter(coffeepair__community=community).values_list(
        "coffeepair_id", "user_id"
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for pair_id, user_id in rows:
        groups[pair_id].append(user_id)
    return met_pairs(groups.values())


def _person(user: User) -> Person:
    return Person(
        id=user.pk,
        department=user.department.strip().lower(),
        tags=frozenset(e.name for e in user.expertise.all()),
    )


def _not_enough(people: Sequence[User]) -> ValidationError:
    if not people:
        said = _("Nobody has opted in to coffee pairing yet: a round needs at least two people.")
    else:
        said = _(
            "Only one member (%(name)s) has opted in to coffee pairing: a round needs at least "
            "two people, so nobody was paired."
        ) % {"name": people[0].name}
    return ValidationError({"members": said})


def coffee_round_run(
    *,
    community: Community,
    by: User | None,
    seed: int | None = None,
    at: datetime | None = None,
) -> CoffeeRound:
    """Pair everyone opted in and tell each person who they meet and what they share.

    `by` is the coordinator who asked, or None when the scheduler runs it. Fewer than two
    people opted in raise ValidationError saying so, and nobody is paired.
    """
    if by is not None:
        check_run_coffee_round(by, community)
    people = _opted_in(community)
    if len(people) < 2:
        raise _not_enough(people)
    seed = seed if seed is not None else secrets.randbits(48)
    by_id = {u.pk: u for u in people}
    persons = {u.pk: _person(u) for u in people}
    groups = pair_people(list(persons.values()), _history(community), seed=seed)
    url = reverse("meetings:coffee", args=[community.slug])
    with transaction.atomic():
        round_ = CoffeeRound.objects.create(
            community=community, run_by=by, seed=seed, created_at=at or timezone.now()
        )
        pairs = CoffeePair.objects.bulk_create(
            CoffeePair(round=round_, community=community, shared_tags=_talk(group, persons))
            for group in groups
        )
        seats = CoffeePair.members.through
        seats.objects.bulk_create(
            seats(coffeepair_id=pair.pk, user_id=member)
            for pair, group in zip(pairs, groups, strict=True)
            for member in group
        )
        for group in groups:
            for member in group:
                others = [by_id[o] for o in group if o != member]
                notify(
                    recipient_ids=[member],
                    kind=Kind.COFFEE,
                    actor=others[0],
                    community=community,
                    summary=_introduction(persons[member], others, persons),
                    url=url,
                    at=at,
                )
    return round_


def _talk(group: Sequence[int], persons: dict[int, Person]) -> list[str]:
    """The expertise any two people of the group share: something to start talking about."""
    return sorted(
        {t for a in group for b in group if a < b for t in shared_tags(persons[a], persons[b])}
    )


def _introduction(me: Person, others: list[User], persons: dict[int, Person]) -> Phrase:
    """Say who to meet and why: the expertise you share, or an invitation to find out."""
    named = [f"{o.name} ({o.department})" if o.department else o.name for o in others]
    names: str | Phrase = named[0]
    if len(named) > 1:
        names = phrase(gettext_noop("%(first)s and %(second)s"), first=named[0], second=named[1])
    common = sorted({t for o in others for t in shared_tags(me, persons[o.pk])})
    if common:
        return phrase(
            gettext_noop("Coffee pairing: meet %(names)s; you both know %(common)s."),
            names=names,
            common=", ".join(common),
        )
    return phrase(
        gettext_noop("Coffee pairing: meet %(names)s; ask what they are working on."), names=names
    )


def coffee_met(*, pair: CoffeePair, by: User, at: datetime | None = None) -> CoffeePair:
    """Say the pair met; the first to say so records one PAIR towards the other person."""
    community = pair.community
    member_ids = sorted(pair.members.values_list("pk", flat=True))
    check_report_coffee_met(by, community, set(member_ids))
    with transaction.atomic():
        locked = CoffeePair.objects.select_for_update().get(pk=pair.pk)
        if locked.met_at is not None:
            raise ValidationError(_("This pair has already said they met: thank you!"))
        locked.met_at = pair.met_at = at or timezone.now()
        locked.met_reported_by = pair.met_reported_by = by
        locked.save(update_fields=["met_at", "met_reported_by"])
        activity_record(
            verb=Verb.PAIR,
            actor_id=by.pk,
            community_id=community.pk,
            obj=locked,
            target_actor_id=next(m for m in member_ids if m != by.pk),
            at=locked.met_at,
            meta={},
        )
    return pair
