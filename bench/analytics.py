"""Analytics benchmark: full reports for 1,000 communities at 1, 3 and 10 million activities.

`python bench/run.py analytics` (or `make bench-analytics`; `make bench` runs it after the web
benchmark) writes a synthetic multi-community Activity frame per size to Parquet, then measures
in a fresh process per size `analyze_many` (metrics, level, health, steps and the 18-month series
with a level per month, for every community) and, at the smaller sizes, a straightforward pandas
implementation of the same figures, as the ratio to beat. It rewrites only the part of
docs/benchmarks.md between the analytics markers. Never part of the tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
COMMAND = ".venv/bin/python bench/run.py analytics"
START_MARK = "<!-- analytics:start -->"
END_MARK = "<!-- analytics:end -->"
AS_OF = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
DUCKDB_VENV = ROOT / "var" / "bench" / "duckdb-venv"
DUCKDB_REQUIREMENT = "duckdb==2.0.0"
SPAN_DAYS = 730

# verb, share of rows: a Q&A-heavy community platform with some co-creation.
MIX: tuple[tuple[str, float], ...] = (
    ("ask", 0.12),
    ("answer", 0.16),
    ("reply", 0.20),
    ("accept", 0.04),
    ("share", 0.13),
    ("react", 0.14),
    ("join", 0.05),
    ("leave", 0.005),
    ("plan", 0.005),
    ("contribute", 0.015),
    ("publish", 0.003),
    ("request", 0.005),
    ("help", 0.007),
    ("meet", 0.01),
    ("attend", 0.03),
    ("celebrate", 0.01),
    ("decide", 0.005),
    ("complete", 0.005),
    ("edit", 0.05),
)


# --- data ----------------------------------------------------------------------------------------


def generate(rows: int, communities: int, seed: int) -> Any:
    """Return a seeded synthetic Activity frame: skewed sizes, answers targeting the asker."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 1.2, communities)
    sizes = rng.multinomial(rows, weights / weights.sum())
    comm = np.repeat(np.arange(communities), sizes)
    people = np.maximum(5, (np.sqrt(sizes) * 2).astype(np.int64))
    # a few prolific people per community: u**2 favours low person numbers
    actor = (people[comm] * rng.random(rows) ** 2).astype(np.int64)
    names = np.array([v for v, _ in MIX])
    p = np.array([s for _, s in MIX])
    verb = rng.choice(len(names), rows, p=p / p.sum())
    code = {v: i for i, v in enumerate(names)}
    # each community lives for a while inside the two years: start, length, then uniform
    end_us = int(AS_OF.timestamp() * 1e6)
    span_us = SPAN_DAYS * 86_400 * 1_000_000
    begin = rng.uniform(0.0, 0.6, communities)
    fade = np.where(rng.random(communities) < 0.8, 1.0, rng.uniform(0.7, 1.0, communities))
    fraction = begin[comm] + (fade[comm] - begin[comm]) * rng.random(rows)
    at = end_us - span_us + (fraction * span_us).astype(np.int64)

    parent = np.full(rows, -1, dtype=np.int64)
    target = np.full(rows, -1, dtype=np.int64)
    obj_kind = np.zeros(rows, dtype=np.int8)  # 0 own row id, 1 topic, 2 document

    def attach(children: Any, parents_mask: Any) -> Any:
        """Point each child row at a random parent row of the same community (or -1)."""
        pidx = np.flatnonzero(parents_mask)
        counts = np.bincount(comm[pidx], minlength=communities)
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        c = comm[children]
        has = counts[c] > 0
        chosen = np.full(children.size, -1, dtype=np.int64)
        pick = offsets[c[has]] + (rng.random(has.sum()) * counts[c[has]]).astype(np.int64)
        chosen[has] = pidx[pick]
        return chosen

    is_ask = verb == code["ask"]
    hour = 3_600 * 1_000_000
    for name, delay_hours in (("answer", 10.0), ("reply", 6.0), ("accept", 48.0)):
        rows_of = np.flatnonzero(verb == code[name])
        q = attach(rows_of, is_ask)
        ok = q >= 0
        r, q = rows_of[ok], q[ok]
        parent[r] = q
        target[r] = actor[q]
        if name == "accept":
            actor[r] = actor[q]
        at[r] = at[q] + (rng.lognormal(np.log(delay_hours), 1.3, r.size) * hour).astype(np.int64)
        verb[rows_of[~ok]] = code["share"]
    help_rows = np.flatnonzero(verb == code["help"])
    req = attach(help_rows, verb == code["request"])
    ok = req >= 0
    parent[help_rows[ok]] = req[ok]
    at[help_rows[ok]] = at[req[ok]] + (rng.random(ok.sum()) * 20 * 24 * hour).astype(np.int64)
    verb[help_rows[~ok]] = code["react"]
    obj_kind[verb == code["plan"]] = 1
    obj_kind[verb == code["publish"]] = 1
    contribute = verb == code["contribute"]
    topic = rng.integers(0, 8, rows)
    meta_roll = rng.random(rows)

    frame = pl.DataFrame(
        {
            "row": np.arange(rows),
            "c": comm,
            "a": actor,
            "v": verb,
            "p": parent,
            "t": target,
            "at": at,
            "k": obj_kind,
            "doc": np.where(contribute, topic, -1),
            "topic": topic,
            "roll": meta_roll,
        }
    )
    vname = pl.Series(names.tolist())
    meta = (
        pl.when(pl.col("verb") == "share")
        .then(
            pl.when(pl.col("roll") < 0.08)
            .then(pl.lit('{"kind": "self-promotion"}'))
            .otherwise(pl.lit('{"kind": "article"}'))
        )
        .when((pl.col("verb") == "plan") & (pl.col("roll") < 0.5))
        .then(pl.lit('{"deliverable": "guide"}'))
        .when(pl.col("verb") == "publish")
        .then(pl.lit('{"on_time": true}'))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return (
        frame.with_columns(vname.gather(pl.Series(verb)).alias("verb"))
        .with_columns(
            pl.format("b:{}", "row").alias("id"),
            pl.lit("bench").alias("source"),
            pl.format("c{}", "c").alias("community"),
            pl.format("c{}-u{}", "c", "a").alias("actor"),
            pl.when(pl.col("k") == 1)
            .then(pl.format("c{}-t{}", "c", "topic"))
            .otherwise(pl.format("o{}", "row"))
            .alias("object_id"),
            pl.when(pl.col("doc") >= 0)
            .then(pl.format("c{}-d{}", "c", "doc"))
            .when(pl.col("p") >= 0)
            .then(pl.format("o{}", "p"))
            .alias("parent_id"),
            pl.when(pl.col("t") >= 0).then(pl.format("c{}-u{}", "c", "t")).alias("target_actor"),
            pl.from_epoch("at", time_unit="us").dt.replace_time_zone("UTC").alias("at"),
            pl.lit(None, dtype=pl.String).alias("text"),
            meta.alias("meta"),
        )
        .select(
            "id",
            "source",
            "community",
            "actor",
            "verb",
            "object_id",
            "parent_id",
            "target_actor",
            "at",
            "text",
            "meta",
        )
    )


# --- measuring (in a fresh process per size) -----------------------------------------------------


def _status(field: str) -> float:
    """Return a /proc/self/status memory figure in MB (VmHWM: peak RSS, VmRSS: now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark so the peak counts only what follows (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure_polars(path: Path, summary: Path) -> dict[str, Any]:
    import polars as pl

    from cultivate.core.analytics.batch import analyze_many

    frame = pl.read_parquet(path)
    gc.collect()
    loaded = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    results = analyze_many(frame, as_of=AS_OF)
    wall = time.perf_counter() - started
    peak = _status("VmHWM")
    levels = [r.level.number for r in results.values()]
    summary.write_text(json.dumps({name: _summary(r) for name, r in results.items()}))
    return {
        "wall": wall,
        "peak_mb": peak,
        "input_mb": loaded,
        "peak_reset": reset,
        "communities": len(results),
        "rows": frame.height,
        "levels": {str(n): levels.count(n) for n in range(4)},
        "series_points": sum(len(r.series) for r in results.values()),
    }


def measure_plain(path: Path, summary: Path) -> dict[str, Any]:
    """The basic metrics as one plain Polars query: the floor a hand-written query sets.

    Per community, over the report window: contributions, active members, questions, and the
    questions answered by someone else within 7 days (answered share); no level, health,
    steps or series. What `analyze_many` adds over this is the rest of the report.
    """
    import polars as pl

    frame = pl.read_parquet(path)
    gc.collect()
    loaded = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    start = AS_OF - timedelta(days=90)
    window = frame.lazy().filter((pl.col("at") > start) & (pl.col("at") <= AS_OF))
    excluded = ["join", "leave", "edit"]
    basic = (
        window.filter(~pl.col("verb").is_in(excluded))
        .group_by("community")
        .agg(
            pl.len().alias("contributions"),
            pl.col("actor").drop_nulls().n_unique().alias("active"),  # as SQL's DISTINCT counts
            (pl.col("verb") == "ask").sum().alias("questions"),
        )
    )
    questions = window.filter(pl.col("verb") == "ask").select(
        "community", pl.col("object_id").alias("question"), pl.col("actor").alias("asker"), "at"
    )
    first_answers = (
        frame.lazy()
        .filter(pl.col("verb").is_in(["answer", "reply"]) & (pl.col("at") <= AS_OF))
        .select(pl.col("parent_id").alias("question"), pl.col("actor").alias("by"), "at")
        .join(questions.select("question", "asker"), on="question")
        .filter(pl.col("by") != pl.col("asker"))
        .group_by("question")
        .agg(pl.col("at").min().alias("first"))
    )
    answered = (
        questions.join(first_answers, on="question", how="left")
        .group_by("community")
        .agg(((pl.col("first") - pl.col("at")) <= timedelta(days=7)).sum().alias("answered"))
    )
    result = basic.join(answered, on="community", how="left").collect()
    wall = time.perf_counter() - started
    peak = _status("VmHWM")
    summary.write_text(json.dumps({row[0]: list(row[1:]) for row in result.iter_rows()}))
    return {
        "wall": wall,
        "peak_mb": peak,
        "input_mb": loaded,
        "peak_reset": reset,
        "communities": result.height,
        "rows": frame.height,
    }


def _summary(result: Any) -> dict[str, Any]:
    m = result.metrics
    return {
        "level": result.level.number,
        "health": result.health.score,
        "contributions": m.contributions,
        "active": m.active_members,
        "members": m.members,
        "questions": m.questions,
        "answered_share": m.answered_share,
        "reciprocity": m.reciprocity,
        "absence_factor": m.absence_factor,
        "newcomers": m.newcomers,
        "steps": [s.count_in_window for s in result.steps],
        "series": [[p.month, p.questions, p.active_members, p.level] for p in result.series],
    }


def measure_pandas(path: Path, summary: Path) -> dict[str, Any]:
    import pandas as pd

    import pandas_reference

    frame = pandas_reference.load(str(path))
    gc.collect()
    loaded = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    results = pandas_reference.analyze_all(frame, as_of=pd.Timestamp(AS_OF))
    wall = time.perf_counter() - started
    peak = _status("VmHWM")
    summary.write_text(json.dumps({name: _summary(r) for name, r in results.items()}))
    return {
        "wall": wall,
        "peak_mb": peak,
        "input_mb": loaded,
        "peak_reset": reset,
        "communities": len(results),
        "rows": len(frame),
    }


def _child(kind: str, path: Path, timeout: float) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--measure", kind, "--file", str(path)]
    return _run_measurement(kind, command, path.with_suffix(f".{kind}.json"), timeout)


def _run_measurement(
    kind: str, command: list[str], summary: Path, timeout: float
) -> dict[str, Any] | None:
    """Run one measuring process; return the JSON of its last line with where its summary is,
    or None when it ran out of time."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=True, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        print(f"  {kind}: stopped after {timeout:.0f} s")
        return None
    except subprocess.CalledProcessError as error:
        print(error.stdout, error.stderr, sep="\n")
        raise
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["summary"] = str(summary)
    return result


def agreement(polars_summary: str, pandas_summary: str) -> dict[str, int]:
    """Count communities on which the two implementations give the same report figures."""
    a = json.loads(Path(polars_summary).read_text())
    b = json.loads(Path(pandas_summary).read_text())
    same = sum(1 for name in a if name in b and _close(a[name], b[name]))
    return {"communities": len(a), "same": same}


def plain_agreement(polars_summary: str, plain_summary: str) -> dict[str, int]:
    """Count the communities whose basic metrics the plain query and the engine agree on."""
    engine = json.loads(Path(polars_summary).read_text())
    plain = json.loads(Path(plain_summary).read_text())
    same = 0
    for name, (contributions, active, questions, answered) in plain.items():
        e = engine.get(name, {})
        share = (answered or 0) / questions if questions else 0.0
        same += [e.get("contributions"), e.get("active"), e.get("questions")] == [
            contributions,
            active,
            questions,
        ] and _close(e.get("answered_share"), share)
    return {"communities": len(plain), "same": same}


def _close(x: Any, y: Any) -> bool:
    if isinstance(x, float) or isinstance(y, float):
        return abs(float(x) - float(y)) < 1e-9
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_close(i, j) for i, j in zip(x, y, strict=True))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_close(x[k], y[k]) for k in x)
    return bool(x == y)


