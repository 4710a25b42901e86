"""Notification pages: the list, opening a notice, e-mail choices, watching for new questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.tags.selectors import watchable_tag_get, watched_tags
from cultivate.apps.tags.services import normal_tag, tag_watch_toggle
from cultivate.apps.webutils import paginate, safe_next

from .forms import EmailPreferencesForm
from .grouping import grouped
from .selectors import (
    email_preferences_for,
    notification_get_for_user,
    notifications_for,
    watched_communities,
)
from .services import (
    community_watch_toggle,
    email_preferences_update,
    notifications_mark_read,
)

PER_PAGE = 25


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_relative(url: str) -> bool:
    """Accept only same-site paths, so a stored notice can never send someone elsewhere."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the person's notices, newest first, unread ones marked."""
    page = paginate(request, notifications_for(_me(request)), PER_PAGE)
    return render(request, "notifications/list.html", {"page_obj": page, "entries": grouped(page)})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every notice read."""
    count = notifications_mark_read(user=_me(request))
    if count:
        messages.success(
            request,
            ngettext(
                "Marked %(count)s notification read.", "Marked %(count)s notifications read.", count
            )
            % {"count": count},
        )
    return redirect(safe_next(request, reverse("notifications:list")))


@login_required
@require_http_methods(["GET", "POST"])
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the person's own notices read and go to what it is about."""
    user = _me(request)
    notification = notification_get_for_user(user, pk)
    if notification.read_at is None:
        notifications_mark_read(user=user, ids=[notification.pk])
    if _is_relative(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Choose which notices also come by e-mail; see and stop what one watches."""
    user = _me(request)
    form = EmailPreferencesForm(
        request.POST or None, initial=EmailPreferencesForm.initial_from(email_preferences_for(user))
    )
    if request.method == "POST" and form.is_valid():
        email_preferences_update(user=user, choices=form.cleaned_data)
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "communities": list(watched_communities(user)),
            "tags": list(watched_tags(user)),
        },
    )


@login_required
@require_POST
def watch_community(request: HttpRequest, slug: str) -> HttpResponse:
    """Start or stop hearing about new questions in a community the person may see."""
    user = _me(request)
    community = community_get_for_user(user, slug)
    if community_watch_toggle(user=user, community=community):
        messages.success(
            request, _("You now hear about new questions in %(name)s.") % {"name": community.name}
        )
    else:
        messages.success(request, _("You no longer watch %(name)s.") % {"name": community.name})
    return redirect(safe_next(request, community.get_absolute_url()))


@login_required
@require_POST
def watch_tag(request: HttpRequest, tag: str) -> HttpResponse:
    """Start or stop hearing about new questions with a tag."""
    user = _me(request)
    found = watchable_tag_get(user, normal_tag(tag))
    if tag_watch_toggle(user=user, tag_id=found.pk):
        messages.success(
            request, _("You now hear about new questions tagged %(name)s.") % {"name": found.name}
        )
    else:
        messages.success(request, _("You no longer watch the tag %(name)s.") % {"name": found.name})
    return redirect(safe_next(request, reverse("notifications:settings")))
