"""Occasions a message speaks of: a meeting announced, so imported chat lights the right step.

Exports carry no events; a community that meets shows it in its messages ("Meetup tonight at
7pm, join us"). A message announces a meeting when it names a gathering (meetup, call, workshop,
coffee, ...) together with a time or an invitation, so "a function call" or "the meeting notes
from 2019" do not count.
"""

from __future__ import annotations

import re

__all__ = ["CELEBRATORY_REACTIONS", "announces_meeting"]

_GATHERING = re.compile(
    r"\b(?:meet-?ups?|meetings?|hangouts?|calls?|zoom|webinars?|workshops?|coffee|lunch|"
    r"breakfast|happy hour|get-together|gathering|hack(?:athon|night|day)s?|office hours|"
    r"sessions?|sprints?|socials?|drinks|talks?|conference|summit|symposium|jam)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:week|weekend|morning|afternoon|evening|month)|"
    r"next (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"\d{1,2}(?::\d{2})? ?(?:am|pm)|\d{1,2}:\d{2}|at noon)\b",
    re.IGNORECASE,
)
_INVITATION = re.compile(
    r"\b(?:join us|come (?:by|and|to|join)|see you (?:there|at|on)|rsvp|register|sign up|"
    r"invit(?:e|ed|ation)|everyone is welcome|all welcome|who(?:'s| is) (?:in|coming)|"
    r"let'?s (?:meet|get together|grab))\b",
    re.IGNORECASE,
)

CELEBRATORY_REACTIONS = frozenset(
    {
        "tada",
        "clap",
        "raised_hands",
        "trophy",
        "medal",
        "sports_medal",
        "first_place_medal",
        "confetti_ball",
        "partying_face",
        "star-struck",
        "heart_eyes",
        "100",
        "pray",
        "muscle",
        "star",
        "sparkles",
        "bow",
        "heart",
        "clapping",
        "thankyou",
        "thank_you",
    }
)
"""Reactions that thank or cheer: a kudos-like act, where a source records who reacted."""


def announces_meeting(text: str) -> bool:
    """Whether a message announces a gathering: a meeting word with a time or an invitation."""
    head = text[:2000]
    if not _GATHERING.search(head):
        return False
    return bool(_WHEN.search(head) or _INVITATION.search(head))
