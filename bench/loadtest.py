"""`make loadtest`: 200 people on two gunicorn servers behind nginx, against 1M posts in PostgreSQL.

Loopback only and bounded in time: writes the organisation (the web benchmark's corpus, scaled to
1,000,000 posts) into a fresh PostgreSQL database, serves it from two gunicorn servers behind one
nginx port, and lets locust's 200 simulated members read (home, questions, a question, search,
Health) and write (ask, answer, vote, RSVP) for five minutes. Half-way, one server is stopped
(SIGTERM: it finishes what it is answering); the other carries on. Per action p50/p95/p99,
throughput and failures, before and after the stop, go to docs/benchmarks.md between the load
test's markers. Never part of the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_module
import web
import web_load
import web_render
from run import postgres_url
from web_server import free_port, get

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "loadtest"
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- loadtest:start -->"
END_MARK = "<!-- loadtest:end -->"
LOCUST = ROOT / "var" / "loadtest-venv" / "bin" / "locust"
ACTIONS = ("home", "questions", "question", "search", "health", "ask", "answer", "vote", "rsvp")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/cultivate_loadtest"
    )
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per server")
    parser.add_argument("--no-doc", action="store_true", help="print the section, leave the doc")
    return parser.parse_args()


def gunicorn(database_url: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Start one app server on a free loopback port; return it once it answers."""
    port = free_port()
    env = web.django_env(database_url) | {
        "CULTIVATE_TASKS_BACKEND": "database",  # jobs queue up for a worker, as in production
        "CULTIVATE_EMBEDDER": str(ROOT / "var" / "models" / "all-MiniLM-L6-v2"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cultivate.config.wsgi:application", "--workers",
         str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout",
         "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", "", timeout=2)[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on {port} did not answer; see {log}")


def nginx(ports: list[int]) -> tuple[subprocess.Popen[bytes], int]:
    """One local nginx port in front of both servers; a refused connection goes to the other."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    prefix = OUT / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in ports)
    conf = prefix / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  upstream cultivate {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://cultivate;
      proxy_set_header Host 127.0.0.1;
      proxy_set_header X-Request-ID $request_id;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 60s;
    }}
  }}
}}
""")
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(prefix)], start_new_session=True)
    for _ in range(50):
        try:
            if get(port, "/healthz", "", timeout=2)[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not answer")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=40)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def plan(database_url: str, meta: dict[str, Any], people: int) -> Path:
    """Sign the people in and write what locust reads."""
    signed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadtest" / "people.py"), str(people)],
        cwd=ROOT, env=web.django_env(database_url), capture_output=True, text=True, check=True,
    )  # fmt: skip
    questions: dict[str, list[int]] = {}
    for slug, pk in meta["questions"]:
        questions.setdefault(slug, []).append(pk)
    event_ids: dict[str, list[int]] = {}
    for slug, pk in meta["events"]:
        event_ids.setdefault(slug, []).append(pk)
    path = OUT / "plan.json"
    path.write_text(json.dumps({
        "people": json.loads(signed.stdout),
        "questions": {s: q[-2000:] for s, q in questions.items()},
        "events": event_ids,
    }))  # fmt: skip
    return path


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "rps": float(row["Requests/s"]),
            }
    return rows


