"""Members of an imported community are the people who took part; robots are listed, not counted."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.activity import CONTRIBUTION_VERBS
from cultivate.core.connectors import ReadStats, detect_and_read
from cultivate.core.connectors.system import is_system_address


@pytest.mark.data
def test_a_stack_exchange_site_s_members_are_who_took_part_not_every_account(
    data_dir: Path,
) -> None:
    diagnosis = diagnose_export(data_dir / "se-ai")
    report = diagnosis.reports[0]
    activities = [a for batch in detect_and_read(data_dir / "se-ai") for a in batch]
    contributors = {a.actor for a in activities if a.verb in CONTRIBUTION_VERBS}
    assert report.metrics["took_part_ever"] == len(contributors) < 3157
    assert report.metrics["members"] <= len({a.actor for a in activities})
    robots = report.reading["system_accounts"]  # type: ignore[index]
    assert any(name.startswith("Community") for name in robots)
    assert not any(a.actor.endswith(":user:-1") for a in activities)


@pytest.mark.data
def test_slackbot_is_listed_as_a_system_account_not_a_member(data_dir: Path) -> None:
    stats = ReadStats()
    activities = [
        a for batch in detect_and_read(data_dir / "slack-api-julialang", stats=stats) for a in batch
    ]
    assert stats.system_accounts["Slack bot Slackbot"] >= 1
    assert not any(a.actor.endswith(":USLACKBOT") for a in activities)


@pytest.mark.parametrize(
    "address",
    [
        "numpy-discussion-bounces@scipy.org",
        "mailman-owner@python.org",
        "MAILER-DAEMON@mx.example.org",
        "noreply@github.com",
        "list-request@lists.example.org",
    ],
)
def test_list_robots_and_bounce_addresses_are_system_accounts(address: str) -> None:
    assert is_system_address(address)


@pytest.mark.parametrize(
    "address", ["ana.request@example.org", "owner.smith@example.org", "admin@pumps.example"]
)
def test_people_whose_addresses_hold_robot_words_are_people(address: str) -> None:
    assert not is_system_address(address)


def test_a_list_robot_s_mail_is_left_out_and_listed(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "pumps.mbox")
    for number, sender in enumerate(
        ["Ana <ana@example.org>", "pumps-bounces@lists.example.org", "Bo <bo@example.org>"]
    ):
        message = EmailMessage()
        message["From"] = sender
        message["Subject"] = "Seal choice" if number == 0 else "Re: Seal choice"
        message["Date"] = f"Mon, 0{number + 1} Jan 2024 10:00:00 +0000"
        message["Message-ID"] = f"<m{number}@example.org>"
        message.set_content("Which seal for 120 C?" if number == 0 else "A lip seal.")
        box.add(message)
    box.close()
    stats = ReadStats()
    activities = [a for b in detect_and_read(tmp_path / "pumps.mbox", stats=stats) for a in b]
    assert {a.actor for a in activities} == {"mail:ana@example.org", "mail:bo@example.org"}
    assert stats.system_accounts == {"list robot pumps-bounces@lists.example.org": 1}
