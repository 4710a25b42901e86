"""Bounded work: what hostile uploads and Markdown cost now (issue 16, point 10).

`make bench-bounds` runs it; each case runs in a child process so its peak memory (max RSS) is
its own. The figures replace the "Bounded work" section of docs/benchmarks.md. Never a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bounds:start -->", "<!-- bounds:end -->"

MARKDOWN_CASES = {
    "99 KB of `[`": "[" * 99_000,
    "99 KB of `*a`": "*a" * 49_500,
    "99 KB of `>` (nested quotes)": ">" * 99_000,
    "99 KB of `` ` ``": "`" * 99_000,
    "99 KB of `<`": "<" * 99_000,
    "99 KB of ordinary prose": (
        "Grease the **bearing** every 500 hours; see [the guide](/g). " * 1700
    )[:99_000],
}


def _child(case: str, path: str) -> None:
    """Run one case in this process and print its seconds and outcome as JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    started = time.process_time()
    outcome = "read"
    if case == "markdown":
        from cultivate.core.markup import render_markdown

        render_markdown(Path(path).read_text(encoding="utf-8"))
        outcome = "rendered"
    else:
        from cultivate.core.connectors import SourceError, detect_and_read, detect_source

        try:
            for _batch in detect_and_read(Path(path), detect_source(Path(path))):
                pass
        except SourceError as error:
            said = str(error).replace(f"{Path(path).parent}/", "")
            outcome = f"refused: {said[:90]}"
    seconds = time.process_time() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))


def _measure(case: str, path: Path) -> dict[str, object]:
    answer = subprocess.run(
        [sys.executable, __file__, "--child", case, str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(answer.stdout.strip().splitlines()[-1])


def _baseline(folder: Path) -> dict[str, object]:
    empty = folder / "empty.md"
    empty.write_text("", encoding="utf-8")
    return _measure("markdown", empty)


def _uploads(folder: Path, gigabytes: float) -> list[tuple[str, dict[str, object]]]:
    tiny = folder / "one.mbox"
    tiny.write_bytes(
        b"From ana@example.org Mon Jan  1 00:00:00 2024\nFrom: ana@example.org\n"
        b"Subject: hi\nMessage-ID: <1@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nhi\n"
    )
    rows = [("a one-message mbox (what loading the connectors costs)", _measure("upload", tiny))]
    nul = folder / "archive.mbox"
    with nul.open("wb") as out:
        block = b"\x00" * (1 << 20)
        for _ in range(int(gigabytes * 1024)):
            out.write(block)
    rows.append((f"{gigabytes:g} GB of NUL bytes as an mbox", _measure("upload", nul)))
    nul.unlink()
    bomb = folder / "slack.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", '[{"id": "C1", "name": "general"}]')
        archive.writestr("users.json", "[]")
        with archive.open("general/2024-01-01.json", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(400):
                member.write(chunk)
    size = bomb.stat().st_size / 1e6
    rows.append((f"a {size:.2f} MB Slack zip holding 400 MB", _measure("upload", bomb)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"))
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base = _baseline(folder)
        lines = [
            f"Measured {datetime.now(UTC):%Y-%m-%d} by `make bench-bounds` on "
            f"{platform.machine()}, Python {platform.python_version()}; each case in its own "
            f"process (CPU seconds, peak resident memory; a process that imports Cultivate and "
            f"renders nothing peaks at {base['peak_mb']:.0f} MB).",
            "",
            "| Markdown, one save | CPU s | Peak MB |",
            "|---|---:|---:|",
        ]
        for label, text in MARKDOWN_CASES.items():
            source = folder / "case.md"
            source.write_text(text, encoding="utf-8")
            got = _measure("markdown", source)
            lines.append(f"| {label} | {got['seconds']:.2f} | {got['peak_mb']:.0f} |")
        lines += ["", "| Upload | CPU s | Peak MB | Outcome |", "|---|---:|---:|---|"]
        for label, got in _uploads(folder, args.gigabytes):
            outcome = str(got["outcome"]).replace("|", "/")
            lines.append(f"| {label} | {got['seconds']:.2f} | {got['peak_mb']:.0f} | {outcome} |")
    table = "\n".join(lines)
    print(table)
    if not args.no_doc:
        text = DOC.read_text(encoding="utf-8")
        if START in text:
            head, rest = text.split(START, 1)
            text = head + START + "\n" + table + "\n" + END + rest.split(END, 1)[1]
        else:
            text += f"\n## Bounded work: hostile uploads and Markdown\n\n{START}\n{table}\n{END}\n"
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
