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

v2 (tuned on the development part of the hand-labelled messages, docs/labelling.md): only the
author's own words count (quoted lines, "X wrote:" lines, forwarded header blocks, signatures,
list footers, mentions and emoji are dropped; nothing left -> other); questions in a follow-up of
over 60 words count half (they are mostly clarifications), a short follow-up ending in "?" adds
1.0; thanks as a sign-off do not count; a short praise (at most 6 words, or two praises in 12)
is appreciation (2.0); welcomes count as thanks; a bare link is a broadcast (+2.5); a short
greeting or a test mail is other; "ANSWER:"/"Comment:" labels mark a reply; a thread start quoting
two lines or more is probably a reply; the statement bonus for broadcast needs 16 words, or 8
with a link; self-promotion phrases weigh 2.5 each (at most 5.0).

v3: the author showing their own work ("I made", "here are the demos I presented", "my first",
"would love your feedback": 1.0 each, at most 2.0, +1.0 beside a link) adds to self-promotion
unless the message reports a problem.

Ties go to the earlier kind in the order question, self-promotion, appreciation, broadcast,
reply, other. Confidence is 1 - exp(-margin), where margin is the best score minus the
second best: 0 for a tie, 0.63 for a margin of one rule, 0.95 for three.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Classification", "Kind", "RuleScores", "classify_by_rules", "rule_scores"]

_MAX_CHARS = 4000
"""Only the head of a long message is read: its kind shows early, and speed stays flat."""

_SCAN_CHARS = 800
"""Keywords are looked for in the head of the author's words only: kinds show early."""
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


def _words(*phrases: str) -> str:
    """Return an alternation of phrases; every family is matched in one scan (`_KEYWORDS`)."""
    return "(?:" + "|".join(phrases) + ")"


_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_SLACK_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_OPENING = re.compile(
    r"(?:^|[.!?\n]\s*)(?:(?:hi|hello|hey|all|folks|everyone|guys|there)\b[ ,!]*)*"
    r"(?:how|what|why|when|where|which|who|whom|whose|"
    r"does anyone|do any of you|has anyone|have any of you|is there|are there|is it possible|"
    r"can someone|can anyone|could someone|could anyone|would anyone|anyone|does anybody|"
    r"any idea|any ideas|do you know|should i|should we|can i|can we|is it|are you|do you|"
    r"can you|could you|would you|is this|did you|do you mean)\b",
    re.IGNORECASE,
)
# The keyword families, their phrases read from phrases.json (regular expressions, in the
# order they claim a phrase two of them know). "own work": the author showing their own work,
# weaker than a sales phrase, stronger beside a link. "notice": a notice for everyone (call for
# papers, job, release, event), a broadcast even when it asks. "problem": a problem report or a
# request phrased without "?", a question when it opens a thread. "directed": thanks or praise
# aimed at someone, appreciation even when it opens a thread or runs long.
_PHRASES: dict[str, list[str]] = json.loads(
    resources.files("cultivate.core.language").joinpath("phrases.json").read_text("utf-8")
)
_OWN_LINK = re.compile(r"\b(?:my|our)\b[^\n]{0,80}(?:https?://|www\.)", re.IGNORECASE)
_QUOTING = re.compile(r"^>|wrote:\s*$|-----original message-----", re.IGNORECASE | re.MULTILINE)


_TAIL = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*original message[ \t]*-{2,}|_{8,}|#{20,}|-{5,} next part -{5,}|-- ?$)"
    r"|^[ \t]*(?:from|发件人)[ \t]*:.*\n(?:.*\n){0,3}?[ \t]*(?:sent|date|发送时间)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
"""Where a mail's own words end: a forwarded header block, a signature, a list footer."""
_TAIL_HINTS = ("--", "__", "####", "rom:", "ROM:", "发件人")
"""Text without any of these cannot hold a `_TAIL`."""
_EMOJI = re.compile(r":[a-z0-9_+\-]+:", re.IGNORECASE)
_FAMILIES: tuple[tuple[str, str], ...] = tuple(
    (name, _words(*phrases)) for name, phrases in _PHRASES.items()
)
"""Keyword families, in the order they claim a phrase that two of them know."""


