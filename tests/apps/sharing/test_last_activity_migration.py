"""Migration 0006 dates each existing thread's last activity from its history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("sharing", "0005_tag_moves_to_tags")]
AFTER = [("sharing", "0006_question_last_activity")]
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_a_thread_is_last_active_at_its_newest_answer_comment_on_an_answer_or_edit():
    old = _migrate(BEFORE)
    try:
        # People and communities are at their newest tables (only sharing went back).
        user_id = User.objects.create(username="ana", email="a@x.org").pk
        community_id = Community.objects.create(name="Pumps", slug="pumps").pk
        Question = old.get_model("sharing", "Question")
        Answer = old.get_model("sharing", "Answer")
        Comment = old.get_model("sharing", "Comment")

        def asked(title, days_edited=0):
            return Question.objects.create(
                community_id=community_id,
                author_id=user_id,
                title=title,
                body="b",
                body_html="b",
                created_at=T0,
                updated_at=T0 + timedelta(days=days_edited),
            )

        quiet, edited, discussed = asked("Quiet"), asked("Edited", 2), asked("Discussed")
        answer = Answer.objects.create(
            community_id=community_id,
            author_id=user_id,
            question=discussed,
            body="a",
            body_html="a",
            created_at=T0 + timedelta(days=1),
            updated_at=T0 + timedelta(days=1),
        )
        Comment.objects.create(
            community_id=community_id,
            author_id=user_id,
            answer=answer,
            body="c",
            body_html="c",
            created_at=T0 + timedelta(days=3),
            updated_at=T0 + timedelta(days=3),
        )

        new = _migrate(AFTER)
        moved = dict(
            new.get_model("sharing", "Question").objects.values_list("title", "last_activity_at")
        )
        assert moved == {
            "Quiet": T0,
            "Edited": T0 + timedelta(days=2),
            "Discussed": T0 + timedelta(days=3),
        }
        del quiet, edited
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
