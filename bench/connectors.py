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
import platform
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DATA = ROOT / "var" / "bench"
OUT = ROOT / "bench" / "out"
COMMAND = ".venv/bin/python bench/run.py connectors"
START_MARK = "<!-- connectors:start -->"
END_MARK = "<!-- connectors:end -->"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_import"
BIGBANG_VENV = DATA / "bigbang-venv"
BIGBANG_PYTHON = "3.12.1"
BIGBANG_REQUIREMENTS = ("bigbang-py==0.6.1", "pandas<3")
BIGBANG_TIMEOUT = 600.0
START = datetime(2016, 8, 2, 15, 0, tzinfo=UTC)

_VOCABULARY = (
    "model network training data layer gradient loss function neural weights bias input output "
    "learning rate batch epoch dropout convolution kernel feature map activation sigmoid relu "
    "softmax classifier regression agent reward policy state action environment search tree "
    "heuristic planning logic knowledge representation inference probability bayesian prior "
    "posterior sample distribution variance mean error accuracy precision recall overfitting "
    "validation test set benchmark paper result experiment hyperparameter optimizer adam momentum "
    "the a an of to in and or but with without for on at by from into over under between "
    "is are was were be been being have has had do does did can could should would may might "
    "why how what when which where who because therefore however although since unless "
    "example problem question answer idea approach method algorithm system human machine "
    "intelligence language vision robot game chess go memory attention transformer sequence "
    "vector matrix tensor dimension space embedding token word sentence image pixel label class"
)
WORDS = _VOCABULARY.split()


# --- generating the data (streamed, seeded) ------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 22))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))


def _paragraph_pool(rng: random.Random, n: int = 4000) -> list[str]:
    """Return HTML paragraphs as post bodies hold them: text, the odd code block, list or link."""
    pool = []
    for i in range(n):
        kind = i % 10
        if kind == 0:
            code = "\n".join(
                f"    {rng.choice(WORDS)} = {rng.choice(WORDS)}({rng.randint(0, 99)})"
                for _ in range(rng.randint(2, 8))
            )
            pool.append(f"<pre><code>{code}\n</code></pre>\n")
        elif kind == 1:
            items = "".join(f"<li>{_sentence(rng)}</li>\n" for _ in range(rng.randint(2, 5)))
            pool.append(f"<ul>\n{items}</ul>\n")
        elif kind == 2:
            pool.append(
                f'<p>{_sentence(rng)} See <a href="https://example.org/{rng.choice(WORDS)}/'
                f'{i}" rel="nofollow noreferrer">{rng.choice(WORDS)}</a>.</p>\n'
            )
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
            pool.append(f"<p>{text}</p>\n")
    return pool


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}"


def _owner(rng: random.Random, users: int) -> int:
    """Return a user id with a long tail: a few people write most posts, as on real sites."""
    return min(users, int(rng.paretovariate(1.1))) if rng.random() < 0.5 else rng.randint(1, users)


