"""A member's persona and activity figures are theirs and their coordinators': the Health page
shows other members aggregates only, and the Portfolio names nobody (issue 16, point 6)."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import _reason, health_snapshot_compute
from cultivate.core.text import _, ngettext

from .helpers import make_lively


def _url(community):
    return reverse("insights:health", args=[community.slug])


@pytest.fixture
def lead(make_user):
    return make_user("kim", display_name="Kim Lead", is_km_lead=True)


@pytest.fixture
def lively(community, make_user, join):
    members = make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    return members


def _own_part(html: str) -> str:
    found = re.search(r'data-testid="own-part">(.*?)</section>', html, re.S)
    assert found is not None, "the page shows no part of the reader's own"
    return " ".join(found.group(1).split())


def test_a_member_sees_their_own_persona_and_figures_and_no_one_elses(client, community, lively):
    me, others = lively[0], lively[1:]
    client.force_login(me)

    html = client.get(_url(community)).content.decode()

    part = _own_part(html)
    assert "Your persona: <strong>engager</strong>" in part  # asks, answers, ties both ways
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd><strong>(\d+)</strong>", part))
    assert figures == {
        "Contributions": "3",
        "Questions": "1",
        "Posts": "0",
        "Helped others": "2",
        "Was helped": "2",
    }
    assert 'data-testid="members-parts"' not in html  # nobody else's persona or figures
    assert "The ties as a list" not in html
    for other in others:
        assert other.name not in html


def test_a_coordinator_and_a_km_lead_see_every_members_persona_figures_and_the_picture(
    client, community, lively, coordinator, lead
):
    for reader in (coordinator, lead):
        client.force_login(reader)

        html = client.get(_url(community)).content.decode()

        table = re.search(r'data-testid="members-parts">(.*?)</section>', html, re.S)
        assert table is not None
        rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", table.group(1))
        personas = {name: persona for name, _role, persona in rows}
        assert personas == {**{m.name: "engager" for m in lively}, coordinator.name: "observer"}
        assert html.count('<svg class="chart"') == 5  # the who-helps-whom picture too
        assert f"{lively[1].name} helped" in html  # the ties as a list
        assert 'data-testid="network-summary"' not in html


def test_the_advice_asks_some_members_of_a_plain_member_and_names_them_to_a_coordinator(
    client, community, lively, coordinator
):
    snapshot = HealthSnapshot.objects.get(community=community)
    action = ngettext(
        "Get the %(n)s unanswered question answered: ask %(people)s, who answered similar ones.",
        "Get the %(n)s unanswered questions answered: ask %(people)s, who answered similar ones.",
        2,
        people=_("%(first)s and %(last)s", first=lively[1].name, last=lively[2].name),
    )
    snapshot.report = {
        **snapshot.report,
        "advice": [
            {
                "action": str(action),
                "evidence": "2 questions have waited more than 7 days.",
                "people": [lively[1].name, lively[2].name],
            }
        ],
        "words": {**snapshot.report["words"], str(action): action.to_json()},
    }
    snapshot.save(update_fields=["report"])

    client.force_login(coordinator)
    named = client.get(_url(community)).content.decode()
    client.force_login(lively[0])
    aggregate = client.get(_url(community)).content.decode()

    assert f"ask {lively[1].name} and {lively[2].name}, who answered" in named
    assert "Get the 2 unanswered questions answered: ask some members, who answered" in aggregate
    assert lively[1].name not in aggregate
    assert lively[2].name not in aggregate


def test_the_part_a_coordinator_saw_is_never_served_to_a_plain_member(
    client, community, lively, coordinator
):
    client.force_login(coordinator)
    assert lively[1].name in client.get(_url(community)).content.decode()  # now in the cache
    client.force_login(lively[0])

    html = client.get(_url(community)).content.decode()

    assert lively[1].name not in html
    assert 'data-testid="network-summary"' in html


def test_the_portfolio_and_its_csv_name_no_member(client, community, lively, lead):
    client.force_login(lead)

    page = client.get(reverse("insights:portfolio")).content.decode()
    table = list(csv.reader(io.StringIO(client.get(reverse("insights:portfolio_csv")).text)))

    assert community.name in page
    assert any(community.name in row for row in table)
    for person in lively:
        assert person.name not in page
        assert person.username not in page
        assert all(person.name not in cell for row in table for cell in row)


def test_a_sentence_that_names_people_is_never_the_portfolios_reason():
    naming = _("Ask %(people)s.", people=_("%(first)s and %(last)s", first="Ana", last="Bo"))
    nested = _("Because %(why)s", why=_("%(people)s answered.", people="Ana"))
    plain = ngettext("%(n)s question waited.", "%(n)s questions waited.", 2)
    report = SimpleNamespace(
        risk=None, advice=[{"evidence": naming}, {"evidence": nested}, {"evidence": plain}]
    )

    assert _reason(report) == plain.to_json()  # type: ignore[arg-type]