def _phrase_index(
    families: tuple[tuple[str, str], ...],
) -> tuple[dict[str, str], dict[str, re.Pattern[str]], list[str]]:
    """Sort every family's phrases by how they can be found quickly, in claiming order.

    Phrases are first spelled out (`_spelled_out`). A plain word is counted by a lookup (word ->
    family); a phrase that opens with a literal word ("call for ...") is tried only where that
    word starts (first word -> one pattern); the few left (`announc\\w*`) stay in one scan.
    """
    words: dict[str, str] = {}
    by_first: dict[str, list[str]] = {}
    rest: list[str] = []
    for name, alternation in families:
        for phrase in _split_top_level(alternation[3:-1]):
            for spelled in _spelled_out(phrase):
                if _PLAIN_WORD.fullmatch(spelled):
                    words.setdefault(spelled, name)
                    continue
                leading = _LEADING_WORD.match(spelled)
                if leading is not None:
                    by_first.setdefault(leading.group(1), []).append(spelled)
                else:
                    rest.append(spelled)
    patterns = {
        word: re.compile(r"(?:" + "|".join(phrases) + r")\b") for word, phrases in by_first.items()
    }
    return words, patterns, rest


_QUANTIFIERS = "?*{"
_SPECIAL = "()[]|.^$+?*{}"


_UNREAD = re.compile(r"(?<!\\)\[|\\[xuUN0-9]")


def _literal_hint(phrase: str) -> str:
    """Return the longest run of plain characters every match of a phrase contains ("" if none).

    Only characters outside groups and not made optional by a quantifier count, so a text
    without the hint cannot match: the slow scan is skipped for most messages. A character
    class or a numeric escape (`[a)]`, `\x41`) is not read at all: no hint, the scan always runs."""
    if _UNREAD.search(phrase):
        return ""
    best = run = ""
    depth = 0
    index = 0
    while index < len(phrase):
        char = phrase[index]
        literal: str | None = None
        if char == "\\" and index + 1 < len(phrase):
            escaped = phrase[index + 1]
            literal = None if escaped.isalnum() else escaped
            index += 1
        elif char == "{":
            index = phrase.index("}", index)  # a count belongs to what came before it
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char not in _SPECIAL:
            literal = char
        index += 1
        optional = index < len(phrase) and phrase[index] in _QUANTIFIERS
        if literal is not None and depth == 0 and not optional:
            run += literal
            best = max(best, run, key=len)
        else:
            run = ""
    return best


_OPTIONAL_GROUP = re.compile(r"\(\?:((?:[^()]|\([^()]*\))*)\)\?")
_SIMPLE_CHOICES = (
    (re.compile(r"(?<=[a-z])'\?"), ("'", "")),
    (re.compile(r"(?<=[a-z])s\?(?= |$)"), ("s", "")),
    (re.compile(r"(?<=[a-z])d\?(?= |$)"), ("d", "")),
    (re.compile(r"\[- \]"), ("-", " ")),
    (re.compile(r"\[sd\]\?"), ("", "s", "d")),
    (re.compile(r"\(\?:es\|ed\|ing\)\?"), ("", "es", "ed", "ing")),
)
_MOST_SPELLINGS = 64


def _spelled_out(phrase: str) -> list[str]:
    """Spell a phrase's optional parts out ("hats? off" -> "hats off", "hat off"), so that each
    spelling opens with a literal word; the same strings match. A leading "(?:a|b c)" group
    becomes one spelling per choice. Too many spellings keep the phrase as it is."""
    spellings = [phrase]
    changed = True
    while changed and len(spellings) <= _MOST_SPELLINGS:
        changed = False
        expanded: list[str] = []
        for spelling in spellings:
            options = _one_choice(spelling)
            changed = changed or options != [spelling]
            expanded += options
        spellings = expanded
    return spellings if len(spellings) <= _MOST_SPELLINGS else [phrase]


