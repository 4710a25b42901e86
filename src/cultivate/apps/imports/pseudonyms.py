"""What imported people are called: a pseudonym by default, never their name or address (ADR 28).

An import names each person of an export by a keyed hash of their source and key (HMAC-SHA256
keyed with the SECRET_KEY, through Django's `salted_hmac`): "Member 4f2a9c", the username
`member-4f2a9c`, an address under `.invalid`, and the identity key `pseudonym:<40 hex digits>`
in place of the export's key (a mailing list's key is an e-mail address). The same export
imported again finds the same accounts, so nothing changes; a person stays one account in every
community their history is imported into. Without the secret key nobody can tell from a stored
row whose it is, nor confirm a guess.

Coordinators who need the names (`cultivate import --keep-names`, the upload form's checkbox)
get the export's names and addresses, as imports did before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

PSEUDONYM_KEY_PREFIX = "pseudonym:"
_SALT = "cultivate.imports.pseudonym"
_KEY_DIGITS = 40
_CODE_DIGITS = 6
_LONG_CODE_DIGITS = 16

DROPPED_META = frozenset(
    {"name", "author", "username", "display_name", "user_name", "email", "address", "from"}
)
"""What an activity's meta may name a person by; a pseudonymous import keeps none of it."""


@dataclass(frozen=True, slots=True)
class Pseudonym:
    """How one imported person is stored when their names are not kept."""

    key: str
    """The identity key (`ImportedIdentity.key`) that stands for the export's key."""
    username: str
    spare_username: str
    """The username when another account has `username` (longer, so it collides with none)."""
    name: str


def _digest(source: str, key: str, secret: str | bytes | None = None) -> str:
    # The source and key apart by a character neither holds, so ("a", "b:c") != ("a:b", "c").
    value = f"{source}\n{key}"
    return salted_hmac(_SALT, value, secret=secret, algorithm="sha256").hexdigest()


def pseudonym_of(source: str, key: str) -> Pseudonym:
    """Return the person's pseudonym: the same for the same source, key and secret key.

    The name is said in the organisation's language (LANGUAGE_CODE), whoever imports, so it
    depends on nothing but the person and the secret key.
    """
    digest = _digest(source, key)
    code = digest[:_CODE_DIGITS]
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Member %(code)s") % {"code": code}
    return Pseudonym(
        key=f"{PSEUDONYM_KEY_PREFIX}{digest[:_KEY_DIGITS]}",
        username=f"member-{code}",
        spare_username=f"member-{digest[:_LONG_CODE_DIGITS]}",
        name=name,
    )


def pseudonym_keys(source: str, key: str) -> list[str]:
    """Return every identity key the person may be stored under: the current secret key's,
    then each of SECRET_KEY_FALLBACKS' (a rotated key still finds the people it named)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        f"{PSEUDONYM_KEY_PREFIX}{_digest(source, key, secret)[:_KEY_DIGITS]}" for secret in secrets
    ]
