"""Run a queued import: unpack the stored export, import it, keep progress and outcome on the job.

The status page reads the job's progress while this runs in a worker (`tasks.import_history`).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cultivate.core.connectors import SourceError, detect_source
from cultivate.core.connectors.base import check_zip

from .models import ImportJob, JobStatus
from .retention import upload_discard_if_done
from .services import history_import
from .storage import export_at_hand

_UNZIPPED_LIMIT = 2 * 1024**3
_API_PAGE = re.compile(r"(?:^|/)messages/[^/]+/\d+\.json$")


def _holds_api_pages(path: Path) -> bool:
    """Whether a zip holds a Slack Web API dump (messages/<channel>/<N>.json pages)."""
    with zipfile.ZipFile(path) as archive:
        return any(_API_PAGE.search(name) for name in archive.namelist())


def _unpacked(path: Path) -> Path:
    """Return the export to read: zips of mail or Discourse files are unpacked beside them."""
    if not zipfile.is_zipfile(path):
        return path
    if detect_source(path) in ("stackexchange", "slack") and not _holds_api_pages(path):
        return path  # these readers read zips themselves (a Web API dump is read as a folder)
    folder = path.with_suffix("")
    if folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir()
    try:
        with check_zip(path) as archive:  # refuses a zip bomb before anything is unpacked
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > _UNZIPPED_LIMIT:
                raise SourceError(path, "zip directory", "at most 2 GB once unpacked")
            for member in members:
                # Keep sub-folders (archives/2019/01.mbox and 2020/01.mbox are two files), each
                # part made a safe file name, so nothing lands outside the folder.
                parts = [
                    get_valid_filename(p)
                    for p in PurePosixPath(member.filename).parts
                    if p not in ("", ".", "..", "/")
                ]
                if not parts or not all(parts):
                    continue
                target = folder.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
    except SourceError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SourceError(path, "zip archive", f"a complete zip archive ({exc})") from None
    inside = list(folder.iterdir())
    if len(inside) == 1 and inside[0].is_dir():
        return inside[0]  # the export was zipped with its own folder around it
    return folder


def import_job_resume(import_id: int) -> bool:
    """Make an import that was cut short ready to run again; say whether it was one.

    The queue runs an import's job again only when its run did not end it (the worker died or
    was stopped) or an operator asks; such a job is found "Importing" or failed. A finished
    import ("Done") is never run twice.
    """
    return bool(
        ImportJob.objects.filter(
            pk=import_id, status__in=(JobStatus.RUNNING, JobStatus.FAILED)
        ).update(status=JobStatus.QUEUED, progress=0, counts={}, message="", finished_at=None)
    )


def import_job_fail(import_id: int, reason: str) -> None:
    """Record that the queue gave up on an import (its tries used up), so the page says why."""
    ImportJob.objects.filter(pk=import_id).exclude(
        status__in=(JobStatus.DONE, JobStatus.FAILED)
    ).update(status=JobStatus.FAILED, message=reason, finished_at=timezone.now())


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued import, keeping its progress and outcome on the job for the status page.

    Its message is written in the language of the person who uploaded it (a worker has none).
    """
    language = (job.by.language if job.by is not None else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return job  # another worker has it, or it already ran
    last = [-1]
    stage_started: dict[str, str] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        percent = 5 if total is None else 10 + (90 * done) // max(total, 1)
        percent = min(percent, 99)
        if percent != last[0] or stage not in stage_started:
            last[0] = percent
            stage_started.setdefault(stage, timezone.now().isoformat())
            # While running, `counts` holds how far the stage is; the page reads rate and time left.
            running = {"stage": stage, "done": done, "total": total, "since": stage_started[stage]}
            ImportJob.objects.filter(pk=job.pk).update(progress=percent, counts=running)

    community = job.community
    status, message, counts = JobStatus.FAILED, "", {}
    where = [Path(job.file_path)]  # the server's paths, never shown on the page
    try:
        by = job.by
        if by is None:
            raise PermissionDenied(_("The person who uploaded this export no longer exists."))
        with export_at_hand(job.file_path) as export:
            where.append(export)
            result = history_import(
                path=_unpacked(export),
                source=job.source or None,
                community=community,
                by=by,
                progress=progress,
                keep_names=job.keep_names,
            )
        status, counts = JobStatus.DONE, result.as_dict()
    except SourceError as error:
        message = _("The export could not be read: %(error)s") % {"error": error}
    except PermissionDenied as error:
        message = str(error)
    except Exception as error:  # the page must say what happened
        message = _(
            "The import stopped unexpectedly (%(error)s). Whole batches written before the "
            "error stay; uploading the export again completes it."
        ) % {"error": f"{type(error).__name__}: {error}"}
    message = _without_server_paths(message, where, job.file_name)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        message=message,
        counts=counts,
        progress=100 if status == JobStatus.DONE else F("progress"),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    upload_discard_if_done(job)
    job.refresh_from_db()
    return job


def _without_server_paths(message: str, exports: list[Path], file_name: str) -> str:
    """Name files as the person uploaded them ("lists.zip/2019/May.txt.gz"), never by the
    server's path: the upload (or its scratch copy) and what was unpacked from it are cut."""
    for export in exports:
        unpacked = export.with_suffix("")
        message = message.replace(f"{unpacked}{os.sep}{unpacked.name}{os.sep}", f"{file_name}/")
        message = message.replace(f"{unpacked}{os.sep}", f"{file_name}/")
        message = message.replace(str(export), file_name)
        message = message.replace(f"{export.parent}{os.sep}", "")
    return message
