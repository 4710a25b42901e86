"""Connector benchmark: parse speed and peak memory of large exports, import rate into PostgreSQL.

`python bench/run.py connectors` (or `make bench-connectors`; `make bench` runs it after the
analytics benchmark) writes, deterministically and streaming, into `var/bench/` (git-ignored):

- a synthetic Stack Exchange dump whose Posts.xml is about 1 GB, with Users, Comments and Votes,
  in the attribute shape of a real dump (se-ai);
- a mailing-list mbox of 100,000 messages (about 250 MB), threaded by In-Reply-To and References;
- a smaller Stack Exchange site (about 200,000 rows once imported) for the import rate.

Each measurement runs in a child process of its own, so its peak resident set is its own
(`os.wait4` returns the child's rusage). It then runs bigbang-py, the research toolkit for
mailing-list analysis, on the same mbox in its own Python 3.12 virtual environment
(`var/bench/bigbang-venv`, installed here when missing) next to `cultivate analyze` of that mbox,
and reports the ratio. It rewrites only the part of docs/benchmarks.md between the connectors
markers. Never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from connectors_data import write_mbox, write_stackexchange
from connectors_measure import (
    DATA,
    ROOT,
    measure_analyze,
    measure_bare_expat,
    measure_bare_mailbox,
    measure_bigbang,
    measure_chat,
    measure_import,
    measure_parse,
    run_child,
)
from connectors_report import DOC, section, write_doc

OUT = ROOT / "bench" / "out"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_import"
CHAT_DUMPS = (
    ("slack", "slack-api-julialang"),
    ("slack", "slack-houstondatavis"),
    ("discourse", "discourse-askci"),
)
"""The real chat and forum dumps of the data folder (CULTIVATE_DATA) read for their rate."""


# --- measuring, each in a child process ----------------------------------------------------------


def _child(task: str, path: Path, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh process; return its result with wall time and peak RSS."""
    command = [sys.executable, __file__, "--measure", task, "--path", str(path)]
    return run_child(command, env=env)


