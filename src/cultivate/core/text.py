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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

__all__ = [
    "Number",
    "Text",
    "Translations",
    "_",
    "catalogue",
    "collect",
    "languages",
    "ngettext",
    "say",
    "stored_text",
    "trusted",
]


class Translations(Protocol):
    """What a catalogue offers: the standard library's `GNUTranslations`, Django's module."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


_SEPARATORS = {"fr": ("\u202f", ",", "\u202f%")}
"""How a language groups thousands, marks decimals and writes a percentage (English otherwise)."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number inside a sentence, written the way the sentence's language writes numbers."""

    value: float
    decimals: int = 0
    share: bool = False
    """A 0..1 share shown as a whole percentage."""

    @classmethod
    def count(cls, value: int) -> Number:
        return cls(value)

    @classmethod
    def ratio(cls, value: float, decimals: int = 2) -> Number:
        return cls(value, decimals)

    @classmethod
    def percent(cls, value: float) -> Number:
        return cls(value, 0, share=True)

    def written(self, translations: Translations | None) -> str:
        """The number as the catalogue's language writes it (English without one).

        A catalogue may name its separators (`number_separators()`: thousands, decimals), as the
        platform's does from Django's formats; otherwise its language's are used.
        """
        english = f"{self.value:,.0%}" if self.share else f"{self.value:,.{self.decimals}f}"
        if translations is None:
            return english
        language = _language(translations)
        grouping, point, percent_sign = _SEPARATORS.get(language, (",", ".", "%"))
        named = getattr(translations, "number_separators", None)
        if callable(named):
            grouping, point = named()
        digits = english.removesuffix("%")
        shown = digits.replace(",", "\0").replace(".", point).replace("\0", grouping)
        return shown + percent_sign if self.share else shown

    def __str__(self) -> str:
        return self.written(None)

    def to_json(self) -> dict[str, Any]:
        return {"number": self.value, "decimals": self.decimals, "share": self.share}


def _language(translations: Translations | None) -> str:
    info = getattr(translations, "info", None)
    language = str(info().get("language", "")) if callable(info) else ""
    return language.replace("-", "_").split("_")[0].lower()


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
            said = translations.ngettext(self.msgid, self.plural, self.n)
            pattern = trusted(said, self.msgid, self.plural) if self.params else said
        else:
            said = translations.gettext(self.msgid)
            pattern = trusted(said, self.msgid) if self.params else said
        try:
            return _fill(pattern, self.params, translations)
        except (KeyError, ValueError, TypeError):  # a broken translation must not break a page
            return str(self)

    def to_json(self) -> dict[str, Any]:
        """The message as plain data, values that are sentences included."""
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.plural is not None:
            data["plural"], data["n"] = self.plural, self.n
        if self.params:
            data["params"] = {
                k: v.to_json() if isinstance(v, Text | Number) else v
                for k, v in self.params.items()
            }
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        params = {k: _value_from_json(v) for k, v in dict(data.get("params") or {}).items()}
        return cls(data["msgid"], params, plural=data.get("plural"), n=data.get("n"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.to_json(),))


def stored_text(data: Any) -> Text | None:
    """The sentence a stored message holds, or None where it is not one (damaged, or older)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("msgid"), str):
        return None
    try:
        return Text.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


def _rebuild(data: Mapping[str, Any]) -> Text:
    return Text.from_json(data)


def _value_from_json(value: Any) -> Any:
    if isinstance(value, Mapping) and "msgid" in value:
        return Text.from_json(value)
    if isinstance(value, Mapping) and "number" in value:
        return Number(value["number"], int(value.get("decimals", 0)), bool(value.get("share")))
    return value


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_DIRECTIVE = re.compile(r"%(?:\((\w*)\))?(.?)")


def trusted(translated: str, *originals: str) -> str:
    """The translation, or the first original where it is broken: a value the original does
    not name, or a directive other than %(name)s and %%."""
    wanted = {name for original in originals for name in _PLACEHOLDER.findall(original)}
    for name, kind in _DIRECTIVE.findall(translated):
        if not (kind == "%" and not name) and not (kind == "s" and name in wanted):
            return originals[0]
    return translated


def _fill(pattern: str, params: Mapping[str, Any], translations: Translations | None) -> str:
    if not params:
        return pattern
    return pattern % {k: _said(v, translations) for k, v in params.items()}


def _said(value: Any, translations: Translations | None) -> Any:
    if isinstance(value, Text):
        return value.in_language(translations)
    if isinstance(value, Number):
        return value.written(translations)
    return value


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
