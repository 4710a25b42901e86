"""Turn member-written markdown into safe HTML, and find the people it mentions.

Rendering happens once, when content is saved; nh3 strips scripts, event handlers and
javascript: links whatever the markdown parser lets through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_MARKDOWN = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable(["table", "strikethrough"])


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Show images hosted here; turn an image from another site into a plain link to it.

    A remote image loads in every reader's browser, which tells its host who read the page and
    when: a tracking pixel in a private community would leak who reads it.
    """
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if src.startswith("/") and not src.startswith("//"):
        return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    label = html.escape(alt or "image")
    return f'<a href="{html.escape(src)}">[{label}]</a>'


_MARKDOWN.add_render_rule("image", _render_image)

LABEL_STEPS = 100_000
"""How far one text may scan ahead for the `]` that closes link labels, in all. A label costs
about a step per link in texts people write (40,000 for 3 MB with 40,000 links), but a text of
nested brackets asks millions (99 KB of `[`: 2 million, 1.3 s a render); past the budget a `[`
that would need a scan is plain text, so any text renders in bounded time."""

_skip_token = _MARKDOWN.inline.skipToken


def _skip_token_within_budget(state: Any) -> None:
    """markdown-it's label scan step, counted against the text's budget (`env`)."""
    left = state.env.get("label_steps_left", LABEL_STEPS)
    if left <= 0:
        state.pos = state.posMax  # the label never closes: the `[` is text
        return
    state.env["label_steps_left"] = left - 1
    _skip_token(state)


_MARKDOWN.inline.skipToken = _skip_token_within_budget  # type: ignore[method-assign]


_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_.+-]{2,150})")


def _mention_tokens(text: str, start: Token) -> list[Token]:
    """Split one text token into text and links to the people it names (@ana -> /people/ana/).

    A full stop after the name ends the sentence, not the name.
    """
    pieces: list[Token] = []
    position = 0
    for match in _MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if len(name) < 2:  # "@..." names nobody
            continue
        if match.start() > position:
            pieces.append(_text_token(text[position : match.start()], start))
        opening = Token(
            "link_open", "a", 1, attrs={"href": f"/people/{name}/"}, meta={"mention": name}
        )
        pieces += [opening, _text_token(f"@{name}", start), Token("link_close", "a", -1)]
        position = match.start() + 1 + len(name)
    if position < len(text):
        pieces.append(_text_token(text[position:], start))
    return pieces


def _text_token(content: str, like: Token) -> Token:
    return Token("text", "", 0, content=content, level=like.level)


def _mentions_rule(state: StateCore) -> None:
    """Turn @names in the Markdown's text into links, once it is parsed: never inside code, a
    link (its text, address or title) or an image's description, which are not text tokens."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside_link = 0
        for token in block.children:
            inside_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and not inside_link and "@" in token.content:
                children += _mention_tokens(token.content, token)
            else:
                children.append(token)
        block.children = children


_MARKDOWN.core.ruler.push("mentions", _mentions_rule)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A text rendered once: its sanitised HTML and the people it mentions."""

    html: str
    mentions: frozenset[str]


SHORT_TEXT = 2_000
"""Texts up to this many characters are kept in a larger cache: comments said again and again
("Thanks, that fixed it": the demo's 1,630 comments have 290 texts) parse once, while long
bodies (up to 100,000 characters) never pile up in a worker's memory (512 x 2 KB, 4 x 100 KB)."""


def rendered(text: str) -> Rendered:
    """Parse the Markdown once for everything a save needs (HTML, mentions, snippet).

    A save used to parse the same text three times; the latest texts are kept, so the
    render, the mentions and the snippet of one save share one parse.
    """
    return _rendered_short(text) if len(text) <= SHORT_TEXT else _rendered_long(text)


def rendered_cache_clear() -> None:
    """Forget every kept parse (tests that count parses start from none)."""
    _rendered_short.cache_clear()
    _rendered_long.cache_clear()


