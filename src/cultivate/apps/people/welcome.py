"""A newcomer's first steps: communities that fit them, and what is left to do.

Suggestions come from what the person told at sign-up and on their profile (department and
expertise) matched against each public community's name, practice and description; the most
active communities fill in when nothing matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community, Membership, MembershipState, Visibility
from cultivate.apps.sharing.models import Answer, Question
from cultivate.apps.tags.models import TagWatch

_WORD = re.compile(r"\w{3,}")
_COMMON = frozenset({"and", "the", "for", "with", "team", "group", "department"})


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _COMMON}


def suggested_communities(user: User, limit: int = 4) -> list[Community]:
    """Public communities the person is not in, those sharing words with their department and
    expertise first, then the liveliest."""
    wanted = _words(user.department) | {
        w for name in user.expertise.values_list("name", flat=True) for w in _words(name)
    }
    joined = Membership.objects.filter(user=user).values("community_id")
    candidates = list(
        Community.objects.filter(visibility=Visibility.PUBLIC)
        .exclude(pk__in=joined)
        .order_by("-member_count", "name")[:200]
    )

    def fit(community: Community) -> int:
        text = f"{community.name} {community.practice} {community.description}"
        return len(wanted & _words(text))

    ranked = sorted(candidates, key=lambda c: (-fit(c), -c.member_count, c.name.lower()))
    return ranked[:limit]


@dataclass(frozen=True, slots=True)
class FirstSteps:
    joined: bool
    took_part: bool
    watches: bool

    @property
    def done(self) -> bool:
        return self.joined and self.took_part and self.watches

    @property
    def count_done(self) -> int:
        return sum((self.joined, self.took_part, self.watches))


def first_steps(user: User) -> FirstSteps:
    """What a newcomer has done of the three first steps: join, ask or answer, watch a tag."""
    return FirstSteps(
        joined=Membership.objects.filter(user=user, state=MembershipState.ACTIVE).exists(),
        took_part=Question.objects.filter(author=user).exists()
        or Answer.objects.filter(author=user).exists(),
        watches=TagWatch.objects.filter(user=user).exists(),
    )
