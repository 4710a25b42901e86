"""Full-text search over posts, questions and answers, behind one function for every database.

SQLite answers through an FTS5 table, PostgreSQL through a generated tsvector column (both built
in migration 0002). Either way the person only ever sees documents of communities they may see,
never hidden ones, and never text they typed turned into SQL, query syntax or HTML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.selectors import visible_community_ids
from cultivate.core.semantics.fusion import reciprocal_rank_fusion

from .embeddings import EMBEDDED_KINDS
from .meaning import encode_query, nearest_documents
from .models import SearchDocument
from .stopwords import ENGLISH_STOP_WORDS

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

KINDS = ("question", "answer", "post", "document")
SOLVED = ("", "solved", "unsolved")
_QUESTIONS = "sharing_question"
"""The questions' table, read by name (search sits below the app that owns it) for `solved`."""
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_PER_PAGE = 100
CANDIDATES = 1000
"""Only the newest this many matches are ranked and counted: a common word matches tens of
thousands of documents, and scoring every one made search the slowest page. Past this the page
says "1,000+ results"; narrowing the words or a filter brings older matches into reach."""

# Ask the database to wrap matches in these; they never reach the page (see _marked_html).
START, STOP = "\x02", "\x03"

# bm25 weights for the FTS5 columns title, body, tags: a word in the title counts most.
_BM25_WEIGHTS = (10.0, 1.0, 4.0)
_PG_HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=3, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_PG_TITLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    """One ranked result, ready for a template: the two *_html fields are safe to print."""

    kind: str
    object_pk: int
    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    community_name: str
    community_slug: str
    created_at: datetime
    score: float
    question_pk: int | None = None
    """For an answer, its question (a question's is its own pk): the thread it belongs to."""


@dataclass(frozen=True)
class SearchPage:
    """One page of hits and where it sits among all of them."""

    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    start: int = 1  # the rank of the first hit on this page, counting from 1
    more: bool = False
    """True when more than `total` documents match: only the newest `CANDIDATES` were ranked."""

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1


@dataclass(frozen=True)
class _Filters:
    """The SQL shared by the count and the page: what may be seen and what was asked for."""

    where: str
    params: list[Any]


