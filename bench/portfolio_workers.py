"""`make bench-portfolio`: the portfolio's snapshots with one worker, then two (issue 15, point 7).

Writes a fresh PostgreSQL database with many communities and their activities, then, for 1 and
2 `cultivate worker` processes, queues every community's snapshot in batches
(`insights.tasks.health_snapshots_fan_out`) and times until all are gathered; the sequential
in-process loop is the baseline. Figures go to docs/benchmarks.md between the portfolio
markers. Never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web
from run import postgres_url

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- portfolio-workers:start -->"
END_MARK = "<!-- portfolio-workers:end -->"

WRITE = """
import random, sys
from datetime import UTC, datetime, timedelta
import django; django.setup()
from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import Community
communities, per = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
people = User.objects.bulk_create(
    [User(username=f"p{i}", email=f"p{i}@example.org", display_name=f"P {i}") for i in range(600)]
)
made = Community.objects.bulk_create(
    [Community(name=f"Practice {i}", slug=f"practice-{i}", practice="Ops")
     for i in range(communities)]
)
verbs = (["ask"] * 12 + ["answer"] * 16 + ["reply"] * 20 + ["share"] * 13 + ["react"] * 14
         + ["join"] * 5 + ["accept"] * 4 + ["edit"] * 5)
end = datetime(2026, 11, 30, tzinfo=UTC)
for community in made:
    members = rng.sample(people, 80)
    rows = []
    for n in range(per):
        verb = rng.choice(verbs)
        rows.append(ActivityRecord(
            community=community, actor=rng.choice(members), verb=verb, object_type="question",
            object_pk=n // 3 + 1, at=end - timedelta(seconds=rng.randint(0, 540 * 86400)),
            target_actor=rng.choice(members) if verb in ("answer", "reply", "react") else None,
        ))
    ActivityRecord.objects.bulk_create(rows, batch_size=5000)
print(ActivityRecord.objects.count())
"""

FAN_OUT = """
import json, time
import django; django.setup()
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.tasks import health_snapshots_fan_out, health_snapshots_gather
HealthSnapshot.objects.all().delete()
started = time.perf_counter()
gathered = health_snapshots_gather(health_snapshots_fan_out(), poll=0.2)
print(json.dumps({"seconds": time.perf_counter() - started, "communities": gathered.communities,
                  "failed": gathered.failed_batches, "waiting": gathered.waiting_batches}))
"""

SEQUENTIAL = """
import json, time
import django; django.setup()
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import health_snapshots_compute_all
HealthSnapshot.objects.all().delete()
started = time.perf_counter()
done = health_snapshots_compute_all()
print(json.dumps({"seconds": time.perf_counter() - started, "communities": len(done)}))
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/cultivate_portfolio"
    )
    parser.add_argument("--communities", type=int, default=120)
    parser.add_argument("--activities", type=int, default=2000, help="per community")
    parser.add_argument("--no-doc", action="store_true")
    return parser.parse_args()


def python(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def with_workers(env: dict[str, str], count: int) -> dict[str, float]:
    command = [sys.executable, "-m", "cultivate.cli.main", "worker"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    workers = [subprocess.Popen(command, cwd=ROOT, env=env, **quiet) for _ in range(count)]
    try:
        time.sleep(4)  # each worker is up and polling
        return dict(json.loads(python(env, FAN_OUT)))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def main() -> None:
    args = parse()
    url, drop = postgres_url(args.postgres_url)
    env = web.django_env(url) | {"CULTIVATE_TASKS_BACKEND": "database", "CULTIVATE_DEBUG": "0"}
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        started = time.perf_counter()
        rows = int(python(env, WRITE, str(args.communities), str(args.activities)))
        written = time.perf_counter() - started
        results = {"sequential": json.loads(python(env, SEQUENTIAL))}
        for count in (1, 2):
            results[f"{count} worker{'s' if count > 1 else ''}"] = with_workers(env, count)
    finally:
        drop()
    when = datetime.now(UTC)
    lines = [
        START_MARK,
        f"Measured {when:%Y-%m-%d} by `make bench-portfolio` on {platform.machine()}, "
        f"{os.cpu_count()} cores, PostgreSQL on the same machine: {args.communities} communities, "
        f"{rows:,} activities (written in {written:.0f} s); one job per 20 communities.",
        "",
        "| Snapshots of every community | Seconds | Communities |",
        "|---|---:|---:|",
    ]
    for name, figures in results.items():
        lines.append(f"| {name} | {figures['seconds']:.1f} | {figures['communities']} |")
    lines.append(END_MARK)
    text = "\n".join(lines)
    print(text)
    if not args.no_doc:
        body = DOC.read_text(encoding="utf-8")
        if START_MARK in body:
            head, rest = body.split(START_MARK, 1)
            body = head + text + rest.split(END_MARK, 1)[1]
        else:
            body = body.rstrip() + "\n\n## The portfolio on one worker and on two\n\n" + text + "\n"
        DOC.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