def _parse_and_clean(text: str) -> Rendered:
    env: dict[str, Any] = {}
    tokens = _MARKDOWN.parse(text, env)
    mentions = frozenset(
        str(child.meta["mention"])
        for block in tokens
        if block.type == "inline"
        for child in block.children or []
        if child.type == "link_open" and "mention" in child.meta
    )
    html = nh3.clean(
        _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Rendered(html=html, mentions=mentions)


_rendered_short = lru_cache(maxsize=512)(_parse_and_clean)
_rendered_long = lru_cache(maxsize=4)(_parse_and_clean)


def render_markdown(text: str) -> str:
    """Return sanitised HTML for the markdown text, with @mentions linked to profiles."""
    return rendered(text).html


def mentioned_usernames(text: str) -> set[str]:
    """Return the usernames the text links as @username: exactly the mentions it renders."""
    return set(rendered(text).mentions)


def plain_text(text: str, limit: int = 280) -> str:
    """Return the text without markdown or tags (not HTML-escaped), cut at a word, for snippets."""
    return html_text(rendered(text).html, limit)


def html_text(markup: str, limit: int = 280) -> str:
    """Return the words of HTML (such as `render_markdown`'s) as plain text, cut at a word.

    For content already rendered this skips rendering its Markdown a second time."""
    stripped = html.unescape(nh3.clean(markup, tags=set()))
    collapsed = " ".join(stripped.split())
    if len(collapsed) <= limit:
        return collapsed
    return collapsed[:limit].rsplit(" ", 1)[0] + "…"


_CHAT_TOKEN = re.compile(r"<([@#!])?([^<>|\s]+)(?:\|([^<>]*))?>")
_EMOJI_NAME = re.compile(r":([a-z0-9_+\-]+):")
_CODE_PARTS = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
"""Code blocks and spans, kept apart (split keeps them at odd positions) and left as written."""
EMOJI: dict[str, str] = {
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "smile": "😄",
    "smiley": "😃",
    "slightly_smiling_face": "🙂",
    "simple_smile": "🙂",
    "grinning": "😀",
    "laughing": "😆",
    "joy": "😂",
    "sweat_smile": "😅",
    "wink": "😉",
    "heart": "❤️",
    "heart_eyes": "😍",
    "tada": "🎉",
    "clap": "👏",
    "raised_hands": "🙌",
    "pray": "🙏",
    "thinking_face": "🤔",
    "confused": "😕",
    "open_mouth": "😮",
    "astonished": "😲",
    "cry": "😢",
    "eyes": "👀",
    "fire": "🔥",
    "rocket": "🚀",
    "100": "💯",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "wave": "👋",
    "star": "⭐",
    "sparkles": "✨",
    "trophy": "🏆",
    "bulb": "💡",
    "point_up": "☝️",
    "ok_hand": "👌",
    "muscle": "💪",
    "sunglasses": "😎",
    "stuck_out_tongue": "😛",
    "scream": "😱",
    "sob": "😭",
    "bow": "🙇",
    "coffee": "☕",
    "beers": "🍻",
    "partying_face": "🥳",
}
"""Emoji names chat exports write (`:tada:`), as the characters they stand for."""


def chat_to_markdown(text: str, mention: Callable[[str, str], str] | None = None) -> str:
    """Turn Slack's markup into Markdown: mentions, channels, links and emoji read as meant.

    `<@U065ETZEC>` becomes `mention(user id, label)` (by default `@label` or `@U065ETZEC`),
    `<#C1|general>` `#general`, `<!here>` `@here`, `<http://x|label>` a Markdown link and
    `:tada:` 🎉. Slack escapes `&`, `<` and `>` as entities; they are unescaped last.
    """

    def token(match: re.Match[str]) -> str:
        sigil, target, label = match.group(1), match.group(2), match.group(3)
        if sigil == "@":
            if mention is not None:
                return mention(target, label or "")
            return f"@{label or target}"
        if sigil == "#":
            return f"#{label or target}"
        if sigil == "!":  # <!here>, <!channel>: the whole channel, nobody's profile
            return f"**{label or target.split('^')[0]}**"
        if label:
            safe = target.startswith(("http://", "https://", "mailto:"))
            return f"[{label}]({target})" if safe else label
        return f"<{target}>" if target.startswith(("http://", "https://", "mailto:")) else target

    def prose(part: str) -> str:
        converted = _CHAT_TOKEN.sub(token, part)
        return _EMOJI_NAME.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), converted)

    # Code is left as written: `rand(100:100:900)` must not turn into an emoji.
    parts = _CODE_PARTS.split(text)
    return "".join(
        html.unescape(part if index % 2 else prose(part)) for index, part in enumerate(parts)
    )