def fts5_query(text: str) -> str:
    """Return the words of what a person typed as FTS5 syntax that cannot fail to parse.

    Each word becomes a quoted string, so AND, NOT, NEAR, column names, '*', '-' and quotes
    lose their meaning; the last word is a prefix so results come while the word is unfinished.
    English stop words are left out (`stopwords.py`). An empty string means there is nothing
    to look for.
    """
    words = _WORD.findall(text[:MAX_QUERY_CHARS])[:MAX_TERMS]
    if not words:
        return ""
    # As PostgreSQL's english configuration does; a query of stop words alone is kept whole.
    words = [w for w in words if w.lower() not in ENGLISH_STOP_WORDS] or words
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(
    user: User | AnonymousUser,
    query: str,
    *,
    community_slug: str = "",
    kind: str = "",
    tag: str = "",
    solved: str = "",
    since: datetime | None = None,
    page: int = 1,
    per_page: int = 20,
    by_meaning: bool = True,
) -> SearchPage:
    """Return one page of the documents matching the query that this person may see, best first.

    Word matches (FTS5's bm25 or PostgreSQL's ts_rank) and documents near the query in meaning
    (the sentence encoder, when built) are fused by reciprocal rank (ADR 22). `solved`
    ("solved" or "unsolved") keeps questions and answers of threads with or without an
    accepted answer; `since` keeps what was written from then on.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    empty = SearchPage(hits=[], total=0, page=1, pages=0)
    # PostgreSQL refuses NUL in text; nobody means one, so drop it from everything typed.
    text = query.replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    if not _WORD.search(text) or (kind and kind not in KINDS) or solved not in SOLVED:
        return empty
    backend = _BACKENDS.get(connection.vendor)
    if backend is None:
        raise ImproperlyConfigured(f"Search needs SQLite or PostgreSQL, not {connection.vendor}.")
    community_slug = community_slug.replace("\x00", "")
    filters = _filters(
        user,
        community_slug=community_slug,
        kind=kind,
        tag=tag.replace("\x00", "").strip().lower(),
        solved=solved,
        since=since,
    )
    words = backend.rank(text, filters)
    meaning = (
        _by_meaning(text, filters, kind, _communities(user, community_slug)) if by_meaning else []
    )
    ranked = _fused(words.ids, meaning)
    total = len(ranked) if meaning else words.total
    page, pages, offset = _page_numbers(total, page, per_page)
    shown = ranked[offset : offset + per_page]
    if not shown:
        return SearchPage(hits=[], total=total, page=page, pages=pages, more=words.more)
    found = backend.rows(text, shown)
    scores = dict(_fusion_scores(words.ids, meaning))
    hits = [replace(found[i], score=scores.get(i, 0.0)) for i in shown if i in found]
    return SearchPage(
        hits=hits, total=total, page=page, pages=pages, start=offset + 1, more=words.more
    )


def word_matches(
    user: User | AnonymousUser,
    query: str,
    *,
    community_slug: str = "",
    kind: str = "",
    limit: int = 20,
) -> list[int]:
    """Return the object ids of the documents whose words best match the query, best first.

    For boxes that only need what to link to (questions like this one): the ranking `search`
    does, without its count, its marked snippets or its meaning half (a box has its own), which
    were two thirds of a question page's time when it had no stored vector.
    """
    text = query.replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    backend = _BACKENDS.get(connection.vendor)
    if backend is None or not _WORD.search(text) or (kind and kind not in KINDS):
        return []
    filters = _filters(user, community_slug=community_slug.replace("\x00", ""), kind=kind, tag="")
    ids = backend.rank(text, filters, top=max(1, limit)).ids
    if not ids:
        return []
    objects = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "object_pk"))
    return [objects[i] for i in ids if i in objects]


FUSED_DEPTH = 100
"""How deep each ranking goes into the fusion: past it, word matches follow in their order."""
MEANING_NEIGHBOURS = 50
MIN_MEANING = 0.35
"""Below this cosine a document is about something else; word matches still count."""


def _by_meaning(text: str, filters: _Filters, kind: str, communities: QuerySet[Any]) -> list[int]:
    """Return the ids of documents near the query in meaning that pass the same filters.

    Only thread heads are embedded (questions, posts, best practices: ADR 22); the filters are
    applied by the database to the neighbours, so privacy is the same SQL as for words.
    """
    kinds = [k for k in EMBEDDED_KINDS if not kind or k == kind]
    if not kinds:
        return []
    vector = encode_query(text)
    if vector is None:
        return []
    hits = nearest_documents(
        vector, communities, kinds=kinds, k=MEANING_NEIGHBOURS, min_similarity=MIN_MEANING
    )
    if not hits:
        return []
    wanted = {(h.kind, h.object_pk): i for i, h in enumerate(hits)}
    pairs = " OR ".join(
        f"(d.kind = '{k}' AND d.object_pk = {int(pk)})" for k, pk in wanted if k in EMBEDDED_KINDS
    )
    sql = f"""
        SELECT d.id, d.kind, d.object_pk FROM search_searchdocument d
        JOIN {Community._meta.db_table} c ON c.id = d.community_id
        WHERE ({pairs}) AND {filters.where}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, filters.params)
        passing = [(wanted[(k, int(pk))], int(i)) for i, k, pk in cursor.fetchall()]
    return [i for _, i in sorted(passing)]


def _communities(user: User | AnonymousUser, slug: str) -> QuerySet[Any]:
    """The communities whose vectors are searched: those the person may see (or the one asked),
    as a subquery of the vectors' own query."""
    visible = Community.objects.filter(pk__in=visible_community_ids(user))
    if slug:
        visible = visible.filter(slug=slug)
    return visible.values("pk")


def _fusion_scores(words: list[int], meaning: list[int]) -> list[tuple[int, float]]:
    return reciprocal_rank_fusion([words[:FUSED_DEPTH], meaning])


def _fused(words: list[int], meaning: list[int]) -> list[int]:
    """Words and meaning fused by reciprocal rank; deeper word matches follow in their order."""
    if not meaning:
        return words
    fused = [i for i, _ in _fusion_scores(words, meaning)]
    seen = set(fused)
    return fused + [i for i in words[FUSED_DEPTH:] if i not in seen]


