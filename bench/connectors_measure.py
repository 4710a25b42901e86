"""The connectors benchmark's measurements, each run in a child process, and bigbang-py's.

bench/connectors.py runs each of measure_parse, measure_analyze and measure_import in a fresh
process of its own (`connectors.py --measure ...`), so the peak resident set is the measurement's
own; measure_bigbang runs bigbang-py on the same mbox in its own Python 3.12 virtual environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench"
BIGBANG_VENV = DATA / "bigbang-venv"
BIGBANG_PYTHON = "3.12.1"
BIGBANG_REQUIREMENTS = ("bigbang-py==0.6.1", "pandas<3")
BIGBANG_TIMEOUT = 600.0


# --- measuring, each in a child process ----------------------------------------------------------


def measure_parse(source: str, path: Path) -> dict[str, Any]:
    """Read the whole export with the connector, as an import's writing pass would."""
    from cultivate.core.connectors import READERS

    activities = 0
    verbs: dict[str, int] = {}
    for batch in READERS[source](path):
        activities += len(batch)
        for a in batch:
            verbs[a.verb.value] = verbs.get(a.verb.value, 0) + 1
    return {"activities": activities, "verbs": verbs}


def measure_chat(source: str, path: Path, rounds: int = 3) -> dict[str, Any]:
    """Read a real chat or forum dump `rounds` times in this process; the best round's rate.

    The real dumps are a few MB: timed inside the child, so the interpreter's start and the
    first import do not swamp them. Messages are the activities that carry text (what the
    classifier reads or the source typed); beside them, the same files through `json.loads`
    alone, the ceiling of any reader of them.
    """
    from cultivate.core.connectors import READERS

    best = float("inf")
    activities = messages = 0
    for _ in range(rounds):
        started = time.perf_counter()
        activities = messages = 0
        for batch in READERS[source](path):
            activities += len(batch)
            messages += sum(1 for a in batch if a.text)
        best = min(best, time.perf_counter() - started)
    files = sorted(p for p in path.rglob("*.json") if p.is_file())
    json_best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for file in files:
            json.loads(file.read_bytes())
        json_best = min(json_best, time.perf_counter() - started)
    return {
        "activities": activities,
        "messages": messages,
        "seconds": best,
        "json_seconds": json_best,
        "bytes": sum(f.stat().st_size for f in files),
    }


def measure_bare_expat(path: Path) -> dict[str, Any]:
    """Posts.xml through a bare expat loop (a row's attributes as a dict): the parser's ceiling."""
    from xml.parsers import expat

    posts = path / "Posts.xml"
    rows = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal rows
        if name == "row":
            rows += 1

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    started = time.perf_counter()
    with posts.open("rb") as handle:
        parser.ParseFile(handle)
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": posts.stat().st_size}


def measure_bare_mailbox(path: Path) -> dict[str, Any]:
    """The mbox through Python's own `mailbox`: every message's threading headers and text."""
    import mailbox

    started = time.perf_counter()
    messages = 0
    for message in mailbox.mbox(path, create=False):
        for header in ("From", "Date", "Message-ID", "In-Reply-To", "References", "Subject"):
            message.get(header)
        message.get_payload(decode=True)
        messages += 1
    return {"messages": messages, "seconds": time.perf_counter() - started}


def measure_analyze(path: Path) -> dict[str, Any]:
    """Run what `cultivate analyze PATH --json` runs: people, connector, frame, engine, report."""
    from cultivate.cli.analyze_path import diagnose_export
    from cultivate.core.reports.render import to_json

    diagnosis = diagnose_export(path, source="mbox")
    text = "".join(to_json(r) for r in diagnosis.reports)
    report = json.loads(to_json(diagnosis.reports[0]))
    return {
        "activities": diagnosis.activities,
        "communities": len(diagnosis.reports),
        "json_bytes": len(text),
        "level": report.get("level", {}).get("number") if isinstance(report, dict) else None,
    }


