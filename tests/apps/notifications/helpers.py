"""Shared by notification tests: choose e-mails at once for some kinds (the default is daily)."""

from __future__ import annotations

from cultivate.apps.accounts.models import User
from cultivate.apps.notifications.models import EmailPreferences, EmailRhythm, Kind


def email_at_once(user: User, *kinds: Kind) -> None:
    """The person wants these kinds of notice by e-mail as they happen."""
    EmailPreferences.objects.update_or_create(
        user=user, defaults={kind.value: EmailRhythm.NOW for kind in kinds}
    )
