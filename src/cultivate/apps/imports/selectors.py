"""Reads for imports: which jobs a person may watch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.permissions import is_coordinator

from .models import ImportJob

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def import_job_get_for_user(user: User | AnonymousUser, job_id: int) -> ImportJob:
    """Return the job if the person started it or coordinates its community; 404 otherwise."""
    job = ImportJob.objects.select_related("community", "by").filter(pk=job_id).first()
    if job is None or not user.is_authenticated:
        raise Http404(_("No such import."))
    if job.by_id != user.pk and not is_coordinator(user, job.community):
        raise Http404(_("No such import."))  # never say that a private community's job exists
    return job


def recent_jobs(community_id: int, limit: int = 10) -> list[ImportJob]:
    """Return the community's latest imports, newest first."""
    return list(ImportJob.objects.filter(community_id=community_id).select_related("by")[:limit])