def write_stackexchange(folder: Path, *, posts_bytes: int, seed: int) -> dict[str, Any]:
    """Write Posts, Users, Comments and Votes.xml of one site until Posts.xml holds posts_bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pool = _paragraph_pool(rng)
    tags = [f"{a}-{b}" for a in WORDS[:40] for b in WORDS[40:60]]
    users = max(1000, posts_bytes // 8000)
    at = START
    counts = {"questions": 0, "answers": 0, "comments": 0, "votes": 0, "users": users}
    recent: deque[tuple[int, int]] = deque(maxlen=4000)  # (question id, owner)
    post_id = comment_id = vote_id = 0
    header = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n'
    with (
        (folder / "Posts.xml").open("w", encoding="utf-8") as posts,
        (folder / "Comments.xml").open("w", encoding="utf-8") as comments,
        (folder / "Votes.xml").open("w", encoding="utf-8") as votes,
    ):
        posts.write(header + "<posts>\n")
        comments.write(header + "<comments>\n")
        votes.write(header + "<votes>\n")
        while posts.tell() < posts_bytes:
            # Plan a chunk in memory so a question can name its accepted answer before it.
            chunk: list[dict[str, Any]] = []
            open_questions: dict[int, list[int]] = {}
            for _ in range(500):
                post_id += 1
                at += timedelta(seconds=rng.expovariate(1 / 90))
                owner = _owner(rng, users)
                if not recent or rng.random() < 0.4:
                    chunk.append({"id": post_id, "type": 1, "owner": owner, "at": at})
                    recent.append((post_id, owner))
                    open_questions[post_id] = []
                else:
                    parent = recent[-1 - min(len(recent) - 1, int(rng.expovariate(1 / 200)))]
                    chunk.append(
                        {"id": post_id, "type": 2, "owner": owner, "at": at, "parent": parent[0]}
                    )
                    if parent[0] in open_questions:
                        open_questions[parent[0]].append(post_id)
            accepted = {
                q: rng.choice(answers)
                for q, answers in open_questions.items()
                if answers and rng.random() < 0.55
            }
            for row in chunk:
                body = "".join(rng.choices(pool, k=max(1, int(rng.lognormvariate(0.6, 0.7)))))
                attrs = [
                    f'Id="{row["id"]}"',
                    f'PostTypeId="{row["type"]}"',
                ]
                if row["id"] in accepted:
                    attrs.append(f'AcceptedAnswerId="{accepted[row["id"]]}"')
                if row["type"] == 2:
                    attrs.append(f'ParentId="{row["parent"]}"')
                score = int(rng.gauss(2, 4))
                attrs += [f'CreationDate="{_stamp(row["at"])}"', f'Score="{score}"']
                if row["type"] == 1:
                    attrs.append(f'ViewCount="{int(rng.lognormvariate(4, 1.2))}"')
                attrs.append(f"Body={quoteattr(body)}")
                if rng.random() < 0.02:
                    attrs.append("OwnerDisplayName=" + quoteattr(f"user{row['owner']}"))
                else:
                    attrs.append(f'OwnerUserId="{row["owner"]}"')
                last = row["at"] + timedelta(hours=rng.expovariate(1 / 30))
                attrs.append(f'LastActivityDate="{_stamp(last)}"')
                if row["type"] == 1:
                    title = _sentence(rng).rstrip(".!") + "?"
                    chosen = rng.sample(tags, k=rng.randint(1, 5))
                    attrs.append(f"Title={quoteattr(title)}")
                    attrs.append(f"Tags={quoteattr(''.join(f'<{t}>' for t in chosen))}")
                    attrs.append(f'AnswerCount="{len(open_questions.get(row["id"], []))}"')
                    counts["questions"] += 1
                    if rng.random() < 0.05:
                        attrs.append(f'ClosedDate="{_stamp(last)}"')
                else:
                    counts["answers"] += 1
                n_comments = min(8, int(rng.expovariate(1 / 0.9)))
                attrs.append(f'CommentCount="{n_comments}"')
                attrs.append('ContentLicense="CC BY-SA 3.0"')
                posts.write(f"  <row {' '.join(attrs)} />\n")
                for _ in range(n_comments):
                    comment_id += 1
                    text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
                    when = row["at"] + timedelta(minutes=rng.expovariate(1 / 600))
                    comments.write(
                        f'  <row Id="{comment_id}" PostId="{row["id"]}" Score="'
                        f'{int(rng.expovariate(1))}" Text={quoteattr(text)} CreationDate="'
                        f'{_stamp(when)}" UserId="{_owner(rng, users)}" '
                        'ContentLicense="CC BY-SA 3.0" />\n'
                    )
                counts["comments"] += n_comments
                kinds = [2] * max(0, score) + [3] * (rng.random() < 0.2)
                kinds += [1] * (row["id"] in accepted.values())
                for kind in kinds:
                    vote_id += 1
                    day = (row["at"] + timedelta(days=rng.expovariate(1 / 20))).date()
                    votes.write(
                        f'  <row Id="{vote_id}" PostId="{row["id"]}" VoteTypeId="{kind}" '
                        f'CreationDate="{day.isoformat()}T00:00:00.000" />\n'
                    )
                counts["votes"] += len(kinds)
        posts.write("</posts>\n")
        comments.write("</comments>\n")
        votes.write("</votes>\n")
    with (folder / "Users.xml").open("w", encoding="utf-8") as out:
        out.write(header + "<users>\n")
        for user in range(1, users + 1):
            joined = START + timedelta(seconds=(at - START).total_seconds() * user / users)
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {user}"
            out.write(
                f'  <row Id="{user}" Reputation="{int(rng.paretovariate(1.2))}" '
                f'CreationDate="{_stamp(joined)}" DisplayName={quoteattr(name)} '
                f'LastAccessDate="{_stamp(at)}" Views="{rng.randint(0, 500)}" UpVotes="'
                f'{rng.randint(0, 100)}" DownVotes="{rng.randint(0, 10)}" AccountId="'
                f'{user + 100000}" />\n'
            )
        out.write("</users>\n")
    counts["posts_bytes"] = (folder / "Posts.xml").stat().st_size
    counts["bytes"] = sum(p.stat().st_size for p in folder.iterdir())
    return counts


def _mail_body(rng: random.Random, quoted: str | None, signature: str) -> str:
    lines: list[str] = []
    if quoted is not None:
        lines.append(f"On {rng.choice(('Mon', 'Tue', 'Wed', 'Thu'))}, someone wrote:")
        lines += [f"> {line}" if line else ">" for line in quoted.splitlines()[:12]]
        lines.append("")
    for _ in range(max(1, int(rng.lognormvariate(0.8, 0.6)))):
        words = " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
        # Wrap at about 72 columns, as mail clients do.
        line: list[str] = []
        for word in words.split():
            line.append(word)
            if sum(len(w) + 1 for w in line) > 70:
                lines.append(" ".join(line))
                line = []
        if line:
            lines.append(" ".join(line))
        lines.append("")
    lines += ["-- ", signature, ""]
    lines += [
        "_______________________________________________",
        "Bench-discuss mailing list",
        "bench-discuss@lists.example.org",
        "https://lists.example.org/mailman/listinfo/bench-discuss",
    ]
    return "\n".join(lines)


def write_mbox(path: Path, *, messages: int, seed: int) -> dict[str, Any]:
    """Write one list's mbox: threads started and answered by a long tail of senders."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    senders = [
        (
            f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}",
            f"person{n}@example{n % 97}.org",
        )
        for n in range(3000)
    ]
    recent: deque[tuple[str, str, list[str], str]] = deque(maxlen=3000)
    at = datetime(2019, 1, 1, 8, 0, tzinfo=UTC)
    threads = replies = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for n in range(1, messages + 1):
            at += timedelta(seconds=rng.expovariate(1 / 600))
            name, address = senders[min(len(senders) - 1, int(rng.paretovariate(0.9)) - 1)]
            if rng.random() < 0.5:
                name, address = senders[rng.randrange(len(senders))]
            message_id = f"<{n}.{rng.getrandbits(40):x}@mail.example{n % 13}.org>"
            headers = [
                f"From {address} {at:%a %b %d %H:%M:%S %Y}",
                f"From: {name} <{address}>",
                "To: bench-discuss@lists.example.org",
                f"Date: {format_datetime(at)}",
                f"Message-ID: {message_id}",
            ]
            if recent and rng.random() < 0.7:
                parent_id, subject, references, parent_body = recent[
                    -1 - min(len(recent) - 1, int(rng.expovariate(1 / 150)))
                ]
                refs = [*references, parent_id][-10:]
                subject = subject if subject.startswith("Re: ") else f"Re: {subject}"
                headers += [f"Subject: {subject}", f"In-Reply-To: {parent_id}"]
                headers.append("References: " + "\n\t".join(refs))
                body = _mail_body(rng, parent_body, name)
                replies += 1
            else:
                subject = f"[Bench-discuss] {_sentence(rng).rstrip('.!?')}"
                refs = []
                headers.append(f"Subject: {subject}")
                body = _mail_body(rng, None, name)
                threads += 1
            headers += [
                "List-Id: Bench discussion <bench-discuss.lists.example.org>",
                "List-Unsubscribe: <https://lists.example.org/mailman/options/bench-discuss>",
                "MIME-Version: 1.0",
                'Content-Type: text/plain; charset="utf-8"',
                "Content-Transfer-Encoding: 7bit",
            ]
            escaped = "\n".join(
                f">{line}" if line.startswith("From ") else line for line in body.splitlines()
            )
            out.write("\n".join(headers) + "\n\n" + escaped + "\n\n")
            recent.append((message_id, subject, refs, body.split("\n-- \n", 1)[0]))
    return {
        "messages": messages,
        "threads": threads,
        "replies": replies,
        "bytes": path.stat().st_size,
    }


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


