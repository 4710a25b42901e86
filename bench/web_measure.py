"""Measure a served database: latency one request at a time, throughput with wrk or Python.

Plain HTTP against 127.0.0.1, no Django. It first waits for the machine to be quiet, since the
benchmark shares its cores with whatever else runs there.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web_server import get

# --- the machine -------------------------------------------------------------------------------


def _cpu_jiffies() -> tuple[int, int]:
    """Return (busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already inside user
    return total - idle, total


def busy_share(seconds: float = 2.0) -> float:
    """Return the share of all CPUs that was busy over the next `seconds`."""
    busy0, total0 = _cpu_jiffies()
    time.sleep(seconds)
    busy1, total1 = _cpu_jiffies()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_quiet(limit: float = 0.25, patience: float = 60.0) -> float:
    """Wait (a bounded while) until other work leaves the CPUs mostly idle; return the last share.

    The benchmark shares its cores with whatever else runs on the machine; measuring while it
    is quiet makes runs comparable.
    """
    deadline = time.monotonic() + patience
    share = busy_share()
    while share > limit and time.monotonic() < deadline:
        share = busy_share()
    return share


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Latency:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    mean_bytes: int
    with_hits: int | None = None  # searches that found something


@dataclass
class Throughput:
    tool: str
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float | None = None  # wrk's median latency under load


_RESULT_COUNT = re.compile(rb'data-testid="result-count">\s*(\d+|No) result', re.IGNORECASE)


def measure_latency(
    port: int, paths: Sequence[str], cookie: str, warmup: int, is_search: bool = False
) -> Latency:
    """Time each request from connect to the last byte, one after another."""
    for path in paths[:warmup]:
        get(port, path, cookie)
    timings: list[float] = []
    errors = 0
    sizes = 0
    hits = 0
    parsed = 0
    for path in paths[warmup:]:
        start = time.perf_counter()
        status, body = get(port, path, cookie)
        timings.append((time.perf_counter() - start) * 1000)
        sizes += len(body)
        if status != 200:
            errors += 1
        if is_search and (m := _RESULT_COUNT.search(body)):
            parsed += 1
            hits += m.group(1) != b"No"
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    return Latency(
        requests=len(timings),
        errors=errors,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(cuts[18], 1),
        mean_bytes=sizes // len(timings),
        with_hits=hits if is_search and parsed else None,
    )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_version() -> str:
    if not wrk_available():
        return ""
    run = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (run.stdout or run.stderr).splitlines()[0]
    return first.split(" Copyright")[0].split(" [")[0].strip()


def _lua_script(paths: Sequence[str], path: Path) -> Path:
    items = ",\n".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings here
    path.write_text(
        f"local paths = {{\n{items}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\n"
        "end\n"
    )
    return path


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def measure_wrk(
    port: int, paths: Sequence[str], cookie: str, clients: int, seconds: int, script: Path
) -> Throughput:
    """Run wrk (2 threads, `clients` connections) round-robin over the paths."""
    _lua_script(paths, script)
    run = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    out = run.stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if done is None or rps is None:
        raise RuntimeError(f"Could not read wrk's output:\n{out}\n{run.stderr}")
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(socket_errors.group(g)) for g in (1, 2, 3, 4))
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return Throughput(
        tool="wrk",
        seconds=_ms(done.group(2), done.group(3)) / 1000,
        requests=int(done.group(1)),
        errors=errors,
        rps=round(float(rps.group(1)), 1),
        p50_ms=round(_ms(median.group(1), median.group(2)), 1) if median else None,
    )


def _client_process(
    port: int,
    paths: Sequence[str],
    cookie: str,
    threads: int,
    seconds: float,
    offset: int,
    queue: Any,
) -> None:
    lock = threading.Lock()
    totals = {"ok": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        i = offset + n * 97
        ok = errors = 0
        while time.monotonic() < deadline:
            i += 1
            try:
                status, _ = get(port, paths[i % len(paths)], cookie)
                ok += status == 200
                errors += status != 200
            except OSError:
                errors += 1
        with lock:
            totals["ok"] += ok
            totals["errors"] += errors

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put(totals)


def measure_python(
    port: int, paths: Sequence[str], cookie: str, clients: int, seconds: int
) -> Throughput:
    """Without wrk: `clients` threads spread over four processes, each looping until the end."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    processes = 4
    per = [clients // processes + (i < clients % processes) for i in range(processes)]
    started = time.monotonic()
    workers = [
        ctx.Process(target=_client_process, args=(port, paths, cookie, n, seconds, i * 1000, queue))
        for i, n in enumerate(per)
        if n
    ]
    for w in workers:
        w.start()
    totals = [queue.get(timeout=seconds + 120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    elapsed = time.monotonic() - started
    ok = sum(t["ok"] for t in totals)
    errors = sum(t["errors"] for t in totals)
    return Throughput(
        tool="python",
        seconds=round(elapsed, 1),
        requests=ok + errors,
        errors=errors,
        rps=round(ok / elapsed, 1),
    )


def throughput(
    port: int,
    paths: Sequence[str],
    cookie: str,
    clients: int,
    seconds: int,
    script: Path,
    *,
    use_wrk: bool,
) -> Throughput:
    if use_wrk:
        return measure_wrk(port, paths, cookie, clients, seconds, script)
    return measure_python(port, paths, cookie, clients, seconds)
