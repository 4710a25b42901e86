"""Web benchmark: 100,000 posts, questions and answers; latency and throughput of its pages.

`make bench` runs this (`.venv/bin/python bench/run.py`), then the analytics benchmark
(bench/analytics.py; `bench/run.py analytics` runs only that, `bench/run.py web` only this), then
the connectors benchmark (bench/connectors.py; `bench/run.py connectors` runs only that), then
the first hour and one Health page (bench/first_hour.py; `bench/run.py first-hour`), then
the knowledge-routing evaluation (bench/routing.py; `bench/run.py routing` runs only that).
The web part writes the organisation once, loads it into a fresh SQLite file and a fresh
PostgreSQL database, serves each with gunicorn on 127.0.0.1, measures, and rewrites the "Web"
section of docs/benchmarks.md. Never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_module
import corpus_communities
import web
import web_load
import web_measure
import web_render
import web_server

ROOT = web.ROOT
OUT = web.OUT
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/cultivate_bench"
COMMAND = ".venv/bin/python bench/run.py"

PAGES = (
    ("healthz", "/healthz (the ceiling: a trivial view)"),
    ("home", "Community home `/c/<slug>/`"),
    ("question", "Question page `/c/<slug>/questions/<pk>/`"),
    ("questions", "Questions list `/c/<slug>/questions/?status=<s>`"),
    ("api", "API questions list `/api/communities/<slug>/questions?offset=<n>`"),
    ("api-cursor", "API questions list by cursor `/api/communities/<slug>/questions?after=<c>`"),
    ("search", "Search `/search/?q=<words>`"),
    ("health", "Health `/insights/c/<slug>/health/`"),
    ("portfolio", "Portfolio `/insights/portfolio/` (every community)"),
    ("events", "Events `/c/<slug>/events/`"),
    ("event", "Event page `/c/<slug>/events/<pk>/`"),
    ("practice", "Best practice `/c/<slug>/practices/<pk>/`"),
)
STATUSES = ("", "open", "unanswered", "solved")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the full data set (1.0 = 100,000 pieces of content)",
    )
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CULTIVATE_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="a database this run may create and drop",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=10, help="throughput run per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="throughput client: wrk when installed, else Python processes",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    return parser.parse_args()


# --- databases ---------------------------------------------------------------------------------


def sqlite_url() -> tuple[str, Callable[[], None]]:
    path = OUT / "web.sqlite3"

    def drop() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    drop()
    return f"sqlite:///{path}", drop


def postgres_url(url: str) -> tuple[str, Callable[[], None]]:
    """Create the bench database afresh; return its URL and how to drop it."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Refusing to use {name!r} as the bench database.")
    admin = parts._replace(path="/postgres").geturl()

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url, drop


# --- the requests ------------------------------------------------------------------------------


def paths_for(
    kind: str, meta: dict[str, Any], corpus: corpus_module.Corpus, rng: random.Random, n: int
) -> list[str]:
    """Return n request paths of one kind, drawn at random from what was loaded."""
    if kind == "healthz":
        return ["/healthz"] * n
    if kind == "home":
        return [f"/c/{rng.choice(meta['communities'])}/" for _ in range(n)]
    if kind == "question":
        picks = (rng.choice(meta["questions"]) for _ in range(n))
        return [f"/c/{slug}/questions/{pk}/" for slug, pk in picks]
    if kind == "health":
        return [f"/insights/c/{rng.choice(meta['communities'])}/health/" for _ in range(n)]
    if kind == "portfolio":
        return ["/insights/portfolio/"] * n
    if kind == "events":
        return [f"/c/{rng.choice(meta['communities'])}/events/" for _ in range(n)]
    if kind == "event":
        picks = (rng.choice(meta["events"]) for _ in range(n))
        return [f"/c/{slug}/events/{pk}/" for slug, pk in picks]
    if kind == "practice":
        picks = (rng.choice(meta["documents"]) for _ in range(n))
        return [f"/c/{slug}/practices/{pk}/" for slug, pk in picks]
    if kind == "questions":
        return [
            f"/c/{rng.choice(meta['communities'])}/questions/?"
            + urlencode({"status": rng.choice(STATUSES)})
            for _ in range(n)
        ]
    if kind == "api-cursor":  # the page after a random question, as a client following next
        picks = (rng.choice(meta["question_cursors"]) for _ in range(n))
        return [
            f"/api/communities/{slug}/questions?" + urlencode({"after": cursor})
            for slug, cursor in picks
        ]
    if kind == "api":  # by offset: anywhere in the first 100 pages
        return [
            f"/api/communities/{rng.choice(meta['communities'])}/questions?"
            + urlencode({"offset": 20 * rng.randrange(100)})
            for _ in range(n)
        ]
    # Mostly one word; otherwise the two-word name of a thing, as in "error budget".
    queries = (
        rng.choice(corpus.search_words if rng.random() < 0.7 else corpus.search_phrases)
        for _ in range(n)
    )
    return ["/search/?" + urlencode({"q": q}) for q in queries]


