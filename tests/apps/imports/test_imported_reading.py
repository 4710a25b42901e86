"""An imported history reads in its own time, with its markup and the kinds read in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from django.test import Client

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.imports.services import history_import
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.sharing.models import Answer, Comment, Post, Question
from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.activity import Verb
from cultivate.core.connectors.detect import detect_and_read


def test_an_imported_history_is_read_as_of_its_last_contribution_not_today(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "se-beer-meta"
    history_import(path=path, community=community, by=coordinator)
    snapshot = health_snapshot_compute(community=community)
    export = diagnose_export(path).reports[0]
    assert snapshot.as_of == datetime.fromisoformat(export.as_of)
    assert snapshot.as_of < datetime(2023, 1, 1, tzinfo=UTC)
    assert snapshot.level == export.level["number"]


def test_the_health_page_reads_any_day_asked_and_says_when_a_day_is_not_one(
    data_dir: Path, community: Community, coordinator: User, client: Client
) -> None:
    history_import(path=data_dir / "se-beer-meta", community=community, by=coordinator)
    client.force_login(coordinator)
    page = client.get(f"/insights/c/{community.slug}/health/?as_of=2018-06-30")
    assert page.status_code == 200
    assert 'As of <time datetime="2018-06-30T23:59:59' in page.content.decode()
    wrong = client.get(f"/insights/c/{community.slug}/health/?as_of=last-june")
    assert wrong.status_code == 200
    assert "is not a date like 2025-03-31" in wrong.content.decode()


def test_imported_slack_markup_shows_mentions_links_and_emoji_and_the_kind_read(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    history_import(path=data_dir / "slack-houstondatavis", community=community, by=coordinator)
    bodies = [p.body_html for p in Post.objects.filter(community=community)]
    bodies += [c.body_html for c in Comment.objects.filter(community=community)]
    bodies += [q.body_html for q in Question.objects.filter(community=community)]
    shown = "\n".join(bodies)
    assert not re.search(r"&lt;@U[A-Z0-9]+", shown)  # no raw <@U065ETZEC>
    assert not re.search(r"&lt;https?://", shown)  # no raw <http://x|label>
    assert re.search(r'<a href="/people/member-[0-9a-f]{6}/"', shown)  # pseudonymous people
    read = set(Post.objects.filter(community=community).values_list("read_as", flat=True))
    assert {"broadcast"} <= read
    assert Comment.objects.filter(community=community).exclude(read_as="").exists()


def test_the_import_counts_the_score_points_it_kept(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    result = history_import(path=data_dir / "se-ai", community=community, by=coordinator)
    kept = sum(max(q.score, 0) for q in Question.objects.filter(community=community))
    kept += sum(max(a.score, 0) for a in Answer.objects.filter(question__community=community))
    assert result.created["score points kept"] == kept > 0


def test_a_day_a_report_cannot_read_is_refused_in_words_not_an_error_page(
    community: Community, coordinator: User, client: Client
) -> None:
    client.force_login(coordinator)
    for day in ("0001-01-01", "0001-03-15", "9999-12-31"):
        page = client.get(f"/insights/c/{community.slug}/health/?as_of={day}")
        assert page.status_code == 200
        assert "outside the dates a report can read" in page.content.decode()


def test_answers_to_questions_a_system_account_owns_are_kept_with_the_question_title(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "se-history-meta"
    answered = [
        a
        for batch in detect_and_read(path)
        for a in batch
        if a.verb is Verb.ANSWER and "question_title" in a.meta
    ]
    assert answered  # Community-owned meta questions have answers in this dump

    result = history_import(path=path, community=community, by=coordinator)

    assert "answer to a question not in the export" not in result.not_imported
    for activity in answered:
        title = f"Re: {activity.meta['question_title']}"[:200]
        assert Post.objects.filter(community=community, title__startswith=title[:60]).exists()
