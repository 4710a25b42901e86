"""Hear from the queue when it gives up on an import, so the job's page says why; and from
accounts when one closes, so no export key keeps naming its person.

The import itself records every failure it sees; only a worker dying on every try (killed, out
of memory) ends the job outside it, and the queue then tells through django-tasks' signal.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from cultivate.apps.accounts.signals import account_closing

from .jobs import import_job_fail
from .models import ImportedIdentity
from .pseudonyms import PSEUDONYM_KEY_PREFIX, pseudonym_of


@receiver(task_finished)
def import_given_up(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """Mark the import failed, with the reason, when its job failed for good."""
    from .tasks import import_history

    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != import_history.module_path:
        return
    import_id = task_result.kwargs.get("import_id") or (task_result.args or [None])[-1]
    if not isinstance(import_id, int):
        return
    error = task_result.errors[-1].traceback.strip().splitlines()[-1] if task_result.errors else ""
    reason = _(
        "The import stopped: the worker running it stopped each time it was tried (%(error)s). "
        "Whole batches written stay; run it again to complete it."
    ) % {"error": error or _("no reason given")}
    import_job_fail(import_id, reason)


@receiver(account_closing)
def imported_keys_forget(sender: Any, user: Any, **kwargs: Any) -> None:
    """A closed account keeps no export key that names its person (a mailing list's key is the
    e-mail address): each becomes its keyed pseudonym, which later imports still find."""
    for identity in ImportedIdentity.objects.filter(user=user).exclude(
        key__startswith=PSEUDONYM_KEY_PREFIX
    ):
        identity.key = pseudonym_of(identity.source, identity.key).key
        identity.save(update_fields=["key"])
