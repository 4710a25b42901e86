"""Every data set is recognised by its files; an unknown one gets a message naming what was expected."""

from __future__ import annotations

import pytest

from cultivate.core.connectors import SourceError, detect_source


@pytest.mark.parametrize(
    ("folder", "source"),
    [
        ("se-ai", "stackexchange"),
        ("se-history-meta", "stackexchange"),
        ("slack-houstondatavis", "slack"),
        ("ml-3gpp-listserv-mbox", "mbox"),
        ("ml-numpy-discussion", "pipermail"),
        ("discourse-askci", "discourse"),
    ],
)
def test_each_data_set_is_recognised(data_dir, folder, source):
    assert detect_source(data_dir / folder) == source


def test_an_unknown_export_names_what_was_expected(tmp_path):
    (tmp_path / "notes.doc").write_text("hello")
    with pytest.raises(SourceError, match="a Stack Exchange dump"):
        detect_source(tmp_path)
    with pytest.raises(SourceError, match="an existing export"):
        detect_source(tmp_path / "missing")
