"""Reading an export takes bounded memory whatever it holds: a file without line breaks, a
message that never ends, a zip bomb; each is refused with the file and the place named."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from cultivate.core.connectors import SourceError, detect_and_read, detect_source, mailbox_archives


def _read_all(path: Path) -> int:
    return sum(len(batch) for batch in detect_and_read(path, detect_source(path)))


def _peak_bytes_refusing(path: Path) -> tuple[int, SourceError]:
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as refused:
            _read_all(path)
        return tracemalloc.get_traced_memory()[1], refused.value
    finally:
        tracemalloc.stop()


def test_a_file_of_nul_bytes_is_refused_after_reading_a_line_at_most(tmp_path: Path) -> None:
    nul = tmp_path / "archive.mbox"
    nul.write_bytes(b"\x00" * 30_000_000)  # no line break at all
    peak, error = _peak_bytes_refusing(nul)
    assert peak < 4 * mailbox_archives.MAX_LINE  # it held 2.2x the file before (1 GB: 2.2 GB)
    assert "line 1" in str(error)


@pytest.mark.parametrize(
    ("name", "from_line"),
    [
        ("list.mbox", b"From ana@example.org Mon Jan  1 00:00:00 2024\n"),
        ("2024-January.txt", b"From ana at example.org  Mon Jan  1 00:00:00 2024\n"),
    ],
)
def test_a_message_that_never_ends_is_refused_at_the_message_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, from_line: bytes
) -> None:
    monkeypatch.setattr(mailbox_archives, "MAX_MESSAGE", 2_000_000)
    archive = tmp_path / name
    archive.write_bytes(from_line + b"Subject: hi\n\n" + b"\x00" * 12_000_000)
    peak, error = _peak_bytes_refusing(archive)
    assert "message 1" in str(error)
    assert "messages of at most" in str(error)
    assert peak < 6 * 2_000_000 + 3 * mailbox_archives._CHUNK  # never the 12 MB whole


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "slack.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", '[{"id": "C1", "name": "general"}]')
        archive.writestr("users.json", "[]")
        archive.writestr("general/2024-01-01.json", b" " * 40_000_000)  # 40 MB in 40 KB
    peak, error = _peak_bytes_refusing(bomb)
    assert "general/2024-01-01.json" in str(error)
    assert "zip bomb" in str(error)
    assert peak < 5_000_000


def test_a_well_packed_export_is_not_taken_for_a_bomb(tmp_path: Path) -> None:
    day = '[{"type": "message", "user": "U1", "text": "How do we align a pump?", "ts": "1.0"}]'
    packed = tmp_path / "slack.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", '[{"id": "C1", "name": "general"}]')
        archive.writestr("users.json", '[{"id": "U1", "name": "ana"}]')
        archive.writestr("general/2024-01-01.json", day)
    assert _read_all(packed) == 1


def test_a_gzip_mbox_bomb_is_refused_before_it_fills_the_disk(tmp_path: Path) -> None:
    import gzip

    bomb = tmp_path / "list.mbox.gz"
    with gzip.open(bomb, "wb") as packed:
        packed.write(b"From ana@example.org Mon Jan  1 00:00:00 2024\nSubject: x\n\n")
        for _ in range(40):
            packed.write(b" " * 1_000_000)  # 40 MB that pack into about 40 KB
    with pytest.raises(SourceError, match="unpacks at most 100 times"):
        _read_all(bomb)