def _child(task: str, path: Path, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh process; return its result with wall time and peak RSS."""
    command = [sys.executable, __file__, "--measure", task, "--path", str(path)]
    return _run_child(command, env=env)


def _run_child(
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
    return _run_child(
        [str(python), str(script), mbox.name, str(mbox.parent)], timeout=BIGBANG_TIMEOUT
    )


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
    parser.add_argument("--skip", default="", help="comma-separated: stackexchange, mbox, import")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--measure",
        choices=("stackexchange", "mbox", "analyze", "import"),
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
        results["stackexchange"] = {"data": info, "parse": parsed}
        print(f"  parsed in {parsed['wall']:.1f} s, peak {parsed['peak_mb']:.0f} MB")

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
        entry["analyze"] = _child("analyze", mbox)
        print(f"  cultivate analyze: {entry['analyze']['wall']:.1f} s")
        try:
            entry["bigbang"] = measure_bigbang(mbox)
            print(f"  bigbang: {entry['bigbang']['wall']:.1f} s")
        except (subprocess.CalledProcessError, SystemExit) as error:
            entry["bigbang_error"] = str(error)[-1500:]
            print(f"  bigbang failed: {entry['bigbang_error']}")
        results["mbox"] = entry

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


if __name__ == "__main__":
    main()
