"""Who is who across exports: people merged by e-mail, and stable salted pseudonyms.

Each reader keys people per source (`slack:<workspace>:user:U061A1R2R`, `mail:ann@example.org`,
`stackexchange:ai:user:17`). The same person in a Slack workspace and on a mailing list is one
person when both give the same e-mail address: `merge_people` maps every source key to one
canonical key, `person:<sha-256 of the address>`, and keeps one display name for it.

`Pseudonymizer` replaces people with stable pseudonyms: an actor becomes `pseudonym:<hmac>` and
shows as "Person 3f9a2c" (HMAC-SHA256 of the canonical key with a salt the caller supplies), so
the same salt gives the same pseudonyms on every run and a different salt gives unrelated ones.
Texts lose e-mail addresses, @mentions and the names of the people the exports list; meta
keeps its structure (tags, kinds) and loses names and addresses; ids become opaque digests
(mail Message-IDs hold addresses, Slack reaction ids user ids), the same digest for the same
id, so threads stay threads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cultivate.core.activity import Activity

from .base import Batches, Person

__all__ = [
    "PERSON_PREFIX",
    "PSEUDONYM_PREFIX",
    "Identities",
    "Pseudonymizer",
    "apply_identities",
    "email_key",
    "merge_people",
]

PERSON_PREFIX = "person:"
PSEUDONYM_PREFIX = "pseudonym:"
_MIN_NAME = 3
"""Shorter names are not looked for in texts: two letters match too many ordinary words."""
_ADDRESS = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
# Mailman archives hide addresses as "ann at example.org"; the host must have a dot.
_OBFUSCATED = re.compile(r"\b[\w.+'=-]+ at [\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_MENTION = re.compile(r"(?<![\w.@<])@[\w][\w.-]*")
_WORD = re.compile(r"\w+")
_ID_META_KEYS = frozenset({"replied_to", "message", "topic", "post", "file_id"})
_NAME_META_KEYS = frozenset({"name", "author", "username", "display_name", "user_name"})
_DROP_META_KEYS = frozenset({"email", "address", "from"})
_TEXT_META_KEYS = frozenset({"subject", "title", "file"})


def email_key(email: str) -> str:
    """Return the canonical key of the person behind an e-mail address (case-insensitive)."""
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
    return f"{PERSON_PREFIX}{digest[:20]}"


@dataclass(frozen=True, slots=True)
class Identities:
    """Source keys mapped to canonical people, and the name each canonical person shows."""

    canonical: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    """Canonical key -> display name (what reports show instead of the key)."""
    people: tuple[Person, ...] = ()
    """The records merged, for pseudonymising names found in texts."""

    def key(self, actor: str) -> str:
        """Return the canonical key of a source key (itself when nobody merged it)."""
        return self.canonical.get(actor, actor)


def merge_people(people: Iterable[Person]) -> Identities:
    """Merge people from one or more sources: one canonical key per e-mail address.

    A person without an address keeps the source key. The display name is the first non-empty
    name seen for the canonical person, so list the most trusted source first.
    """
    canonical: dict[str, str] = {}
    names: dict[str, str] = {}
    records: list[Person] = []
    for person in people:
        records.append(person)
        key = email_key(person.email) if person.email and "@" in person.email else person.key
        canonical[person.key] = key
        name = person.name.strip()
        if name and name != person.key and key not in names:
            names[key] = name
    return Identities(canonical=canonical, names=names, people=tuple(records))


def apply_identities(batches: Iterable[list[Activity]], identities: Identities) -> Batches:
    """Yield the batches with actors and target actors rewritten to canonical keys."""
    canonical = identities.canonical
    for batch in batches:
        if not canonical:
            yield batch
            continue
        out: list[Activity] = []
        for activity in batch:
            actor = canonical.get(activity.actor, activity.actor)
            target = activity.target_actor
            target = canonical.get(target, target) if target is not None else None
            if actor == activity.actor and target == activity.target_actor:
                out.append(activity)
            else:
                out.append(dataclasses.replace(activity, actor=actor, target_actor=target))
        yield out


class Pseudonymizer:
    """Stable salted pseudonyms for people, and texts with their names and addresses removed."""

    def __init__(self, salt: str | bytes, identities: Identities | None = None) -> None:
        if not salt:
            raise ValueError("a pseudonym salt must not be empty")
        self._salt = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
        self.identities = identities or Identities()
        self.names: dict[str, str] = {}
        """Pseudonymous actor -> "Person 3f9a2c", for every actor seen so far (for reports)."""
        self._by_first_word: dict[str, list[tuple[str, str]]] = {}
        for person in self.identities.people:
            self._index_name(person.name, self.identities.key(person.key))

    def _index_name(self, name: str, canonical: str) -> None:
        name = " ".join(name.split())
        if len(name) < _MIN_NAME or name == canonical:
            return
        first = _WORD.match(name)
        if first is None:
            return
        entries = self._by_first_word.setdefault(first.group(0).lower(), [])
        entries.append((name.lower(), canonical))
        entries.sort(key=lambda entry: -len(entry[0]))

    def _digest(self, value: str) -> str:
        return hmac.new(self._salt, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def actor(self, key: str) -> str:
        """Return the pseudonymous actor of a source or canonical key."""
        canonical = self.identities.key(key)
        digest = self._digest(canonical)
        actor = f"{PSEUDONYM_PREFIX}{digest[:20]}"
        if actor not in self.names:
            self.names[actor] = f"Person {digest[:6]}"
        return actor

    def name(self, key: str) -> str:
        """Return the pseudonymous display name of a source or canonical key."""
        return self.names[self.actor(key)]

    def opaque(self, value: str) -> str:
        """Return an id that names no one (Slack ids carry user ids, mail ids addresses).

        The digest is stable per value, so a reply's parent still equals its question's id.
        """
        head = value.split(":", 1)[0] if ":" in value else "id"
        return f"{head}:{self._digest(f'id:{value}')[:24]}"

    def text(self, text: str, *, actor: str | None = None) -> str:
        """Return the text without addresses, mentions or the names of known people."""
        text = _ADDRESS.sub("[address]", text)
        text = _OBFUSCATED.sub("[address]", text)
        text = _MENTION.sub("@someone", text)
        if actor is not None and ":user:" in actor:
            people = actor.rsplit(":", 1)[0]
            text = _SLACK_MENTION.sub(lambda m: "@" + self.name(f"{people}:{m.group(1)}"), text)
        text = _SLACK_MENTION.sub("@someone", text)
        return self._names_in(text) if self._by_first_word else text

    def _names_in(self, text: str) -> str:
        """Replace whole-word occurrences of known people's names with their pseudonyms."""
        lowered = text.lower()
        out: list[str] = []
        position = 0
        for word in _WORD.finditer(text):
            start = word.start()
            if start < position:
                continue
            candidates = self._by_first_word.get(word.group(0).lower())
            if not candidates:
                continue
            for name, canonical in candidates:
                end = start + len(name)
                if lowered.startswith(name, start) and not (
                    end < len(text) and (text[end].isalnum() or text[end] == "_")
                ):
                    out.append(text[position:start])
                    out.append(self.name(canonical))
                    position = end
                    break
        if not out:
            return text
        out.append(text[position:])
        return "".join(out)

    def _meta(self, value: Any, key: str, actor: str) -> Any:
        if isinstance(value, dict):
            return {
                k: self._meta(v, k, actor) for k, v in value.items() if k not in _DROP_META_KEYS
            }
        if isinstance(value, list):
            return [self._meta(v, key, actor) for v in value]
        if not isinstance(value, str):
            return value
        if key in _NAME_META_KEYS:
            return self.name(actor)
        if key in _ID_META_KEYS:
            return self.opaque(value)
        if key in _TEXT_META_KEYS:
            return self.text(value, actor=actor)
        return _MENTION.sub("@someone", _ADDRESS.sub("[address]", value))

    def activity(self, activity: Activity) -> Activity:
        """Return the activity with every person, name and address replaced."""
        source_actor = activity.actor
        target = activity.target_actor
        parent = activity.parent_id
        return dataclasses.replace(
            activity,
            id=self.opaque(activity.id),
            actor=self.actor(source_actor),
            object_id=self.opaque(activity.object_id),
            parent_id=self.opaque(parent) if parent is not None else None,
            target_actor=self.actor(target) if target is not None else None,
            text=self.text(activity.text, actor=source_actor) if activity.text else activity.text,
            meta={
                k: self._meta(v, k, source_actor)
                for k, v in activity.meta.items()
                if k not in _DROP_META_KEYS
            },
        )

    def batches(self, batches: Iterable[list[Activity]]) -> Iterator[list[Activity]]:
        """Yield the batches pseudonymised (apply to source keys: merging happens here too)."""
        for batch in batches:
            yield [self.activity(activity) for activity in batch]
