"""Advice reads well whatever the counts: never 'only 0 people'."""

from __future__ import annotations

from cultivate.core.analytics.advice import _only


def test_a_count_of_nobody_says_nobody_and_one_reads_in_the_singular():
    assert _only("asked", 0) == "nobody asked in the window."
    assert _only("answered", 0) == "nobody answered in the window."
    assert _only("asked", 1) == "only 1 person asked in the window."
    assert _only("answered", 2) == "only 2 people answered in the window."