def _one_choice(phrase: str) -> list[str]:
    """Expand the first optional part of a phrase into its spellings, or return it as it is."""
    optional = _OPTIONAL_GROUP.search(phrase)
    if optional is not None:
        head, tail = phrase[: optional.start()], phrase[optional.end() :]
        return [head + tail] + [head + c + tail for c in _split_top_level(optional.group(1))]
    for pattern, choices in _SIMPLE_CHOICES:
        found = pattern.search(phrase)
        if found is not None:
            head, tail = phrase[: found.start()], phrase[found.end() :]
            return [head + c + tail for c in choices]
    if phrase.startswith("(?:"):
        depth = 0
        for index, char in enumerate(phrase):
            depth += (char == "(") - (char == ")")
            if depth == 0:
                tail = phrase[index + 1 :]
                if tail.startswith(("?", "*", "+", "{")):
                    return [phrase]
                return [c + tail for c in _split_top_level(phrase[3:index])]
    return [phrase]


def _split_top_level(alternation: str) -> list[str]:
    """Split "a|b(?:c|d)|e" at the bars outside any group."""
    parts: list[str] = []
    depth = 0
    start = 0
    escaped = False
    for index, char in enumerate(alternation):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(alternation[start:index])
            start = index + 1
    parts.append(alternation[start:])
    return parts


