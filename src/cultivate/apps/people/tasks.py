"""Background jobs for a person's data: gather it to take away, or close the account; each
ends with an e-mail."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.selectors import communities_only_they_coordinate

from .account_closing import account_close
from .models import PersonalDataExport
from .personal_data import personal_data_zip

EXPORT_DAYS = 7


@task()
def personal_data_export(export_id: int) -> str:
    """Make the export's zip, keep it EXPORT_DAYS, and mail its person a link."""
    export = PersonalDataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return "missing"
    if export.ready_at is not None:
        return "ready"  # run again after it finished: nothing to do
    user = export.user
    name = f"personal-data/{export.key}/cultivate-data-{user.pk}.zip"
    stored = default_storage.save(name, ContentFile(personal_data_zip(user)))
    PersonalDataExport.objects.filter(pk=export.pk).update(
        stored_name=stored, ready_at=timezone.now()
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse("people:my_data")
        send_mail(
            _("Your Cultivate data is ready"),
            _(
                "The copy of your data you asked for is ready: download it from %(link)s "
                "within %(days)s days (signed in)."
            )
            % {"link": link, "days": EXPORT_DAYS},
            None,
            [user.email],
        )
    return "ready"


def personal_data_exports_prune() -> int:
    """Delete the exports older than EXPORT_DAYS (their files too)."""
    stale = PersonalDataExport.objects.filter(
        requested_at__lt=timezone.now() - timedelta(days=EXPORT_DAYS)
    )
    for export in stale:
        if export.stored_name:
            default_storage.delete(export.stored_name)
    deleted, _unused = stale.delete()
    return deleted


@task()
def account_close_job(user_id: int) -> str:
    """Close the account, then tell the address it had."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email.endswith("@deleted.invalid"):
        return "gone"  # closed already (nobody signs up with that domain)
    language = user.language or settings.LANGUAGE_CODE
    kept = communities_only_they_coordinate(user)
    if kept:
        # They became the last coordinator between asking and now: the page's rule holds here.
        with translation.override(language):
            send_mail(
                _("Your Cultivate account is still open"),
                _(
                    "You are now the last coordinator of %(names)s: make another member a "
                    "coordinator, then close your account again."
                )
                % {"names": ", ".join(c.name for c in kept)},
                None,
                [user.email],
            )
        User.objects.filter(pk=user.pk).update(is_active=True)  # the page shut it meanwhile
        return "kept: last coordinator"
    address = account_close(user=user)
    with translation.override(language):
        send_mail(
            _("Your Cultivate account is closed"),
            _(
                "Your account is closed and your personal data erased. What you wrote stays "
                "for the colleagues who rely on it, under “a former member”."
            ),
            None,
            [address],
        )
    return "closed"
