"""A community with one of everything, and its main pages: what the page-wide browser checks visit."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.services import topic_propose
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.meetings.services import event_create
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import post_create

from ..apps.insights.helpers import make_lively


def community_with_everything(make_user, join) -> tuple[User, Community, dict[str, int]]:
    """A community with a question and answers, a post, an event, a best practice, a topic, kudos."""
    founder = User.objects.create_user(
        "founder",
        "founder@example.org",
        "a-Long-passw0rd",
        display_name="Fiona Founder",
        is_km_lead=True,
    )
    community = community_create(by=founder, name="Mechanical Reliability", practice="reliability")
    members = make_lively(community, make_user, join)
    post_create(
        community=community,
        author=members[0],
        title="Our line 3 bearing checklist",
        body="We check **grease** and *noise* every Monday.",
    )
    starts = timezone.now() + timedelta(days=7)
    event = event_create(
        community=community,
        host=founder,
        title="Bearings breakfast",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        time_zone="Europe/Paris",
        location="Room 204",
        description="Bring a **worn** bearing.",
    )
    document = document_create(
        community=community,
        by=founder,
        title="Re-greasing conveyor bearings",
        body="## When\nEvery 500 hours on a two-shift line.",
    )
    topic_propose(
        community=community,
        by=members[1],
        title="Inventory levels of spare bearings",
        why="We run out twice a year and nobody knows the right level.",
    )
    kudos_give(
        community=community,
        giver=founder,
        receiver=members[2],
        reason="for the clearest answer on bearing wear",
    )
    health_snapshot_compute(community=community)
    question = Question.objects.filter(community=community).order_by("pk").first()
    assert question is not None
    return founder, community, {"event": event.pk, "document": document.pk, "question": question.pk}


def main_pages(community: Community, ids: dict[str, int]) -> list[str]:
    c = f"/c/{community.slug}"
    return [
        "/",
        "/welcome/",
        f"{c}/",
        f"{c}/questions/",
        f"{c}/questions/{ids['question']}/",
        f"{c}/questions/ask/",
        f"{c}/posts/",
        f"{c}/events/",
        f"{c}/events/{ids['event']}/",
        f"{c}/practices/",
        f"{c}/practices/{ids['document']}/",
        f"{c}/agenda/",
        f"{c}/wins/",
        f"/insights/c/{community.slug}/health/",
        "/insights/portfolio/",
        "/insights/method/",
        "/search/?q=bearing",
        "/notifications/",
    ]
