"""The operator's Background jobs page: is the queue moving, which workers live, what failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in

from .permissions import check_operate
from .selectors import jobs_failed, queue_counts, scheduled_recently, workers_alive
from .services import job_run_again


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    """The queue's state, the live workers, the jobs that failed for good and the schedule."""
    check_operate(request.user)
    context = {
        "counts": queue_counts(),
        "workers": workers_alive(),
        "failed": jobs_failed(),
        "scheduled": scheduled_recently(),
    }
    return render(request, "operations/jobs.html", context)


@login_required
@require_POST
def run_again(request: HttpRequest, job_id: str) -> HttpResponse:
    """Put one failed job back in the queue."""
    if job_run_again(job_id=job_id, by=signed_in(request)):
        messages.success(request, _("The job is back in the queue."))
    else:
        messages.info(request, _("That job is no longer failed: it was run again already."))
    return redirect("operations:jobs")
