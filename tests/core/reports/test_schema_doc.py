"""docs/report-schema.md names every field the JSON of a real report holds, and no other."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.reports.render import to_json

DOC = Path(__file__).resolve().parents[3] / "docs" / "report-schema.md"


def _documented(section: str) -> set[str]:
    """Return the field names of the first table under a heading of the schema doc."""
    text = DOC.read_text(encoding="utf-8")
    part = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_0-9]+)` \|", part, flags=re.MULTILINE))


@pytest.mark.data
def test_the_schema_doc_lists_exactly_the_fields_of_a_real_export_s_report(data_dir: Path) -> None:
    diagnosis = diagnose_export(data_dir / "slack-houstondatavis")
    reports = [json.loads(to_json(r)) for r in diagnosis.reports]
    with_risk = next(r for r in reports if r["risk"])
    assert set(with_risk) == _documented("Top level")
    assert set(with_risk["risk"]) == _documented("risk")
    assert set(with_risk["reading"]) == _documented("reading")
    assert all(isinstance(d, str) for d in with_risk["risk"]["drivers"])
