"""Byte snapshots of the HTML report and every chart, so a refactor that changes a byte shows it.

A deliberate change to what the report shows updates them with `pytest --snapshot-update`
(syrupy); the diff then says exactly what changed.
"""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from cultivate.core.analytics import analyze
from cultivate.core.reports import Report, build_report
from cultivate.core.reports.charts import bar_chart, line_chart, sparkline, step_chart
from cultivate.core.reports.html import render_html, render_html_many
from cultivate.core.reports.network import network_chart
from tests.core.analytics.test_metrics_by_hand import AS_OF, hand_frame


class TextFile(SingleFileSnapshotExtension):
    """Each snapshot a file of its own, compared as text, byte for byte."""

    _write_mode = WriteMode.TEXT


class HtmlFile(TextFile):
    file_extension = "html"


class SvgFile(TextFile):
    file_extension = "svg"


@pytest.fixture
def html(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(HtmlFile)


@pytest.fixture
def svg(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SvgFile)


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(
        analyze(hand_frame(), "c", as_of=AS_OF),
        community_name="Pumps & Seals <script>",
        names={"a": "Ann <b>", "b": 'Björn "B" O\'Neil'},
        risk={
            "probability": 0.3,
            "interval": [0.2, 0.45],
            "horizon_days": 90,
            "model": "trend",
            "drivers": ["fewer questions", "one voice answers most"],
        },
    )


MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04"]


def test_the_html_report_of_one_community_stays_byte_for_byte(report, html):
    assert render_html(report) == html


def test_the_html_report_of_several_communities_stays_byte_for_byte(report, html):
    assert render_html_many([report, report]) == html


def test_the_bar_chart_stays_byte_for_byte(svg):
    series = {"questions": [3, 5, None, 8], "broadcasts": [1, 0, 2, 4]}
    assert bar_chart(MONTHS, series, title="Posts & <b>", y_label="posts", chart_id="b") == svg


def test_the_line_chart_stays_byte_for_byte(svg):
    series = {"median hours": [12.5, None, 3.25, 40.0]}
    assert line_chart(MONTHS, series, title="Response", y_label="hours", chart_id="l") == svg


def test_the_step_chart_stays_byte_for_byte(svg):
    assert step_chart(MONTHS, [1, 2, 2, 3], title="Level", chart_id="s") == svg


def test_the_network_chart_stays_byte_for_byte(svg):
    edges = [("Ann", "Bo", 4), ("Bo", "Cy", 1), ("Cy", "Ann", 2), ("Dee", "Ann", 3)]
    assert network_chart(edges, title="Who helps whom", chart_id="n") == svg


def test_the_sparkline_stays_byte_for_byte(svg):
    assert sparkline([1, 4, None, 2, 8]) == svg
