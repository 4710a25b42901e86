"""A notice's sentence, worded when it is read, in the reader's language.

A service does not know who will read a notice, nor in which language: it gives an English
template (marked with `gettext_noop`, so the catalogue collects it) and the values to fill in.
The notice stores both; the page and the e-mail word it for their reader. A value may itself be
a phrase ("from 2 people"), and a phrase may have a plural form chosen by a count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from cultivate.apps.catalogue import READER
from cultivate.core.text import Text


@dataclass(frozen=True, slots=True)
class Phrase:
    template: str
    values: Mapping[str, str | Phrase] = field(default_factory=dict)
    plural: str = ""
    count: int = 0

    def worded(self, language: str | None = None) -> str:
        """The sentence in `language`, or in the language active now."""
        if language == "en":  # the templates are English: no catalogue to read
            return str(self.text())
        if language:
            with translation.override(language):
                return self.worded()
        return self.text().in_language(READER)

    def text(self) -> Text:
        """The phrase as core's sentence: English, and said again through any catalogue."""
        values = {k: v.text() if isinstance(v, Phrase) else v for k, v in self.values.items()}
        if self.plural:
            return Text(self.template, values, plural=self.plural, n=self.count)
        return Text(self.template, values)

    def __str__(self) -> str:
        return self.worded()

    def to_data(self) -> dict[str, Any]:
        """The phrase as JSON, to store with the notice."""
        values = {k: v.to_data() if isinstance(v, Phrase) else v for k, v in self.values.items()}
        return {"template": self.template, "plural": self.plural, "count": self.count} | {
            "values": values
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Phrase:
        values = {
            k: cls.from_data(v) if isinstance(v, Mapping) else str(v)
            for k, v in dict(data.get("values") or {}).items()
        }
        return cls(
            str(data["template"]), values, str(data.get("plural", "")), int(data.get("count", 0))
        )


def _text(value: Any) -> str | Phrase:
    return value if isinstance(value, Phrase) else str(value)


def phrase(template: str, **values: Any) -> Phrase:
    """Return a phrase; the values are kept as text, as they read when the act happened."""
    return Phrase(template, {name: _text(value) for name, value in values.items()})


def ngettext(singular: str, plural: str, count: int, **values: Any) -> Phrase:
    """Return a phrase with a plural form chosen by `count` (also given as `%(count)s`).

    Named like gettext's own, so makemessages collects both forms.
    """
    words = {name: _text(value) for name, value in values.items()}
    return Phrase(singular, {"count": str(count)} | words, plural, count)
