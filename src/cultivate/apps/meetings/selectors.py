"""Reads for meetings; every one starts from a community the person may see (404 otherwise)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community, MembershipState
from cultivate.apps.communities.permissions import can_view_community
from cultivate.apps.communities.selectors import visible_community_ids

from .models import Attendance, CalendarToken, CoffeeOptIn, CoffeePair, CoffeeRound, Event, Rsvp
from .models import RsvpStatus as S

if TYPE_CHECKING:
    from collections.abc import Iterable

FEED_PAST_DAYS = 90
"""A calendar feed keeps the last 90 days' events, so a past meetup stays in people's calendars."""


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("host", "community").annotate(
        going_count=Count("rsvps", filter=Q(rsvps__status=S.GOING)),
        waitlist_count=Count("rsvps", filter=Q(rsvps__status=S.WAITLISTED)),
    )


def events_for(
    user: User | AnonymousUser, community: Community, *, past: bool = False
) -> QuerySet[Event]:
    """Return the community's coming events (soonest first) or past ones (latest first)."""
    if not can_view_community(user, community):
        raise Http404(_("No such community."))
    now = timezone.now()
    events = Event.objects.filter(community=community)
    if past:
        return _with_counts(events.filter(ends_at__lt=now)).order_by("-starts_at", "-id")
    return _with_counts(events.filter(ends_at__gte=now)).order_by("starts_at", "id")


def event_get_for_user(user: User | AnonymousUser, pk: int) -> Event:
    """Return a visible event by id alone, with its counts, or 404."""
    event = _with_counts(
        Event.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
    ).first()
    if event is None:
        raise Http404(_("No such event."))
    return event


def event_in_community(user: User | AnonymousUser, community: Community, pk: int) -> Event:
    """Return the community's event, or 404 (also when the community is hidden from the person)."""
    if not can_view_community(user, community):
        raise Http404(_("No such event."))
    event = _with_counts(Event.objects.filter(pk=pk, community=community)).first()
    if event is None:
        raise Http404(_("No such event."))
    return event


def rsvp_of(user: User | AnonymousUser, event: Event) -> Rsvp | None:
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(event=event, user_id=user.pk).first()


def rsvps_by_status(event: Event) -> dict[str, list[Rsvp]]:
    """Return the event's answers by status; the waitlist in the order seats will be offered."""
    grouped: dict[str, list[Rsvp]] = {status: [] for status in S.values}
    rows = Rsvp.objects.filter(event=event).select_related("user")
    for rsvp in rows.order_by("waitlisted_at", "updated_at", "id"):
        grouped[rsvp.status].append(rsvp)
    return grouped


def waitlist_position(
    event: Event, user: User | AnonymousUser, mine: Rsvp | None = None
) -> int | None:
    """Return the person's place on the waitlist (1 is next), or None when not on it.

    `mine`: the person's answer where the caller has read it already (one query fewer).
    """
    mine = mine if mine is not None else rsvp_of(user, event)
    if mine is None or mine.status != S.WAITLISTED or mine.waitlisted_at is None:
        return None
    ahead = Rsvp.objects.filter(event=event, status=S.WAITLISTED).filter(
        Q(waitlisted_at__lt=mine.waitlisted_at)
        | Q(waitlisted_at=mine.waitlisted_at, id__lt=mine.pk)
    )
    return ahead.count() + 1


def attendees(event: Event) -> list[User]:
    ids = Attendance.objects.filter(event=event).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "username"))


def attendance_candidates(event: Event) -> list[User]:
    """Return who might have been there: everyone who answered and everyone recorded present."""
    answered = Rsvp.objects.filter(event=event).exclude(status=S.NOT_GOING).values("user_id")
    present = Attendance.objects.filter(event=event).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=answered) | Q(pk__in=present)).order_by(
            "display_name", "username"
        )
    )


def feed_events(community: Community) -> QuerySet[Event]:
    """Return the events a calendar feed lists: coming ones and those of the last 90 days."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return (
        Event.objects.filter(community=community, ends_at__gte=since)
        .select_related("community")
        .order_by("starts_at", "id")
    )


def feed_reader(secret: str, community: Community) -> User | None:
    """Return the person whose secret this is for this community's feed, if it is current."""
    token = CalendarToken.objects.filter(
        secret=secret, community=community, user__is_active=True
    ).select_related("user")
    found = token.first()
    return found.user if found else None


# --- coffee pairing -----------------------------------------------------------------------------


def is_opted_in(user: User | AnonymousUser, community: Community) -> bool:
    if not user.is_authenticated:
        return False
    return CoffeeOptIn.objects.filter(community=community, user_id=user.pk).exists()


def opted_in_people(community: Community) -> QuerySet[User]:
    """The people a coffee round pairs: opted in, and still active members."""
    return User.objects.filter(
        pk__in=CoffeeOptIn.objects.filter(community=community).values("user_id"),
        memberships__community=community,
        memberships__state=MembershipState.ACTIVE,
        is_active=True,
    )


def opted_in_count(community: Community) -> int:
    return opted_in_people(community).count()


def pairs_of(user: User | AnonymousUser, community: Community, limit: int = 20) -> list[CoffeePair]:
    """Return the person's coffee pairs in the community, latest round first, with the others."""
    if not user.is_authenticated:
        return []
    members = User.objects.prefetch_related("expertise").order_by("pk")
    return list(
        CoffeePair.objects.filter(community=community, members=user.pk)
        .select_related("round", "met_reported_by")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("-round__created_at", "-id")[:limit]
    )


def pair_get_for_user(user: User | AnonymousUser, pk: int) -> CoffeePair:
    """Return a coffee pair in a community the person may see, or 404."""
    members = User.objects.prefetch_related("expertise").order_by("pk")
    pair = (
        CoffeePair.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("community", "round")
        .prefetch_related(Prefetch("members", queryset=members))
        .first()
    )
    if pair is None:
        raise Http404(_("No such coffee pair."))
    return pair


def latest_round(community: Community) -> CoffeeRound | None:
    return (
        CoffeeRound.objects.filter(community=community)
        .annotate(group_count=Count("pairs"))
        .order_by("-created_at", "-id")
        .first()
    )


def others_in(pair: CoffeePair, user: User | AnonymousUser) -> Iterable[User]:
    return [m for m in pair.members.all() if m.pk != user.pk]
