"""The basic metrics as one DuckDB query: the analytics benchmark's second reference.

Run by `bench/analytics.py` in a virtual environment of its own (`var/bench/duckdb-venv`, made
there when missing), so DuckDB never becomes a dependency of Cultivate. It computes what the
plain Polars query of `bench/analytics.py::measure_plain` computes, with the same rules, on
the same Parquet file:

- per community, over the report window (as_of - 90 days, as_of]: contributions (every verb but
  join, leave and edit), distinct active people, questions asked;
- questions answered within 7 days: for each question asked in the window, the first answer or
  reply to it by someone other than its asker (at any time up to as_of), counted when it came
  at most 7 days after the question.

`python duckdb_reference.py FILE AS_OF SUMMARY` loads the file into a DuckDB table (not
timed), times the query, writes {community: [contributions, active, questions, answered]} to
SUMMARY and prints one JSON line: wall, peak_mb, input_mb, communities, rows.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

WINDOW_DAYS = 90
QUERY = """
WITH win AS (
    SELECT * FROM activities
    WHERE "at" > CAST($start AS TIMESTAMPTZ) AND "at" <= CAST($as_of AS TIMESTAMPTZ)
),
basic AS (
    SELECT community,
           count(*) AS contributions,
           count(DISTINCT actor) AS active,
           count(*) FILTER (WHERE verb = 'ask') AS questions
    FROM win
    WHERE verb NOT IN ('join', 'leave', 'edit')
    GROUP BY community
),
questions AS (
    SELECT community, object_id AS question, actor AS asker, "at" FROM win WHERE verb = 'ask'
),
first_answers AS (
    SELECT r.parent_id AS question, min(r."at") AS first
    FROM activities r
    JOIN questions q ON q.question = r.parent_id
    WHERE r.verb IN ('answer', 'reply') AND r."at" <= CAST($as_of AS TIMESTAMPTZ)
      AND r.actor <> q.asker
    GROUP BY r.parent_id
),
answered AS (
    SELECT q.community,
           count(*) FILTER (WHERE f.first - q."at" <= INTERVAL 7 DAY) AS answered
    FROM questions q LEFT JOIN first_answers f ON f.question = q.question
    GROUP BY q.community
)
SELECT b.community, b.contributions, b.active, b.questions, a.answered
FROM basic b LEFT JOIN answered a ON a.community = b.community
"""


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(path: str, as_of: str, summary: str) -> None:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(
        'CREATE TABLE activities AS SELECT community, actor, verb, object_id, parent_id, "at" '
        "FROM read_parquet(?)",
        [path],
    )
    rows = connection.execute("SELECT count(*) FROM activities").fetchone()
    loaded = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
    start = datetime.fromisoformat(as_of) - timedelta(days=WINDOW_DAYS)
    parameters = {"as_of": as_of, "start": start.isoformat()}
    started = time.perf_counter()
    result = connection.execute(QUERY, parameters).fetchall()
    wall = time.perf_counter() - started
    peak = _status("VmHWM")
    Path(summary).write_text(json.dumps({row[0]: list(row[1:]) for row in result}))
    print(
        json.dumps(
            {
                "wall": wall,
                "peak_mb": peak,
                "input_mb": loaded,
                "communities": len(result),
                "rows": rows[0] if rows else 0,
                "version": duckdb.__version__,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
