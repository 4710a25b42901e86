"""English words too common to narrow a search: PostgreSQL's `english` stop list, for SQLite.

PostgreSQL's `websearch_to_tsquery('english', ...)` leaves these out of a query; SQLite's FTS5
kept them, so every "a", "the" and "is" of a question's title made FTS5 intersect a list of
nearly every document (25 ms of a 100,000-document search, against 4 ms without them) and
matched no better. The two databases now read a query alike, but for one made only of stop
words ("to be or not to be"): PostgreSQL finds nothing, SQLite searches the words as typed.
"""

from __future__ import annotations

_LISTED = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
"""
ENGLISH_STOP_WORDS = frozenset(_LISTED.split())
"""The 127 words of PostgreSQL 15's tsearch_data/english.stop (the Snowball list)."""
