"""Accounts for the people an export names: found by their imported identity, or made anew.

Imported people get an unusable password: they exist so their history reads as theirs; they
can claim the account by resetting its password through the e-mail the export gave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cultivate.core.connectors import (
    Person,
    people_discourse,
    people_stackexchange,
    read_slack_people,
)

from .models import ImportedIdentity
from .reading import cut, external_id, one_line, short_hash, username_for

_PEOPLE: dict[str, Callable[[Path], Iterable[Person]]] = {
    "stackexchange": people_stackexchange,
    "slack": read_slack_people,
    "discourse": people_discourse,
}


def people_of_export(path: Path, source: str) -> dict[str, Person]:
    """Return the export's list of people by key, for the sources that have one."""
    reader = _PEOPLE.get(source)
    return {person.key: person for person in reader(path)} if reader else {}


def accounts_create(
    missing: list[tuple[str, str]],
    first_seen: dict[tuple[str, str], datetime],
    names: dict[tuple[str, str], str],
    people: dict[str, Person],
) -> dict[tuple[str, str], tuple[int, str]]:
    """Make an account for each (source, key) the import has not met, with its identity.

    Return (source, key) -> (user id, username). The username comes from the key, made unique;
    the e-mail from the export's people (or a mail key) when no other account has it.
    """
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
            user_model(
                username=username,
                email=email,
                display_name=cut(one_line(name), 120),
                password=make_password(None),
                is_active=True,
                last_login=None,
                date_joined=first_seen[ident],
            )
        )
    user_model.objects.bulk_create(accounts, batch_size=1000)
    ImportedIdentity.objects.bulk_create(
        [
            ImportedIdentity(source=ident[0], key=external_id(ident[1]), user_id=account.pk)
            for ident, account in zip(missing, accounts, strict=True)
        ],
        batch_size=1000,
    )
    return {
        ident: (account.pk, account.username)
        for ident, account in zip(missing, accounts, strict=True)
    }
