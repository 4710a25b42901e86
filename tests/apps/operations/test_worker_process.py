"""Real worker processes on a database they share: a worker killed mid-import loses nothing.

Each test runs `cultivate worker` as a separate process (as systemd would), on a database of
its own (an SQLite file, or a fresh PostgreSQL database beside the test one), and kills it with
SIGKILL in the middle of a real import: no signal handler, no cleanup, as when a machine dies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
EXPORT = "slack-api-julialang"


def _database(tmp_path_factory: pytest.TempPathFactory, name: str) -> dict[str, Any]:
    """Where a database of these tests lives, and the environment its processes run with."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        server = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"]}
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
        place: dict[str, Any] = {"url": url, "pg": server | {"dbname": name}}
    else:
        path = tmp_path_factory.getbasetemp() / f"{name}.sqlite3"
        place = {"url": f"sqlite:///{path}", "sqlite": path}
    place["env"] = {
        k: v for k, v in os.environ.items() if not k.startswith(("CULTIVATE_", "DJANGO_"))
    } | {
        "DATABASE_URL": place["url"],
        "DJANGO_SETTINGS_MODULE": "cultivate.config.settings.local",
        "CULTIVATE_TASKS_BACKEND": "database",
        "CULTIVATE_WORKER_BEAT_SECONDS": "0.5",
        "CULTIVATE_EMBEDDER": str(ROOT / "var" / "no-encoder-in-these-tests"),
        "CULTIVATE_DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    return place


def _admin(place: dict[str, Any], sql: str) -> None:
    import psycopg

    server = {k: place["pg"][k] for k in ("host", "port", "user")}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """Two migrated databases the test and its worker processes reach: one to kill workers on,
    one for the clean import it is compared with (an export is imported once per database)."""
    suffix = uuid.uuid4().hex[:10]
    shared = _database(tmp_path_factory, f"cultivate_workers_{suffix}")
    clean = _database(tmp_path_factory, f"cultivate_clean_{suffix}")
    demo = _database(tmp_path_factory, f"cultivate_demo_{suffix}")
    restored = _database(tmp_path_factory, f"cultivate_restored_{suffix}")
    replica = _database(tmp_path_factory, f"cultivate_replica_{suffix}")
    if "pg" in shared:
        _admin(shared, f'CREATE DATABASE "{shared["pg"]["dbname"]}"')
    _run(shared, [sys.executable, "manage.py", "migrate", "-v0"])
    if "pg" in shared:
        template = shared["pg"]["dbname"]
        for copy in (clean, demo, replica):
            _admin(shared, f'CREATE DATABASE "{copy["pg"]["dbname"]}" TEMPLATE "{template}"')
        _admin(restored, f'CREATE DATABASE "{restored["pg"]["dbname"]}"')
    else:
        for copy in (clean, demo, replica):
            shutil.copyfile(shared["sqlite"], copy["sqlite"])
    yield {"shared": shared, "clean": clean, "demo": demo, "restored": restored, "replica": replica}
    for place in (shared, clean, demo, restored, replica):
        if "pg" in place:
            _admin(place, f'DROP DATABASE IF EXISTS "{place["pg"]["dbname"]}" WITH (FORCE)')


def _run(place: dict[str, Any], command: list[str]) -> str:
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=place["env"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _query(place: dict[str, Any], sql: str, *args: Any) -> list[tuple[Any, ...]]:
    if "pg" in place:
        import psycopg

        with psycopg.connect(**place["pg"], autocommit=True) as conn:
            return list(conn.execute(sql.replace("?", "%s"), args).fetchall())
    with closing(sqlite3.connect(place["sqlite"], timeout=20)) as conn:
        return list(conn.execute(sql, args).fetchall())


def _execute(place: dict[str, Any], sql: str) -> None:
    if "pg" in place:
        import psycopg

        with psycopg.connect(**place["pg"], autocommit=True) as conn:
            conn.execute(sql)
        return
    with closing(sqlite3.connect(place["sqlite"], timeout=20)) as conn, conn:
        conn.execute(sql)


def _scenario(place: dict[str, Any], *arguments: str) -> str:
    return _run(place, [sys.executable, "-m", "tests.apps.operations.scenario", *arguments]).strip()


def _worker(place: dict[str, Any], *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cultivate.cli.main", "worker", *options],
        cwd=ROOT, env=place["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _kill_mid_import(place: dict[str, Any], job_id: int, worker: subprocess.Popen[str]) -> bool:
    """Freeze the worker once the import has written part of the history, then kill it.

    Say whether it was caught mid-import (not before it started, not after it ended).
    """
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and worker.poll() is None:
        status = _query(
            place, "SELECT status, progress FROM imports_importjob WHERE id = ?", job_id
        )
        if status and status[0][0] == "running" and status[0][1] >= 15:
            worker.send_signal(signal.SIGSTOP)  # freeze it exactly here
            still = _query(place, "SELECT status FROM imports_importjob WHERE id = ?", job_id)
            worker.kill()
            worker.wait()
            return still[0][0] == "running"
        if status and status[0][0] in ("done", "failed"):
            break
        time.sleep(0.005)
    worker.kill()
    worker.wait()
    return False


def test_a_worker_killed_mid_import_loses_nothing_and_doubles_nothing(databases, data_dir):
    place = databases["shared"]
    export = str(data_dir / EXPORT)
    for attempt in range(4):  # the import takes a second or two: catch it in the middle
        slug = f"killed-{attempt}"
        job_id = int(_scenario(place, "queue-import", slug, export))
        if _kill_mid_import(place, job_id, _worker(place)):
            break
    else:
        pytest.fail("never caught the worker in the middle of the import")
    [(_status, tries)] = _query(
        place,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
    )
    assert len(json.loads(tries) if isinstance(tries, str) else tries) == 1
    time.sleep(3.5)  # the dead worker's six missed beats: 3 s
    # A new worker finds the dead one's job, runs the import again to its end, and stops.
    _run(place, [sys.executable, "-m", "cultivate.cli.main", "worker", "--batch"])
    resumed = json.loads(_scenario(place, "counts", slug))
    [(job_status, counts)] = resumed.pop("jobs")
    assert job_status == "done"
    assert counts["already_imported"] > 0  # the batches the killed worker wrote were kept
    # The same export imported cleanly, with no worker killed: the very same contents.
    other = databases["clean"]
    _scenario(other, "queue-import", slug, export)
    _run(other, [sys.executable, "-m", "cultivate.cli.main", "worker", "--batch"])
    clean = json.loads(_scenario(other, "counts", slug))
    assert clean.pop("jobs")[0][0] == "done"
    assert resumed == clean
    assert resumed["activities"] > 6000
    unfinished = _query(
        place,
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'",
    )
    assert unfinished == [(0,)]


def test_two_workers_share_the_queue_and_each_job_runs_once(databases, tmp_path):
    place = databases["shared"]
    counters = [tmp_path / f"c{n}" for n in range(30)]
    enqueue = (
        "import django; django.setup()\n"
        "from tests.apps.operations.jobs_for_tests import count_a_run\n"
        f"for path in {[str(c) for c in counters]!r}:\n"
        "    count_a_run.enqueue(path, 0.1)\n"
    )
    _run(place, [sys.executable, "-c", enqueue])
    workers = [_worker(place, "--batch") for _ in range(2)]
    for worker in workers:
        worker.wait(timeout=120)
    assert all(c.read_text().splitlines() == ["run"] for c in counters)
    done_by = _query(
        place,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?",
        "%count_a_run",
    )
    assert len(done_by) == 30
    tries = [json.loads(ids) if isinstance(ids, str) else ids for (ids,) in done_by]
    assert all(len(ids) == 1 for ids in tries)  # each job once
    assert len({ids[0] for ids in tries}) == 2  # and both workers took their share


def test_a_backup_of_the_demo_restores_into_a_fresh_database_with_every_row(databases, tmp_path):
    demo, fresh = databases["demo"], databases["restored"]
    cultivate = [sys.executable, "-m", "cultivate.cli.main"]
    _run(demo, [*cultivate, "demo", "--people", "40", "--months", "6"])
    backup = tmp_path / "backups" / "demo.backup"
    said = _run(demo, [*cultivate, "backup", str(backup)])
    assert "Backed up" in said
    assert backup.is_file()
    assert (tmp_path / "backups" / "demo.backup.json").is_file()
    said = _run(fresh, [*cultivate, "restore", str(backup)])
    assert "every table's row count and the Activity checksum match" in said
    if "pg" in demo:
        tables_sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    else:
        tables_sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    tables = sorted(t for (t,) in _query(demo, tables_sql))
    assert sorted(t for (t,) in _query(fresh, tables_sql)) == tables
    for table in tables:
        count = f'SELECT COUNT(*) FROM "{table}"'
        assert _query(fresh, count) == _query(demo, count), table
    stream = "SELECT * FROM insights_activityrecord ORDER BY id"
    activities = _query(demo, stream)
    assert len(activities) > 500  # the demo's volume varies with its seed and the calendar
    assert _query(fresh, stream) == activities
    # A second restore onto the filled database is refused, naming the way to force it.
    again = subprocess.run(
        [*cultivate, "restore", str(backup)], cwd=ROOT, env=fresh["env"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.returncode == 1
    assert "--replace" in again.stderr


def test_the_health_engine_reads_the_replica_and_writes_its_snapshot_to_the_primary(
    databases, data_dir
):
    """Two databases: the replica holds an imported history, the primary the same rows but no
    activities (deleted after the copy was taken). Read through the replica, the community is
    alive; read from the primary alone, it is silent; the snapshot lands on the primary only."""
    primary, replica = databases["demo"], databases["replica"]
    cultivate = [sys.executable, "-m", "cultivate.cli.main"]
    _scenario(primary, "queue-import", "beer", str(data_dir / "se-beer-meta"))
    _run(primary, [*cultivate, "worker", "--batch"])
    # The replica: a copy of the primary as it stands (streaming replication, frozen here).
    if "pg" in primary:
        name, template = replica["pg"]["dbname"], primary["pg"]["dbname"]
        _admin(primary, f'DROP DATABASE "{name}"')
        _admin(primary, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        shutil.copyfile(primary["sqlite"], replica["sqlite"])
    whole = json.loads(_scenario(primary, "health", "beer"))
    _execute(primary, "DELETE FROM insights_activityrecord WHERE community_id IN "
           "(SELECT id FROM communities_community WHERE slug = 'beer')")  # fmt: skip
    alone = json.loads(_scenario(primary, "health", "beer"))
    assert alone["health"] < whole["health"]
    both = dict(primary, env=primary["env"] | {"DATABASE_REPLICA_URL": replica["url"]})
    through_replica = json.loads(_scenario(both, "health", "beer"))
    assert through_replica == whole
    beer = "(SELECT id FROM communities_community WHERE slug = 'beer')"
    on_replica = _query(
        replica, f"SELECT COUNT(*) FROM insights_healthsnapshot WHERE community_id = {beer}"
    )
    assert on_replica == [(0,)]  # the replica is never written to
    latest = f"SELECT health_score FROM insights_healthsnapshot WHERE community_id = {beer} "
    latest += "ORDER BY computed_at DESC LIMIT 1"
    assert _query(primary, latest) == [(whole["health"],)]  # written to the primary


def _get(port: int, path: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _app_server(place: dict[str, Any], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """One gunicorn sync worker, keeping its database connection between requests as deployed."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cultivate.config.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=ROOT, env=place["env"], stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail(f"gunicorn did not answer: {log.read_text()[-2000:]}")


def test_a_database_restart_mid_request_fails_that_request_cleanly_and_the_next_one_succeeds(
    databases, tmp_path
):
    """The server's connection is cut while its query runs (as a PostgreSQL restart does): that
    request answers a JSON 500 and the next one, on the same worker, reconnects and succeeds.
    Cut again between requests, the health check replaces the connection before it is used."""
    place = databases["clean"]
    if "pg" not in place:
        pytest.skip("SQLite has no server to restart")
    import psycopg

    server, port = _app_server(place, tmp_path / "gunicorn.log")
    try:
        assert _get(port, "/api/communities")[0] == 200  # its connection now stays open
        with psycopg.connect(**place["pg"]) as locker:
            locker.execute("LOCK TABLE communities_community IN ACCESS EXCLUSIVE MODE")
            answers: list[tuple[int, bytes]] = []
            request = threading.Thread(
                target=lambda: answers.append(_get(port, "/api/communities"))
            )
            request.start()
            waiting = f"SELECT pid FROM pg_stat_activity WHERE datname = '{place['pg']['dbname']}' "
            waiting += "AND wait_event_type = 'Lock'"
            deadline = time.monotonic() + 30
            while not (blocked := _query(place, waiting)) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert blocked, "the request never reached the database"
            _query(place, "SELECT pg_terminate_backend(?)", blocked[0][0])
            request.join(60)
            locker.rollback()
        [(status, body)] = answers
        assert status == 500
        assert json.loads(body)["code"] == "server_error"
        assert _get(port, "/api/communities")[0] == 200
        everyone = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
        everyone += f"'{place['pg']['dbname']}' AND pid <> pg_backend_pid()"
        _query(place, everyone)  # a restart between requests
        assert _get(port, "/api/communities")[0] == 200
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(30)


def test_a_job_stuck_in_a_live_worker_is_given_up_after_the_timeout_with_the_reason(
    databases, tmp_path
):
    place = databases["shared"]
    counter = tmp_path / "stuck"
    enqueue = (
        "import django; django.setup()\n"
        "from tests.apps.operations.jobs_for_tests import count_a_run\n"
        f"print(count_a_run.enqueue({str(counter)!r}, 3600).id)\n"
    )
    job_id = _run(place, [sys.executable, "-c", enqueue]).strip()
    stuck = dict(
        place,
        env=place["env"] | {"CULTIVATE_JOB_TIMEOUT_SECONDS": "2", "CULTIVATE_JOB_ATTEMPTS": "1"},
    )
    worker = _worker(stuck)
    try:
        status = worker.wait(timeout=60)
    finally:
        worker.kill()
    output = worker.stdout.read() if worker.stdout else ""
    assert status == 70, output
    assert "ran longer than" in output
    job = "SELECT status, exception_class_path, traceback FROM django_tasks_database_dbtaskresult "
    [(job_status, error, reason)] = _query(place, job + "WHERE id = ?", job_id.replace("-", ""))
    assert job_status == "FAILED"
    assert error.endswith("JobTimedOut")
    assert "ran longer than 0:00:02" in reason
    assert not counter.exists()  # it never finished
    beats = "SELECT COUNT(*) FROM operations_workerbeat WHERE pid = ?"
    assert _query(place, beats, worker.pid) == [(0,)]  # it said it was gone
