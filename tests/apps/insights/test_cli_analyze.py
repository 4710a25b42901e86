"""`cultivate analyze` on the platform database: terminal, JSON, HTML, snapshots, bad slugs."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cultivate.apps.insights.models import HealthSnapshot
from cultivate.cli.main import app

from .helpers import make_lively

runner = CliRunner()


def test_json_for_one_community_parses_and_carries_the_level(community, make_user, join):
    make_lively(community, make_user, join)

    result = runner.invoke(app, ["analyze", "--community", community.slug, "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["community"] == community.slug
    assert report["level"]["number"] == 2
    assert not HealthSnapshot.objects.exists()  # without --save nothing is stored


def test_json_for_all_communities_is_a_list(community, private_community):
    result = runner.invoke(app, ["analyze", "--all", "--json", "--as-of", "2030-01-01"])

    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert sorted(r["community"] for r in reports) == sorted(
        [community.slug, private_community.slug]
    )
    assert {r["as_of"] for r in reports} == {"2030-01-01T00:00:00+00:00"}


def test_html_writes_a_file_with_charts(tmp_path, community, make_user, join):
    make_lively(community, make_user, join)
    target = tmp_path / "report.html"

    result = runner.invoke(app, ["analyze", "-c", community.slug, "--html", str(target)])

    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "<svg" in page
    assert community.name in page


def test_html_for_all_communities_holds_each_of_them(tmp_path, community, private_community):
    target = tmp_path / "all.html"

    result = runner.invoke(app, ["analyze", "--all", "--html", str(target)])

    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert community.name in page
    assert private_community.name in page


def test_the_terminal_report_is_the_default(community, make_user, join):
    make_lively(community, make_user, join)

    result = runner.invoke(app, ["analyze", "--community", community.slug])

    assert result.exit_code == 0, result.output
    assert community.name in result.stdout
    assert "leveraging the network" in result.stdout


def test_save_stores_snapshots(community, private_community):
    result = runner.invoke(app, ["analyze", "--all", "--save", "--json"])

    assert result.exit_code == 0, result.output
    assert HealthSnapshot.objects.count() == 2
    assert len(json.loads(result.stdout)) == 2


def test_an_unknown_slug_exits_1_naming_it(community):
    result = runner.invoke(app, ["analyze", "--community", "no-such-community"])

    assert result.exit_code == 1
    assert "no-such-community" in result.output


def test_it_asks_for_a_community_or_all(community):
    neither = runner.invoke(app, ["analyze"])
    both = runner.invoke(app, ["analyze", "--all", "--community", community.slug])

    assert neither.exit_code == 2
    assert "--all" in neither.output
    assert both.exit_code == 2


def test_a_bad_as_of_is_refused_naming_the_option(community):
    result = runner.invoke(app, ["analyze", "--all", "--as-of", "yesterday-ish"])

    assert result.exit_code == 2
    assert "--as-of" in result.output
