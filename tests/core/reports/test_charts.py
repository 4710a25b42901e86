"""SVG charts: well-formed, accessible, escaped, deterministic, honest about gaps and empty data."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from cultivate.core.reports.axes import nice_ticks
from cultivate.core.reports.charts import BLOCKS, bar_chart, line_chart, sparkline, step_chart
from cultivate.core.reports.formatting import month_labels
from cultivate.core.reports.network import NetworkLayout, network_chart, network_layout
from cultivate.core.reports.svg import svg_document

MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04"]
EVIL = "<script>alert(1)</script> & \"quotes\" 'too'"


def parse(svg: str) -> ET.Element:
    """Parse an SVG string, proving it is well-formed XML, and check its accessible names."""
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert root.get("role") == "img"
    title, desc = root.find("title"), root.find("desc")
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("text")]


def every_chart(title: str = "Chart", label: str = "a") -> list[str]:
    return [
        line_chart(MONTHS, {label: [1, 2, None, 4]}, title=title, y_label=label),
        bar_chart(MONTHS, {label: [1, 2, 3, 4], "b": [0, 1, 0, 2]}, title=title),
        bar_chart(MONTHS, {label: [1, 2, 3, 4], "b": [0, 1, 0, 2]}, title=title, stacked=True),
        step_chart(MONTHS, [0, 1, 2, 1], title=title),
        network_chart([(label, "b", 2), ("b", label, 1), ("c", "b", 3)], title=title),
    ]


def test_every_chart_is_well_formed_svg_with_a_title_and_a_description():
    for svg in every_chart():
        root = parse(svg)
        assert root.find("title").text == "Chart"
        assert "http" not in svg  # no namespace URL, no external reference: nothing to fetch
        assert "<script" not in svg


def test_user_text_in_titles_and_labels_is_escaped_everywhere():
    for svg in every_chart(title=EVIL, label=EVIL):
        assert "<script>" not in svg
        root = parse(svg)
        assert root.find("title").text == EVIL
        assert EVIL in root.find("desc").text


def test_characters_xml_cannot_hold_are_dropped_rather_than_breaking_the_svg():
    svg = line_chart(["a\x00b", "c"], {"bell\x07": [1, 2]}, title="t\x1b[31m")
    root = parse(svg)
    assert root.find("title").text == "t[31m"


def test_the_same_input_gives_byte_identical_charts():
    assert every_chart() == every_chart()
    edges = [(f"p{i}", f"p{(i * 7) % 23}", i % 4 + 1) for i in range(60)]
    assert network_chart(edges, title="n") == network_chart(list(edges), title="n")


def test_different_data_gives_different_chart_ids_so_a_page_can_hold_many():
    one = parse(line_chart(MONTHS, {"a": [1, 2, 3, 4]}, title="t"))
    two = parse(line_chart(MONTHS, {"a": [1, 2, 3, 5]}, title="t"))
    assert one.find("title").get("id") != two.find("title").get("id")
    named = parse(line_chart(MONTHS, {"a": [1]}, title="t", chart_id="9 bad id!"))
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", named.find("title").get("id"))


def test_a_none_leaves_a_gap_in_the_line_instead_of_a_zero():
    root = parse(line_chart(MONTHS, {"hours": [5, None, 7, 9]}, title="t"))
    paths = [p for p in root.iter("path") if p.get("fill") == "none"]
    assert len(paths) == 1  # only the segment 2025-03..2025-04 is a line; 2025-01 stands alone
    assert paths[0].get("d").count("L") == 1
    markers = list(root.iter("circle"))
    assert len(markers) == 3
    assert "no data for 1 of 4" in root.find("desc").text


def test_the_description_summarises_the_data_in_words():
    desc = parse(line_chart(MONTHS, {"questions": [3, 9, 1, 4]}, title="Q")).find("desc").text
    assert "latest 4 (2025-04)" in desc
    assert "lowest 1 (2025-03)" in desc
    assert "highest 9 (2025-02)" in desc


@pytest.mark.parametrize(
    "svg",
    [
        line_chart([], {}, title="Empty"),
        line_chart(MONTHS, {"a": [None, None, None, None]}, title="Empty"),
        bar_chart([], {"a": []}, title="Empty"),
        bar_chart(MONTHS, {}, title="Empty"),
        step_chart([], [], title="Empty"),
        network_chart([], title="Empty"),
        network_chart([("a", "a", 3)], title="Empty"),
    ],
)
def test_empty_data_gives_a_valid_svg_that_says_there_is_no_data(svg):
    root = parse(svg)
    shown = " ".join(texts(root))
    assert "no data" in shown or "no one helped" in shown
    assert list(root.iter("path")) == []
    assert list(root.iter("rect"))[1:] == []


def test_axis_ticks_are_nice_round_numbers_covering_the_data():
    assert nice_ticks(0, 186) == [0, 50, 100, 150, 200]
    assert nice_ticks(0, 0.7) == [0, 0.2, 0.4, 0.6, 0.8]
    assert nice_ticks(0, 1, integer=True) == [0, 1]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    ticks = nice_ticks(-3, 12)
    assert ticks[0] <= -3
    assert ticks[-1] >= 12
    root = parse(line_chart(MONTHS, {"hours": [6, 186, None, 12]}, title="t"))
    assert {"0", "50", "100", "150", "200"} <= set(texts(root))


def test_counts_never_get_fractional_ticks():
    root = parse(bar_chart(["a", "b"], {"q": [1, 0]}, title="t"))
    assert "0.5" not in texts(root)


def test_stacked_bars_reach_the_total_and_grouped_bars_the_largest_value():
    labels = ["a", "b"]
    data = {"q": [4.0, 1.0], "s": [3.0, 1.0]}
    stacked = parse(bar_chart(labels, data, title="t", stacked=True))
    grouped = parse(bar_chart(labels, data, title="t"))
    assert "8" in texts(stacked)  # 4 + 3 = 7 rounds up to a tick of 8
    assert "8" not in texts(grouped)
    assert "4" in texts(grouped)
    bars = [r for r in stacked.iter("rect") if r.find("title") is not None]
    assert len(bars) == 4


def test_a_step_chart_names_the_levels_and_tells_the_changes():
    root = parse(step_chart(MONTHS, [0, 1, 2, 1], title="Level"))
    shown = texts(root)
    assert "0 silent" in shown
    assert "2 leveraging the network" in shown
    desc = root.find("desc").text
    assert "2025-03 rose to 2" in desc
    assert "2025-04 fell to 1" in desc
    assert "Highest: level 2, first in 2025-03" in desc
    assert "Latest: level 1 (reaching people)" in desc


def people(root: ET.Element) -> list[ET.Element]:
    group = next(g for g in root.iter("g") if g.get("class") == "people")
    return list(group.iter("circle"))


def test_the_network_keeps_only_the_most_connected_people():
    edges = [(f"helper{i:02d}", f"asker{i % 5}", 1 + i % 3) for i in range(60)]
    root = parse(network_chart(edges, title="n", max_nodes=12))
    assert len(people(root)) == 12
    assert "Showing the 12 most connected of 65 people" in root.find("desc").text
    kept = {t.text.split(":")[0] for t in (c.find("title") for c in people(root))}
    assert {f"asker{i}" for i in range(5)} <= kept  # the five askers have the most ties


def test_the_network_draws_one_arrow_per_direction_and_widens_heavy_ties():
    root = parse(network_chart([("ann", "bo", 5), ("bo", "ann", 1), ("cy", "bo", 1)], title="n"))
    ties = next(g for g in root.iter("g") if g.get("class") == "ties")
    assert len(list(ties.iter("polygon"))) == 3  # arrowheads: helper to helped
    widths = sorted(float(line.get("stroke-width")) for line in ties.iter("line"))
    assert widths[0] < widths[-1]
    assert "ann helped bo 5 times" in root.find("desc").text
    assert "1 of them go both ways" not in root.find("desc").text  # both directions count
    assert "2 of them go both ways" in root.find("desc").text


def test_a_network_laid_out_once_draws_the_same_picture_and_survives_json():
    edges = [(f"helper{i:02d}", f"asker{i % 5}", 1 + i % 3) for i in range(30)]
    stored = network_layout(edges).to_dict()
    layout = NetworkLayout.from_dict(json.loads(json.dumps(stored)))
    assert layout is not None
    assert network_chart(edges, title="n", layout=layout) == network_chart(edges, title="n")


def test_a_stored_layout_for_other_people_is_not_used():
    edges = [("ann", "bo", 2), ("cy", "bo", 1)]
    other = NetworkLayout(("ann", "dee", "cy"), ((0.0, 0.0), (1.0, 1.0), (0.5, 0.5)))
    assert network_chart(edges, title="n", layout=other) == network_chart(edges, title="n")
    assert NetworkLayout.from_dict({"nodes": ["a"], "spots": []}) is None
    assert NetworkLayout.from_dict({}) is None


def test_long_names_are_truncated_on_the_picture_but_whole_in_the_tooltip():
    name = "Maximiliana Fitzgerald-Okonkwo"
    root = parse(network_chart([(name, "bo", 1)], title="n"))
    assert "Maximiliana Fit…" in texts(root)  # 16 characters
    assert any(c.find("title").text.startswith(name) for c in people(root))


def test_a_standalone_svg_document_gets_its_namespace():
    doc = svg_document(line_chart(MONTHS, {"a": [1, 2, 3, 4]}, title="t"))
    assert doc.startswith("<?xml")
    assert ET.fromstring(doc.split("\n", 1)[1]).tag == "{http://www.w3.org/2000/svg}svg"


def test_a_sparkline_has_one_character_per_value_and_a_space_for_gaps():
    assert sparkline([]) == ""
    assert sparkline([None, None]) == "  "
    assert sparkline([0, 0, 0]) == "▁▁▁"
    line = sparkline([0, 1, 2, None, 7, float("nan")])
    assert len(line) == 6
    assert line[0] == BLOCKS[0]
    assert line[4] == BLOCKS[-1]
    assert line[3] == " "
    assert line[5] == " "
    assert all(ch in BLOCKS + " " for ch in sparkline(range(100)))  # type: ignore[arg-type]
    assert len(sparkline(list(range(100)))) == 100


def test_the_month_a_report_reads_part_of_is_marked_as_partial():
    months = ["2026-10", "2026-11", "2026-12"]
    assert month_labels(months, "2026-12-06T12:00:00+00:00") == [
        "2026-10",
        "2026-11",
        "2026-12 (so far)",
    ]
    assert month_labels(months, "2026-12-31T23:59:59+00:00") == months  # the whole month
    assert month_labels(months, "2027-01-02T00:00:00+00:00") == months  # not among the months
    assert month_labels(months, None) == months
