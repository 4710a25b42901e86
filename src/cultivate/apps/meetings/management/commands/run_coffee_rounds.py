"""`manage.py run_coffee_rounds`: for the scheduler, a pairing round in communities with people."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from cultivate.apps.communities.models import Community
from cultivate.apps.meetings.models import CoffeeOptIn
from cultivate.apps.meetings.tasks import run_coffee_round


class Command(BaseCommand):
    help = "Queue a coffee-pairing round in each community where two or more people opted in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--community", help="Only this community (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = (
            CoffeeOptIn.objects.values("community_id")
            .annotate(people=Count("id"))
            .filter(people__gte=2)
        )
        ids = [row["community_id"] for row in counts]
        communities = Community.objects.filter(pk__in=ids)
        if options["community"]:
            communities = Community.objects.filter(slug=options["community"])
        for community in communities.order_by("pk"):
            run_coffee_round.enqueue(community_id=community.pk)
            self.stdout.write(f"Queued a coffee round for {community.name}.")
