"""`make run`'s server serves, restarts when a source file changes, and stops whole."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import cultivate.apps.operations.probes as watched_module

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str, until: float) -> bool:
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def _said(log: Path, words: str, until: float) -> bool:
    while time.monotonic() < until:
        if words in log.read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


def _said_twice(log: Path, words: str, until: float) -> bool:
    while time.monotonic() < until:
        if log.read_text(errors="replace").count(words) >= 2:
            return True
        time.sleep(0.1)
    return False


def test_the_server_serves_restarts_on_a_changed_file_and_stops_with_its_child(
    tmp_path: Path,
) -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cultivate.config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CULTIVATE_DEBUG": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=REPO,
        env=environment,
        check=True,
        timeout=120,
    )
    port, log = _free_port(), tmp_path / "server.log"
    source = Path(str(watched_module.__file__))
    stamp = source.stat()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "cultivate.cli.devserver", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        assert _answers(url, time.monotonic() + 60), log.read_text()
        time.sleep(1.5)  # the reloader takes the files' times once a second
        os.utime(source)
        assert _said(log, "probes.py changed, reloading", time.monotonic() + 30), log.read_text()
        assert _said_twice(log, "Starting development server", time.monotonic() + 60)
        assert _answers(url, time.monotonic() + 60), log.read_text()  # the new child answers

        server.send_signal(signal.SIGTERM)

        assert server.wait(timeout=30) == 0
        assert not _answers(url, time.monotonic() + 2)
    finally:
        os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        with contextlib.suppress(ProcessLookupError):  # a child left behind goes too
            os.killpg(server.pid, signal.SIGKILL)
