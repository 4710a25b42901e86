"""Uploaded exports do not linger: deleted when their import ends, or when their keep ends, and the
job page says which; a failed import's error names the file as uploaded, not the server's path."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.imports.models import ImportJob, JobStatus
from cultivate.apps.imports.retention import uploads_prune
from cultivate.apps.imports.uploads import import_job_again, import_job_create


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path: Path) -> Path:
    settings.IMPORTS_DIR = tmp_path / "imports"
    return tmp_path / "imports"


def _mbox(data_dir: Path) -> SimpleUploadedFile:
    mbox = data_dir / "ml-3gpp-listserv-mbox" / "3GPP_TSG_SA_WG4_EVS.mbox"
    return SimpleUploadedFile(mbox.name, mbox.read_bytes(), "application/mbox")


def _broken_zip(tmp_path: Path) -> SimpleUploadedFile:
    """A zip of mail whose second archive is cut short: its import fails naming that file."""
    archive = tmp_path / "lists.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("lists/2019/May.txt.gz", b"\x1f\x8b\x08\x00broken gzip")
    return SimpleUploadedFile("lists.zip", archive.read_bytes(), "application/zip")


def test_a_kept_upload_stays_its_days_then_the_daily_prune_deletes_it(
    settings, community, coordinator, data_dir, imports_dir
):
    settings.CULTIVATE_KEEP_UPLOADS_DAYS = 3
    job = import_job_create(community=community, by=coordinator, upload=_mbox(data_dir))
    assert job.status == JobStatus.DONE, job.message
    assert Path(job.file_path).is_file()
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "The uploaded file is kept until" in page
    assert uploads_prune(timezone.now() + timedelta(days=2)) == 0
    assert Path(job.file_path).is_file()
    assert uploads_prune(timezone.now() + timedelta(days=3, minutes=1)) == 1
    assert not Path(job.file_path).parent.exists()
    job.refresh_from_db()
    assert job.file_deleted_at is not None
    assert list(imports_dir.iterdir()) == []


def test_a_failed_import_keeps_its_upload_a_week_to_import_again_then_cannot(
    community, coordinator, tmp_path
):
    job = import_job_create(community=community, by=coordinator, upload=_broken_zip(tmp_path))
    assert job.status == JobStatus.FAILED
    assert str(tmp_path) not in job.message  # the server's folders are never shown
    assert "lists.zip/2019/May.txt.gz: message 1" in job.message  # as it sits in the upload
    assert Path(job.file_path).is_file()
    assert uploads_prune(timezone.now() + timedelta(days=6)) == 0
    assert uploads_prune(timezone.now() + timedelta(days=7, minutes=1)) == 1
    job.refresh_from_db()
    with pytest.raises(Exception, match="upload the export again"):
        import_job_again(job=job, by=coordinator)
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "The uploaded file was deleted on" in page
    assert "Import again" not in page
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.FAILED