def main() -> None:
    args = parse()
    if not LOCUST.exists():
        raise SystemExit(
            "locust is missing: run `make loadtest` (it installs it in var/loadtest-venv)"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    web.console.rule("[bold]Writing the organisation")
    corpus = corpus_module.generate(
        seed=7, now=when, people=5000, posts=args.posts, questions=30_000, answers=50_000
    )
    web_render.render_all(corpus, processes=os.cpu_count() or 2)
    timings["written"] = time.perf_counter() - started
    url, drop = postgres_url(args.postgres_url)
    servers: list[subprocess.Popen[bytes]] = []
    proxy = None
    try:
        web_load.migrate(url)
        started = time.perf_counter()
        meta = web_load.load_in_child(corpus, url, when, OUT / "meta.json")
        timings["loaded"] = time.perf_counter() - started
        plan_path = plan(url, meta, args.people)
        ports = []
        for n in range(2):
            process, port = gunicorn(url, args.workers, OUT / f"gunicorn-{n}.log")
            servers.append(process)
            ports.append(port)
        proxy, proxy_port = nginx(ports)
        failures = OUT / "failures.jsonl"
        failures.unlink(missing_ok=True)
        seconds = int(args.minutes * 60)
        stopped_at: list[float] = []

        def stop_one_server() -> None:
            time.sleep(seconds / 2)
            stopped_at.append(time.time())
            web.console.print("[yellow]Stopping the second server (SIGTERM)")
            stop(servers[1])
            stopped_at.append(time.time())

        threading.Thread(target=stop_one_server, daemon=True).start()
        web.console.rule(f"[bold]{args.people} people for {args.minutes:g} minutes")
        locust_started = time.time()
        subprocess.run(
            [str(LOCUST), "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"), "--headless",
             "-u", str(args.people), "-r", "20", "-t", f"{seconds}s", "--host",
             f"http://127.0.0.1:{proxy_port}", "--csv", str(OUT / "locust"), "--only-summary",
             "--stop-timeout", "30"],
            cwd=ROOT, env=os.environ | {"LOADTEST_PLAN": str(plan_path),
                                        "LOADTEST_FAILURES": str(failures)},
            check=False, timeout=seconds + 300,
        )  # fmt: skip
        stats = read_stats(OUT / "locust")
        failed = (
            [json.loads(line) for line in failures.read_text().splitlines()]
            if failures.exists()
            else []
        )
        stop_began, stop_ended = [*stopped_at, 0.0, 0.0][:2]
        result = {
            "when": when.isoformat(),
            "args": vars(args),
            "timings": timings,
            "counts": meta["counts"],
            "stats": stats,
            "seconds": time.time() - locust_started,
            "failures_before_stop": sum(1 for f in failed if f["at"] < stop_began),
            "failures_during_stop": sum(
                1 for f in failed if stop_began <= f["at"] <= stop_ended + 1
            ),
            "failures_after_stop": sum(1 for f in failed if f["at"] > stop_ended + 1),
            "failure_samples": failed[:10],
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
        }
        (OUT / "result.json").write_text(json.dumps(result, indent=2))
        text = section(result)
        print(text)
        if not args.no_doc:
            write_doc(text)
    finally:
        if proxy is not None:
            stop(proxy)
        for process in servers:
            stop(process)
        drop()


def section(result: dict[str, Any]) -> str:
    stats, counts = result["stats"], result["counts"]
    lines = [
        START_MARK,
        f"Measured {result['when'][:10]} by `make loadtest` on {result['machine']} "
        "(load generator, nginx, both servers and PostgreSQL on the same machine).",
        "",
        f"- Data: {counts['posts']:,} posts, {counts['questions']:,} questions, "
        f"{counts['answers']:,} answers, {counts['people']:,} people, "
        f"{counts['activity_records']:,} activities in PostgreSQL (written in "
        f"{result['timings']['written']:.0f} s, loaded in {result['timings']['loaded']:.0f} s).",
        f"- Shape: two gunicorn servers ({result['args']['workers']} sync workers each) behind one "
        f"nginx port; {result['args']['people']} locust members, 2-6 s between actions, "
        f"{result['args']['minutes']:g} minutes; the second server stopped (SIGTERM) half-way.",
        "",
        "| Action | Requests | Failures | p50 ms | p95 ms | p99 ms | Requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in (*ACTIONS, "ask form", "Aggregated"):
        if name in stats:
            s = stats[name]
            lines.append(
                f"| {name} | {s['requests']:,.0f} | {s['failures']:,.0f} | {s['p50']:,.0f} | "
                f"{s['p95']:,.0f} | {s['p99']:,.0f} | {s['rps']:.1f} |"
            )
    lines += [
        "",
        f"Failed requests: {result['failures_before_stop']} before the stop, "
        f"{result['failures_during_stop']} while the second server stopped (in flight), "
        f"{result['failures_after_stop']} after it, with one server left.",
        END_MARK,
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    body = DOC.read_text(encoding="utf-8")
    if START_MARK in body and END_MARK in body:
        head, rest = body.split(START_MARK, 1)
        _, tail = rest.split(END_MARK, 1)
        body = head + text + tail
    else:
        body = body.rstrip() + "\n\n## The load test: 200 people on two servers\n\n" + text + "\n"
    DOC.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
