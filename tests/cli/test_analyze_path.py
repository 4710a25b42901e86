"""`cultivate analyze PATH` on the real exports: reports per community, no database, no leaks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cultivate.cli.main import app
from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import write_csv

pytestmark = pytest.mark.data

runner = CliRunner()


def run(*args: str | Path, env: dict[str, str | None] | None = None):
    return runner.invoke(app, ["analyze", *map(str, args)], env=env)


def test_a_stack_exchange_dump_prints_one_community_and_its_level(data_dir: Path) -> None:
    result = run(data_dir / "se-ai")
    assert result.exit_code == 0, result.output
    assert re.search(r"Level \d · ", result.stdout)
    assert result.stdout.count("╭─ se-ai ") == 1
    assert "1 community" in result.stderr


def test_a_slack_export_gives_one_report_per_channel_in_json(data_dir: Path) -> None:
    result = run(data_dir / "slack-houstondatavis", "--json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    channels = json.loads((data_dir / "slack-houstondatavis" / "channels.json").read_text())
    assert len(reports) == len(channels) == 16
    assert {r["community"] for r in reports} == {
        f"slack-houstondatavis-{c['name']}" for c in channels
    }
    assert all(r["source"] == "slack" for r in reports)
    assert all(0 <= r["level"]["number"] <= 3 for r in reports)


def test_the_source_option_matches_detection(data_dir: Path) -> None:
    detected = run(data_dir / "ml-numpy-discussion", "--json")
    named = run(data_dir / "ml-numpy-discussion", "--json", "--source", "pipermail")
    assert detected.exit_code == named.exit_code == 0
    assert json.loads(detected.stdout) == json.loads(named.stdout)


def test_html_writes_a_self_contained_file(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run(data_dir / "slack-houstondatavis", "--html", page)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "slack-houstondatavis-general" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html
    assert "@import" not in html
    assert result.stdout == ""


def test_the_html_report_of_a_mail_archive_carries_no_e_mail_address(
    data_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    result = run(data_dir / "ml-3gpp-listserv-mbox", "--html", page)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert not re.findall(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", html)
    assert "xingjinqiang@…" in html  # a sender who gave no name, named by the address's start


def test_a_french_reader_gets_the_terminal_and_html_reports_in_french(
    data_dir: Path, tmp_path: Path
) -> None:
    english = run(data_dir / "se-ai")
    french = run(data_dir / "se-ai", "--language", "fr")
    page = tmp_path / "rapport.html"
    written = run(data_dir / "se-ai", "--language", "fr", "--html", page)

    assert english.exit_code == french.exit_code == written.exit_code == 0, french.output
    assert "What to do next" in english.stdout
    assert "Que faire ensuite" not in english.stdout
    assert re.search(r"Niveau \d · ", french.stdout)
    assert "Preuves : chaque critère du modèle de maturité" in french.stdout
    assert "What to do next" not in french.stdout
    html = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Pourquoi ce niveau" in html
    assert "Why this level" not in html
    assert "réactivité" in html  # a sentence of the report itself, said again in French


def test_a_language_without_a_catalogue_is_refused_with_the_ones_there_are(
    data_dir: Path,
) -> None:
    result = run(data_dir / "se-ai", "--language", "xx")
    assert result.exit_code == 2
    assert "No catalogue for --language 'xx'" in result.stderr
    assert "en, fr" in result.stderr


def test_pseudonymize_leaves_no_real_user_in_the_json(data_dir: Path) -> None:
    export = data_dir / "slack-houstondatavis"
    plain = run(export, "--json")
    hidden = run(export, "--json", "--pseudonymize", "--salt", "test-salt")
    assert plain.exit_code == hidden.exit_code == 0
    users = json.loads((export / "users.json").read_text())
    real: set[str] = set()
    for user in users:
        profile = user.get("profile") or {}
        for value in (
            user.get("id"),
            user.get("name"),
            user.get("real_name"),
            profile.get("real_name"),
            profile.get("email"),
        ):
            if isinstance(value, str) and len(value) >= 3:
                real.add(value)
    assert len(real) > 100

    def leaked(text: str) -> list[str]:
        return [v for v in real if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text, re.I)]

    assert leaked(plain.stdout), "the unpseudonymised report should name people (test sanity)"
    assert leaked(hidden.stdout) == []
    assert re.search(r'"name": "Person [0-9a-f]{6}"', hidden.stdout)


def test_the_same_salt_gives_the_same_report_and_another_salt_another(data_dir: Path) -> None:
    export = data_dir / "discourse-askci"
    one = run(export, "--json", "--pseudonymize", "--salt", "a")
    again = run(export, "--json", "--pseudonymize", env={"CULTIVATE_PSEUDONYM_SALT": "a"})
    other = run(export, "--json", "--pseudonymize", "--salt", "b")
    assert one.exit_code == again.exit_code == other.exit_code == 0
    assert one.stdout == again.stdout
    assert one.stdout != other.stdout
    assert json.loads(one.stdout)[0]["level"] == json.loads(other.stdout)[0]["level"]


def test_an_unknown_format_exits_non_zero_with_what_was_expected(tmp_path: Path) -> None:
    (tmp_path / "notes.doc").write_text("hello")
    result = run(tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path}: its files: a layout Cultivate reads, but found 1 entry (notes.doc)" in (
        " ".join(result.stderr.split())
    )
    assert "a Stack Exchange dump (Posts.xml" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_source_name_is_refused(data_dir: Path) -> None:
    result = run(data_dir / "se-ai", "--source", "myspace")
    assert result.exit_code == 2
    assert "Unknown --source 'myspace'" in result.stderr


def test_bad_rows_name_the_file_the_line_and_what_was_expected(tmp_path: Path) -> None:
    bad = tmp_path / "activities.csv"
    bad.write_text(
        "id,source,community,actor,verb,object_id,at\n"
        "1,s,c,a,ask,o1,2024-05-01T09:30:00Z\n"
        "2,s,c,b,answer,o2,2024-05-01 10:00\n",
        encoding="utf-8",
    )
    result = run(bad)
    assert result.exit_code == 1
    assert f"{bad}: line 3 column 'at': a date-time with a UTC offset" in result.stderr
    assert "Traceback" not in result.output


def test_a_csv_of_activities_is_diagnosed_per_community(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2024, 1, 1, tzinfo=UTC)
    activities = []
    for day in range(60):
        for community in ("alpha", "beta"):
            asker, helper = f"{community}-p{day % 5}", f"{community}-p{(day + 1) % 5}"
            q = f"{community}-q{day}"
            at = start + timedelta(days=day)
            activities.append(
                Activity(
                    id=q,
                    source="csv",
                    community=community,
                    actor=asker,
                    verb=Verb.ASK,
                    object_id=q,
                    at=at,
                )
            )
            activities.append(
                Activity(
                    id=f"{q}-a",
                    source="csv",
                    community=community,
                    actor=helper,
                    verb=Verb.ANSWER,
                    object_id=f"{q}-a",
                    parent_id=q,
                    target_actor=asker,
                    at=at + timedelta(hours=3),
                )
            )
    write_csv(activities, tmp_path / "export.csv")
    result = run(tmp_path / "export.csv", "--json", "--as-of", "2024-03-01")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["community"] for r in reports] == ["alpha", "beta"]
    assert all(r["as_of"].startswith("2024-03-01T00:00:00") for r in reports)
    assert all(r["level"]["number"] >= 2 for r in reports)


def test_path_and_community_cannot_be_given_together(data_dir: Path) -> None:
    result = run(data_dir / "se-ai", "--community", "x")
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_analysing_an_export_opens_no_database(data_dir: Path) -> None:
    """Run in a fresh interpreter with no settings and an unreachable database."""
    script = (
        "import sys\n"
        "from cultivate.cli.main import app\n"
        "try:\n"
        "    app(['analyze', sys.argv[1], '--json'])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
        "print('no django', file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@db.invalid:5432/nothing"
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir / "se-ai")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "no django" in done.stderr
    assert json.loads(done.stdout)[0]["community"] == "se-ai"
