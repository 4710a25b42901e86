"""Accounts for the people an export names: found by their imported identity, or made anew.

Imported people get an unusable password: they exist so their history reads as theirs. By
default they are pseudonymous (`pseudonyms.py`, ADR 28): no name, no address, no key of the
export is stored. With `keep_names` they get the export's names, and the e-mail the export gave,
through which they can claim the account by resetting its password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cultivate.core.connectors import (
    Person,
    people_discourse,
    people_stackexchange,
    read_slack_people,
)

from .models import ImportedIdentity
from .pseudonyms import pseudonym_keys, pseudonym_of
from .reading import cut, external_id, one_line, short_hash, username_for

Ident = tuple[str, str]
"""(source, the export's key of a person)."""

_PEOPLE: dict[str, Callable[[Path], Iterable[Person]]] = {
    "stackexchange": people_stackexchange,
    "slack": read_slack_people,
    "discourse": people_discourse,
}


def people_of_export(path: Path, source: str) -> dict[str, Person]:
    """Return the export's list of people by key, for the sources that have one."""
    reader = _PEOPLE.get(source)
    return {person.key: person for person in reader(path)} if reader else {}


def identity_keys(idents: list[Ident]) -> dict[str, dict[str, Ident]]:
    """Return, per source, every identity key each person may be stored under -> the person.

    A person imported with their names is stored under the export's key, one imported
    pseudonymously under a keyed hash of it: both are looked for, so importing the same
    people with or without names finds the same accounts.
    """
    keys: dict[str, dict[str, Ident]] = {}
    for ident in idents:
        found = keys.setdefault(ident[0], {})
        found[external_id(ident[1])] = ident
        for key in pseudonym_keys(*ident):
            found[key] = ident
    return keys


def accounts_create(
    missing: list[Ident],
    first_seen: dict[Ident, datetime],
    names: dict[Ident, str],
    people: dict[str, Person],
    *,
    keep_names: bool = False,
) -> dict[Ident, tuple[int, str]]:
    """Make an account for each (source, key) the import has not met, with its identity.

    Return (source, key) -> (user id, username). Without `keep_names` each person gets their
    pseudonym, an address under `.invalid` and a hashed identity key. With it, the username
    comes from the key, made unique; the e-mail from the export's people (or a mail key) when
    no other account has it.
    """
    if not keep_names:
        return _pseudonymous_accounts_create(missing, first_seen)
    user_model = get_user_model()
    wanted = {ident: username_for(ident[1]) for ident in missing}
    taken = set(
        user_model.objects.filter(username__in=wanted.values()).values_list("username", flat=True)
    )
    emails: dict[tuple[str, str], str] = {}
    for ident in missing:
        person = people.get(ident[1])
        email = person.email if person and person.email else None
        if email is None and ident[1].startswith("mail:") and "@" in ident[1]:
            email = ident[1].removeprefix("mail:")
        if email and len(email) <= 254:
            emails[ident] = email.lower()
    used = set(user_model.objects.filter(email__in=emails.values()).values_list("email", flat=True))
    accounts = []
    for ident in missing:
        username = wanted[ident]
        if username in taken:
            username = f"{username[:120]}-{short_hash(ident[0] + ident[1], 10)}"
        taken.add(username)
        email = emails.get(ident)
        if email is None or email in used:
            email = f"{username}@imported.invalid"
        used.add(email)
        person = people.get(ident[1])
        name = names.get(ident) or (person.name if person else "") or ident[1].rsplit(":")[-1]
        accounts.append(
            _imported_account(username, email, cut(one_line(name), 120), first_seen[ident])
        )
    return _accounts_save(missing, accounts, [external_id(ident[1]) for ident in missing])


def _imported_account(username: str, email: str, name: str, joined: datetime) -> Any:
    """An account an import makes: active, never signed in, with no password to sign in by."""
    return get_user_model()(
        username=username,
        email=email,
        display_name=name,
        password=make_password(None),
        is_active=True,
        last_login=None,
        date_joined=joined,
    )


def _accounts_save(
    missing: list[Ident], accounts: list[Any], keys: list[str]
) -> dict[Ident, tuple[int, str]]:
    """Write the accounts and their identities (stored under `keys`, one per person)."""
    get_user_model().objects.bulk_create(accounts, batch_size=1000)
    ImportedIdentity.objects.bulk_create(
        [
            ImportedIdentity(source=ident[0], key=key, user_id=account.pk)
            for ident, account, key in zip(missing, accounts, keys, strict=True)
        ],
        batch_size=1000,
    )
    return {
        ident: (account.pk, account.username)
        for ident, account in zip(missing, accounts, strict=True)
    }


def _pseudonymous_accounts_create(
    missing: list[Ident], first_seen: dict[Ident, datetime]
) -> dict[Ident, tuple[int, str]]:
    user_model = get_user_model()
    pseudonyms = {ident: pseudonym_of(*ident) for ident in missing}
    wanted = [p.username for p in pseudonyms.values()]
    wanted += [p.spare_username for p in pseudonyms.values()]
    taken = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
    accounts = []
    for ident in missing:
        pseudonym = pseudonyms[ident]
        username = pseudonym.username
        if username in taken:  # six digits may meet another's; sixteen, keyed, meet none
            username = pseudonym.spare_username
        taken.add(username)
        accounts.append(
            _imported_account(
                username, f"{username}@imported.invalid", pseudonym.name, first_seen[ident]
            )
        )
    return _accounts_save(missing, accounts, [pseudonyms[ident].key for ident in missing])
