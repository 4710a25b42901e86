"""Django's catalogue as core's sentences read one (`cultivate.core.text.Translations`).

Core writes its sentences in English and says them again through a catalogue; the platform's is
Django's, for the language active now, with the separators the active locale writes numbers
with (1 627 and 0,33 in French).
"""

from __future__ import annotations

from django.utils import formats, translation

__all__ = ["READER", "ReaderCatalogue"]


class ReaderCatalogue:
    """The active language's words and number separators."""

    def gettext(self, message: str, /) -> str:
        return translation.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return translation.ngettext(singular, plural, n)

    def number_separators(self) -> tuple[str, str]:
        grouping = formats.get_format("THOUSAND_SEPARATOR")
        return str(grouping), str(formats.get_format("DECIMAL_SEPARATOR"))

    def info(self) -> dict[str, str]:
        return {"language": translation.get_language() or "en"}


READER = ReaderCatalogue()
