"""Sentences the engine writes in English and any reader's language can say again.

Core is framework-free and its reports are stored, then read by people of several languages, so a
sentence cannot be translated when it is written. A `Text` is the English sentence (it *is* a
`str`, so every caller, test and JSON file reads English as before) that also keeps its message
id and values; `in_language` says it again through any gettext catalogue: Django's on the
platform, the standard library's for the command line (`catalogue`).

`_` and `ngettext` are named so that `xgettext` (Django's `makemessages`) collects their message
ids into the same catalogue as the platform's strings.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any, Protocol

__all__ = ["Text", "Translations", "_", "catalogue", "collect", "languages", "ngettext", "say"]


class Translations(Protocol):
    """What a catalogue offers: the standard library's `GNUTranslations`, Django's module."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class Text(str):
    """An English sentence that remembers its message id and values, to be said again."""

    msgid: str
    plural: str | None
    n: int | None
    params: Mapping[str, Any]

    def __new__(
        cls,
        msgid: str,
        params: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        n: int | None = None,
    ) -> Text:
        values = dict(params or {})
        english = plural if plural is not None and n != 1 else msgid
        made = super().__new__(cls, _fill(english, values, None))
        made.msgid, made.plural, made.n, made.params = msgid, plural, n, values
        return made

    def in_language(self, translations: Translations | None) -> str:
        """Say the sentence through a catalogue (None: English), its values said there too."""
        if translations is None:
            return str(self)
        if self.plural is not None and self.n is not None:
            pattern = translations.ngettext(self.msgid, self.plural, self.n)
        else:
            pattern = translations.gettext(self.msgid)
        return _fill(pattern, self.params, translations)

    def to_json(self) -> dict[str, Any]:
        """The message as plain data, values that are sentences included."""
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.plural is not None:
            data["plural"], data["n"] = self.plural, self.n
        if self.params:
            data["params"] = {
                k: v.to_json() if isinstance(v, Text) else v for k, v in self.params.items()
            }
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        params = {
            k: cls.from_json(v) if isinstance(v, Mapping) and "msgid" in v else v
            for k, v in dict(data.get("params") or {}).items()
        }
        return cls(data["msgid"], params, plural=data.get("plural"), n=data.get("n"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.to_json(),))


def _rebuild(data: Mapping[str, Any]) -> Text:
    return Text.from_json(data)


def _fill(pattern: str, params: Mapping[str, Any], translations: Translations | None) -> str:
    if not params:
        return pattern
    said = {k: v.in_language(translations) if isinstance(v, Text) else v for k, v in params.items()}
    try:
        return pattern % said
    except (KeyError, ValueError, TypeError):  # a broken translation must not break a report
        return pattern


def _(msgid: str, **params: Any) -> Text:
    """A sentence to translate, with its %(name)s values."""
    return Text(msgid, params)


def ngettext(singular: str, plural: str, n: int, **params: Any) -> Text:
    """A sentence whose words follow a count (`n` is also a value unless given)."""
    return Text(singular, {"n": n, **params}, plural=plural, n=n)


def say(value: Any, translations: Translations | None) -> Any:
    """Return `value` with every sentence in it said through the catalogue (lists and dicts too)."""
    if isinstance(value, Text):
        return value.in_language(translations)
    if isinstance(value, list | tuple):
        return type(value)(say(v, translations) for v in value)
    if isinstance(value, dict):
        return {k: say(v, translations) for k, v in value.items()}
    return value


def collect(value: Any) -> dict[str, dict[str, Any]]:
    """Return every sentence found in `value` as {English: message}, to be stored beside it."""
    return {str(text): text.to_json() for text in _texts(value)}


def _texts(value: Any) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def languages() -> list[str]:
    """The languages a packaged catalogue exists for, English (the source) first."""
    locale_dir = resources.files("cultivate") / "locale"
    found = sorted(
        entry.name
        for entry in locale_dir.iterdir()
        if (entry / "LC_MESSAGES" / "django.mo").is_file()
    )
    return ["en", *found]


def catalogue(language: str | None) -> Translations | None:
    """The packaged catalogue for a language ('fr', 'fr-FR'), or None for English or unknown."""
    if not language or language.lower().startswith("en"):
        return None
    locale_dir = resources.files("cultivate") / "locale"
    code = language.replace("-", "_")
    found = gettext.translation(
        "django", localedir=str(locale_dir), languages=[code, code.split("_")[0]], fallback=True
    )
    return None if type(found) is gettext.NullTranslations else found
