"""First hour and one Health page: the demo load, a restart, a Health report from the database.

`python bench/run.py first-hour` (`make bench` runs it after the connectors benchmark) measures,
each in a fresh process against issue 11's targets:

- `cultivate demo --migrate` into a fresh SQLite file (at most 20 s), and the generation time
  the command reports;
- what `make run` does on an already-loaded database: the same command again, then the server
  until `/healthz` answers (at most 5 s);
- one community of 100,000 activities (the analytics benchmark's generator, two years, about
  630 people) written into a fresh SQLite file, then `health_snapshot_compute`, the whole Health
  report read from the database, first and second run (under 200 ms).

It rewrites only the part of docs/benchmarks.md between the first-hour markers. Never part of
the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cultivate.tools.docsection import replace_section

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench" / "first-hour"
DOC = ROOT / "docs" / "benchmarks.md"
COMMAND = ".venv/bin/python bench/run.py first-hour"
START_MARK = "<!-- first-hour:start -->"
END_MARK = "<!-- first-hour:end -->"
HEADING = "## First hour and one Health page"
CULTIVATE = [sys.executable, "-m", "cultivate.cli.main"]
HEALTH_ACTIVITIES = 100_000
BATCH = 5_000


def _env(database: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cultivate.config.settings.local",
        DATABASE_URL=f"sqlite:///{database}",
        CULTIVATE_DEBUG="0",
    )


def _fresh(name: str) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    database = DATA / name
    for leftover in DATA.glob(f"{name}*"):
        leftover.unlink()
    return database


def _reference_loop_us() -> float:
    """How fast this machine is today: `sum(range(10_000))`, best of 50, as the other sections."""
    best = float("inf")
    for _ in range(50):
        started = time.perf_counter()
        sum(range(10_000))
        best = min(best, time.perf_counter() - started)
    return best * 1e6


# --- the demo and a restart ----------------------------------------------------------------------


def measure_demo() -> dict[str, Any]:
    """Load the demo into a fresh file, as `make run`'s first step does on a fresh clone."""
    database = _fresh("demo.sqlite3")
    started = time.perf_counter()
    done = subprocess.run(
        [*CULTIVATE, "demo", "--migrate"],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    reported = re.search(r"generated in ([\d.]+) s", done.stdout)
    return {
        "wall_s": wall,
        "generated_s": float(reported.group(1)) if reported else None,
        "database": str(database),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure_restart(database: Path) -> dict[str, Any]:
    """`make run` on a loaded database: `demo --migrate` (a no-op), then the worker with its
    scheduler and the development server (with its reloader) until /healthz answers."""
    env = _env(database)
    started = time.perf_counter()
    subprocess.run(
        [*CULTIVATE, "demo", "--migrate"], cwd=ROOT, env=env, capture_output=True, check=True
    )
    demo_s = time.perf_counter() - started
    port = _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    worker = subprocess.Popen([*CULTIVATE, "worker", "--scheduler"], cwd=ROOT, env=env, **quiet)
    server = subprocess.Popen(
        [sys.executable, "-m", "cultivate.cli.devserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        **quiet,
    )
    try:
        while time.perf_counter() - started < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit("the server did not answer /healthz within 120 s")
        return {"demo_s": demo_s, "serving_s": time.perf_counter() - started}
    finally:
        for process in (server, worker):  # the reloader's child is in the same group
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


# --- one community's Health from the database ----------------------------------------------------


def write_community(database: Path, activities: int, seed: int) -> dict[str, Any]:
    """Migrate a fresh file and write one community's generated history into it (child)."""
    os.environ.update(_env(database))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from analytics import generate
    from cultivate.apps.accounts.models import User
    from cultivate.apps.activity.models import ActivityRecord
    from cultivate.apps.communities.services import community_create

    frame = generate(activities, 1, seed)
    people = sorted(set(frame["actor"].to_list()) | set(frame["target_actor"].drop_nulls()))
    coordinator = User(
        username="bench-coordinator", email="coordinator@bench.invalid", display_name="Bench"
    )
    coordinator.set_unusable_password()
    coordinator.save()
    community = community_create(by=coordinator, name="Bench Health", practice="benchmarks")
    users = [
        User(
            username=f"bench-{name}", email=f"{name}@bench.invalid", display_name=name, password="!"
        )
        for name in people
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    pk = dict(User.objects.filter(username__startswith="bench-c").values_list("username", "pk"))
    pk_of = {name: pk[f"bench-{name}"] for name in people}

    def key(object_id: str | None) -> tuple[str, int | None]:
        """The generator's ids ("o12", "c0-t3", "c0-d5") as the platform's type and number."""
        if object_id is None:
            return "", None
        if object_id.startswith("o"):
            return "post", int(object_id[1:])
        kind = object_id.rsplit("-", 1)[1]
        return ("topic" if kind[0] == "t" else "document"), int(kind[1:])

    records = []
    for row in frame.iter_rows(named=True):
        object_type, object_pk = key(row["object_id"])
        parent_type, parent_pk = key(row["parent_id"])
        records.append(
            ActivityRecord(
                source="bench",
                community=community,
                actor_id=pk_of[row["actor"]],
                verb=row["verb"],
                object_type=object_type,
                object_pk=object_pk,
                parent_type=parent_type,
                parent_pk=parent_pk,
                target_actor_id=pk_of.get(row["target_actor"]) if row["target_actor"] else None,
                at=row["at"],
                meta=json.loads(row["meta"]) if row["meta"] else {},
            )
        )
    ActivityRecord.objects.bulk_create(records, batch_size=BATCH)
    return {"activities": len(records), "people": len(people), "slug": community.slug}


def measure_health(database: Path, slug: str) -> dict[str, Any]:
    """Time `health_snapshot_compute` twice on the written community (child)."""
    os.environ.update(_env(database))
    import django

    django.setup()
    from cultivate.apps.communities.models import Community
    from cultivate.apps.insights.mappers import community_activity_frame
    from cultivate.apps.insights.services import health_snapshot_compute

    community = Community.objects.get(slug=slug)
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        snapshot = health_snapshot_compute(community=community)
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    community_activity_frame(community)
    frame_s = time.perf_counter() - started
    return {"runs_s": runs, "frame_s": frame_s, "level": snapshot.level}


# --- the run -------------------------------------------------------------------------------------


def _child(task: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", task, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{task} failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _met(value: float, target: float) -> str:
    return "✓" if value <= target else "✗"


def section(results: dict[str, Any], when: datetime) -> str:
    demo, restart, health = results["demo"], results["restart"], results["health"]
    first, second = health["runs_s"]
    generated = demo["generated_s"]
    lines = [
        START_MARK,
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `{COMMAND}` (`make bench` runs it after the "
        f"connectors benchmark); a reference `sum(range(10_000))` took "
        f"{results['reference_loop_us']:.0f} µs on this machine in the same run.",
        "",
        "| what | seconds | target | met |",
        "|---|---:|---:|:---:|",
        f"| `cultivate demo --migrate` into a fresh SQLite file, wall (generation "
        f"{'n/a' if generated is None else f'{generated:.1f} s'}) | {demo['wall_s']:.1f} | "
        f"<= 20 | {_met(demo['wall_s'], 20)} |",
        f"| `make run` on the loaded file: `demo --migrate` ({restart['demo_s']:.1f} s), then "
        f"the worker and the server (with its reloader) until `/healthz` answers | "
        f"{restart['serving_s']:.1f} | <= 5 | "
        f"{_met(restart['serving_s'], 5)} |",
        f"| One community's Health from the database, {health['activities']:,} activities and "
        f"{health['people']:,} people (`health_snapshot_compute`), first run | {first:.2f} | "
        f"< 0.2 | {_met(first, 0.2)} |",
        f"| the same, second run (reading the activities alone: {health['frame_s']:.2f} s) | "
        f"{second:.2f} | < 0.2 | {_met(second, 0.2)} |",
        "",
        "Each in a process of its own on SQLite; the demo's embeddings and routing run "
        "afterwards on the worker and are not in its time.",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def write_doc(text: str) -> None:
    """Replace only this benchmark's part of docs/benchmarks.md (or append it, headed)."""
    if START_MARK in DOC.read_text(encoding="utf-8"):
        replace_section(DOC, START_MARK, END_MARK, text)
    else:
        replace_section(DOC, START_MARK, END_MARK, f"{HEADING}\n\n{text}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=HEALTH_ACTIVITIES)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.measure:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        tasks = {
            "demo": lambda: measure_demo(),
            "restart": lambda: measure_restart(Path(args.rest[0])),
            "write": lambda: write_community(Path(args.rest[0]), int(args.rest[1]), args.seed),
            "health": lambda: measure_health(Path(args.rest[0]), args.rest[1]),
        }
        print(json.dumps(tasks[args.measure]()))
        return
    results: dict[str, Any] = {"reference_loop_us": _reference_loop_us()}
    results["demo"] = _child("demo")
    print(f"demo: {results['demo']['wall_s']:.1f} s")
    results["restart"] = _child("restart", results["demo"]["database"])
    print(f"make run on a loaded database: {results['restart']['serving_s']:.1f} s")
    database = _fresh("health.sqlite3")
    written = _child("write", str(database), str(args.activities))
    results["health"] = written | _child("health", str(database), written["slug"])
    print(f"Health from the database: {results['health']['runs_s']}")
    text = section(results, datetime.now(UTC))
    if args.no_doc:
        print(text)
    else:
        write_doc(text)
        print(f"wrote the first-hour section of {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
