"""The line under every search result, written in Python: it is drawn up to 60 times a page.

As an included template it took a third of the search page's rendering (an include, three
`blocktranslate` and two `url` per result); the words and their translations are the same.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from cultivate.apps.search.cards import CardDetails
from cultivate.apps.search.selectors import SearchHit

register = template.Library()


@register.simple_tag
def search_byline(hit: SearchHit, details: CardDetails) -> SafeString:
    """Who wrote a result, its votes, where and when (in the reader's time zone)."""
    parts: list[str] = []
    if details.author_name:
        try:
            profile = reverse("people:profile", args=[details.author_username])
        except NoReverseMatch:  # a name an import brought that no profile path takes ("a/b")
            profile = ""
        by = gettext('by <a href="%(profile)s"><bdi>%(name)s</bdi></a>')
        parts.append(_span(by, profile=profile, name=details.author_name))
    if details.score is not None:
        votes = ngettext("%(count)s vote", "%(count)s votes", details.score)
        parts.append(_span(votes, count=details.score))
    home = reverse("sharing:home", args=[hit.community_slug])
    parts.append(
        _span(gettext('in <a href="%(home)s">%(name)s</a>'), home=home, name=hit.community_name)
    )
    moment = localtime(hit.created_at)
    parts.append(
        format_html(
            '<time datetime="{}">{}</time>', date_filter(moment, "c"), date_filter(moment, "j M Y")
        )
    )
    return mark_safe("\n".join(parts))


def _span(message: str, **values: object) -> str:
    """The translated words with each value escaped in, as `blocktranslate` does."""
    escaped = {name: format_html("{}", value) for name, value in values.items()}
    return format_html("<span>{}</span>", mark_safe(message % escaped))