def ensure_duckdb() -> Path:
    """Create var/bench/duckdb-venv with DuckDB when it is missing; return its python.

    DuckDB is a reference here, never a dependency of Cultivate, so it lives in its own venv.
    """
    python = DUCKDB_VENV / "bin" / "python"
    stamp = DUCKDB_VENV / ".installed"
    if python.exists() and stamp.exists() and stamp.read_text() == DUCKDB_REQUIREMENT:
        return python
    shutil.rmtree(DUCKDB_VENV, ignore_errors=True)
    print(f"installing {DUCKDB_REQUIREMENT} into {DUCKDB_VENV.relative_to(ROOT)}")
    subprocess.run([sys.executable, "-m", "venv", str(DUCKDB_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", DUCKDB_REQUIREMENT], check=True)
    stamp.write_text(DUCKDB_REQUIREMENT)
    return python


def measure_duckdb(path: Path, timeout: float) -> dict[str, Any] | None:
    """The basic metrics as one DuckDB query (`bench/duckdb_reference.py`), in its own venv."""
    summary = path.with_suffix(".duckdb.json")
    script = Path(__file__).with_name("duckdb_reference.py")
    command = [str(ensure_duckdb()), str(script), str(path), AS_OF.isoformat(), str(summary)]
    return _run_measurement("duckdb", command, summary, timeout)


def reference_agreement(plain_summary: str, other_summary: str) -> dict[str, int]:
    """Count the communities whose basic metrics two hand-written queries give alike."""
    plain = json.loads(Path(plain_summary).read_text())
    other = json.loads(Path(other_summary).read_text())
    same = sum(1 for name, figures in plain.items() if other.get(name) == figures)
    return {"communities": len(plain), "same": same}


# --- the run ------------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,3,10", help="millions of activities, comma-separated")
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--pandas-up-to", type=float, default=1, help="largest size (millions) pandas runs at"
    )
    parser.add_argument(
        "--pandas-timeout", type=float, default=900, help="seconds before pandas is stopped"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--measure", choices=("polars", "pandas", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.measure:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        summary = args.file.with_suffix(f".{args.measure}.json")
        measure = {"polars": measure_polars, "pandas": measure_pandas, "plain": measure_plain}[
            args.measure
        ]
        print(json.dumps(measure(args.file, summary)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC)
    results: list[dict[str, Any]] = []
    pandas_stopped = False
    for size in [float(s) for s in args.sizes.split(",") if s.strip()]:
        rows = int(size * 1_000_000)
        path = OUT / f"analytics-{rows}.parquet"
        started = time.perf_counter()
        generate(rows, args.communities, args.seed).write_parquet(path)
        generated = time.perf_counter() - started
        print(f"{rows:,} activities generated in {generated:.1f} s")
        entry: dict[str, Any] = {"rows": rows, "generated_s": generated}
        entry["polars"] = _child("polars", path, timeout=1800)
        print(f"  polars: {entry['polars']['wall']:.2f} s, {entry['polars']['peak_mb']:.0f} MB")
        entry["plain"] = _child("plain", path, timeout=1800)
        if entry["plain"] is not None:
            entry["plain_agreement"] = plain_agreement(
                entry["polars"]["summary"], entry["plain"]["summary"]
            )
            print(
                f"  plain Polars query of the basic metrics: {entry['plain']['wall']:.2f} s; "
                f"agree {entry['plain_agreement']}"
            )
        entry["duckdb"] = measure_duckdb(path, timeout=1800)
        if entry["duckdb"] is not None and entry["plain"] is not None:
            entry["duckdb_agreement"] = reference_agreement(
                entry["plain"]["summary"], entry["duckdb"]["summary"]
            )
            print(
                f"  DuckDB query of the basic metrics: {entry['duckdb']['wall']:.2f} s; "
                f"agree with plain Polars {entry['duckdb_agreement']}"
            )
        if size <= args.pandas_up_to and not pandas_stopped:
            entry["pandas"] = _child("pandas", path, timeout=args.pandas_timeout)
            if entry["pandas"] is None:
                pandas_stopped = True
            else:
                entry["agreement"] = agreement(
                    entry["polars"]["summary"], entry["pandas"]["summary"]
                )
                print(f"  pandas: {entry['pandas']['wall']:.1f} s; agree {entry['agreement']}")
        results.append(entry)
        path.unlink()
    (OUT / "analytics-results.json").write_text(json.dumps(results, indent=2, default=str))
    text = section(results, args, when)
    if args.no_doc:
        print(text)
    else:
        write_doc(text)
        print(f"wrote the Analytics section of {DOC.relative_to(ROOT)}")


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.1f} GiB memory, {platform.platform()}. "
        f"Python {platform.python_version()}, Polars {version('polars')}, "
        f"pandas {version('pandas')}, NumPy {version('numpy')}."
    )


def _duckdb_version(results: list[dict[str, Any]]) -> str:
    versions = {e["duckdb"].get("version", "?") for e in results if e.get("duckdb")}
    return ", ".join(sorted(versions)) or "(not run)"


def section(results: list[dict[str, Any]], args: argparse.Namespace, when: datetime) -> str:
    lines = [
        "## Analytics",
        "",
        START_MARK,
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `{COMMAND}` (what `make bench-analytics` "
        "runs; `make bench` runs it after the web benchmark).",
        "",
        f"Machine: {_machine()}",
        "",
        "| activities | communities | wall s | peak MB | target at 10M (<= 3 s, <= 2 GB) "
        "| input MB | series points | plain Polars, basic metrics only, s "
        "| DuckDB, basic metrics only, s | engine / plain Polars | engine / DuckDB "
        "| pandas wall s | pandas / Polars |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in results:
        pl_, pd_ = e["polars"], e.get("pandas")
        pandas_wall = f"{pd_['wall']:.1f}" if pd_ else "not run"
        ratio = f"{pd_['wall'] / pl_['wall']:.0f}x" if pd_ else ""
        plain = e.get("plain")
        plain_wall = f"{plain['wall']:.2f}" if plain else "not run"
        duck = e.get("duckdb")
        duck_wall = f"{duck['wall']:.2f}" if duck else "not run"
        over_plain = f"{pl_['wall'] / plain['wall']:.1f}x" if plain else ""
        over_duck = f"{pl_['wall'] / duck['wall']:.1f}x" if duck else ""
        met = "✓" if pl_["wall"] <= 3 and pl_["peak_mb"] <= 2048 else "✗"
        lines.append(
            f"| {e['rows']:,} | {pl_['communities']:,} | {pl_['wall']:.2f} | "
            f"{pl_['peak_mb']:,.0f} | {met if e['rows'] >= 10_000_000 else ''} | "
            f"{pl_['input_mb']:,.0f} | {pl_['series_points']:,} | {plain_wall} | "
            f"{duck_wall} | {over_plain} | {over_duck} | {pandas_wall} | {ratio} |"
        )
    largest = results[-1]["polars"] if results else None
    checks = [
        f"{e['agreement']['same']:,} of {e['agreement']['communities']:,} communities at "
        f"{e['rows']:,} activities"
        for e in results
        if e.get("agreement")
    ]
    lines += [
        "",
        "What is measured: `cultivate.core.analytics.batch.analyze_many(frame, as_of=...)` over "
        "the whole multi-community frame, returning for every community the report window's "
        "metrics (docs/metrics.md), the maturity level with every criterion, the health score, "
        "the six steps, and the 18-month series (questions, shares, answers, active members, "
        "median response time and the level at each month end over a rolling 90-day window). "
        "Roles, advice, the help network and the early-warning risk are computed per community "
        "only for the communities a page shows, and are not in these figures.",
        "",
        "- **wall s**: `time.perf_counter()` around the one call, in a fresh process per size "
        "after reading the frame from Parquet (generation and reading are not timed).",
        "- **peak MB**: the kernel's peak resident set (`VmHWM`), reset just before the call "
        "(`/proc/self/clear_refs`), so it counts the input frame held in memory plus "
        "everything the call allocates; **input MB** is the resident set before the call.",
        "- **plain Polars**: the basic metrics alone (contributions, active members, questions, "
        "questions answered by someone else within 7 days, per community over the report "
        "window) as one hand-written lazy Polars query on the same frame, in its own process: "
        "the floor that a report with every figure, level and series is measured against. "
        "Its figures agree with the engine's on "
        + "; ".join(
            f"{e['plain_agreement']['same']:,} of the {e['plain_agreement']['communities']:,} "
            f"communities with activity in the report window at {e['rows']:,} activities"
            for e in results
            if e.get("plain_agreement")
        )
        + ".",
        "- **DuckDB**: the same basic metrics as one SQL query (`bench/duckdb_reference.py`) "
        f"in DuckDB {_duckdb_version(results)}, in its own process and virtual environment "
        "(`var/bench/duckdb-venv`, made when missing: DuckDB is a reference, not a dependency), "
        "on the same Parquet file loaded into a DuckDB table first (not timed), every core. "
        "It gives the plain Polars query's figures on "
        + "; ".join(
            f"{e['duckdb_agreement']['same']:,} of {e['duckdb_agreement']['communities']:,} "
            f"communities at {e['rows']:,} activities"
            for e in results
            if e.get("duckdb_agreement")
        )
        + ". **engine / plain Polars** and **engine / DuckDB** divide the engine's wall time "
        "(every figure, level, health, steps and series) by theirs.",
        "- **pandas**: `bench/pandas_reference.py`, a straightforward pandas implementation of "
        "the same figures (group by community, then filter and merge per window, as one would "
        "write it by hand), run in its own process at up to "
        f"{args.pandas_up_to:g} million activities (stopped after {args.pandas_timeout:.0f} s). "
        "It feeds the same `classify` and `health` functions, so the ratio compares only the "
        "data work. Its reports agree with Polars' on "
        + ("; ".join(checks) if checks else "(no size compared)")
        + " (level, health, counts, shares, series).",
        "",
        f"Data: {args.communities:,} communities with sizes drawn from a log-normal (a few big, "
        "many small), people per community about twice the square root of its size with a few "
        "prolific ones, two years up to "
        f"{AS_OF:%Y-%m-%d %H:%M} UTC with communities starting and fading at different "
        "times. Verb mix: "
        + ", ".join(f"{v} {s:.1%}" for v, s in MIX)
        + ". Answers, replies and accepts point at a random question of the same community "
        "and at its asker, a log-normal delay later; help points at a request; contributions "
        "revise one of eight documents; shares are 8% self-promotion. Seeded "
        f"({args.seed}), generated with NumPy and Polars.",
    ]
    if largest:
        levels = largest["levels"]
        lines += [
            "",
            "Levels at the largest size: "
            + ", ".join(f"{levels[str(n)]} at level {n}" for n in range(4))
            + ".",
        ]
    lines += [END_MARK, ""]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace only the analytics part of docs/benchmarks.md (between its markers)."""
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nFigures from `make bench`.\n"
    if START_MARK in existing and END_MARK in existing:
        head, rest = existing.split(START_MARK, 1)
        _, tail = rest.split(END_MARK, 1)
        head = head.rstrip()
        if head.endswith("## Analytics"):
            head = head[: -len("## Analytics")].rstrip()
        body = head + "\n\n" + text.rstrip() + "\n" + tail.lstrip("\n")
        if tail.strip():
            body = head + "\n\n" + text.rstrip() + "\n\n" + tail.lstrip("\n")
    else:
        body = existing.rstrip() + "\n\n" + text.rstrip() + "\n"
    DOC.write_text(body)


if __name__ == "__main__":
    main()