def _filters(
    user: User | AnonymousUser,
    *,
    community_slug: str,
    kind: str,
    tag: str,
    solved: str = "",
    since: datetime | None = None,
) -> _Filters:
    visible_sql, visible_params = visible_community_ids(user).order_by().query.sql_with_params()
    where = [
        "NOT d.is_hidden",
        f"d.community_id IN ({visible_sql})",
        # An answer is no more visible than its question (and carries the question's title).
        "NOT (d.kind = 'answer' AND EXISTS (SELECT 1 FROM search_searchdocument p"
        " WHERE p.kind = 'question' AND p.object_pk = d.question_pk AND p.is_hidden))",
    ]
    params: list[Any] = list(visible_params)
    if community_slug:
        where.append("c.slug = %s")
        params.append(community_slug)
    if kind:
        where.append("d.kind = %s")
        params.append(kind)
    if tag:
        # Compare whole space-separated words; instr() and strpos() know no wildcards.
        function = "strpos" if connection.vendor == "postgresql" else "instr"
        where.append(f"{function}(' ' || d.tags || ' ', ' ' || %s || ' ') > 0")
        params.append(tag)
    if solved:
        # The thread's question (an answer's question_pk, or a question's own) has an accepted
        # answer, or not; posts and best practices have no such state and are left out.
        negate = "" if solved == "solved" else "NOT "
        thread_solved = (
            f"EXISTS (SELECT 1 FROM {_QUESTIONS} q"  # noqa: S608 (fixed text only)
            " WHERE q.id = d.question_pk AND q.accepted_answer_id IS NOT NULL)"
        )
        where.append(f"d.kind IN ('question', 'answer') AND {negate}{thread_solved}")
    if since is not None:
        where.append("d.created_at >= %s")
        params.append(since)
    return _Filters(where=" AND ".join(where), params=params)


def _page_numbers(total: int, page: int, per_page: int) -> tuple[int, int, int]:
    """Return (page, pages, offset) with the page clamped into range."""
    pages = math.ceil(total / per_page)
    page = max(1, min(page, pages or 1))
    return page, pages, (page - 1) * per_page


def _count(source: str, params: list[Any]) -> tuple[int, bool]:
    """Count the matches up to `CANDIDATES`; say whether there are more."""
    sql = f"SELECT COUNT(*) FROM (SELECT 1 {source} LIMIT {CANDIDATES + 1}) capped"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    found = int(row[0]) if row else 0
    return min(found, CANDIDATES), found > CANDIDATES


_SELECT = """
    d.id, d.kind, d.object_pk, d.community_id, d.question_pk, d.title, d.tags, d.created_at,
    d.is_hidden, c.name AS community_name, c.slug AS community_slug
"""


@dataclass(frozen=True)
class _Ranked:
    """The word matches a backend found: document ids best first, and how many there were."""

    ids: list[int]
    total: int
    more: bool


def _limit(top: int) -> str:
    return f"LIMIT {int(top)}" if top else ""


def _rank_sqlite(text: str, filters: _Filters, *, top: int = 0) -> _Ranked:
    match = fts5_query(text)
    if not match:
        return _Ranked([], 0, False)
    source = f"""
        FROM search_searchdocument_fts
        JOIN search_searchdocument d ON d.id = search_searchdocument_fts.rowid
        JOIN {Community._meta.db_table} c ON c.id = d.community_id
        WHERE search_searchdocument_fts MATCH %s AND {filters.where}
    """
    params = [match, *filters.params]
    total, more = (CANDIDATES, False) if top else _count(source, params)
    if not total:
        return _Ranked([], 0, more)
    weights = ", ".join(str(w) for w in _BM25_WEIGHTS)
    # FTS5 walks a word's documents newest row first (rowids grow as documents are written):
    # bm25 is paid for the newest CANDIDATES matches only.
    sql = f"""
        SELECT id FROM (
            SELECT d.id, d.created_at, -bm25(search_searchdocument_fts, {weights}) AS score
            {source}
            ORDER BY search_searchdocument_fts.rowid DESC
            LIMIT {CANDIDATES}
        )
        ORDER BY score DESC, created_at DESC, id DESC
        {_limit(top)}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _Ranked([int(row[0]) for row in cursor.fetchall()], total, more)


def _rows_sqlite(text: str, ids: list[int]) -> dict[int, SearchHit]:
    """Return the hits of these documents, marked where the words match them."""
    sql = f"""
        SELECT {_SELECT} FROM search_searchdocument d
        JOIN {Community._meta.db_table} c ON c.id = d.community_id
        WHERE d.id IN ({", ".join(str(int(i)) for i in ids)})
    """  # noqa: S608
    rows = list(SearchDocument.objects.raw(sql))
    match = fts5_query(text)
    marks = _sqlite_marks(match, ids) if match else {}
    bodies = _plain_starts([row.id for row in rows if row.id not in marks])
    return {
        row.id: _hit(row, marks.get(row.id, (row.title, bodies.get(row.id, "")))) for row in rows
    }


def _plain_starts(ids: list[int]) -> dict[int, str]:
    """The first words of documents found by meaning alone (no word of the query to mark)."""
    if not ids:
        return {}
    found = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "body")
    return {pk: _first_words(body) for pk, body in found}


def _first_words(body: str, limit: int = 200) -> str:
    text = " ".join(body[: limit * 2].split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _sqlite_marks(match: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Return the marked title and snippet of the page's documents, in one pass of the match.

    Joining each shown row back to the match made FTS5 read the word's whole list once per
    row; a rowid range is read once, and only the page's rows pay for their snippets.
    """
    if not ids:
        return {}
    listed = ", ".join(str(int(i)) for i in ids)
    sql = f"""
        SELECT rowid,
            highlight(search_searchdocument_fts, 0, %s, %s),
            snippet(search_searchdocument_fts, 1, %s, %s, %s, 24)
        FROM search_searchdocument_fts
        WHERE search_searchdocument_fts MATCH %s AND rowid BETWEEN %s AND %s
            AND +rowid IN ({listed})
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, START, STOP, "…", match, min(ids), max(ids)])
        return {int(rowid): (title, snippet) for rowid, title, snippet in cursor.fetchall()}


def _rank_postgresql(text: str, filters: _Filters, *, top: int = 0) -> _Ranked:
    source = f"""
        FROM search_searchdocument d
        JOIN {Community._meta.db_table} c ON c.id = d.community_id
        WHERE d.search_vector @@ websearch_to_tsquery('english', %s) AND {filters.where}
    """
    params = [text, *filters.params]
    total, more = (CANDIDATES, False) if top else _count(source, params)
    if not total:
        return _Ranked([], 0, more)
    # The GIN index finds the matches; only the newest CANDIDATES are ranked. Only fixed SQL
    # text is formatted in; every value someone typed is a parameter.
    sql = f"""
        SELECT candidates.id
        FROM (
            SELECT d.id, d.created_at
            {source}
            ORDER BY d.created_at DESC, d.id DESC
            LIMIT {CANDIDATES}
        ) candidates
        JOIN search_searchdocument v ON v.id = candidates.id
        ORDER BY ts_rank_cd(v.search_vector, websearch_to_tsquery('english', %s), 1) DESC,
            candidates.created_at DESC, candidates.id DESC
        {_limit(top)}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, text])
        return _Ranked([int(row[0]) for row in cursor.fetchall()], total, more)


