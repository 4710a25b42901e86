"""Cases an independent review found: each reads right now, or says why in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.connectors import ReadStats, SourceError, detect_and_read


def _message(ts: str, user: str, text: str) -> dict[str, str]:
    return {"type": "message", "ts": ts, "user": user, "text": text}


def test_an_official_export_with_a_channel_called_messages_is_not_a_web_api_dump(
    tmp_path: Path,
) -> None:
    export = tmp_path / "slack-acme"
    (export / "general").mkdir(parents=True)
    (export / "messages").mkdir()
    (export / "channels.json").write_text(json.dumps([{"name": "general"}, {"name": "messages"}]))
    (export / "general" / "2020-01-01.json").write_text(
        json.dumps([_message("1577880000.000100", "U1", "How do I plot this?")])
    )
    (export / "messages" / "2020-01-02.json").write_text(
        json.dumps([_message("1577966400.000100", "U2", "Use a bar chart.")])
    )
    communities = {a.community for b in detect_and_read(export) for a in b}
    assert communities == {"slack-acme-general", "slack-acme-messages"}


def test_a_lone_surrogate_escape_is_replaced_not_a_traceback(tmp_path: Path) -> None:
    lines = tmp_path / "chat.jsonl"
    lines.write_text(
        json.dumps(_message("1600000000.000100", "U1", "broken \ud800 text"))
        + "\n"
        + json.dumps(_message("1600000001.000100", "U2", "fine"))
        + "\n"
    )
    diagnosis = diagnose_export(lines)
    assert diagnosis.activities == 2


def test_keep_going_leaves_a_page_with_a_bad_time_out_whole(tmp_path: Path) -> None:
    dump = tmp_path / "slack-api-acme"
    (dump / "messages" / "C1").mkdir(parents=True)
    (dump / "channels.json").write_text('["C1"]')
    (dump / "names.json").write_text('{"C1": "general"}')
    (dump / "messages" / "C1" / "0.json").write_text(
        json.dumps({"messages": [_message("1600000000.000100", "U1", "How?")]})
    )
    (dump / "messages" / "C1" / "1.json").write_text(
        json.dumps({"messages": [_message("1600000100.000100", "U2", "ok"), {"ts": "soon"}]})
    )
    with pytest.raises(SourceError, match=r"1\.json"):
        list(detect_and_read(dump))
    stats = ReadStats(keep_going=True)
    activities = [a for b in detect_and_read(dump, stats=stats) for a in b]
    assert [a.text for a in activities] == ["How?"]
    assert [Path(f).name for f, _ in stats.skipped_files] == ["1.json"]


@pytest.mark.data
def test_nothing_is_aimed_at_stack_exchange_s_system_user(data_dir: Path) -> None:
    activities = [a for b in detect_and_read(data_dir / "se-history-meta") for a in b]
    assert not any((a.target_actor or "").endswith(":user:-1") for a in activities)
    assert not any(a.actor.endswith(":user:-1") for a in activities)