def measure_import(path: Path) -> dict[str, Any]:
    """Migrate a fresh database, then import the dump as a coordinator would; count every row."""
    import django
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from cultivate.apps.accounts.models import User
    from cultivate.apps.communities.services import community_create
    from cultivate.apps.imports.services import history_import

    def rows() -> dict[str, int]:
        tables = set(connection.introspection.table_names())
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
        }

    user = User(username="bench-coordinator", email="bench@example.org", display_name="Bench")
    user.set_unusable_password()
    user.save()
    community = community_create(by=user, name="Bench import", practice="benchmarks")
    before = rows()
    started = time.perf_counter()
    result = history_import(path=path, community=community, by=user)
    seconds = time.perf_counter() - started
    after = rows()
    written = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    return {
        "seconds": seconds,
        "activities": result.activities,
        "created": dict(result.created),
        "rows": sum(written.values()),
        "rows_by_table": written,
    }


def run_child(
    command: list[str], *, env: dict[str, str] | None = None, timeout: float | None = None
) -> dict[str, Any]:
    """Run a child to its end (or stop it after `timeout` s); return its last JSON line + rusage."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, env=env, text=True)
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer is not None:
        timer.start()
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stopped = timer is not None and not timer.is_alive() and timer.finished.is_set()
    if timer is not None:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.strip().splitlines() if line.startswith("{")]
    if proc.returncode != 0 and not (stopped and lines):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{output[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["wall"] = wall
    result["stopped_after"] = wall if stopped else None
    result["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


# --- bigbang-py, in its own virtual environment --------------------------------------------------

BIGBANG_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
started = time.perf_counter()
def stage(**figures):
    print(json.dumps(figures), flush=True)
from bigbang.archive import Archive
imported = time.perf_counter() - started
# Archive(name, archive_dir, mbox=True): mailbox.mbox -> messages_to_dataframe -> dates, sort.
archive = Archive(sys.argv[1], archive_dir=sys.argv[2], mbox=True)
loaded = time.perf_counter() - started
activity = archive.get_activity()  # messages per sender per day
per_sender = activity.sum(axis=0)
replies = int((archive.data["In-Reply-To"] != "None").sum())
done = time.perf_counter() - started
figures = dict(
    messages=int(len(archive.data)), senders=int(len(per_sender)), replies=replies,
    import_s=imported, load_s=loaded - imported, activity_s=done - loaded, until_activity_s=done,
)
stage(**figures)
threads = archive.get_threads()  # reply threads by In-Reply-To
figures.update(threads=len(threads), threads_s=time.perf_counter() - started - done)
stage(**figures)
"""


def ensure_bigbang() -> Path:
    """Create var/bench/bigbang-venv with bigbang-py when it is missing; return its python."""
    python = BIGBANG_VENV / "bin" / "python"
    stamp = BIGBANG_VENV / ".installed"
    wanted = " ".join(BIGBANG_REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    shutil.rmtree(BIGBANG_VENV, ignore_errors=True)
    base = shutil.which("python3.12")
    env = dict(os.environ, PYENV_VERSION=BIGBANG_PYTHON)
    if base is None:
        raise SystemExit("bigbang-py needs Python 3.12 (pyenv install 3.12.1)")
    print(f"installing {wanted} into {BIGBANG_VENV.relative_to(ROOT)}")
    subprocess.run([base, "-m", "venv", str(BIGBANG_VENV)], check=True, env=env)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *BIGBANG_REQUIREMENTS], check=True)
    stamp.write_text(wanted)
    return python


def measure_bigbang(mbox: Path) -> dict[str, Any]:
    python = ensure_bigbang()
    script = DATA / "bigbang_load.py"
    script.write_text(BIGBANG_SCRIPT)
    return run_child(
        [str(python), str(script), mbox.name, str(mbox.parent)], timeout=BIGBANG_TIMEOUT
    )