def use_wrk(args: argparse.Namespace) -> bool:
    if args.client == "wrk" and not web_measure.wrk_available():
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return args.client == "wrk" or (args.client == "auto" and web_measure.wrk_available())


def bench_database(
    label: str, url: str, corpus: corpus_module.Corpus, now: datetime, args: argparse.Namespace
) -> dict[str, Any]:
    """Migrate, load, serve and measure one database; return every figure."""
    console = web.console
    console.rule(f"[bold]{label}")
    started = time.perf_counter()
    web_load.migrate(url)
    console.print(f"migrated in {time.perf_counter() - started:.1f} s")
    meta = web_load.load_in_child(corpus, url, now, OUT / f"web-{label.lower()}.json")
    console.print(f"loaded in {meta['load_seconds']} s: {meta['counts']}")
    rng = random.Random(args.seed)
    results: dict[str, Any] = {"meta": {k: v for k, v in meta.items() if k != "questions"}}
    quiet = web_measure.wait_for_quiet()
    console.print(f"other work used {quiet:.0%} of the CPUs just before measuring")
    with web_server.gunicorn(url, args.workers, OUT / f"gunicorn-{label.lower()}.log") as port:
        for kind, _ in PAGES:
            paths = paths_for(kind, meta, corpus, rng, args.warmup + args.requests)
            latency = web_measure.measure_latency(
                port, paths, meta["cookie"], args.warmup, is_search=kind == "search"
            )
            load_paths = paths_for(kind, meta, corpus, rng, 500)
            flow = web_measure.throughput(
                port,
                load_paths,
                meta["cookie"],
                args.clients,
                args.seconds,
                OUT / f"wrk-{kind}.lua",
                use_wrk=use_wrk(args),
            )
            results[kind] = {"latency": vars(latency), "throughput": vars(flow)}
            hits = (
                f", {latency.with_hits} of {latency.requests} found something"
                if (latency.with_hits is not None)
                else ""
            )
            console.print(
                f"{kind:<9} p50 {latency.p50_ms:7.1f} ms  p95 {latency.p95_ms:7.1f} ms  "
                f"{flow.rps:8.1f} req/s  errors {latency.errors}+{flow.errors}{hits}"
            )
    # Other work on a shared machine takes cores from the server; say how busy it was.
    results["meta"]["busy_before"] = round(quiet, 3)
    results["meta"]["loadavg_after"] = round(os.getloadavg()[0], 2)
    return results


# --- the report --------------------------------------------------------------------------------


def machine(pg_version: str | None) -> dict[str, str]:
    meminfo = Path("/proc/meminfo").read_text()
    kib = int(next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1])
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{kib / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version or "not measured",
        "wrk": web_measure.wrk_version() or "no wrk",
    }


