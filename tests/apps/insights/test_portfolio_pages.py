"""The Portfolio of every community for KM leads: sorting, filters, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_create
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.core.text import Number, _

PORTFOLIO = reverse("insights:portfolio")
CSV = reverse("insights:portfolio_csv")


@pytest.fixture
def lead(make_user):
    return make_user("kim", display_name="Kim Lead", is_km_lead=True)


def _snapshot(community: Community, *, level: int, health: int, trend: int, risk=None):
    now = timezone.now()
    return HealthSnapshot.objects.create(
        community=community,
        as_of=now,
        computed_at=now,
        day=now.date(),
        level=level,
        health_score=health,
        trend=trend,
        risk=risk,
        report={"level": {"number": level}},
    )


@pytest.fixture
def portfolio(coordinator, community, private_community):
    """Three communities with snapshots and one never analysed."""
    data = community_create(by=coordinator, name="Data Analytics", practice="data")
    fresh = community_create(by=coordinator, name="Brand New", practice="data")
    _snapshot(community, level=2, health=71, trend=5, risk=0.1)
    _snapshot(private_community, level=1, health=40, trend=-12)
    _snapshot(data, level=0, health=12, trend=0, risk=0.8)
    return {"mech": community, "safety": private_community, "data": data, "fresh": fresh}


def _names(response) -> list[str]:
    return [c.name for c in response.context["rows"]]


def test_a_km_lead_sees_every_community_with_level_health_trend_and_risk(
    client, lead, portfolio, django_assert_max_num_queries
):
    client.force_login(lead)

    with django_assert_max_num_queries(6):
        response = client.get(PORTFOLIO)

    assert response.status_code == 200
    html = response.content.decode()
    assert _names(response) == [  # what needs attention first
        "Data Analytics",  # silent
        "Mechanical Engineering",  # risk 10%
        "Safety Leads",  # analysed, risk not yet known
        "Brand New",  # never analysed
    ]
    assert "Private" in html  # private communities are listed for KM leads
    assert "↑ +5" in html
    assert "↓ -12" in html
    assert "→ 0" in html
    assert "10%" in html
    assert "not yet available" in html
    assert "never" in html
    assert "already silent" in html  # level 0: no risk to forecast
    assert reverse("insights:health", args=["safety-leads"]) in html


def test_each_row_names_its_level_colours_its_figures_and_says_why(client, lead, portfolio):
    snapshot = HealthSnapshot.objects.get(community=portfolio["data"])
    snapshot.reason = _("no contribution for %(days)s days", days=Number.count(45)).to_json()
    snapshot.save(update_fields=["reason"])
    client.force_login(lead)

    html = client.get(PORTFOLIO).content.decode()

    assert "reaching people" in html  # Safety Leads, level 1, by name
    assert "silent" in html
    assert '<span class="band health-good">71<span class="visually-hidden"> (good)</span>' in html
    assert '<span class="band health-poor">12<span class="visually-hidden"> (poor)</span>' in html
    assert '<span class="band risk-low">10%<span class="visually-hidden"> (low)</span>' in html
    assert "no contribution for 45 days" in html
    assert 'class="table-scroll"' in html
    lead.language = "fr"
    lead.save(update_fields=["language"])
    french = client.get(PORTFOLIO).content.decode()
    assert "aucune contribution depuis 45 jours" in french
    assert "toucher les gens" in french


def test_the_portfolio_query_count_does_not_grow_with_communities(
    client, lead, portfolio, coordinator, django_assert_max_num_queries
):
    for n in range(15):
        _snapshot(
            community_create(by=coordinator, name=f"Extra {n}", practice="x"),
            level=1,
            health=n,
            trend=0,
        )
    client.force_login(lead)

    with django_assert_max_num_queries(6):
        response = client.get(PORTFOLIO)

    assert len(response.context["rows"]) == 19


def test_everyone_else_gets_403_and_visitors_must_log_in(client, member, coordinator, portfolio):
    for person in (member, coordinator):
        client.force_login(person)
        assert client.get(PORTFOLIO).status_code == 403
        assert client.get(CSV).status_code == 403
    client.logout()
    assert client.get(PORTFOLIO).status_code == 302
    assert client.get(CSV).status_code == 302


def test_the_portfolio_link_shows_in_the_menu_for_km_leads_only(client, lead, member):
    client.force_login(member)
    assert PORTFOLIO not in client.get("/").content.decode()
    client.force_login(lead)
    assert PORTFOLIO in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        (
            "health",
            "desc",
            ["Mechanical Engineering", "Safety Leads", "Data Analytics", "Brand New"],
        ),
        (
            "health",
            "asc",
            ["Data Analytics", "Safety Leads", "Mechanical Engineering", "Brand New"],
        ),
        ("trend", "asc", ["Safety Leads", "Data Analytics", "Mechanical Engineering", "Brand New"]),
        ("risk", "desc", ["Data Analytics", "Mechanical Engineering", "Brand New", "Safety Leads"]),
        (
            "level",
            "desc",
            ["Mechanical Engineering", "Safety Leads", "Data Analytics", "Brand New"],
        ),
        ("name", "desc", ["Safety Leads", "Mechanical Engineering", "Data Analytics", "Brand New"]),
        (
            "private",
            "desc",
            ["Safety Leads", "Brand New", "Data Analytics", "Mechanical Engineering"],
        ),
    ],
)
def test_each_column_sorts_both_ways_with_never_analysed_communities_last(
    client, lead, portfolio, sort, direction, expected
):
    client.force_login(lead)

    response = client.get(PORTFOLIO, {"sort": sort, "dir": direction})

    assert _names(response) == expected


def test_the_sorted_header_says_so_and_links_to_the_other_direction(client, lead, portfolio):
    client.force_login(lead)

    html = client.get(PORTFOLIO, {"sort": "health", "dir": "desc", "q": "a"}).content.decode()

    assert html.count('aria-sort="descending"') == 1
    header = html.split('aria-sort="descending"')[1].split("</th>")[0]
    assert ">Health</a>" in header
    assert "dir=asc" in header
    assert "sort=health" in header
    assert "q=a" in header
    assert html.count('aria-sort="none"') == 8


def test_bad_sort_and_filter_values_fall_back_without_an_error(client, lead, portfolio):
    client.force_login(lead)

    response = client.get(PORTFOLIO, {"sort": "password", "dir": "sideways", "level": "9"})

    assert response.status_code == 200
    assert _names(response)[0] == "Data Analytics"  # the default order: attention
    assert response.context["form"].errors.keys() >= {"level"}


def test_filters_by_level_practice_and_search_text(client, lead, portfolio):
    client.force_login(lead)

    assert _names(client.get(PORTFOLIO, {"level": "1"})) == ["Safety Leads"]
    assert _names(client.get(PORTFOLIO, {"level": "0"})) == ["Data Analytics"]
    assert _names(client.get(PORTFOLIO, {"practice": "data"})) == ["Data Analytics", "Brand New"]
    assert _names(client.get(PORTFOLIO, {"q": "mech"})) == ["Mechanical Engineering"]
    assert _names(client.get(PORTFOLIO, {"q": "data", "level": "0"})) == ["Data Analytics"]


def test_the_csv_has_the_same_filters_and_order_and_every_column(client, lead, portfolio):
    client.force_login(lead)

    response = client.get(CSV, {"practice": "data", "sort": "health", "dir": "desc"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["community"] for r in rows] == ["Data Analytics", "Brand New"]
    first = rows[0]
    assert first["level"] == "0"
    assert first["health"] == "12"
    assert first["trend"] == "0"
    assert first["risk"] == "0.800"
    assert first["private"] == "no"
    assert first["practice"] == "data"
    assert rows[1]["level"] == ""
    assert rows[1]["last_computed"] == ""


def test_the_csv_escapes_commas_and_quotes_and_defuses_formulas(client, lead, coordinator):
    names = ['=HYPERLINK("http://evil")', "+1 Club", "-Minus", "@Home", 'Tea, "milk" & sugar']
    for n, name in enumerate(names):
        community = Community.objects.create(name=name, slug=f"c{n}", practice="=cmd|' /C calc'!A0")
        _snapshot(community, level=1, health=30, trend=-4)
    client.force_login(lead)

    text = client.get(CSV).content.decode()

    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["community"] for r in rows) == sorted(
        ['\'=HYPERLINK("http://evil")', "'+1 Club", "'-Minus", "'@Home", 'Tea, "milk" & sugar']
    )
    assert {r["practice"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert {r["trend"] for r in rows} == {"-4"}  # numbers stay numbers
    assert '"Tea, ""milk"" & sugar"' in text


def test_the_portfolio_shows_the_latest_snapshot_of_each_community(
    client, lead, community, make_user, join
):
    health_snapshot_compute(community=community, as_of=datetime(2025, 1, 1, tzinfo=UTC))
    latest = health_snapshot_compute(community=community, as_of=timezone.now() - timedelta(hours=1))
    client.force_login(lead)

    row = client.get(PORTFOLIO).context["rows"][0]

    assert row.computed_at == latest.computed_at
    assert row.health == latest.health_score
