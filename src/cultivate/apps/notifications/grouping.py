"""Unread notices of one kind in one community read as one line: "5 new answers in Pumps"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import ngettext_lazy

from .models import Kind, Notification

GROUP_TITLES: dict[str, Any] = {
    Kind.ANSWER: ngettext_lazy(
        "%(count)s new answer in %(community)s", "%(count)s new answers in %(community)s", "count"
    ),
    Kind.COMMENT: ngettext_lazy(
        "%(count)s new comment in %(community)s", "%(count)s new comments in %(community)s", "count"
    ),
    Kind.MENTION: ngettext_lazy(
        "%(count)s mention of you in %(community)s",
        "%(count)s mentions of you in %(community)s",
        "count",
    ),
    Kind.ACCEPTED: ngettext_lazy(
        "%(count)s of your answers accepted in %(community)s",
        "%(count)s of your answers accepted in %(community)s",
        "count",
    ),
    Kind.WATCHED_QUESTION: ngettext_lazy(
        "%(count)s new question in %(community)s",
        "%(count)s new questions in %(community)s",
        "count",
    ),
    Kind.EVENT: ngettext_lazy(
        "%(count)s event notice in %(community)s",
        "%(count)s event notices in %(community)s",
        "count",
    ),
    Kind.COFFEE: ngettext_lazy(
        "%(count)s coffee pairing in %(community)s",
        "%(count)s coffee pairings in %(community)s",
        "count",
    ),
    Kind.DECISION: ngettext_lazy(
        "%(count)s decision notice in %(community)s",
        "%(count)s decision notices in %(community)s",
        "count",
    ),
    Kind.ACTION: ngettext_lazy(
        "%(count)s action item notice in %(community)s",
        "%(count)s action item notices in %(community)s",
        "count",
    ),
    Kind.KUDOS: ngettext_lazy(
        "%(count)s kudos to you in %(community)s",
        "%(count)s kudos to you in %(community)s",
        "count",
    ),
    Kind.MILESTONE: ngettext_lazy(
        "%(count)s win in %(community)s", "%(count)s wins in %(community)s", "count"
    ),
    Kind.REVIEW: ngettext_lazy(
        "%(count)s review notice in %(community)s",
        "%(count)s review notices in %(community)s",
        "count",
    ),
    Kind.HELP: ngettext_lazy(
        "%(count)s help request notice in %(community)s",
        "%(count)s help request notices in %(community)s",
        "count",
    ),
    Kind.ROUTED: ngettext_lazy(
        "%(count)s question you could answer in %(community)s",
        "%(count)s questions you could answer in %(community)s",
        "count",
    ),
}


ANY_NOTICES = ngettext_lazy(
    "%(count)s new notice in %(community)s", "%(count)s new notices in %(community)s", "count"
)
"""A kind stored before its group title was written."""


@dataclass
class Entry:
    """One line of the list: a notice, or a group of unread ones of one kind and community."""

    notices: list[Notification] = field(default_factory=list)

    @property
    def first(self) -> Notification:
        return self.notices[0]

    @property
    def is_group(self) -> bool:
        return len(self.notices) > 1

    @property
    def title(self) -> str:
        words = GROUP_TITLES.get(str(self.first.kind), ANY_NOTICES)
        return str(words % {"count": len(self.notices), "community": self.first.community.name})


def grouped(notices: Iterable[Notification]) -> list[Entry]:
    """Group a page's unread notices by kind and community, each group where its newest is."""
    entries: list[Entry] = []
    groups: dict[tuple[str, int], Entry] = {}
    for notice in notices:
        if notice.read_at is not None:
            entries.append(Entry([notice]))
            continue
        key = (notice.kind, notice.community_id)
        if key in groups:
            groups[key].notices.append(notice)
        else:
            groups[key] = Entry([notice])
            entries.append(groups[key])
    return entries
