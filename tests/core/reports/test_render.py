"""JSON, terminal and HTML renderings of a Report: exact, escaped, self-contained, never empty."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import polars as pl
import pytest
from rich.console import Console

from cultivate.core.activity import FRAME_SCHEMA
from cultivate.core.analytics import analyze
from cultivate.core.reports import Report, build_report
from cultivate.core.reports.charts import sparkline
from cultivate.core.reports.html import render_html, render_html_many
from cultivate.core.reports.render import render_terminal, to_json
from tests.core.analytics.test_metrics_by_hand import AS_OF, hand_frame

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def analysis():
    return analyze(hand_frame(), "c", as_of=AS_OF)


@pytest.fixture(scope="module")
def report(analysis):
    return build_report(
        analysis,
        community_name="Pumps & Seals",
        names={"a": EVIL, "b": 'Björn "B" O\'Neil'},
        risk={"probability": 0.3, "horizon_days": 90, "model": "trend", "drivers": ["quiet"]},
    )


@pytest.fixture(scope="module")
def empty_report():
    return build_report(analyze(pl.DataFrame(schema=dict(FRAME_SCHEMA)), "c", as_of=AS_OF))


def terminal_text(report: Report) -> str:
    console = Console(record=True, width=120)
    render_terminal(report, console)
    return console.export_text()


class Page(HTMLParser):
    """Collect the tags, visible text and attributes of an HTML page; fail on unbalanced tags."""

    VOID = {"meta", "br", "link", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "href" in attributes:
            self.hrefs.append(attributes["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed tags: {page.stack}"
    return page


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def assert_self_contained(html: str) -> None:
    lowered = html.lower()
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert "<script" not in lowered
    assert "src=" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered
    assert "url(" not in lowered


# --- JSON ----------------------------------------------------------------------------------------


def test_the_json_round_trips_to_an_equal_report(report, empty_report):
    for r in (report, empty_report):
        text = to_json(r)
        assert Report.from_dict(json.loads(text)) == r
        assert "NaN" not in text
        assert "Infinity" not in text


def test_the_json_has_a_stable_sorted_key_order_and_the_schema_version(report):
    data = json.loads(to_json(report))
    assert list(data) == sorted(data)
    assert data["schema_version"] == 1
    rebuilt = Report.from_dict(data)
    assert to_json(rebuilt) == to_json(report)
    assert json.loads(to_json(report, indent=None)) == data


def test_a_nan_in_a_report_is_refused_with_its_path(report):
    broken = dataclasses.replace(report, metrics={**report.metrics, "reciprocity": math.nan})
    with pytest.raises(ValueError, match=r"report\.metrics\.reciprocity"):
        to_json(broken)


def test_unknown_keys_from_a_newer_schema_survive_the_round_trip(report):
    data = json.loads(to_json(report))
    data["forecast_bands"] = [0.1, 0.2]
    again = Report.from_dict(json.loads(to_json(Report.from_dict(data))))
    assert again.extra == {"forecast_bands": [0.1, 0.2]}


# --- HTML ----------------------------------------------------------------------------------------


def test_the_html_file_is_self_contained_and_well_formed(report):
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert_self_contained(html)
    page = parse_page(html)
    assert "style" in page.tags
    assert len(page.ids) == len(set(page.ids)), "ids must be unique"


def test_the_html_has_an_svg_for_each_chart_and_the_network(report):
    html = render_html(report)
    charts = svgs(html)
    titles = [c.find("title").text for c in charts]
    assert len(charts) == 5
    assert any(t.startswith("Questions and broadcasts per month") for t in titles)
    assert any(t.startswith("Median hours to first response") for t in titles)
    assert any(t.startswith("Active members per month") for t in titles)
    assert any(t.startswith("Maturity level over time") for t in titles)
    assert any(t.startswith("Who helps whom") for t in titles)
    for chart in charts:
        assert chart.get("role") == "img"


def test_names_from_users_are_escaped_in_the_html(report):
    html = render_html(report)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Pumps &amp; Seals" in html
    text = " ".join(parse_page(html).text)
    assert EVIL in text  # shown to the reader as text, not run
    assert "Björn &quot;B&quot; O&#x27;Neil" in html


def test_the_html_shows_level_evidence_gap_ladder_health_members_and_advice(report):
    html = render_html(report)
    text = " ".join("".join(parse_page(html).text).split())
    assert "Level 1: reaching people" in text
    assert "answered share (gap)" in text
    assert "To reach level 2, leveraging the network, the community needs:" in text
    assert "answered share is 40%; it needs >= 60%" in text
    for step in report.steps:
        assert step["name"] in text
    for component in report.health["components"]:
        assert component["name"] in text
    assert f"{report.health['score']} / 100 health" in text
    for member in report.members:
        assert member["persona"] in text
    for item in report.advice:
        assert " ".join(item["action"].split()) in text
    assert "As of 2025-04-01 00:00 UTC" in text
    assert "90 days, 2025-01-01 to 2025-04-01" in text
    assert "30% chance of going silent within 90 days" in text


def test_many_reports_share_one_file_with_a_summary_linking_to_each(report, empty_report):
    other = dataclasses.replace(report, community="d", community_name="Valves")
    html = render_html_many([report, other, empty_report])
    assert_self_contained(html)
    page = parse_page(html)
    assert len(page.ids) == len(set(page.ids))
    assert len(page.hrefs) == 3
    for href in page.hrefs:
        assert href.startswith("#")
        assert href[1:] in page.ids
    assert len(svgs(html)) == 15
    assert "Community reports (3)" in html


def test_many_reports_of_nothing_is_still_a_page():
    html = render_html_many([])
    parse_page(html)
    assert "No reports." in html


# --- terminal ------------------------------------------------------------------------------------


def test_the_terminal_report_names_the_level_the_health_and_every_advice(report):
    text = terminal_text(report)
    flat = " ".join(text.split())
    assert "reaching people" in text
    assert f"Health {report.health['score']}/100" in text
    assert report.advice
    for i, item in enumerate(report.advice, start=1):
        assert f"{i}. {' '.join(item['action'].split())}" in flat
    assert "answered share ← gap to the next level" in flat
    for step in report.steps:
        assert step["name"] in text


def test_the_terminal_shows_sparklines_of_the_monthly_series(report):
    text = terminal_text(report)
    rows = text.splitlines()
    for label, key in (
        ("questions", "questions"),
        ("broadcasts (shares)", "shares"),
        ("active members", "active_members"),
    ):
        line = sparkline([p[key] for p in report.series])
        assert len(line) == 5
        assert line.strip()
        assert any(row.startswith(f"│ {label} ") and f"│ {line} " in row for row in rows), label


def test_the_terminal_prints_markup_in_names_literally(analysis):
    report = build_report(analysis, names={"a": "[bold red]Ann[/]"})
    text = terminal_text(report)
    assert "[bold red]Ann[/]" in text


# --- an empty community --------------------------------------------------------------------------


def test_an_empty_community_renders_in_all_three_forms(empty_report):
    assert empty_report.level["number"] == 0
    assert Report.from_dict(json.loads(to_json(empty_report))) == empty_report
    html = render_html(empty_report)
    assert_self_contained(html)
    parse_page(html)
    charts = svgs(html)
    assert len(charts) == 5
    assert all(
        "no data" in " ".join(c.itertext()) or "no one helped" in " ".join(c.itertext())
        for c in charts
    )
    text = terminal_text(empty_report)
    assert "silent" in text
    assert "Health 0/100" in text
    assert "Restart the conversation" in text
