"""Importing real exports: every question, answer and comment lands once, with its original time."""

from __future__ import annotations

import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import F

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import Community, Membership
from cultivate.apps.imports import services
from cultivate.apps.imports.models import ImportedIdentity
from cultivate.apps.imports.reading import username_for
from cultivate.apps.imports.services import history_import
from cultivate.apps.notifications.models import Notification
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.sharing.models import Answer, Comment, Post, Question, Vote
from cultivate.core.activity import Activity
from cultivate.core.connectors import SourceError, detect_and_read


def _reader_verbs(path: Path) -> Counter[str]:
    return Counter(a.verb.value for batch in detect_and_read(path) for a in batch)


def _row_counts() -> dict[str, int]:
    """Count the rows of every model the project has: the proof that nothing was added."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _posts_xml(path: Path) -> list[dict[str, str]]:
    return [row.attrib for row in ET.parse(path / "Posts.xml").getroot()]


def _dump_date(raw: str) -> datetime:
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)


def _imported_records(community: Community) -> Counter[str]:
    return Counter(
        ActivityRecord.objects.filter(community=community)
        .exclude(source="cultivate")
        .values_list("verb", flat=True)
    )


@pytest.fixture
def se_ai(data_dir: Path) -> Path:
    return data_dir / "se-ai"


def test_importing_se_ai_creates_every_question_answer_and_comment_with_its_original_time(
    se_ai: Path, community: Community, coordinator: User
) -> None:
    started = time.perf_counter()
    result = history_import(path=se_ai, community=community, by=coordinator)
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"importing se-ai took {elapsed:.1f} s"

    rows = _posts_xml(se_ai)
    questions = {r["Id"]: r for r in rows if r["PostTypeId"] == "1"}
    answers = {r["Id"]: r for r in rows if r["PostTypeId"] == "2"}
    assert Question.objects.filter(community=community).count() == len(questions) == 421
    assert Answer.objects.filter(community=community).count() == len(answers) == 749
    assert Comment.objects.filter(community=community).count() == 1165
    assert result.created["questions"] == 421
    assert result.created["answers"] == 749
    assert result.created["comments"] == 1165

    imported = set(Question.objects.values_list("title", "created_at"))
    assert imported == {(r["Title"], _dump_date(r["CreationDate"])) for r in questions.values()}
    answer_times = sorted(Answer.objects.values_list("created_at", flat=True))
    assert answer_times == sorted(_dump_date(r["CreationDate"]) for r in answers.values())
    assert not Question.objects.exclude(updated_at=F("created_at")).exists()

    accepted = [r for r in questions.values() if r.get("AcceptedAnswerId") in answers]
    solved = Question.objects.filter(community=community, accepted_answer__isnull=False)
    assert solved.count() == len(accepted) > 0
    for question in solved.select_related("accepted_answer")[:20]:
        assert question.accepted_answer is not None
        assert question.accepted_answer.question_id == question.pk

    # Counters match the rows, and the thread structure is kept.
    busiest = Question.objects.order_by("-answer_count").first()
    assert busiest is not None
    assert busiest.answer_count == Answer.objects.filter(question=busiest).count() > 1
    commented = Answer.objects.filter(comment_count__gt=0).first()
    assert commented is not None
    assert Comment.objects.filter(answer=commented).count() == commented.comment_count

    # Every activity the reader yields is recorded once, with its source and id.
    assert _imported_records(community) == _reader_verbs(se_ai)
    assert not ActivityRecord.objects.filter(source="stackexchange", external_id=None).exists()

    # People are accounts that have never signed in, members of the community.
    people = User.objects.filter(imported_identities__source="stackexchange")
    # Those who took part, not the site's 3,157 accounts.
    assert people.count() == result.created["people"] > 300
    assert not people.filter(last_login__isnull=False).exists()
    assert not any(p.has_usable_password() for p in people[:50])
    assert Membership.objects.filter(community=community).count() == people.count() + 1
    community.refresh_from_db()
    assert community.member_count == people.count() + 1
    asker = Question.objects.select_related("author").first()
    assert asker is not None
    assert re.fullmatch(r"member-[0-9a-f]{6}", asker.author.username)  # pseudonymous by default
    assert re.fullmatch(r"Member [0-9a-f]{6}", asker.author.display_name)

    # Searchable, and nobody was notified about history.
    assert SearchDocument.objects.filter(community=community).count() == 421 + 749
    assert Notification.objects.count() == 0


def test_a_second_import_adds_no_row_in_any_table(
    se_ai: Path, community: Community, coordinator: User
) -> None:
    history_import(path=se_ai, community=community, by=coordinator)
    before = _row_counts()
    again = history_import(path=se_ai, community=community, by=coordinator)
    assert _row_counts() == before
    assert sum(again.created.values()) == 0
    assert again.already_imported == again.activities > 0


def test_the_same_export_into_a_second_community_is_imported_whole_there_and_says_nothing(
    se_ai: Path, community: Community, coordinator: User
) -> None:
    from cultivate.apps.communities.services import community_create
    from cultivate.apps.sharing.models import Question

    first = history_import(path=se_ai, community=community, by=coordinator)
    other = community_create(by=coordinator, name="AI, again", practice="ai")
    second = history_import(path=se_ai, community=other, by=coordinator)
    assert second.already_imported == 0  # nothing says the export sits in another community
    assert second.created["questions"] == first.created["questions"] > 0
    assert Question.objects.filter(community=other).count() == first.created["questions"]
    assert second.created.get("people", 0) == 0  # the people are the same accounts
    again = history_import(path=se_ai, community=other, by=coordinator)
    assert sum(again.created.values()) == 0


def test_an_export_too_big_to_keep_from_the_check_is_read_again_with_the_same_result(
    se_ai: Path, community: Community, coordinator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "KEEP_CHECKED", 100)
    result = history_import(path=se_ai, community=community, by=coordinator)
    assert result.created["questions"] == 421
    assert _imported_records(community) == _reader_verbs(se_ai)


def test_an_interrupted_import_leaves_whole_batches_and_a_rerun_completes_it(
    se_ai: Path,
    community: Community,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write = services._Writer.write
    calls = Counter[str]()

    def failing_write(
        self: services._Writer, batch: list[Activity], *, final: bool = False
    ) -> None:
        calls["write"] += 1
        if calls["write"] == 3:
            real_write(self, batch, final=final)  # half-written inside the transaction...
            raise RuntimeError("power cut")  # ...then the process dies
        real_write(self, batch, final=final)

    monkeypatch.setattr(services._Writer, "write", failing_write)
    with pytest.raises(RuntimeError, match="power cut"):
        history_import(path=se_ai, community=community, by=coordinator, batch_size=1000)
    # Batches one and two (2,000 activities, all kept), nothing of the third.
    assert _imported_records(community).total() == 2000
    monkeypatch.setattr(services._Writer, "write", real_write)

    rerun = history_import(path=se_ai, community=community, by=coordinator, batch_size=1000)
    assert rerun.already_imported == 2000
    assert Question.objects.count() == 421
    assert Answer.objects.count() == 749
    assert Comment.objects.count() == 1165
    assert _imported_records(community) == _reader_verbs(se_ai)
    people = {a.actor for b in detect_and_read(se_ai) for a in b} | {
        a.target_actor for b in detect_and_read(se_ai) for a in b if a.target_actor
    }
    assert ImportedIdentity.objects.count() == len(people)
    community.refresh_from_db()
    assert community.member_count == len(people) + 1


def test_a_bad_file_writes_nothing(
    se_ai: Path, community: Community, coordinator: User, tmp_path: Path
) -> None:
    broken = tmp_path / "se-broken"
    shutil.copytree(se_ai, broken)
    comments = (broken / "Comments.xml").read_bytes()
    (broken / "Comments.xml").chmod(0o644)
    (broken / "Comments.xml").write_bytes(comments[: len(comments) // 2])
    before = _row_counts()
    with pytest.raises(SourceError):
        history_import(path=broken, community=community, by=coordinator)
    assert _row_counts() == before


def test_only_coordinators_may_import(
    se_ai: Path, community: Community, member: User, outsider: User
) -> None:
    before = _row_counts()
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            history_import(path=se_ai, community=community, by=person)
    assert _row_counts() == before


def test_a_slack_export_imports_every_message_reaction_and_join(
    data_dir: Path, private_community: Community, coordinator: User
) -> None:
    path = data_dir / "slack-houstondatavis"
    verbs = _reader_verbs(path)
    messages = [a for b in detect_and_read(path) for a in b if "reaction" not in a.meta]
    opened = sum(1 for a in messages if a.verb in ("meet", "celebrate") and a.parent_id is None)
    thanked = sum(1 for a in messages if a.verb == "celebrate" and a.parent_id is not None)
    result = history_import(path=path, community=private_community, by=coordinator)
    assert Question.objects.filter(community=private_community).count() == verbs["ask"]
    # Meetings announced and thanks opening a thread are posts; thanks in a thread comments.
    assert opened
    assert thanked
    assert Post.objects.filter(community=private_community).count() == verbs["share"] + opened
    assert Comment.objects.filter(community=private_community).count() == (verbs["reply"] + thanked)
    assert _imported_records(private_community) == verbs
    votes = Vote.objects.count()
    reactions = sum("reaction" in a.meta for batch in detect_and_read(path) for a in batch)
    assert 0 < votes == result.created["votes"] <= reactions  # cheering ones vote too
    # Reactions of people to their own messages are kept as activity, never as a vote.
    assert not Vote.objects.filter(post__author=F("user")).exists()
    assert not Vote.objects.filter(question__author=F("user")).exists()


def test_a_mailing_list_imports_every_message_and_keeps_replies_to_missing_threads(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "ml-3gpp-listserv-mbox"
    verbs = _reader_verbs(path)
    result = history_import(path=path, community=community, by=coordinator)
    assert _imported_records(community) == verbs
    contents = (
        Post.objects.filter(community=community).count()
        + Question.objects.filter(community=community).count()
        + Comment.objects.filter(community=community).count()
    )
    assert (
        contents
        == verbs["share"] + verbs["ask"] + verbs["reply"] + verbs["celebrate"] + (verbs["meet"])
    )
    assert result.created["comments"] < verbs["reply"]  # some threads began before the archive
    missing = ActivityRecord.objects.filter(meta__thread_start_missing=True).count()
    # Every follow-up (a reply, or thanks) is a comment, or starts its missing thread.
    assert result.created["comments"] + missing == verbs["reply"] + verbs["celebrate"]
    # Pseudonymous: no address or name of a sender is stored, in an account or an activity.
    senders = User.objects.filter(imported_identities__source="mail")
    assert senders.count() == result.created["people"] > 0
    assert all(
        email.endswith("@imported.invalid") for email in senders.values_list("email", flat=True)
    )
    assert not ImportedIdentity.objects.filter(key__contains="@").exists()
    assert not ActivityRecord.objects.filter(meta__has_key="name").exists()
    named = {a.meta["name"] for b in detect_and_read(path) for a in b if a.meta.get("name")}
    assert named
    assert not senders.filter(display_name__in=named).exists()


def test_with_keep_names_a_sender_keeps_the_address_the_archive_gives_to_claim_the_account(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "ml-numpy-discussion" / "2001-November.txt"
    history_import(path=path, community=community, by=coordinator, keep_names=True)
    sender = ImportedIdentity.objects.filter(source="mail").select_related("user").first()
    assert sender is not None
    assert sender.user.email == sender.key.removeprefix("mail:")
    assert "@" not in sender.user.username


def test_usernames_are_readable_and_safe() -> None:
    assert username_for("stackexchange:ai:user:17") == "se.ai.17"
    assert username_for("slack:houston:user:U061A1R2R") == "slack.houston.U061A1R2R"
    deleted = username_for("stackexchange:ai:user:deleted-José Ñ")
    assert deleted.startswith("se.ai.deleted-Jos")
    assert " " not in deleted
    mail = username_for("mail:alice@example.org")
    assert mail.startswith("mail.alice-")
    assert "example.org" not in mail


def test_an_existing_username_is_never_taken_over(
    se_ai: Path, community: Community, coordinator: User, make_user: Callable[..., User]
) -> None:
    asker = next(a.actor for b in detect_and_read(se_ai) for a in b if a.verb == "ask")
    number = asker.rsplit(":", 1)[1]
    someone = make_user(f"se.ai.{number}")
    history_import(path=se_ai, community=community, by=coordinator, keep_names=True)
    someone.refresh_from_db()
    assert not ImportedIdentity.objects.filter(user=someone).exists()
    assert ImportedIdentity.objects.get(key=asker).user.username.startswith(f"se.ai.{number}-")


def test_a_discourse_export_keeps_answers_and_accepted_answers(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "discourse-askci"
    verbs = _reader_verbs(path)
    history_import(path=path, community=community, by=coordinator)
    assert _imported_records(community) == verbs
    assert Question.objects.filter(community=community).count() == verbs["ask"]
    assert Answer.objects.filter(community=community).count() == verbs["answer"]
    assert Post.objects.filter(community=community).count() == verbs["share"]
    assert Comment.objects.filter(community=community).count() == verbs["reply"]
    solved = Question.objects.filter(community=community, accepted_answer__isnull=False)
    assert solved.count() == verbs["accept"]