# --- the run -------------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts-mb", type=float, default=1024, help="size of the big Posts.xml")
    parser.add_argument("--messages", type=int, default=100_000, help="messages in the mbox")
    parser.add_argument(
        "--import-posts-mb", type=float, default=40, help="Posts.xml size of the imported site"
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CULTIVATE_BENCH_IMPORT_POSTGRES", DEFAULT_POSTGRES),
        help="a database this run may drop and create for the import",
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated: stackexchange, mbox, chat, import"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("CULTIVATE_DATA", ROOT.parent / "shared" / "data")),
        help="the real community data folder (its Slack and Discourse dumps)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--measure",
        choices=(
            "stackexchange",
            "mbox",
            "analyze",
            "import",
            "expat",
            "mailbox",
            *dict(CHAT_DUMPS),
        ),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _fresh_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Refusing to use {name!r} as the bench database.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _generated(marker: Path, make: Any) -> dict[str, Any]:
    """Generate once per parameters: the data is deterministic, so a rerun reuses it."""
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    started = time.perf_counter()
    info: dict[str, Any] = make()
    info["generated_s"] = time.perf_counter() - started
    marker.write_text(json.dumps(info))
    return info


def _busy(seconds: float = 2.0) -> float:
    """Return the share of CPU time other work used over a short look (the machine is shared)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.measure:
        measure = {
            "stackexchange": lambda p: measure_parse("stackexchange", p),
            "mbox": lambda p: measure_parse("mbox", p),
            "analyze": measure_analyze,
            "import": measure_import,
            "expat": measure_bare_expat,
            "mailbox": measure_bare_mailbox,
            "slack": lambda p: measure_chat("slack", p),
            "discourse": lambda p: measure_chat("discourse", p),
        }[args.measure]
        print(json.dumps(measure(args.path)))
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    DATA.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC)
    results: dict[str, Any] = {"when": when.isoformat(), "args": vars(args) | {"path": None}}

    if "stackexchange" not in skip:
        folder = DATA / f"se-bench-{args.posts_mb:g}mb-{args.seed}"
        info = _generated(
            folder / "generated.json",
            lambda: write_stackexchange(
                folder, posts_bytes=int(args.posts_mb * 2**20), seed=args.seed
            ),
        )
        print(f"Stack Exchange dump: {info['bytes'] / 2**20:,.0f} MB ({info})")
        busy = _busy()
        parsed = _child("stackexchange", folder)
        parsed["busy_before"] = busy
        bare = _child("expat", folder)
        results["stackexchange"] = {"data": info, "parse": parsed, "bare_expat": bare}
        print(f"  parsed in {parsed['wall']:.1f} s, peak {parsed['peak_mb']:.0f} MB")
        print(f"  bare expat loop over Posts.xml: {bare['seconds']:.1f} s")

    if "mbox" not in skip:
        mbox = DATA / f"mbox-bench-{args.messages}-{args.seed}" / "bench-discuss.mbox"
        info = _generated(
            mbox.with_suffix(".json"),
            lambda: write_mbox(mbox, messages=args.messages, seed=args.seed),
        )
        print(f"mbox: {info['bytes'] / 2**20:,.0f} MB ({info})")
        entry: dict[str, Any] = {"data": info}
        entry["busy_before"] = _busy()
        entry["parse"] = _child("mbox", mbox)
        print(
            f"  parsed in {entry['parse']['wall']:.1f} s, peak {entry['parse']['peak_mb']:.0f} MB"
        )
        entry["bare_mailbox"] = _child("mailbox", mbox)
        print(f"  Python's mailbox over it: {entry['bare_mailbox']['seconds']:.1f} s")
        entry["analyze"] = _child("analyze", mbox)
        print(f"  cultivate analyze: {entry['analyze']['wall']:.1f} s")
        try:
            entry["bigbang"] = measure_bigbang(mbox)
            print(f"  bigbang: {entry['bigbang']['wall']:.1f} s")
        except (subprocess.CalledProcessError, SystemExit) as error:
            entry["bigbang_error"] = str(error)[-1500:]
            print(f"  bigbang failed: {entry['bigbang_error']}")
        results["mbox"] = entry

    if "chat" not in skip:
        chats: list[dict[str, Any]] = []
        for source, name in CHAT_DUMPS:
            folder = args.data / name
            if not folder.is_dir():
                print(f"  {name}: not in {args.data}, skipped")
                continue
            measured = _child(source, folder) | {"source": source, "name": name}
            chats.append(measured)
            print(
                f"  {name}: {measured['messages']:,} messages in {measured['seconds']:.2f} s "
                f"({measured['messages'] / measured['seconds']:,.0f}/s)"
            )
        results["chat"] = chats

    if "import" not in skip:
        folder = DATA / f"se-import-{args.import_posts_mb:g}mb-{args.seed}"
        info = _generated(
            folder / "generated.json",
            lambda: write_stackexchange(
                folder, posts_bytes=int(args.import_posts_mb * 2**20), seed=args.seed + 1
            ),
        )
        _fresh_postgres(args.postgres_url)
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="cultivate.config.settings.local",
            CULTIVATE_DEBUG="0",
            DATABASE_URL=args.postgres_url,
        )
        busy = _busy()
        imported = _child("import", folder, env=env)
        imported["busy_before"] = busy
        results["import"] = {"data": info, "result": imported}
        print(
            f"  imported {imported['rows']:,} rows in {imported['seconds']:.1f} s "
            f"({imported['rows'] / imported['seconds']:,.0f} rows/s)"
        )

    (OUT / "connectors-results.json").write_text(json.dumps(results, indent=2, default=str))
    text = section(results, when)
    if args.no_doc:
        print(text)
    else:
        write_doc(text)
        print(f"wrote the Connectors section of {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