def table(results: dict[str, Any]) -> list[str]:
    """The pages' figures, each beside issue 11's target: a quarter of `/healthz`'s
    throughput in the same run, and p95 under 50 ms."""
    ceiling = results["healthz"]["throughput"]["rps"]
    lines = [
        "| page | p50 ms | p95 ms | req/s at 16 clients | share of /healthz | p50 ms at 16 clients "
        "| errors | target met (>= 25%, p95 < 50 ms) |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for kind, label in PAGES:
        lat, flow = results[kind]["latency"], results[kind]["throughput"]
        loaded = "-" if flow["p50_ms"] is None else f"{flow['p50_ms']:.1f}"
        share = flow["rps"] / ceiling if ceiling else 0.0
        met = "" if kind == "healthz" else ("✓" if share >= 0.25 and lat["p95_ms"] < 50 else "✗")
        lines.append(
            f"| {label} | {lat['p50_ms']:.1f} | {lat['p95_ms']:.1f} | {flow['rps']:.1f} | "
            f"{share:.1%} | {loaded} | {lat['errors'] + flow['errors']} | {met} |"
        )
    return lines


def section(
    all_results: dict[str, dict[str, Any]],
    info: dict[str, str],
    args: argparse.Namespace,
    corpus: corpus_module.Corpus,
    timings: dict[str, float],
    when: datetime,
) -> str:
    answers = [q.answer_count for q in corpus.questions]
    private = [t.name for t in corpus_communities.TOPICS if t.private]
    content = len(corpus.posts) + len(corpus.questions) + len(corpus.answers)
    tool = "wrk" if use_wrk(args) else "a Python client (16 threads over 4 processes)"
    out = [
        "## Web",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `{COMMAND}` (what `make bench` runs; "
        "`apt-get install -y wrk` first for the throughput client). The whole run took "
        f"{timings['total']:.0f} s.",
        "",
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} memory, "
        f"{info['os']}. Python {info['python']}, Django {info['django']}, gunicorn "
        f"{info['gunicorn']}, SQLite {info['sqlite']}, PostgreSQL {info['postgresql']}, "
        f"{info['wrk']}.",
        "",
        "### Data",
        "",
        f"{len(corpus.posts):,} posts, {len(corpus.questions):,} questions and "
        f"{len(corpus.answers):,} answers ({content:,} "
        f"pieces of content, one search document each) by {len(corpus.people):,} people in "
        f"{len(corpus_communities.TOPICS)} communities ({len(private)} private), "
        f"{len(corpus.memberships):,} memberships, {len(corpus.tags)} tags. "
        f"{answers.count(0):,} questions have no answer, the busiest has {max(answers)}; "
        f"{sum(q.accepted is not None for q in corpus.questions):,} have an accepted answer. "
        "Text is English built from per-community word banks (seeded, so every run writes the "
        "same organisation) with the odd list, code span, emphasis and @mention; content is "
        "spread over two years and most of it comes from a few prolific people.",
        "",
        f"Writing and rendering the text took {timings['corpus']:.0f} s; loading took "
        + ", ".join(
            f"{r['meta']['load_seconds']:.0f} s on {name}" for name, r in all_results.items()
        )
        + ".",
        "",
        "How it is loaded, and what is left out:",
        "",
        "- Rows go in with Django's `bulk_create` in batches of 2,000. The services write one "
        "row at a time with its Activity, notifications and index update, which would take far "
        "longer than the ten minutes this benchmark may run; the pages read the same rows either "
        "way.",
        "- `body_html` is rendered with `cultivate.core.markup.render_markdown`, as the "
        "services do. Every post, question and answer gets its `search.SearchDocument` with the "
        "plain text the search service would index. On SQLite the FTS5 triggers of search "
        "migration 0002 index each row as it is inserted (no rebuild needed; an FTS5 "
        "`optimize` merges the segments afterwards); on PostgreSQL the stored tsvector column "
        "is computed on insert and the GIN index updated. Then `ANALYZE` (SQLite) or "
        "`VACUUM ANALYZE` (PostgreSQL), as a long-running database would have had.",
        "- The activity log the services would have written (an `ActivityRecord` per question, "
        "answer, acceptance and post), 30 events per community (one a fortnight, two thirds "
        "past, up to 25 RSVPs each), 5 best practices per community written through "
        "`document_create`, and a health snapshot per community computed by the service "
        "`cultivate tick` runs (`health_snapshots_compute_all`). No comments, votes, mentions "
        "or notifications.",
        "",
        "### Method",
        "",
        f"gunicorn with {args.workers} sync workers on 127.0.0.1, settings "
        "`cultivate.config.settings.local` with `CULTIVATE_DEBUG=0`, `DATABASE_URL` pointing at "
        "a fresh SQLite file under `bench/out/` or a PostgreSQL database the run creates and "
        "drops. Every request is made as a signed-in member of all ten communities (a real "
        "session row), so the private community's content counts in search; that member is "
        "also the knowledge-management lead, so the Portfolio is theirs.",
        "",
        f"- **Latency**: {args.warmup} untimed requests per page, then {args.requests} timed "
        "ones, one after another, each from connect to last byte with `http.client`: random "
        "community homes, random questions, random communities' question lists (all, open, "
        "unanswered or solved: the first page, by cursor), the API's question list at a random "
        "offset within its first 100 pages, searches for one random word (70%) or a "
        'random two-word name of a thing ("error budget") from the communities\' vocabularies, '
        "random communities' Health and events pages, random events and best practices, and "
        "the Portfolio.",
        f"- **Throughput**: {tool}, {args.clients} connections, {args.seconds} s per page, "
        "round-robin over 500 fresh random paths of that page. Sync workers close the "
        "connection after each response, so every request opens a new one (as behind a proxy "
        "that does not pool). The client runs on the same cores as the server, so these are "
        "lower bounds, and so does any other work on the machine: the run waits (up to a "
        "minute) for the CPUs to be at most 25% busy before measuring each database and "
        "says how busy they were under each table; compare runs made on a quiet machine. Errors "
        'count non-200 answers and socket errors. "p50 ms at 16 clients" is the client\'s '
        "median latency during the throughput run.",
        "",
    ]
    for name, results in all_results.items():
        meta = results["meta"]
        search = results["search"]["latency"]
        hits = (
            f" {search['with_hits']} of {search['requests']} timed searches found something."
            if search.get("with_hits") is not None
            else ""
        )
        out += [
            f"### {name} {meta['server_version']}",
            "",
            *table(results),
            "",
            f"Mean page sizes: home {results['home']['latency']['mean_bytes'] / 1024:.0f} KiB, "
            f"question {results['question']['latency']['mean_bytes'] / 1024:.0f} KiB, search "
            f"{search['mean_bytes'] / 1024:.0f} KiB.{hits} Other work used "
            f"{meta['busy_before']:.0%} of the CPUs in the 2 s before measuring.",
            "",
        ]
    return "\n".join(out)


def write_doc(text: str) -> None:
    """Replace the "## Web" section of docs/benchmarks.md, keeping any other section."""
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nFigures from `make bench`.\n"
    lines = existing.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Web"), None)
    if start is None:
        body = existing.rstrip() + "\n\n" + text.rstrip() + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        rest = "\n".join(lines[end:])
        after = "\n" + rest + "\n" if rest else ""
        body = "\n".join(lines[:start]) + "\n" + text.rstrip() + "\n" + after
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(body)


def main() -> None:
    args = parse()
    OUT.mkdir(parents=True, exist_ok=True)
    run_started = time.perf_counter()
    when = datetime.now(UTC)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        raise SystemExit(f"Unknown databases: {', '.join(sorted(unknown))}")

    web.console.rule("[bold]Writing the organisation")
    started = time.perf_counter()
    scale = args.scale
    corpus = corpus_module.generate(
        seed=args.seed,
        now=when,
        people=max(50, round(2000 * scale)),
        posts=round(20_000 * scale),
        questions=round(30_000 * scale),
        answers=round(50_000 * scale),
    )
    web_render.render_all(corpus, processes=os.cpu_count() or 2)
    timings = {"corpus": time.perf_counter() - started}
    web.console.print(f"written and rendered in {timings['corpus']:.1f} s")
    if not use_wrk(args):
        web.console.print(
            "[yellow]wrk not found: throughput uses the Python client "
            "(`apt-get install -y wrk` for figures comparable with the doc)"
        )

    all_results: dict[str, dict[str, Any]] = {}
    pg_version: str | None = None
    for database in databases:
        if database == "sqlite":
            url, drop = sqlite_url()
            label = "SQLite"
        else:
            url, drop = postgres_url(args.postgres_url)
            label = "PostgreSQL"
        try:
            all_results[label] = bench_database(label, url, corpus, when, args)
            if database == "postgresql":
                pg_version = all_results[label]["meta"]["server_version"]
        finally:
            if not args.keep:
                drop()

    timings["total"] = time.perf_counter() - run_started
    info = machine(pg_version)
    (OUT / "web-results.json").write_text(
        json.dumps(
            {"when": when.isoformat(), "machine": info, "timings": timings, "results": all_results},
            indent=2,
        )
    )
    text = section(all_results, info, args, corpus, timings, when)
    if args.no_doc:
        print(text)
    else:
        write_doc(text)
        web.console.print(f"wrote the Web section of {DOC.relative_to(ROOT)}")
    web.console.print(f"total {timings['total']:.0f} s")


if __name__ == "__main__":
    # `run.py analytics [...]` runs only the analytics benchmark, `run.py connectors [...]` only
    # the connectors one, `run.py web [...]` only the web one; with none of them, all three run
    # (the web options, if any, go to the web benchmark).
    import analytics
    import connectors
    import first_hour
    import routing

    if sys.argv[1:2] == ["analytics"]:
        analytics.main(sys.argv[2:])
    elif sys.argv[1:2] == ["connectors"]:
        connectors.main(sys.argv[2:])
    elif sys.argv[1:2] == ["routing"]:
        routing.main(sys.argv[2:])
    elif sys.argv[1:2] == ["first-hour"]:
        first_hour.main(sys.argv[2:])
    elif sys.argv[1:2] == ["web"]:
        del sys.argv[1]
        main()
    else:
        main()
        analytics.main([])
        connectors.main([])
        first_hour.main([])
        routing.main([])
