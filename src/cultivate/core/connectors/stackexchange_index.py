"""What the Stack Exchange reader keeps of every post and vote between its passes: no text.

Kept apart from stackexchange.py because this is the reader's memory, and its size is what the
reader promises (proportional to the number of posts): the first pass over Posts.xml notes each
post's kind, parent, owner and accepted answer, and Votes.xml leaves counts per post id, all in
compact id maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ._idmap import IdMap

QUESTION, ANSWER = 1, 2


Owner = int | str  # a user id, or the display name of a deleted account


_NAMED = -(1 << 62)
"""The owner map's mark for a post whose owner is a deleted account known only by name."""


@dataclass(slots=True)
class PostIndex:
    """What the second pass needs to know about every post, without any text.

    Kept in compact id maps: a million-post dump costs megabytes here, not hundreds of them.
    """

    kind: IdMap = field(default_factory=lambda: IdMap("b"))
    parent: IdMap = field(default_factory=IdMap)
    owners: IdMap = field(default_factory=IdMap)
    owner_names: dict[int, str] = field(default_factory=dict)
    accepted_by: IdMap = field(default_factory=IdMap)  # answer id -> question id

    def set_owner(self, post: int, owner: Owner) -> None:
        if isinstance(owner, str):
            self.owners[post] = _NAMED
            self.owner_names[post] = owner
        else:
            self.owners[post] = owner

    def owner(self, post: int) -> Owner | None:
        value = self.owners.get(post)
        if value == _NAMED:
            return self.owner_names[post]
        return value

    def question_of(self, post: int) -> int | None:
        kind = self.kind.get(post)
        if kind == QUESTION:
            return post
        if kind == ANSWER:
            return self.parent.get(post)
        return None


@dataclass(slots=True)
class VoteCounts:
    up: IdMap = field(default_factory=lambda: IdMap("i"))
    down: IdMap = field(default_factory=lambda: IdMap("i"))
    favourite: IdMap = field(default_factory=lambda: IdMap("i"))
    accepted_at: dict[int, datetime] = field(default_factory=dict)
