"""A coordinator's page to upload another platform's export, and the page that follows the job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.communities.views import community_context

from .forms import SOURCE_LABELS, UploadForm
from .models import JobStatus
from .permissions import can_import, check_import
from .presenters import progress_line
from .retention import upload_deleted_on
from .selectors import import_job_get_for_user, recent_jobs
from .uploads import import_job_again, import_job_create

REFRESH_SECONDS = 2

COUNT_LABELS = (
    ("people", gettext_lazy("People (new accounts)")),
    ("memberships", gettext_lazy("Memberships")),
    ("questions", gettext_lazy("Questions")),
    ("answers", gettext_lazy("Answers")),
    ("accepted answers", gettext_lazy("Accepted answers")),
    ("comments", gettext_lazy("Comments")),
    ("posts", gettext_lazy("Posts")),
    ("votes", gettext_lazy("Votes (voter known)")),
    (
        "score points kept",
        gettext_lazy("Score points kept (up-votes and likes counted in the export)"),
    ),
    ("activities", gettext_lazy("Activities recorded")),
)


@login_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the upload form; a valid upload is stored and imported in the background."""
    community = community_get_for_user(request.user, slug)
    check_import(request.user, community)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            community=community,
            by=request.user,  # type: ignore[arg-type]
            upload=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            keep_names=form.cleaned_data["keep_names"],
        )
        return redirect("imports:job", job_id=job.pk)
    context = community_context(request, community, "import")
    context |= {"form": form, "jobs": recent_jobs(community.pk)}
    return render(request, "imports/upload.html", context, status=400 if form.errors else 200)


def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Show how far the import is; the page reloads itself until the job has finished."""
    job = import_job_get_for_user(request.user, job_id)
    counts = job.counts or {}
    created = counts.get("created", {})
    context = {
        "job": job,
        "community": job.community,
        "running": not job.is_finished,
        "refresh": REFRESH_SECONDS,
        "source_label": SOURCE_LABELS.get(counts.get("source", job.source), "detected"),
        "rows": [(label, created.get(key, 0)) for key, label in COUNT_LABELS],
        "already_imported": counts.get("already_imported", 0),
        "activities": counts.get("activities", 0),
        "not_imported": sorted((counts.get("not_imported") or {}).items()),
        "seconds": counts.get("seconds"),
        "failed": job.status == JobStatus.FAILED,
        "may_import": can_import(request.user, job.community) and job.file_deleted_at is None,
        "upload_deleted_on": upload_deleted_on(job),
        "progress_line": "" if job.is_finished else progress_line(counts, timezone.now()),
    }
    response = render(request, "imports/job.html", context)
    if not job.is_finished:
        response["Refresh"] = str(REFRESH_SECONDS)  # reloads without JavaScript
    return response


@login_required
@require_POST
def job_again(request: HttpRequest, job_id: int) -> HttpResponse:
    """Queue a failed import again; its page then follows the new run."""
    job = import_job_get_for_user(request.user, job_id)
    try:
        import_job_again(job=job, by=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:job", job_id=job.pk)
