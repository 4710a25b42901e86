"""`manage.py send_event_reminders`: for the scheduler, the day before each event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cultivate.apps.meetings.tasks import send_event_reminders


class Command(BaseCommand):
    help = "Remind people going to events that start in 24-48 hours (never twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Pretend it is this ISO 8601 time (with an offset).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_event_reminders.enqueue(now=options["now"])
        self.stdout.write(f"Reminder job queued ({result.id}).")
