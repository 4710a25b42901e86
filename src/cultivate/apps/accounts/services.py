"""Writes about people: signing up and keeping a profile current."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Expertise, User
from .zones import is_time_zone

MAX_EXPERTISE = 12
RESERVED_USERNAME_PREFIXES = ("former-", "member-")
"""Closed accounts are renamed former-<id> (people/account_closing.py) and imported people are
member-<code> (imports/pseudonyms.py): nobody signs up so."""
RESERVED_EMAIL_DOMAINS = ("@deleted.invalid", "@imported.invalid")
"""Addresses Cultivate gives closed and imported accounts; nobody reads mail there."""
_USERNAME = re.compile(r"[\w.@+-]+")
UNFINISHED_SIGN_UP = Q(pending_since__isnull=False, is_active=False, last_login__isnull=True)
"""A sign-up whose e-mail link was never opened and that no admin switched on: not an account
yet (whoever started it chose its password, and may not own the address)."""


def clean_expertise(raw: str | list[str]) -> list[str]:
    """Split a comma-separated list into trimmed, de-duplicated expertise names."""
    items = raw.split(",") if isinstance(raw, str) else raw
    names: list[str] = []
    for item in items:
        name = " ".join(item.split())[:60]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > MAX_EXPERTISE:
        raise ValidationError(
            {
                "expertise": _("List at most %(max_expertise)s areas (got %(count)s).")
                % {"max_expertise": MAX_EXPERTISE, "count": len(names)}
            }
        )
    return names


def _set_expertise(user: User, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = Expertise.objects.filter(name__iexact=name).first()
        if tag is None:
            tag, _unused = Expertise.objects.get_or_create(name=name)
        tags.append(tag)
    user.expertise.set(tags)


@dataclass(frozen=True)
class SignUp:
    """What a sign-up did: made an account that waits for its e-mail link (`is_new`), or found
    the address already in use, and wrote nothing. The page says the same in both cases."""

    account: User
    is_new: bool


def user_sign_up(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    department: str = "",
    time_zone: str = "",
) -> SignUp:
    """Make an account that waits for its e-mail link; the password must pass the validators.

    Whether the e-mail address already has an account is never said here (it would tell anyone
    who works where): the caller mails the address either a link to finish or a reminder that
    it has an account. An earlier sign-up with the same address that was never finished is
    replaced: only the address's owner can finish either.
    """
    errors: dict[str, list[str]] = {}
    username, email = username.strip(), email.strip().lower()
    # Never signed in and never switched on (an admin who activates one makes it an account).
    unfinished = User.objects.filter(UNFINISHED_SIGN_UP, email__iexact=email)
    if not username:
        errors["username"] = [_("Choose a user name.")]
    elif len(username) > 150 or not _USERNAME.fullmatch(username):
        errors["username"] = [
            _("Use at most 150 letters, digits and the characters @ . + - _ (no spaces).")
        ]
    elif username.lower().startswith(RESERVED_USERNAME_PREFIXES) or (
        User.objects.filter(username__iexact=username)
        .exclude(pk__in=unfinished.values("pk"))
        .exists()
    ):
        errors["username"] = [_("That user name is taken.")]
    if not email:
        errors["email"] = [_("Give an e-mail address.")]
    elif email.endswith(RESERVED_EMAIL_DOMAINS):
        errors["email"] = [_("Give the e-mail address you read.")]
    candidate = User(username=username, email=email, display_name=display_name.strip())
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    existing = User.objects.filter(email__iexact=email).exclude(pk__in=unfinished).first()
    if existing is not None:
        make_password(password)  # the time a new account's hashing takes: the timing says nothing
        return SignUp(account=existing, is_new=False)
    candidate.department = department.strip()[:120]
    # The browser says where the person is; a zone it names that we do not know is left out.
    candidate.time_zone = time_zone if is_time_zone(time_zone) else ""
    candidate.set_password(password)
    candidate.is_active = False
    candidate.pending_since = timezone.now()
    try:
        with transaction.atomic():
            unfinished.delete()
            candidate.save()
    except IntegrityError:
        # Someone took the name or address between the check above and the save.
        raise ValidationError(
            {"username": [_("That user name or e-mail address was just taken; choose another.")]}
        ) from None
    return SignUp(account=candidate, is_new=True)


def user_create_signed_on(*, email: str, username_hint: str, display_name: str = "") -> User:
    """Make the account of a person the company's identity provider vouches for (their address
    verified there): active at once, with no password Cultivate knows.

    An unfinished sign-up with the same address is replaced, never taken over: whoever started
    it chose its password, and may not be the address's owner.
    """
    email = email.strip().lower()
    if not email or email.endswith(RESERVED_EMAIL_DOMAINS):
        raise ValidationError(
            {"email": [_("The identity provider gave no usable e-mail address.")]}
        )
    base = re.sub(r"[^\w.+-]", "", username_hint.split("@")[0])[:140] or "person"
    if base.lower().startswith(RESERVED_USERNAME_PREFIXES):
        base = f"person-{base}"[:140]
    with transaction.atomic():
        User.objects.filter(UNFINISHED_SIGN_UP, email__iexact=email).delete()
        username, number = base, 1
        while User.objects.filter(username__iexact=username).exists():
            number += 1
            username = f"{base}{number}"
        user = User(username=username, email=email, display_name=display_name.strip()[:120])
        user.set_unusable_password()
        user.save()
    return user


def user_sign_up_finish(*, user: User) -> User:
    """The person opened the e-mail link: the account works from now on."""
    if user.pending_since is None:
        raise ValidationError(_("This account is already set up: log in."), code="finished")
    with transaction.atomic():
        user.is_active = True
        user.pending_since = None
        user.save(update_fields=["is_active", "pending_since"])
    return user


def unfinished_sign_ups_prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget sign-ups whose link was never opened (the link itself stops after 3 days)."""
    stale = User.objects.filter(UNFINISHED_SIGN_UP, pending_since__lt=timezone.now() - older_than)
    deleted, _unused = stale.delete()
    return deleted


