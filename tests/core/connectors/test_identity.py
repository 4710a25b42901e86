"""People merged by e-mail across sources; pseudonyms that are stable, salted and leak nothing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics import analyze
from cultivate.core.connectors import (
    Person,
    people_mbox,
    read_mbox,
    read_slack,
    read_slack_people,
)
from cultivate.core.connectors.identity import (
    Pseudonymizer,
    apply_identities,
    email_key,
    merge_people,
)
from cultivate.core.reports import build_report
from cultivate.core.reports.html import render_html
from cultivate.core.reports.render import render_terminal, to_json

ANN = ("Ann Whitfield", "ann.whitfield@example.org", "annw", "U0ANN")
BOB = ("Bob Marchetti", "bob.marchetti@example.net", "bobm", "U0BOB")
CY = ("Cyrielle Okonkwo", "cy@example.com", "cyo", "U0CY")


def slack_export(root: Path) -> Path:
    """A small Slack export: Ann asks, Bob answers in the thread naming her, Cy reacts."""
    export = root / "slack-fixture"
    (export / "general").mkdir(parents=True)
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    users = [
        {"id": uid, "name": login, "real_name": name, "profile": {"real_name": name, "email": mail}}
        for name, mail, login, uid in (ANN, BOB, CY)
    ]
    (export / "users.json").write_text(json.dumps(users))
    messages = [
        {
            "type": "message",
            "user": "U0ANN",
            "ts": "1700000000.000100",
            "text": "How do we deploy the dashboard? Ask me at ann.whitfield@example.org",
            "reply_count": 1,
            "thread_ts": "1700000000.000100",
            "reactions": [{"name": "eyes", "users": ["U0CY"], "count": 1}],
        },
        {
            "type": "message",
            "user": "U0BOB",
            "ts": "1700000600.000200",
            "thread_ts": "1700000000.000100",
            "parent_user_id": "U0ANN",
            "text": "<@U0ANN> Ann Whitfield, use the deploy script; cc @cyo and Cyrielle Okonkwo",
        },
        {
            "type": "message",
            "user": "U0CY",
            "ts": "1700001200.000300",
            "text": "Who can review my notebook this week?",
        },
    ]
    (export / "general" / "2023-11-14.json").write_text(json.dumps(messages))
    return export


def mbox(root: Path) -> Path:
    """A mailing list where Ann (same address as in Slack) asks and Bob replies."""
    path = root / "makers.mbox"
    path.write_text(
        "From ann.whitfield@example.org Tue Nov 14 10:00:00 2023\n"
        "From: Ann Whitfield <Ann.Whitfield@example.org>\n"
        "Subject: Printer calibration?\n"
        "Message-ID: <m1.ann.whitfield@example.org>\n"
        "Date: Tue, 14 Nov 2023 10:00:00 +0000\n"
        "\n"
        "How do I calibrate the printer? Bob Marchetti might know.\n"
        "\n"
        "From bob.marchetti@example.net Tue Nov 14 11:00:00 2023\n"
        "From: bob.marchetti at example.net (Bob Marchetti)\n"
        "Subject: Re: Printer calibration?\n"
        "Message-ID: <m2.bob.marchetti@example.net>\n"
        "In-Reply-To: <m1.ann.whitfield@example.org>\n"
        "Date: Tue, 14 Nov 2023 11:00:00 +0000\n"
        "\n"
        "Ann Whitfield wrote: use the wizard. Reach me at bob.marchetti at example.net\n"
        "\n",
        encoding="utf-8",
    )
    return path


def activities(batches: object) -> list[Activity]:
    return [a for batch in batches for a in batch]  # type: ignore[attr-defined]


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    return slack_export(tmp_path), mbox(tmp_path)


def test_the_same_address_in_slack_and_on_a_mailing_list_is_one_person(sources) -> None:
    slack, mail = sources
    identities = merge_people([*read_slack_people(slack), *people_mbox(mail)])
    ann = email_key(ANN[1])
    assert identities.key("slack:fixture:user:U0ANN") == ann
    assert identities.key(f"mail:{ANN[1]}") == ann
    assert identities.names[ann] == "Ann Whitfield"
    merged = activities(apply_identities(read_slack(slack), identities)) + activities(
        apply_identities(read_mbox(mail), identities)
    )
    by_ann = {a.source for a in merged if a.actor == ann}
    assert by_ann == {"slack", "mail"}
    # Bob replied to Ann on both: the edge points at the merged person.
    assert {a.source for a in merged if a.target_actor == ann} >= {"slack", "mail"}
    assert not any(a.actor.startswith(("mail:", "slack:")) for a in merged)


def test_a_person_without_an_address_keeps_the_source_key() -> None:
    identities = merge_people(
        [Person(key="stackexchange:ai:user:7", name="Dana"), Person(key="x:1", name="", email="")]
    )
    assert identities.key("stackexchange:ai:user:7") == "stackexchange:ai:user:7"
    assert identities.names == {"stackexchange:ai:user:7": "Dana"}
    assert identities.key("unknown:9") == "unknown:9"


def test_addresses_merge_whatever_their_case() -> None:
    identities = merge_people(
        [Person("a:1", "Eve", "Eve@Example.ORG"), Person("b:2", "E.", "eve@example.org ")]
    )
    assert identities.key("a:1") == identities.key("b:2") == email_key("eve@example.org")


def test_pseudonyms_are_stable_with_the_same_salt_and_differ_with_another(sources) -> None:
    slack, _ = sources
    identities = merge_people(read_slack_people(slack))
    one = Pseudonymizer("salt-one", identities)
    again = Pseudonymizer("salt-one", identities)
    other = Pseudonymizer("salt-two", identities)
    key = "slack:fixture:user:U0ANN"
    assert one.actor(key) == again.actor(key)
    assert one.name(key) == again.name(key)
    assert re.fullmatch(r"Person [0-9a-f]{6}", one.name(key))
    assert one.actor(key) != other.actor(key)
    assert one.name(key) != other.name(key)
    assert one.actor(key) != one.actor("slack:fixture:user:U0BOB")
    first = activities(one.batches(read_slack(slack)))
    second = activities(again.batches(read_slack(slack)))
    assert first == second


def test_texts_lose_addresses_mentions_and_known_names(sources) -> None:
    slack, mail = sources
    identities = merge_people([*read_slack_people(slack), *people_mbox(mail)])
    p = Pseudonymizer("s", identities)
    text = p.text(
        "<@U0ANN> Ann Whitfield, mail ann.whitfield@example.org or bob at example.net; @cyo",
        actor="slack:fixture:user:U0BOB",
    )
    ann = p.name("slack:fixture:user:U0ANN")
    assert text == f"@{ann} {ann}, mail [address] or [address]; @someone"


def test_mail_ids_that_carry_addresses_become_opaque_and_threads_survive(sources) -> None:
    _, mail = sources
    p = Pseudonymizer("s", merge_people(people_mbox(mail)))
    root, reply = activities(p.batches(read_mbox(mail)))
    assert "@" not in root.id + root.object_id + reply.id + str(reply.parent_id)
    assert reply.parent_id == root.object_id
    assert reply.target_actor == root.actor
    assert "name" not in reply.meta or reply.meta["name"].startswith("Person ")


def rendered(acts: list[Activity], names: dict[str, str]) -> str:
    """Every output format of every community in the activities, as one string."""
    frame = to_frame(acts)
    out = []
    for community in sorted(set(frame["community"])):
        part = frame.filter(frame["community"] == community)
        report = build_report(analyze(part, community, names=names), names=names)
        buffer = io.StringIO()
        render_terminal(report, console=Console(file=buffer, width=160, record=True))
        out += [to_json(report), render_html(report), buffer.getvalue()]
    return "\n".join(out)


def test_no_real_name_address_or_login_appears_in_any_pseudonymised_output(sources) -> None:
    slack, mail = sources
    identities = merge_people([*read_slack_people(slack), *people_mbox(mail)])
    p = Pseudonymizer("secret", identities)
    acts = activities(p.batches(read_slack(slack))) + activities(p.batches(read_mbox(mail)))
    output = rendered(acts, p.names)
    stored = json.dumps([to_frame(acts).to_dicts()], default=str)
    real = [v for person in (ANN, BOB, CY) for v in person] + ["Whitfield", "Marchetti"]
    for value in real:
        assert value.lower() not in output.lower(), value
        assert value.lower() not in stored.lower(), value
    assert "Person " in output


def test_without_pseudonyms_the_report_shows_the_merged_names(sources) -> None:
    slack, mail = sources
    identities = merge_people([*read_slack_people(slack), *people_mbox(mail)])
    acts = activities(apply_identities(read_slack(slack), identities))
    output = rendered(acts, dict(identities.names))
    assert "Ann Whitfield" in output


def test_an_empty_salt_is_refused() -> None:
    with pytest.raises(ValueError, match="salt"):
        Pseudonymizer("")
