"""Celebrations pages: the wins feed, the "Give kudos" form and cheering a win."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.permissions import check_contribute
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.communities.views import community_context
from cultivate.apps.webutils import add_service_errors, paginate, safe_next

from . import selectors, services
from .forms import KudosForm
from .permissions import can_celebrate


def wins(request: HttpRequest, slug: str) -> HttpResponse:
    """List milestones and kudos newest first; `?person=` keeps one member's wins."""
    community = community_get_for_user(request.user, slug)
    username = request.GET.get("person", "").strip()
    person = get_user_model().objects.filter(username=username).first() if username else None
    if username and person is None:
        raise Http404(_("No such person."))
    page = paginate(request, selectors.win_rows(request.user, community, person=person))
    may_celebrate = can_celebrate(request.user, community)
    return render(
        request,
        "celebrations/wins.html",
        community_context(request, community, "wins")
        | {
            "page_obj": page,
            "wins": selectors.wins_load(request.user, page.object_list),
            "person": person,
            "query_string": f"person={person.username}" if person else "",
            "can_celebrate": may_celebrate,
            "form": KudosForm(community=community) if may_celebrate else None,
        },
    )


@login_required
def kudos_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_contribute(request.user, community)
    initial = {"receiver": request.GET.get("to", "")}
    form = KudosForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            kudos = services.kudos_give(
                community=community, giver=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kudos sent to %(name)s.") % {"name": kudos.receiver.name})
            return redirect(safe_next(request, kudos.get_absolute_url()))
    return render(
        request,
        "celebrations/kudos_new.html",
        community_context(request, community, "wins") | {"form": form},
    )


@login_required
@require_POST
def cheer(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    win = selectors.win_get_for_user(request.user, community, kind, pk)
    try:
        services.win_cheer(win=win, user=signed_in(request))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("Cheered!"))
    default = f"{reverse('celebrations:wins', args=[community.slug])}#{kind}-{win.pk}"
    return redirect(safe_next(request, default))
