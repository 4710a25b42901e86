"""Community pages: thin views that parse input, call one service or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.selectors import people_by_handle
from cultivate.apps.accounts.session import signed_in
from cultivate.apps.webutils import add_service_errors, paginate, safe_next

from . import selectors, services
from .forms import CommunityForm, DirectoryFilterForm, InviteForm, ReasonForm, RoutingForm
from .models import Community, Membership, MembershipState
from .permissions import can_view_health, check_coordinate, is_coordinator, membership_of


def community_context(request: HttpRequest, community: Community, tab: str) -> dict[str, object]:
    """Return what the community header needs: who the visitor is here, and which tab is open."""
    membership = membership_of(request.user, community)
    return {
        "community": community,
        "membership": membership,
        "is_member": membership is not None and membership.is_active,
        "is_coordinator": is_coordinator(request.user, community),
        "can_view_health": can_view_health(request.user, community),
        "tab": tab,
    }


def directory(request: HttpRequest) -> HttpResponse:
    """List the communities a person may see, with search and filters."""
    form = DirectoryFilterForm(request.GET or None, practices=selectors.practices())
    filters = form.cleaned_data if form.is_valid() else {}
    communities = selectors.community_directory(
        request.user,
        query=filters.get("q", ""),
        practice=filters.get("practice", ""),
        visibility=filters.get("visibility", ""),
        mine=bool(filters.get("mine")),
    )
    page = paginate(request, communities, per_page=24)
    mine: set[int] = set()
    invitations: list[Membership] = []
    if request.user.is_authenticated:
        mine = set(
            Membership.objects.filter(
                user_id=request.user.pk, state=MembershipState.ACTIVE
            ).values_list("community_id", flat=True)
        )
        invitations = list(selectors.invitations_for(request.user))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "communities/directory.html",
        {
            "form": form,
            "page_obj": page,
            "mine": mine,
            "invitations": invitations,
            "query_string": query_string.urlencode(),
        },
    )


@login_required
def community_new(request: HttpRequest) -> HttpResponse:
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(by=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is open. Invite the first members.") % {"name": community.name}
            )
            return redirect(community)
    return render(request, "communities/new.html", {"form": form})


def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, slug)
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.members(community)
    if query:
        rows = rows.filter(
            Q(user__display_name__icontains=query)
            | Q(user__username__icontains=query)
            | Q(user__department__icontains=query)
        )
    return render(
        request,
        "communities/members.html",
        community_context(request, community, "members")
        | {
            "page_obj": paginate(request, rows, per_page=50),
            "query": query,
            "query_string": f"q={query}" if query else "",
        },
    )


_NEUTRAL_REQUEST = gettext_lazy(
    "If a private community lives at this address, your request is now with its coordinators."
)


@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join a public community, accept an invitation, or ask to join a private one.

    A private community stays invisible: asking to join works by its address alone, and the
    answer reads the same whether or not such a community exists.
    """
    community = Community.objects.filter(slug=slug).first()
    membership = membership_of(request.user, community) if community else None
    invited = membership is not None and membership.state == MembershipState.INVITED
    if community is None or (community.is_private and not invited):
        if request.method == "POST":
            if community is not None and membership is None:
                services.membership_request(community=community, user=signed_in(request))
            messages.success(request, _NEUTRAL_REQUEST)
            return redirect("communities:directory")
        return render(request, "communities/request.html", {"slug": slug})
    if request.method != "POST":
        if invited:
            return render(request, "communities/invitation.html", {"community": community})
        return redirect(community)
    if invited and request.POST.get("answer") == "decline":
        services.invitation_decline(community=community, user=signed_in(request))
        messages.success(
            request, _("You declined the invitation to %(name)s.") % {"name": community.name}
        )
        return redirect("communities:directory")
    try:
        services.community_join(community=community, user=signed_in(request))
    except (ValidationError, PermissionDenied) as error:
        messages.warning(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
        return redirect(safe_next(request, community.get_absolute_url()))
    return redirect(community)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, slug)
    try:
        services.community_leave(community=community, user=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(community)
    messages.success(request, _("You left %(name)s.") % {"name": community.name})
    return redirect("communities:directory")


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, slug)
    check_coordinate(request.user, community)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        handle = form.cleaned_data["username"].strip()
        found = list(people_by_handle(handle)[:2])
        person = found[0] if len(found) == 1 else None
        if len(found) > 1:
            form.add_error(
                "username",
                _("Several people are called “%(name)s”: type the user name or e-mail.")
                % {"name": handle},
            )
        elif person is None:
            form.add_error("username", _("Nobody here is called “%(name)s”.") % {"name": handle})
        else:
            try:
                services.membership_invite(community=community, user=person, by=signed_in(request))
            except ValidationError as error:
                form.add_error("username", error.messages)
            else:
                messages.success(request, _("%(person)s is invited.") % {"person": person})
                return redirect("communities:members", slug=community.slug)
    return render(request, "communities/invite.html", {"community": community, "form": form})


def _membership_act(action: str, membership: Membership, by: User, reason: str) -> None:
    """Run one coordinator act on a membership; unknown acts are a 404."""
    if action == "approve":
        services.membership_approve(membership=membership, by=by)
    elif action == "decline":
        services.membership_decline(membership=membership, by=by, reason=reason)
    elif action == "remove":
        services.member_remove(membership=membership, by=by, reason=reason)
    elif action == "promote":
        services.member_promote(membership=membership, by=by)
    else:
        raise Http404(_("No such action."))


@login_required
@require_POST
def membership_act(
    request: HttpRequest, slug: str, membership_id: int, action: str
) -> HttpResponse:
    """Approve, decline, remove or promote a member (coordinators only)."""
    community = selectors.community_get_for_user(request.user, slug)
    if action not in ("approve", "decline", "remove", "promote"):
        raise Http404(_("No such action."))
    check_coordinate(request.user, community)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"),
        pk=membership_id,
        community=community,
    )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        _membership_act(action, membership, signed_in(request), reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Done: %(action)s %(user)s.") % {"action": action, "user": membership.user}
        )
    return redirect(safe_next(request, community.get_absolute_url()))


@login_required
@require_POST
def routing(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators choose after how long unanswered questions are routed to people."""
    community = selectors.community_get_for_user(request.user, slug)
    form = RoutingForm(request.POST)
    if form.is_valid():
        services.community_routing_set(
            community=community, by=signed_in(request), hours=form.cleaned_data["route_after_hours"]
        )
        messages.success(request, _("Question routing is saved."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("route_after_hours", [])))
    return redirect(reverse("sharing:moderation", args=[community.slug]) + "#routing")
