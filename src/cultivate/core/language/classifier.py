"""Guess what kind of contribution a message is when its source does not say.

Slack messages and e-mails carry no type: the analytics need to know whether someone asked,
broadcast, promoted themselves, replied or thanked. The classifier is rule-based so it runs
offline, explains itself and keeps well above 2,000 messages per second on one core.

Rules (each match adds to a kind's score; the highest score wins):

- question: a sentence ending in "?" (1.5, then 0.5 per further one, at most 2.5 in all);
  an interrogative opening at the start of a sentence (how, what, why, when, where, which, who,
  does/has/is there/can someone/anyone, any idea, ...: 1.5); an explicit request for help
  ("I need help", "any suggestions", "how do I", "I'm stuck", "I was wondering": 1.5 each,
  at most 3.0).
- appreciation: thanks, thank you, kudos, great job, well done, congratulations (2.5 in a short
  message of at most 30 words, 0.5 in a longer one, where thanks are usually a courtesy);
  praise words such as fantastic or awesome in a short message (1.0 each, at most 2.0).
- self-promotion: the author pointing at their own or their employer's offer: "my new talk",
  "check out my", "I'm excited to announce", "just published", "we are hiring", "buy",
  "discount", "promo code" (2.0 each, at most 4.0); a link next to "my"/"our" (1.0).
- broadcast: announcements and event posts (announce, reminder, join us, RSVP, register,
  meetup, webinar, deadline, call for papers, release, agenda, minutes, slides: 1.0 each, at most
  3.0); a link in a message without a question mark (1.0); opening a thread with a statement of at
  least 8 words (1.0).
- reply: not a thread start (2.0); quoting the previous message (0.5); typical answers
  ("yes", "I agree", "you can", "have you tried", "in my experience": 1.0).
- other: a constant floor of 0.5, so a message that matches nothing is "other".

Ties go to the earlier kind in the order question, self-promotion, appreciation, broadcast,
reply, other. Confidence is 1 - exp(-margin), where margin is the best score minus the
second best: 0 for a tie, 0.63 for a margin of one rule, 0.95 for three.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

__all__ = ["Classification", "Kind", "classify"]

_MAX_CHARS = 4000
"""Only the head of a long message is read: its kind shows early, and speed stays flat."""

_SHORT_WORDS = 30
_STATEMENT_WORDS = 8


class Kind(enum.StrEnum):
    """What a message does in its community."""

    QUESTION = "question"
    SELF_PROMOTION = "self-promotion"
    APPRECIATION = "appreciation"
    BROADCAST = "broadcast"
    REPLY = "reply"
    OTHER = "other"


_ORDER: tuple[Kind, ...] = tuple(Kind)


@dataclass(frozen=True, slots=True)
class Classification:
    """The most likely kind of a message and how far it stood out from the runner-up (0..1)."""

    kind: Kind
    confidence: float


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_SLACK_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_QUESTION_MARK = re.compile(r"\?+(?=\s|$|[)\"'])")
_OPENING = re.compile(
    r"(?:^|[.!?\n]\s*)(?:(?:hi|hello|hey|all|folks|everyone|guys|there)\b[ ,!]*)*"
    r"(?:how|what|why|when|where|which|who|whom|whose|"
    r"does anyone|do any of you|has anyone|have any of you|is there|are there|is it possible|"
    r"can someone|can anyone|could someone|could anyone|would anyone|anyone|does anybody|"
    r"any idea|any ideas|do you know|should i|should we|can i|can we|is it|are you|do you)\b",
    re.IGNORECASE,
)
_HELP = _words(
    r"i need help",
    r"need (?:some )?help",
    r"please help",
    r"help me",
    r"looking for (?:advice|recommendations|suggestions|pointers|help)",
    r"any (?:suggestions|pointers|advice|recommendations|hints|tips)",
    r"i'?m stuck",
    r"i am stuck",
    r"can'?t figure",
    r"cannot figure",
    r"how do i",
    r"how can i",
    r"i was wondering",
    r"i'?m wondering",
    r"would appreciate",
    r"appreciate any",
)
_THANKS = _words(
    r"thanks",
    r"thank you",
    r"thank u",
    r"thx",
    r"ty",
    r"many thanks",
    r"kudos",
    r"great job",
    r"great work",
    r"nice work",
    r"good job",
    r"well done",
    r"congrats",
    r"congratulations",
    r"much appreciated",
    r"cheers for",
)
_PRAISE = _words(
    r"awesome",
    r"fantastic",
    r"gorgeous",
    r"amazing",
    r"brilliant",
    r"excellent",
    r"beautiful",
    r"love it",
    r"looks great",
    r"very cool",
    r"so cool",
)
_PROMOTION = _words(
    r"my (?:new |latest |recent )?(?:talk|blog|blog post|post|article|book|course|video|podcast|"
    r"app|tool|library|package|project|paper|slides|newsletter|company|startup|product|"
    r"website|site|channel|workshop|tutorial)",
    r"our (?:new |latest )?(?:product|company|startup|service|platform|tool|app|offering|"
    r"solution|course|book|newsletter)",
    r"check out (?:my|our)",
    r"(?:i'?m|i am|we'?re|we are) (?:excited|thrilled|proud|happy) to (?:announce|share|launch)",
    r"just (?:published|released|launched|wrote)",
    r"i (?:wrote|published|released|launched|built|made) (?:a|an|my)",
    r"(?:we'?re|we are) hiring",
    r"now hiring",
    r"job opening",
    r"buy",
    r"discount",
    r"promo code",
    r"coupon",
    r"\d+% off",
    r"free trial",
    r"sign up (?:now|today|here)",
    r"subscribe (?:to my|to our|now)",
)
_OWN_LINK = re.compile(r"\b(?:my|our)\b[^\n]{0,80}(?:https?://|www\.)", re.IGNORECASE)
_BROADCAST = _words(
    r"announc\w*",
    r"reminder",
    r"join us",
    r"rsvp",
    r"register\w*",
    r"registration",
    r"meetup",
    r"webinar",
    r"workshop",
    r"conference",
    r"save the date",
    r"deadline",
    r"call for (?:papers|proposals|participation|speakers|contributions)",
    r"release[sd]?",
    r"new version",
    r"now available",
    r"available now",
    r"fyi",
    r"heads up",
    r"agenda",
    r"minutes",
    r"slides",
    r"recording",
    r"event",
    r"tonight",
    r"this (?:saturday|sunday|week|weekend|month)",
    r"next (?:week|month|meeting|meetup)",
    r"posted",
    r"please (?:find|see) attached",
    r"attached (?:is|are|please find)",
    r"draft",
    r"for your information",
)
_QUOTING = re.compile(r"^>|wrote:\s*$|-----original message-----", re.IGNORECASE | re.MULTILINE)
_ANSWERISH = _words(
    r"yes",
    r"yeah",
    r"yep",
    r"no",
    r"nope",
    r"agreed?",
    r"i agree",
    r"exactly",
    r"sure",
    r"indeed",
    r"\+1",
    r"i think",
    r"i believe",
    r"in my experience",
    r"you can",
    r"you could",
    r"you should",
    r"you might",
    r"have you tried",
    r"try",
    r"it works",
    r"that works",
    r"sounds good",
    r"makes sense",
)


def _capped(count: int, each: float, cap: float) -> float:
    return min(count * each, cap)


def classify(text: str, *, is_thread_start: bool) -> Classification:
    """Return the kind of a message with no explicit type, and a confidence between 0 and 1."""
    raw = text[:_MAX_CHARS] if text else ""
    quoting = bool(_QUOTING.search(raw))
    body = _SLACK_MENTION.sub(" ", _QUOTED_LINE.sub("", raw)).strip()
    if not body:
        return Classification(Kind.OTHER if is_thread_start else Kind.REPLY, 0.0)
    words = len(body.split())
    short = words <= _SHORT_WORDS
    links = len(_LINK.findall(body))
    marks = len(_QUESTION_MARK.findall(body))

    scores = dict.fromkeys(Kind, 0.0)
    scores[Kind.OTHER] = 0.5
    if marks:
        scores[Kind.QUESTION] += 1.5 + _capped(marks - 1, 0.5, 1.0)
    if _OPENING.search(body) and (marks or words <= 60):
        scores[Kind.QUESTION] += 1.5
    scores[Kind.QUESTION] += _capped(len(_HELP.findall(body)), 1.5, 3.0)

    thanks = len(_THANKS.findall(body))
    if thanks:
        scores[Kind.APPRECIATION] += 2.5 if short else 0.5
    if short:
        scores[Kind.APPRECIATION] += _capped(len(_PRAISE.findall(body)), 1.0, 2.0)

    scores[Kind.SELF_PROMOTION] += _capped(len(_PROMOTION.findall(body)), 2.0, 4.0)
    if _OWN_LINK.search(body):
        scores[Kind.SELF_PROMOTION] += 1.0

    scores[Kind.BROADCAST] += _capped(len(_BROADCAST.findall(body)), 1.0, 3.0)
    if links and not marks:
        scores[Kind.BROADCAST] += 1.0
    if is_thread_start:
        if words >= _STATEMENT_WORDS:
            scores[Kind.BROADCAST] += 1.0
    else:
        scores[Kind.REPLY] += 2.0
        if quoting:
            scores[Kind.REPLY] += 0.5
        if _ANSWERISH.search(body):
            scores[Kind.REPLY] += 1.0

    ranked = sorted(_ORDER, key=lambda kind: (-scores[kind], _ORDER.index(kind)))
    best, second = ranked[0], ranked[1]
    margin = scores[best] - scores[second]
    return Classification(best, round(1.0 - math.exp(-margin), 3))
