"""Meeting pages: events with RSVPs, attendance and notes, calendar files, and coffee pairing."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import (
    can_view_community,
    content_audience,
)
from cultivate.apps.communities.selectors import community_get_for_user, member_choices
from cultivate.apps.communities.views import community_context
from cultivate.apps.fragments import cached_fragment
from cultivate.apps.webutils import add_service_errors, page_number, paginate

from . import changes, selectors, services
from . import coffee as coffee_services
from .display import when_text
from .forms import CancelForm, EventForm, NotesForm
from .ical import calendar_bytes, ics_filename
from .models import Event, RsvpStatus
from .permissions import (
    can_manage_event,
    can_plan_for_another,
    check_create_event,
    check_manage_event,
)

_ZONES = sorted(services.known_zones())


def _context(request: HttpRequest, community: Community, tab: str) -> dict[str, object]:
    return community_context(request, community, tab)


# --- events --------------------------------------------------------------------------------------


def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's coming and past events; both lists are cached parts (`fragments.py`).

    Their key carries the minute, so an event that ends moves to the past within a minute.
    """
    community = community_get_for_user(request.user, slug)
    context = _context(request, community, "events")
    feed_url = ""
    if community.is_private and request.user.is_authenticated and context["is_member"]:
        secret = services.calendar_token_for(user=signed_in(request), community=community).secret
        feed_url = reverse("meetings:feed_token", args=[community.slug, secret])
    elif not community.is_private:
        feed_url = reverse("meetings:feed", args=[community.slug])
    minute = timezone.now().replace(second=0, microsecond=0).isoformat()
    scope = (community.pk, community.content_version, minute)
    audience = content_audience(request.user, community)
    page = page_number(request)  # the page that will be shown, not the raw parameter

    def coming() -> str:
        upcoming = list(selectors.events_for(request.user, community)[:50])
        return render_to_string(
            "meetings/_coming_events.html",
            {"upcoming": upcoming, "is_member": audience != "reader"},
        )

    def past() -> str:
        events = selectors.events_for(request.user, community, past=True)
        return render_to_string(
            "meetings/_past_events.html", {"page_obj": paginate(request, events)}
        )

    return render(
        request,
        "meetings/event_list.html",
        context
        | {
            "coming": cached_fragment("events-coming", (*scope, audience), coming),
            "past": cached_fragment("events-past", (*scope, page), past),
            "feed_url": request.build_absolute_uri(feed_url) if feed_url else "",
        },
    )


