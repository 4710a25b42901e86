"""`cultivate tick`: one cron line queues every job that is due, and running it again is safe."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from typer.testing import CliRunner

from cultivate.apps.decisions.actions import action_item_create
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.meetings.coffee import coffee_opt_in
from cultivate.apps.meetings.models import CoffeeRound
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.operations.periodic import COFFEE_EVERY, coffee_rounds_due, enqueue_due_jobs
from cultivate.cli.main import app

runner = CliRunner()


def test_a_tick_runs_a_coffee_round_once_then_waits_until_the_next_is_due(
    community, coordinator, member
):
    coffee_opt_in(community=community, user=coordinator)
    coffee_opt_in(community=community, user=member)
    now = timezone.now()
    jobs = [q.job for q in enqueue_due_jobs(now)]
    assert jobs.count("coffee round") == 1
    assert CoffeeRound.objects.filter(community=community).count() == 1
    assert coffee_rounds_due(now + timedelta(days=1)) == []
    assert coffee_rounds_due(now + COFFEE_EVERY + timedelta(hours=1)) == [community.pk]


def test_a_community_with_one_person_opted_in_gets_no_round(community, coordinator):
    coffee_opt_in(community=community, user=coordinator)
    assert coffee_rounds_due(timezone.now()) == []


def test_a_tick_reminds_an_overdue_owner_once_and_keeps_snapshots_fresh(
    community, coordinator, member
):
    item = action_item_create(
        community=community,
        by=coordinator,
        title="Send the checklist",
        owner=member,
        due=timezone.localdate() + timedelta(days=1),
    )
    # Midday, so the second tick five minutes on is the same day whenever the test runs
    # (near midnight it was the next day, which rightly reminds again).
    later = (timezone.now() + timedelta(days=3)).replace(hour=12, minute=0)
    enqueue_due_jobs(later)
    enqueue_due_jobs(later + timedelta(minutes=5))
    reminders = Notification.objects.filter(kind=Kind.ACTION, recipient=member)
    assert [n.summary for n in reminders if "Overdue" in n.summary] == [
        f"Overdue by 2 days: {item.title} (due {item.due:%d %b %Y})"
    ]
    assert HealthSnapshot.objects.filter(community=community).count() == 1


def test_the_tick_command_prints_what_it_queued(db):
    result = runner.invoke(app, ["tick", "--now", "2030-01-01T09:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "event reminders: 0" in result.output
    assert "health snapshots" in result.output


def test_a_bad_now_is_refused_naming_the_option(db):
    result = runner.invoke(app, ["tick", "--now", "yesterday"])
    assert result.exit_code == 2
    assert "--now" in result.output
