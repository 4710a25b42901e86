"""The upload page and the job's status page: coordinators only, progress visible without JS."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create
from cultivate.apps.imports.models import ImportJob, JobStatus
from cultivate.apps.imports.presenters import progress_line
from cultivate.apps.sharing.models import Comment, Post, Question


@pytest.fixture(autouse=True)
def imports_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.IMPORTS_DIR = tmp_path / "imports"
    return tmp_path / "imports"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _mbox(data_dir: Path) -> SimpleUploadedFile:
    path = data_dir / "ml-3gpp-listserv-mbox" / "3GPP_TSG_SA_WG4_EVS.mbox"
    return SimpleUploadedFile(path.name, path.read_bytes(), "application/mbox")


def test_only_coordinators_see_the_upload_page(
    community: Community,
    coordinator: User,
    member: User,
    outsider: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    url = reverse("imports:upload", args=[community.slug])
    client = _client(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert b"Import history from another platform" in response.content
    assert _client(member).get(url).status_code == 403
    assert _client(outsider).get(url).status_code == 403
    anonymous = _client(None).get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]


def test_a_private_community_upload_page_is_not_found_for_outsiders(
    private_community: Community, outsider: User
) -> None:
    url = reverse("imports:upload", args=[private_community.slug])
    assert _client(outsider).get(url).status_code == 404


def test_an_upload_imports_inline_and_the_status_page_shows_the_counts(
    data_dir: Path,
    community: Community,
    coordinator: User,
    imports_dir: Path,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = _client(coordinator)
    response = client.post(
        reverse("imports:upload", args=[community.slug]),
        {"file": _mbox(data_dir), "source": ""},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.message
    assert job.progress == 100
    assert imports_dir in Path(job.file_path).parents
    assert not Path(job.file_path).parent.exists()  # the upload and what was unpacked: gone
    assert job.file_deleted_at is not None
    made = job.counts["created"]
    assert made["posts"] == Post.objects.filter(community=community).count() > 0
    assert made["comments"] == Comment.objects.filter(community=community).count() > 0

    with django_assert_max_num_queries(8):
        page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Done" in text
    assert 'http-equiv="refresh"' not in text
    assert "Refresh" not in page
    assert f"<td>Posts</td><td>{made['posts']}</td>" in text
    assert f"<td>Comments</td><td>{made['comments']}</td>" in text
    assert "The uploaded file was deleted on" in text


def test_the_upload_imports_people_under_pseudonyms_unless_the_box_to_keep_names_is_ticked(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    client = _client(coordinator)
    form = client.get(reverse("imports:upload", args=[community.slug])).content.decode()
    box = re.search(r'<input type="checkbox" name="keep_names"[^>]*>', form)
    assert box is not None
    assert "checked" not in box[0]  # pseudonyms unless the coordinator ticks it

    client.post(reverse("imports:upload", args=[community.slug]), {"file": _mbox(data_dir)})
    hidden = ImportJob.objects.get()
    assert not hidden.keep_names
    senders = User.objects.filter(imported_identities__source="mail")
    assert senders.exists()
    assert all(e.endswith("@imported.invalid") for e in senders.values_list("email", flat=True))
    page = client.get(reverse("imports:job", args=[hidden.pk])).content.decode()
    assert "People are imported under pseudonyms" in page

    other = community_create(by=coordinator, name="Codecs", practice="codecs")
    kept = SimpleUploadedFile(
        "numpy.txt", (data_dir / "ml-numpy-discussion" / "2001-November.txt").read_bytes()
    )
    client.post(reverse("imports:upload", args=[other.slug]), {"file": kept, "keep_names": "on"})
    named = ImportJob.objects.get(community=other)
    assert named.status == JobStatus.DONE, named.message
    assert named.keep_names
    assert (
        User.objects.filter(imported_identities__key__startswith="mail:", email__contains="@")
        .exclude(email__endswith=".invalid")
        .exists()
    )
    page = client.get(reverse("imports:job", args=[named.pk])).content.decode()
    assert "People keep the names and e-mail addresses the export gives." in page


def test_a_zip_of_mail_archives_is_unpacked_and_imported(
    data_dir: Path, community: Community, coordinator: User, tmp_path: Path
) -> None:
    archive = tmp_path / "numpy.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(data_dir / "ml-numpy-discussion" / "2001-November.txt", "2001-November.txt")
    upload = SimpleUploadedFile("numpy.zip", archive.read_bytes(), "application/zip")
    _client(coordinator).post(
        reverse("imports:upload", args=[community.slug]), {"file": upload, "source": ""}
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE, job.message
    assert job.counts["source"] == "pipermail"
    assert Question.objects.filter(community=community).exists()


def test_a_zip_keeps_its_sub_folders_so_same_named_archives_do_not_overwrite_each_other(
    data_dir: Path, community: Community, coordinator: User, tmp_path: Path
) -> None:
    from cultivate.apps.activity.models import ActivityRecord

    archive = tmp_path / "lists.zip"
    numpy = data_dir / "ml-numpy-discussion"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(numpy / "2001-November.txt", "archives/2001/2001-November.txt")
        zf.write(numpy / "bigbang-dev-test.txt", "archives/2014/2014-November.txt")
        zf.write(numpy / "bigbang-dev-test.txt", "../escape/2014-November.txt")
    upload = SimpleUploadedFile("lists.zip", archive.read_bytes(), "application/zip")
    _client(coordinator).post(
        reverse("imports:upload", args=[community.slug]), {"file": upload, "source": ""}
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE, job.message
    years = {r.at.year for r in ActivityRecord.objects.filter(community=community, source="mail")}
    assert {2001, 2014} <= years
    assert not (tmp_path.parent / "escape").exists()


def test_a_bad_export_fails_with_the_reason_and_writes_nothing(
    community: Community, coordinator: User
) -> None:
    bad = SimpleUploadedFile("broken.mbox", b"Subject: not an archive\n\nno From_ line\n")
    client = _client(coordinator)
    response = client.post(
        reverse("imports:upload", args=[community.slug]), {"file": bad, "source": "mbox"}
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "could not be read" in job.message
    assert "broken.mbox" in job.message
    assert not Post.objects.filter(community=community).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page
    assert "could not be read" in page


def test_the_form_refuses_other_files_beside_the_field(
    community: Community, coordinator: User
) -> None:
    upload = SimpleUploadedFile("notes.exe", b"MZ")
    response = _client(coordinator).post(
        reverse("imports:upload", args=[community.slug]), {"file": upload, "source": "nonsense"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Upload one of" in text
    assert "Select a valid choice" in text
    assert not ImportJob.objects.exists()


def _running_job(community: Community, by: User, **fields: object) -> ImportJob:
    return ImportJob.objects.create(
        community=community,
        by=by,
        file_path="/nowhere",
        file_name="big.zip",
        status=JobStatus.RUNNING,
        **fields,
    )


def test_a_running_job_reloads_itself_and_only_its_coordinators_see_it(
    community: Community, coordinator: User, member: User
) -> None:
    job = _running_job(community, coordinator, progress=42)
    url = reverse("imports:job", args=[job.pk])
    page = _client(coordinator).get(url)
    assert page["Refresh"] == "2"
    text = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert 'value="42"' in text
    assert _client(member).get(url).status_code == 404
    assert _client(None).get(url).status_code == 404
    assert _client(coordinator).get(reverse("imports:job", args=[job.pk + 99])).status_code == 404


def test_a_running_job_says_how_far_how_fast_and_how_long_is_left(
    community: Community, coordinator: User
) -> None:
    since = (timezone.now() - timedelta(seconds=10)).isoformat()
    running = {"stage": "importing", "done": 5_000, "total": 20_000, "since": since}
    job = _running_job(community, coordinator, progress=30, counts=running)
    text = _client(coordinator).get(reverse("imports:job", args=[job.pk])).content.decode()
    line = re.search(r'data-testid="progress-line">([^<]+)<', text)
    assert line is not None
    assert line.group(1).startswith("Importing: 5,000 of 20,000 activities · ")
    assert "a second · about " in line.group(1)
    assert line.group(1).endswith(" left")


def test_the_progress_line_reads_the_rate_from_when_the_stage_began() -> None:
    now = datetime(2026, 1, 1, 12, 0, 40, tzinfo=UTC)
    since = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC).isoformat()
    importing = {"stage": "importing", "done": 4_000, "total": 10_000, "since": since}
    assert progress_line(importing, now) == (
        "Importing: 4,000 of 10,000 activities · 100 a second · about 60 s left"
    )
    checking = {"stage": "checking", "done": 2_000, "total": None, "since": since}
    assert progress_line(checking, now) == "Checking the export: 2,000 activities · 50 a second"
    assert progress_line({"created": {}}, now) == ""
    assert progress_line({**importing, "since": "yesterday"}, now).endswith("activities")