_PLAIN_WORD = re.compile(r"[a-z][a-z']*")
_LEADING_WORD = re.compile(r"([a-z][a-z']*)(?= |\\s|:|$)")
_WORD_FAMILY, _BY_FIRST_WORD, _open_phrases = _phrase_index(_FAMILIES)
_OPEN_PHRASES = (
    re.compile(r"(?<!\w)(?:" + "|".join(_open_phrases) + r")(?!\w)") if _open_phrases else None
)
"""The phrases no word opens ("[ann]", "+1", "announc..."), found where no word touches them
(a plain \\b would ask for a word character beside the bracket or the plus)."""
_hints = {_literal_hint(phrase) for phrase in _open_phrases}
_OPEN_HINTS = (
    ("",)
    if "" in _hints
    else tuple(sorted(h for h in _hints if not any(o != h and o in h for o in _hints)))
)
"""What each remaining phrase must contain; "" (no hint) means the scan always runs."""
_FIRST_WORDS = frozenset(_BY_FIRST_WORD)
_FAMILY_PATTERNS = tuple((name, re.compile(phrases)) for name, phrases in _FAMILIES)
"""Every family in one pattern: one scan of a message instead of ten."""
_TEST_MAIL = re.compile(
    r"\b(?:test(?:ing)? (?:mail|message|e-?mail|post)|this is a test|kindly ignore|please ignore)\b"
    r"|^\W*test\W*$",
    re.IGNORECASE | re.MULTILINE,
)
_ANSWER_LABEL = re.compile(r"^\W*(?:answer|comment)(?:-\w+)?\s*:", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"^[^\n]*\b(?:wrote|writes|schrieb|a écrit)\s*:\s*$|^On \w{3}, [^\n]*\d{4}[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""The "X wrote:" line above a quotation: the quoted author's words, not this one's."""
_ATTRIBUTION_HINTS = ("wrote", "writes", "schrieb", "écrit", "\nOn ")
_TRACEBACK_MARK = re.compile(r"line \d+, in \?")
_SIGN_OFF_THANKS = re.compile(
    r"\b(?:thanks|thank you|many thanks|cheers|thx)\b[\s,!.]*(?:[\w.-]+[\s,.]*){0,2}$",
    re.IGNORECASE,
)
"""Thanks as the last words before a name: a courtesy at the end of a longer message."""
_QUOTE_LINE_START = re.compile(r"^[ \t]*>(?!From )", re.MULTILINE)
_GREETING_WORDS = 6
_PRAISE_WORDS = 6
_PRAISES_WORDS = 12
_SHORT_QUESTION_WORDS = 30
_LONG_REPLY_WORDS = 60


def _keywords(lower: str) -> Counter[str]:
    """Count each family's phrases in lower-cased text: words by lookup, phrases where they open."""
    words = _PLAIN_WORD.findall(lower)
    found: Counter[str] = Counter(filter(None, map(_WORD_FAMILY.get, words)))
    for word in _FIRST_WORDS.intersection(words):
        for phrase in _BY_FIRST_WORD[word].finditer(lower):
            start = phrase.start()
            if start and (lower[start - 1].isalnum() or lower[start - 1] in "'_"):
                continue  # inside a longer word ("this" for "is")
            found[_family(phrase.group())] += 1
    if _OPEN_PHRASES is not None and any(hint in lower for hint in _OPEN_HINTS):
        found.update(_family(match.group()) for match in _OPEN_PHRASES.finditer(lower))
    return found


@lru_cache(maxsize=4096)
def _family(phrase: str) -> str:
    """Return the first family (in claiming order) that knows a matched phrase (remembered:
    the same few phrases recur in every message)."""
    for name, pattern in _FAMILY_PATTERNS:
        if pattern.fullmatch(phrase):
            return name
    return ""


def _capped(count: int, each: float, cap: float) -> float:
    return min(count * each, cap)


def _own_words(raw: str) -> str:
    """Return the message without quoted lines, forwarded history, footers, mentions, emoji."""
    if any(hint in raw for hint in _TAIL_HINTS):  # the full pattern is slow: look only if it may
        cut = _TAIL.search(raw)
        if cut is not None:
            raw = raw[: cut.start()]
    if raw.startswith("On ") or any(word in raw for word in _ATTRIBUTION_HINTS):
        raw = _ATTRIBUTION.sub("", raw)
    if ">" in raw:
        raw = _QUOTED_LINE.sub("", raw)
    if "<" in raw:
        raw = _SLACK_MENTION.sub(" ", raw)
    if ":" in raw:
        raw = _EMOJI.sub(" ", raw)
    return raw.strip()


_MARK_RUN = re.compile(r"\?+")
_AFTER_ASKING = ")\"'"


def _question_marks(body: str) -> int:
    """Count runs of "?" that end a sentence; not one an old archive wrote for a character it
    could not encode (Navan?ta, a lone ???), nor Python 2's "line 3, in ?" in a traceback.

    One pass over the marks themselves: a pattern that opens with a look-behind would be tried
    at every character of the message."""
    if "line " in body:
        body = _TRACEBACK_MARK.sub(" ", body)
    end = len(body)
    marks = 0
    for run in _MARK_RUN.finditer(body):
        start, stop = run.span()
        after = body[stop] if stop < end else ""
        if after and not after.isspace() and after not in _AFTER_ASKING:
            continue  # inside a word or before other marks: not the end of a sentence
        alone = (not start or body[start - 1].isspace()) and (not after or after.isspace())
        if alone and stop - start >= 2:
            continue  # a lone run of ??? stands for a word that could not be encoded
        marks += 1
    return marks


@dataclass(frozen=True, slots=True)
class RuleScores:
    """What the rules found in a message: each kind's score, and the author's own words."""

    scores: dict[Kind, float]
    body: str
    """The message without quotations, forwarded history, footers, mentions and emoji."""
    lower: str
    """The head of the body in lower case: the part whose words count."""
    words: int
    marks: int
    """Question marks that end a sentence (not an unencodable character's stand-in)."""
    links: int


def rule_scores(text: str, *, is_thread_start: bool) -> RuleScores | None:  # noqa: C901 - a flat list of the rules, one if each
    """Score a message by the rules above; None when it holds no words of its author's own."""
    raw = text[:_MAX_CHARS] if text else ""
    quoting = quoted_lines = 0
    if ">" in raw or "rote" in raw or "RIGINAL" in raw.upper():
        quoting = bool(_QUOTING.search(raw))
        quoted_lines = len(_QUOTE_LINE_START.findall(raw))
    body = _own_words(raw)
    if not body:
        return None
    lower = body.lower()[:_SCAN_CHARS]
    words = len(body.split())
    short = words <= _SHORT_WORDS
    links = len(_LINK.findall(body)) if "http" in body or "www." in body else 0
    marks = _question_marks(body) if "?" in body else 0
    # In a long follow-up, questions are mostly clarifications on the way to an answer.
    asking = 0.5 if not is_thread_start and words > _LONG_REPLY_WORDS else 1.0

    scores = dict.fromkeys(_ORDER, 0.0)
    scores[Kind.OTHER] = 0.5
    if marks:
        scores[Kind.QUESTION] += asking * (1.5 + _capped(marks - 1, 0.5, 1.0))
    if (marks or words <= 60) and _OPENING.search(body[:_SCAN_CHARS]):
        scores[Kind.QUESTION] += asking * 1.5
    if not is_thread_start and words <= _SHORT_QUESTION_WORDS and body.endswith("?"):
        scores[Kind.QUESTION] += 1.0  # a short follow-up that ends asking wants an answer
    found = _keywords(lower)
    scores[Kind.QUESTION] += _capped(found["help"], 1.5, 3.0)
    notices = found["notice"]
    if is_thread_start:
        scores[Kind.QUESTION] += _capped(found["problem"], 1.0, 2.0)
        if notices:
            # An announcement that invites questions ("Interested? Register at ...") asks none.
            scores[Kind.QUESTION] *= 0.5

    directed = found["directed"]
    if directed and words <= 2 * _SHORT_WORDS:
        scores[Kind.APPRECIATION] += 2.0 + _capped(directed - 1, 0.5, 1.0)
    thanks = found["thanks"]
    if thanks and words > _GREETING_WORDS and _SIGN_OFF_THANKS.search(lower):
        thanks -= 1
    if thanks:
        scores[Kind.APPRECIATION] += 2.5 if short else 0.5
    if short:
        praise = found["praise"]
        strong = words <= _PRAISE_WORDS or (praise >= 2 and words <= _PRAISES_WORDS)
        if praise and strong and not marks:
            scores[Kind.APPRECIATION] += 2.0 + _capped(praise - 1, 0.5, 1.0)
        else:
            scores[Kind.APPRECIATION] += _capped(praise, 1.0, 2.0)

    promotion = _capped(found["promotion"], 2.5, 5.0)
    if found["problem"]:
        promotion *= 0.5  # "my app fails with ..." reports a problem, it sells nothing
    scores[Kind.SELF_PROMOTION] += promotion
    if links and _OWN_LINK.search(body):
        scores[Kind.SELF_PROMOTION] += 1.0
    own_work = found["own work"]
    if own_work and not found["problem"]:
        scores[Kind.SELF_PROMOTION] += _capped(own_work, 1.0, 2.0) + (1.0 if links else 0.0)

    scores[Kind.BROADCAST] += _capped(found["broadcast"], 1.0, 3.0)
    scores[Kind.BROADCAST] += _capped(notices, 2.0, 4.0)
    if links and not marks:
        scores[Kind.BROADCAST] += 1.0
        if len(_LINK.sub(" ", body).split()) <= 2:
            scores[Kind.BROADCAST] += 2.5  # a bare link is shared for everyone to see
    if words <= _GREETING_WORDS and found["greeting"] and not thanks and not marks:
        scores[Kind.OTHER] += 2.5
    if words <= 20 and _TEST_MAIL.search(body):
        scores[Kind.OTHER] += 4.0
    if _ANSWER_LABEL.match(body):
        scores[Kind.REPLY] += 3.0
    if is_thread_start:
        if words >= _STATEMENT_WORDS * 2 or (links and words >= _STATEMENT_WORDS):
            scores[Kind.BROADCAST] += 1.0
        if quoted_lines >= 2:
            scores[Kind.REPLY] += 1.5  # it answers a message the thread lost
    else:
        scores[Kind.REPLY] += 2.0
        if quoting:
            scores[Kind.REPLY] += 0.5
        if found["answerish"]:
            scores[Kind.REPLY] += 1.0

    return RuleScores(scores, body, lower, words, marks, links)


def classify_by_rules(text: str, *, is_thread_start: bool) -> Classification:
    """Return the kind the rules alone give, and a confidence between 0 and 1."""
    found = rule_scores(text, is_thread_start=is_thread_start)
    if found is None:
        return Classification(Kind.OTHER, 0.0)
    scores = found.scores
    ranked = sorted(_ORDER, key=lambda kind: (-scores[kind], _ORDER.index(kind)))
    best, second = ranked[0], ranked[1]
    margin = scores[best] - scores[second]
    return Classification(best, round(1.0 - math.exp(-margin), 3))
