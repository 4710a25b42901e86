"""Render the corpus's markdown once, on every core, before any database is loaded.

Done in the parent, so every database's loader (web_load.py, a forked child) shares the rendered
text without copying, and each piece is rendered once however many databases are measured.
"""

from __future__ import annotations

import html
import multiprocessing

import nh3

from corpus import Corpus, Text
from cultivate.core.markup import render_markdown
from web import progress

# --- rendering ------------------------------------------------------------------------------

_SENTINELS = str.maketrans("", "", "\x02\x03")


def _render(body: str) -> tuple[str, str]:
    """Return body_html as the services store it and the plain text search.services indexes.

    search.services takes plain_text(body), which is nh3 with no tags over the same rendering,
    then unescapes entities; stripping the stored HTML gives the same text without rendering
    the markdown a second time.
    """
    body_html = render_markdown(body)
    plain = " ".join(nh3.clean(body_html, tags=set()).split())
    return body_html, html.unescape(plain).translate(_SENTINELS)


def render_all(corpus: Corpus, processes: int) -> None:
    """Fill body_html and the plain text of every piece of content, on every core."""
    texts: list[Text] = [p.text for p in corpus.posts]
    texts += [q.text for q in corpus.questions]
    texts += [a.text for a in corpus.answers]
    ctx = multiprocessing.get_context("fork")
    with progress() as bar, ctx.Pool(processes) as pool:
        task = bar.add_task("render markdown", total=len(texts))
        bodies = (t.body for t in texts)
        for text, (body_html, plain) in zip(
            texts, pool.imap(_render, bodies, chunksize=500), strict=True
        ):
            text.body_html, text.plain = body_html, plain
            bar.advance(task)
