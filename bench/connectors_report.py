"""Write the connectors benchmark's figures into docs/benchmarks.md, between its markers.

Kept apart from the run (bench/connectors.py) because the section's prose and tables are long;
it rewrites only the part of the doc between the connectors markers.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from connectors_measure import BIGBANG_PYTHON, BIGBANG_REQUIREMENTS, ROOT

DOC = ROOT / "docs" / "benchmarks.md"
COMMAND = ".venv/bin/python bench/run.py connectors"
START_MARK = "<!-- connectors:start -->"
END_MARK = "<!-- connectors:end -->"


# --- the doc -------------------------------------------------------------------------------------


def _machine(results: dict[str, Any]) -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    bigbang = results.get("mbox", {}).get("bigbang")
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.1f} GiB memory, {platform.platform()}. "
        f"Python {platform.python_version()}, Django {version('django')}"
        + (f"; bigbang-py 0.6.1 on Python {BIGBANG_PYTHON}" if bigbang else "")
        + "."
    )


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def section(results: dict[str, Any], when: datetime) -> str:
    lines = [
        "## Connectors",
        "",
        START_MARK,
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `{COMMAND}` (what `make bench-connectors` "
        "runs; `make bench` runs it after the analytics benchmark).",
        "",
        f"Machine: {_machine(results)} The machine was shared with other work during this run "
        "(the CPU share others used just before each measurement is under each table), so "
        "the rates are lower bounds.",
        "",
        "| what | file MB | activities | wall s | MB/s | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    se = results.get("stackexchange")
    if se:
        d, p = se["data"], se["parse"]
        lines.append(
            f"| Stack Exchange dump, Posts.xml {_mb(d['posts_bytes'])} MB "
            f"(+ Users, Comments, Votes) | {_mb(d['bytes'])} | {p['activities']:,} | "
            f"{p['wall']:.1f} | {d['bytes'] / 2**20 / p['wall']:.1f} | {p['peak_mb']:,.0f} |"
        )
    mb = results.get("mbox")
    if mb:
        d, p = mb["data"], mb["parse"]
        lines.append(
            f"| mbox, {d['messages']:,} messages | {_mb(d['bytes'])} | {p['activities']:,} | "
            f"{p['wall']:.1f} | {d['bytes'] / 2**20 / p['wall']:.1f} | {p['peak_mb']:,.0f} |"
        )
    lines += [
        "",
        "- **wall s** is the whole child process (interpreter start included) reading the "
        "export with its connector (`cultivate.core.connectors.READERS[source](path)`) to the "
        "last batch of Activities; **MB/s** is the size of all the export's files over that "
        "time; **peak MB** is the child's peak resident set (`os.wait4` rusage `ru_maxrss`).",
    ]
    if se:
        d = se["data"]
        lines.append(
            f"- The Stack Exchange dump: {d['questions']:,} questions, {d['answers']:,} answers, "
            f"{d['comments']:,} comments, {d['votes']:,} votes, {d['users']:,} users, in the "
            "attribute shape of a real dump (se-ai's): HTML bodies drawn from a pool of "
            "paragraphs, code blocks, lists and links, log-normal lengths, a long tail of "
            "prolific owners, 2% deleted owners, 5% closed questions, accepted answers and "
            "their accept votes. The reader reads every file once (Votes, then Posts, "
            "Comments and Users). Other work used "
            f"{se['parse']['busy_before']:.0%} of the CPUs just before."
        )
    if mb:
        d = mb["data"]
        lines.append(
            f"- The mbox: {d['threads']:,} threads and {d['replies']:,} replies (In-Reply-To "
            "and References up to ten ids) from 3,000 senders with a long tail, quoted text "
            "and list footers, plain-text UTF-8. The reader reads it twice (headers to thread "
            "it, then bodies) and classifies every message, on every core once the archive "
            "passes 1,000 messages. Other work used "
            f"{mb['busy_before']:.0%} of the CPUs just before."
        )
        lines += ["", "### Mailing-list analysis: Cultivate and bigbang-py on the same mbox", ""]
        a = mb["analyze"]
        bb = mb.get("bigbang")
        lines += [
            "| tool | what | wall s | peak MB |",
            "|---|---|---:|---:|",
            f"| Cultivate | `cultivate analyze` pipeline: read people and activities, build "
            f"the frame, diagnose, render the JSON report ({a['activities']:,} activities) | "
            f"{a['wall']:.1f} | {a['peak_mb']:,.0f} |",
        ]
        if bb:
            threads = (
                f"took {bb['threads_s']:.1f} s more ({bb['threads']:,} threads)"
                if "threads" in bb
                else f"had not finished when the benchmark stopped bigbang after "
                f"{bb['stopped_after']:.0f} s in all, so with threads bigbang takes more than "
                f"**{bb['stopped_after'] / a['wall']:.1f}x** Cultivate's time"
            )
            lines.append(
                f"| bigbang-py 0.6.1 | `Archive(name, archive_dir, mbox=True)` (its mbox loader "
                "into a pandas frame) and `get_activity()` (messages per sender per day) for "
                f"{bb['messages']:,} messages and {bb['senders']:,} senders | "
                f"{bb['until_activity_s']:.1f} | {bb['peak_mb']:,.0f} |"
            )
            lines += [
                "",
                f"bigbang-py / Cultivate wall time: **{bb['until_activity_s'] / a['wall']:.1f}x**"
                f" (bigbang: importing its modules {bb['import_s']:.1f} s, loading the mbox "
                f"{bb['load_s']:.1f} s, activity {bb['activity_s']:.1f} s; without the module "
                f"import, **{(bb['load_s'] + bb['activity_s']) / a['wall']:.1f}x**). Its "
                f"reply threads (`get_threads()`) {threads}; its thread builder looks "
                "every parent up in a list of all the messages seen so far, so it grows with "
                "the square of the archive. Each tool runs in its own process, Cultivate's "
                "time from interpreter start; bigbang in its own Python "
                f"{BIGBANG_PYTHON} virtual environment (`var/bench/bigbang-venv`, created by "
                "the benchmark when missing, with `pip install "
                + " ".join(f"'{r}'" for r in BIGBANG_REQUIREMENTS)
                + "`). The work is not identical: Cultivate also classifies every message, "
                "threads by References and subject as well as In-Reply-To, and computes the "
                "whole maturity report; bigbang keeps every message and its body in a pandas "
                "frame and counts messages per sender and day. Peak MB of bigbang covers its "
                "whole process, threads included.",
            ]
        else:
            lines += ["", f"bigbang-py did not run: {mb.get('bigbang_error', 'unknown error')}"]
    lines += _targets(results)
    imp = results.get("import")
    if imp:
        r, d = imp["result"], imp["data"]
        by_table = ", ".join(
            f"{k.split('.')[-1]} {v:,}"
            for k, v in sorted(r["rows_by_table"].items(), key=lambda kv: -kv[1])
        )
        lines += [
            "",
            "### Import into PostgreSQL",
            "",
            "| Posts.xml MB | activities | rows written | seconds | rows/s | activities/s |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {_mb(d['posts_bytes'])} | {r['activities']:,} | {r['rows']:,} | "
            f"{r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | "
            f"{r['activities'] / r['seconds']:,.0f} |",
            "",
            "`cultivate.apps.imports.services.history_import` of a synthetic site (same "
            "generator, another seed) into a freshly created and migrated PostgreSQL database "
            "(`bench_import`), as a coordinator's import runs: a checking pass over the whole "
            "export, then batches of 5,000 activities, each in one transaction, search "
            "documents written in bulk. Rows written are counted in every table before and "
            f"after: {by_table}. Other work used {r['busy_before']:.0%} of the CPUs just before.",
        ]
    lines += [END_MARK, ""]
    return "\n".join(lines)


def _met(value: float, target: float) -> str:
    return "✓" if value >= target else "✗"


def _targets(results: dict[str, Any]) -> list[str]:
    """Each rate of issue 11 beside its target and a bare reference measured in the same run."""
    rows: list[str] = []
    se = results.get("stackexchange")
    if se and "bare_expat" in se:
        rate = se["data"]["bytes"] / 2**20 / se["parse"]["wall"]
        bare = se["bare_expat"]
        rows.append(
            f"| Stack Exchange dump, read to Activities | {rate:.1f} MB/s | >= 50 MB/s | "
            f"{_met(rate, 50)} | a bare expat loop over its Posts.xml (rows to attribute "
            f"dicts, nothing else): {bare['bytes'] / 2**20 / bare['seconds']:.1f} MB/s |"
        )
    mb = results.get("mbox")
    if mb and "bare_mailbox" in mb:
        messages = mb["data"]["messages"]
        rate = messages / mb["parse"]["wall"]
        bare = mb["bare_mailbox"]
        rows.append(
            f"| mbox, read to Activities (classified) | {rate:,.0f} messages/s | >= 13,000 | "
            f"{_met(rate, 13_000)} | Python's `mailbox` reading each message's threading "
            f"headers and text: {bare['messages'] / bare['seconds']:,.0f} messages/s |"
        )
    for chat in results.get("chat", []):
        rate = chat["messages"] / chat["seconds"]
        rows.append(
            f"| {chat['name']} (real {chat['source'].capitalize()} dump, "
            f"{chat['messages']:,} messages) | {rate:,.0f} messages/s | >= 20,000 | "
            f"{_met(rate, 20_000)} | its {chat['bytes'] / 2**20:.1f} MB of JSON through "
            f"`json.loads` alone: {chat['bytes'] / 2**20 / chat['json_seconds']:.0f} MB/s, "
            f"{chat['messages'] / chat['json_seconds']:,.0f} messages/s |"
        )
    imp = results.get("import")
    if imp:
        r = imp["result"]
        rate = r["rows"] / r["seconds"]
        rows.append(
            f"| Import into PostgreSQL | {rate:,.0f} rows/s | >= 50,000 | {_met(rate, 50_000)} | |"
        )
    if not rows:
        return []
    return [
        "",
        "### Against issue 11's targets",
        "",
        "| what | rate | target | met | reference, same run |",
        "|---|---:|---:|:---:|---|",
        *rows,
        "",
        "The real chat and forum dumps are read three times in one process and the best round "
        "counts (they are a few MB: the interpreter's start would swamp them); messages are the "
        "activities that carry text. The Stack Exchange and mbox rates are the whole child "
        "process's (interpreter start and imports included; for Stack Exchange every file of "
        "the dump over that time), while their references are timed inside their process over "
        "Posts.xml or the mbox alone: the references flatter themselves a little.",
    ]


def write_doc(text: str) -> None:
    """Replace only the connectors part of docs/benchmarks.md (between its markers)."""
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nFigures from `make bench`.\n"
    if START_MARK in existing and END_MARK in existing:
        head, rest = existing.split(START_MARK, 1)
        _, tail = rest.split(END_MARK, 1)
        head = head.rstrip()
        if head.endswith("## Connectors"):
            head = head[: -len("## Connectors")].rstrip()
        body = head + "\n\n" + text.rstrip() + "\n"
        if tail.strip():
            body += "\n" + tail.lstrip("\n")
    else:
        body = existing.rstrip() + "\n\n" + text.rstrip() + "\n"
    DOC.write_text(body)