def _rows_postgresql(text: str, ids: list[int]) -> dict[int, SearchHit]:
    """Return the hits of these documents; ts_headline marks the words (or starts the text)."""
    sql = f"""
        SELECT {_SELECT},
            ts_headline('english', d.title, websearch_to_tsquery('english', %s), %s)
                AS title_marked,
            ts_headline('english', d.body, websearch_to_tsquery('english', %s), %s)
                AS snippet_marked
        FROM search_searchdocument d
        JOIN {Community._meta.db_table} c ON c.id = d.community_id
        WHERE d.id IN ({", ".join(str(int(i)) for i in ids)})
    """  # noqa: S608
    rows = SearchDocument.objects.raw(sql, [text, _PG_TITLE, text, _PG_HEADLINE])
    return {row.id: _hit(row) for row in rows}


@dataclass(frozen=True)
class _Backend:
    rank: Callable[..., _Ranked]
    """(text, filters, top=0): with `top`, only the best `top` ids and no count of the matches."""
    rows: Callable[[str, list[int]], dict[int, SearchHit]]


_BACKENDS: dict[str, _Backend] = {
    "sqlite": _Backend(rank=_rank_sqlite, rows=_rows_sqlite),
    "postgresql": _Backend(rank=_rank_postgresql, rows=_rows_postgresql),
}


def _marked_html(marked: str) -> SafeString:
    """Escape the database's text, then turn its sentinels into balanced <mark> elements.

    Escaping first means nothing a person wrote can become markup; tracking whether a mark is
    open means even a stray sentinel cannot leave a tag unbalanced.
    """
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", marked):
        if piece == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(piece))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))


def _url(row: Any) -> str:
    if row.kind == "document":  # a best practice
        return reverse("practices:document", args=[row.community_slug, row.object_pk])
    if row.kind == "answer":
        question = reverse("sharing:question", args=[row.community_slug, row.question_pk])
        return f"{question}#answer-{row.object_pk}"
    name = "sharing:question" if row.kind == "question" else "sharing:post"
    return reverse(name, args=[row.community_slug, row.object_pk])


def _hit(row: Any, marked: tuple[str, str] | None = None) -> SearchHit:
    """Build a hit from a result row; `marked` is its (title, snippet) where fetched apart."""
    title_marked, snippet_marked = marked or (row.title_marked, row.snippet_marked)
    return SearchHit(
        kind=row.kind,
        object_pk=row.object_pk,
        title=row.title,
        title_html=_marked_html(title_marked or row.title),
        snippet_html=_marked_html(snippet_marked or ""),
        url=_url(row),
        community_name=row.community_name,
        community_slug=row.community_slug,
        created_at=row.created_at,
        score=0.0,
        question_pk=row.question_pk,
    )
