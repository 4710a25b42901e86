"""Two people saving at the same moment, on PostgreSQL where saves really run in parallel.

The document row is locked with select_for_update before the head is compared, so the second
save waits, then sees the first one's revision: it merges or is refused, and never overwrites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from cultivate.apps.practices.models import Document, Revision
from cultivate.apps.practices.services import StaleRevisionError, revision_save

from .conftest import TEXT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite runs one writer at a time"
    ),
]


def _race(*saves: Callable[[], object]) -> list[object]:
    """Start every save at the same instant in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(saves))
    results: list[object] = [None] * len(saves)

    def run(index: int, save: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = save()
        except Exception as error:  # the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _save(document: Document, user, body: str) -> Callable[[], object]:
    def save() -> object:
        fresh = Document.objects.select_related("community").get(pk=document.pk)
        return revision_save(document=fresh, by=user, body=body, base_number=1)

    return save


def test_two_clashing_saves_at_once_cannot_both_win(document, member, reviewer):
    results = _race(
        _save(document, member, TEXT.replace("500", "600")),
        _save(document, reviewer, TEXT.replace("500", "700")),
    )
    stale = [r for r in results if isinstance(r, StaleRevisionError)]
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(won) == 1, results
    assert len(stale) == 1, results
    document.refresh_from_db()
    assert document.head_number == 2
    assert Revision.objects.filter(document=document).count() == 2


def test_two_saves_of_different_lines_at_once_are_both_kept(document, member, reviewer):
    results = _race(
        _save(document, member, TEXT.replace("500", "400")),
        _save(document, reviewer, TEXT.replace("every job", "each job")),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    document.refresh_from_db()
    assert document.head_number == 3
    assert "400 hours" in document.body
    assert "each job" in document.body