def profile_update(
    *,
    user: User,
    display_name: str,
    title: str = "",
    department: str = "",
    location: str = "",
    bio: str = "",
    expertise: str | list[str] = "",
    language: str = "",
    time_zone: str = "",
) -> User:
    """Save the profile fields people read before asking someone for help, and the language
    Cultivate speaks to them ("" follows their browser)."""
    names = clean_expertise(expertise)
    if len(bio) > 1000:
        raise ValidationError(
            {
                "bio": _("Keep the bio under 1,000 characters (it has %(count)s).")
                % {"count": format(len(bio), ",")}
            }
        )
    languages = [code for code, _ in settings.LANGUAGES]
    if language and language not in languages:
        raise ValidationError(
            {"language": _("Choose one of %(join)s.") % {"join": ", ".join(languages)}}
        )
    if time_zone and not is_time_zone(time_zone):
        raise ValidationError(
            {"time_zone": _("Choose a time zone from the list, e.g. Europe/Paris.")}
        )
    with transaction.atomic():
        user.time_zone = time_zone
        user.display_name = display_name.strip()[:120]
        user.title = title.strip()[:120]
        user.department = department.strip()[:120]
        user.location = location.strip()[:120]
        user.bio = bio.strip()
        user.language = language
        fields = [
            "display_name",
            "title",
            "department",
            "location",
            "bio",
            "language",
            "time_zone",
        ]
        user.save(update_fields=fields)
        _set_expertise(user, names)
    return user


def login_attempts_prune(*, now: datetime | None = None) -> int:
    """Forget sign-in records (addresses, browsers) older than CULTIVATE_KEEP_LOGS_DAYS: kept
    long enough to look into an incident, not for ever. Return how many went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # type: ignore[import-untyped]

    days = int(getattr(settings, "CULTIVATE_KEEP_LOGS_DAYS", 90))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    gone = 0
    for model, field in ((AccessLog, "attempt_time"), (AccessFailureLog, "attempt_time"),
                         (AccessAttempt, "attempt_time")):  # fmt: skip
        deleted, _unused = model.objects.filter(**{f"{field}__lt": cutoff}).delete()
        gone += deleted
    return gone
