"""Closing an account: the person's personal data is erased; what others depend on (their
questions, answers, votes, the activities analytics count) stays, under "a former member"."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.signals import account_closing
from cultivate.apps.api.services import tokens_revoke_all
from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.services import memberships_end_for_closed_account
from cultivate.apps.meetings.models import CalendarToken, CoffeeOptIn
from cultivate.apps.notifications.models import CommunityWatch, EmailPreferences, Notification

from .models import PersonalDataExport

FORMER_MEMBER = "A former member"
"""The name closed accounts show under what they wrote (a name, stored as data)."""


def account_close(*, user: User) -> str:
    """Erase the person's personal data and end their memberships in one transaction; return
    the address they had, for the e-mail that confirms it (sent after, as it is the last use of
    the address)."""
    with transaction.atomic():
        address = user.email
        tokens_revoke_all(user=user)
        for export in PersonalDataExport.objects.filter(user=user):
            if export.stored_name:
                default_storage.delete(export.stored_name)
        PersonalDataExport.objects.filter(user=user).delete()
        CalendarToken.objects.filter(user=user).delete()
        CoffeeOptIn.objects.filter(user=user).delete()
        CommunityWatch.objects.filter(user=user).delete()
        EmailPreferences.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        user.expertise.clear()
        memberships_end_for_closed_account(user=user)
        account_closing.send(sender=User, user=user)
        # The identity provider's subject would open the closed account again: it goes too.
        user.sign_on_identities.all().delete()
        audit_record(action="account.close", actor=user, subject=f"account {user.pk}")
        user.username = f"former-{user.pk}"
        user.display_name = FORMER_MEMBER
        user.email = f"former-{user.pk}@deleted.invalid"
        user.first_name = user.last_name = ""
        user.title = user.department = user.location = user.bio = ""
        user.language = user.time_zone = ""
        user.is_active = user.is_staff = user.is_superuser = user.is_km_lead = False
        user.set_unusable_password()
        user.save()
    return address