@login_required
def event_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_create_event(request.user, community)
    initial = {
        "kind": request.GET.get("kind", "meetup"),
        "time_zone": getattr(request.user, "time_zone", "") or "UTC",  # where the host lives
        "host": request.user.pk,
    }
    # A coordinator may plan an event for another member to host; anyone else hosts their own.
    by_coordinator = can_plan_for_another(request.user, community)
    hosts = member_choices(community) if by_coordinator else None
    form = EventForm(request.POST or None, initial=initial, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        me = signed_in(request)
        host = values.pop("host", None) or me
        try:
            event = services.event_create(community=community, host=host, by=me, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Event created: share the page or the calendar file."))
            return redirect(event)
    return render(
        request,
        "meetings/event_form.html",
        _context(request, community, "events") | {"form": form, "zones": _ZONES},
        status=400 if form.errors else 200,
    )


def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    context = _context(request, community, "events")
    mine = selectors.rsvp_of(request.user, event)
    return render(
        request,
        "meetings/event_detail.html",
        context
        | {
            "event": event,
            "when": when_text(event),
            "mine": mine,
            "position": selectors.waitlist_position(event, request.user, mine),
            "answers": selectors.rsvps_by_status(event),
            "attendees": selectors.attendees(event),
            "started": event.has_started(),
            "can_manage": can_manage_event(request.user, community, event.host_id),
            "choices": [
                (RsvpStatus.GOING, _("Going")),
                (RsvpStatus.MAYBE, _("Maybe")),
                (RsvpStatus.NOT_GOING, _("Not going")),
            ],
            "cancel_form": CancelForm(),
        },
    )


@login_required
def event_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an event that has not started; people who answered hear of a new time or place."""
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    check_manage_event(request.user, community, event.host_id)
    initial = {
        "kind": event.kind,
        "title": event.title,
        "starts_at": event.local_start.replace(tzinfo=None),
        "ends_at": event.local_end.replace(tzinfo=None),
        "time_zone": event.time_zone,
        "location": event.location,
        "link": event.link,
        "capacity": event.capacity,
        "description": event.description,
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes.event_update(event=event, by=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Event changed: the people who answered are told."))
            return redirect(event)
    return render(
        request,
        "meetings/event_form.html",
        _context(request, community, "events") | {"form": form, "zones": _ZONES, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why, so the people coming understand."))
        changes.event_cancel(event=event, by=signed_in(request), reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Event cancelled: the people who answered are told."))
    return redirect(event)


@login_required
@require_POST
def rsvp(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    try:
        answer = services.rsvp_set(
            event=event, user=signed_in(request), status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        if answer.status == RsvpStatus.WAITLISTED:
            messages.info(request, _("The event is full: you are on the waitlist."))
        else:
            messages.success(
                request, _("Saved: %(lower)s.") % {"lower": answer.get_status_display().lower()}
            )
    return redirect(event)


def _ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    check_manage_event(request.user, community, event.host_id)
    error_text = ""
    if request.method == "POST":
        try:
            present = services.attendance_take(
                event=event,
                by=signed_in(request),
                present_ids=_ids(request.POST.getlist("present")),
            )
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(
                request, _("Attendance saved: %(count)s present.") % {"count": len(present)}
            )
            return redirect(event)
    present_ids = {u.pk for u in selectors.attendees(event)}
    return render(
        request,
        "meetings/attendance.html",
        _context(request, community, "events")
        | {
            "event": event,
            "when": when_text(event),
            "candidates": selectors.attendance_candidates(event),
            "present_ids": present_ids,
            "error": error_text,
        },
        status=400 if error_text else 200,
    )


@login_required
def notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    check_manage_event(request.user, community, event.host_id)
    form = NotesForm(request.POST or None, initial={"notes": event.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_notes_save(
                event=event, by=signed_in(request), notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Notes saved."))
            return redirect(event)
    return render(
        request,
        "meetings/notes.html",
        _context(request, community, "events") | {"event": event, "form": form},
    )


# --- calendar files ------------------------------------------------------------------------------


def _ics(request: HttpRequest, events: Iterable[Event], name: str) -> bytes:
    return calendar_bytes(
        events,
        name=name,
        url_of=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        domain=request.get_host().split(":")[0],
    )


def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    event = selectors.event_in_community(request.user, community, pk)
    response = HttpResponse(
        _ics(request, [event], community.name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(event)}"'
    return response


def _feed(request: HttpRequest, community: Community) -> HttpResponse:
    events = selectors.feed_events(community)
    response = HttpResponse(
        _ics(request, events, f"{community.name} events"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A public community's feed, open to any calendar; a private one needs the secret URL."""
    community = community_get_for_user(request.user, slug)
    return _feed(request, community)


def feed_for_token(request: HttpRequest, slug: str, secret: str) -> HttpResponse:
    """A member's secret feed URL: works in calendar apps that cannot log in, and only while
    the person may still see the community."""
    community = Community.objects.filter(slug=slug).first()
    reader: User | AnonymousUser = (
        selectors.feed_reader(secret, community) if community else None
    ) or AnonymousUser()
    if (
        community is None
        or not reader.is_authenticated
        or not can_view_community(reader, community)
    ):
        raise Http404(_("No such calendar."))
    return _feed(request, community)


@login_required
@require_POST
def feed_reset(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    services.calendar_token_reset(user=signed_in(request), community=community)
    messages.success(request, _("New calendar link made: the old one no longer works."))
    return redirect("meetings:events", community.slug)


# --- coffee pairing ------------------------------------------------------------------------------


def coffee(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    pairs = selectors.pairs_of(request.user, community)
    return render(
        request,
        "meetings/coffee.html",
        _context(request, community, "coffee")
        | {
            "opted_in": selectors.is_opted_in(request.user, community),
            "opted_in_count": selectors.opted_in_count(community),
            "pairs": [(pair, selectors.others_in(pair, request.user)) for pair in pairs],
            "latest_round": selectors.latest_round(community),
        },
    )


@login_required
@require_POST
def coffee_opt_in_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    coffee_services.coffee_opt_in(community=community, user=signed_in(request))
    messages.success(request, _("You are in: the next round pairs you with someone."))
    return redirect("meetings:coffee", community.slug)


@login_required
@require_POST
def coffee_opt_out_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    coffee_services.coffee_opt_out(community=community, user=signed_in(request))
    messages.success(request, _("You are out of coffee pairing; opt in again any time."))
    return redirect("meetings:coffee", community.slug)


@login_required
@require_POST
def coffee_round_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    try:
        round_ = coffee_services.coffee_round_run(community=community, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        count = round_.pairs.count()
        messages.success(
            request,
            ngettext(
                "Round done: %(count)s group told.", "Round done: %(count)s groups told.", count
            )
            % {"count": count},
        )
    return redirect("meetings:coffee", community.slug)


@login_required
@require_POST
def coffee_met_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    pair = selectors.pair_get_for_user(request.user, pk)
    if pair.community_id != community.pk:
        raise Http404(_("No such coffee pair."))
    try:
        coffee_services.coffee_met(pair=pair, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lovely: your meeting is recorded."))
    return redirect("meetings:coffee", community.slug)
