"""Uploads kept in a shared storage that is not a folder (an S3 bucket) are imported all the same."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from cultivate.apps.imports.models import JobStatus
from cultivate.apps.imports.storage import STORED
from cultivate.apps.imports.uploads import import_job_create
from cultivate.apps.sharing.models import Question


def test_an_export_uploaded_to_a_bucket_like_storage_is_read_back_and_imported(
    settings, community, coordinator, data_dir
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    mbox = data_dir / "ml-3gpp-listserv-mbox" / "3GPP_TSG_SA_WG4_EVS.mbox"
    upload = SimpleUploadedFile(mbox.name, mbox.read_bytes(), "application/mbox")
    job = import_job_create(community=community, by=coordinator, upload=upload)
    assert job.file_path.startswith(STORED)
    assert job.status == JobStatus.DONE, job.message
    assert not default_storage.exists(job.file_path.removeprefix(STORED))  # deleted at the end
    assert job.file_deleted_at is not None
    assert Question.objects.filter(community=community).count() > 0
