"""Notifications and sign-in records are kept as long as the settings say, then pruned daily;
the daily prune says what it removed."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessLog
from django.utils import timezone

from cultivate.apps.accounts.services import login_attempts_prune
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.notifications.services import notifications_prune
from cultivate.apps.operations.schedule import SCHEDULE


def _notice(community, member, days_old: int) -> Notification:
    return Notification.objects.create(
        recipient=member, kind=Kind.ANSWER, community=community, summary="An answer",
        url="/", created_at=timezone.now() - timedelta(days=days_old),
    )  # fmt: skip


def test_notifications_older_than_the_setting_are_pruned_and_newer_ones_kept(
    settings, community, member
):
    settings.CULTIVATE_KEEP_NOTIFICATIONS_DAYS = 30
    old, recent = _notice(community, member, 31), _notice(community, member, 29)
    assert notifications_prune() == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()
    settings.CULTIVATE_KEEP_NOTIFICATIONS_DAYS = 0  # 0 keeps them all
    assert notifications_prune(now=timezone.now() + timedelta(days=999)) == 0


def test_sign_in_records_older_than_the_setting_are_pruned(settings, db):
    settings.CULTIVATE_KEEP_LOGS_DAYS = 90
    AccessLog.objects.create(username="ana", ip_address="203.0.113.7", user_agent="x")
    AccessLog.objects.update(attempt_time=timezone.now() - timedelta(days=91))
    AccessLog.objects.create(username="bo", ip_address="203.0.113.8", user_agent="x")
    assert login_attempts_prune() == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["bo"]


def test_the_daily_prune_reports_notifications_and_sign_in_records(settings, community, member):
    settings.CULTIVATE_KEEP_NOTIFICATIONS_DAYS = 30
    _notice(community, member, 40)
    prune = next(job for job in SCHEDULE if job.name == "prune")
    said = prune.run(timezone.now())
    assert "1 notifications" in said
    assert "login records and" in said
