"""A community's home and its coordinators' desk: the pages where its content meets its people.

They live in sharing, above communities and notifications, because they gather from all three;
communities keeps the frame every community page shares (`community_context`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from cultivate.apps.communities import selectors as community_selectors
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_coordinate, content_audience
from cultivate.apps.communities.views import community_context
from cultivate.apps.fragments import cached_fragment
from cultivate.apps.notifications.selectors import is_watching_community

from . import selectors


def home(request: HttpRequest, slug: str) -> HttpResponse:
    """Show what's new, open questions, members and coordinators.

    The two lists and the people sidebar are cached parts (`cultivate.apps.fragments`): a view
    reads the community, the visitor's membership and the coordinator's counts, no content.
    """
    community = community_selectors.community_get_for_user(request.user, slug)
    context = community_context(request, community, "home")
    coordinator = bool(context["is_coordinator"])
    audience = content_audience(request.user, community)
    watching = request.user.is_authenticated and is_watching_community(request.user, community)
    context |= {
        "content": cached_fragment(
            "home-content",
            (community.pk, community.content_version, audience),
            lambda: render_to_string(
                "sharing/_home_content.html", _home_content(request, community, audience)
            ),
        ),
        "people": cached_fragment(
            "home-people",
            (community.pk, community.content_version),
            lambda: render_to_string("sharing/_home_people.html", _home_people(community)),
        ),
        "watching": watching,
        "pending_count": community_selectors.pending_requests(community).count()
        if coordinator
        else 0,
        "flag_count": community.flags.filter(resolved_at__isnull=True).count()
        if coordinator
        else 0,
    }
    return render(request, "sharing/community_home.html", context)


_TEXT = ("body", "body_html")


def _home_content(request: HttpRequest, community: Community, audience: str) -> dict[str, object]:
    # Cards show titles, not bodies: leave the text columns in the database.
    posts = list(selectors.posts_for(request.user, community).defer(*_TEXT)[:6])
    questions = list(selectors.questions_for(request.user, community).defer(*_TEXT)[:8])
    news = sorted(
        [("post", p) for p in posts] + [("question", q) for q in questions],
        key=lambda pair: pair[1].created_at,
        reverse=True,
    )[:10]
    open_questions = list(
        selectors.questions_for(request.user, community, status="open").defer(*_TEXT)[:6]
    )
    return {
        "community": community,
        "audience": audience,
        "news": news,
        "open_questions": open_questions,
    }


def _home_people(community: Community) -> dict[str, object]:
    member_rows = list(community_selectors.members(community)[:60])
    coordinators = [m for m in member_rows if m.is_coordinator]
    if len(member_rows) == 60:  # coordinators may sit beyond the first page of members
        coordinators = list(community_selectors.coordinators(community))
    return {
        "community": community,
        "members": member_rows[:18],
        "coordinators": coordinators,
        "tags": selectors.popular_tags(community),
    }


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' desk: requests to join, flagged and hidden content, and the log."""
    community = community_selectors.community_get_for_user(request.user, slug)
    check_coordinate(request.user, community)
    return render(
        request,
        "sharing/moderation.html",
        community_context(request, community, "moderation")
        | {
            "requests": list(community_selectors.pending_requests(community)),
            "flagged": selectors.flagged_content(community),
            "hidden": selectors.hidden_content(community),
            "log": list(community_selectors.moderation_log(community)[:100]),
        },
    )
