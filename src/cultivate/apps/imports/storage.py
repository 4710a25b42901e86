"""Where uploaded exports wait for their import: a folder, or the shared storage (an S3 bucket).

A worker on another machine must read what the web server received: a folder works when it is a
shared mount; any other storage is written through Django's storage and copied back to read.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

STORED = "storage:"
"""A job's file_path with this prefix names the export in the shared storage (S3), not a path."""


def imports_dir() -> Path:
    """Return the folder uploaded exports are kept in when uploads go to a folder.

    MEDIA_ROOT/imports (settings.IMPORTS_DIR in tests): with several machines, a shared mount.
    """
    return Path(getattr(settings, "IMPORTS_DIR", Path(settings.MEDIA_ROOT) / "imports"))


def export_store(upload: UploadedFile, name: str) -> str:
    """Keep the export where every worker can read it; return what the job records.

    Uploads to a folder are written there and recorded by path; to any other storage (an S3
    bucket) through the storage, recorded by its name there (jobs.py copies it back to read it).
    """
    folder = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}"
    if not isinstance(default_storage, FileSystemStorage):
        return STORED + default_storage.save(f"imports/{folder}/{name}", upload)
    target = imports_dir() / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(target)


@contextmanager
def export_at_hand(file_path: str) -> Iterator[Path]:
    """Give the export as a local path: as stored in a folder, or copied from the shared storage
    (an S3 bucket) into a scratch folder removed afterwards."""
    if not file_path.startswith(STORED):
        yield Path(file_path)
        return
    name = file_path.removeprefix(STORED)
    with tempfile.TemporaryDirectory(prefix="cultivate-import-") as scratch:
        local = Path(scratch) / PurePosixPath(name).name
        with default_storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
        yield local


def export_discard(file_path: str) -> None:
    """Delete an uploaded export, and what was unpacked from it, from wherever it was kept."""
    if file_path.startswith(STORED):
        default_storage.delete(file_path.removeprefix(STORED))
        return
    upload_folder = Path(file_path).parent  # imports/<when>-<id>/, one per upload
    if upload_folder.parent.resolve() == imports_dir().resolve():
        shutil.rmtree(upload_folder, ignore_errors=True)
    # Anything else was not uploaded here (a job an operator pointed at a folder): left alone.
