"""The Health page of a community: who may see it, what it shows, and the Recompute button."""

from __future__ import annotations

import itertools
import re

from django.test import override_settings
from django.urls import reverse

from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import health_snapshot_compute

from .helpers import make_lively


def _url(community):
    return reverse("insights:health", args=[community.slug])


def test_a_member_sees_the_level_evidence_ladder_charts_advice_and_risk_and_the_network_in_sum(
    client, community, make_user, join, django_assert_max_num_queries
):
    members = make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    client.force_login(members[0])

    with django_assert_max_num_queries(8):
        response = client.get(_url(community))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Level 2" in html
    assert "leveraging the network" in html
    for criterion in ("question share", "answered share", "distinct responders"):
        assert criterion in html
    assert "To reach <strong>level 3</strong>" in html
    assert "agenda topics with a deliverable" in html
    for step in ("meeting", "sitting together", "interacting and sharing", "celebrating success"):
        assert step in html
    assert html.count('class="lit"') == 1  # only "interacting and sharing" happened
    assert html.count('<svg class="chart"') == 4  # four monthly charts; the picture names people
    assert "Questions against broadcasts" in html
    assert "Who helps whom" in html
    summary = re.search(r'data-testid="network-summary">(.*?)</p>', html, re.S)
    assert summary is not None
    assert "4 people took part in 8 helping ties" in " ".join(summary.group(1).split())
    for other in members[1:]:
        assert other.name not in html  # neither the picture, its ties nor the advice name them
    assert "responsiveness" in html
    assert "self-promotion" in html
    assert re.search(r'data-testid="risk"><span class="figure">\d+%', html)  # the model
    assert 'data-testid="as-of"' in html
    assert 'aria-current="page">Health' in html.replace("\n", "")
    assert "Recompute now" not in html  # members are not coordinators


def test_a_french_reader_reads_the_report_in_french_from_the_same_snapshot(
    client, community, make_user, join, coordinator
):
    members = make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    reader = coordinator  # who sees the who-helps-whom picture and its names
    client.force_login(reader)
    english = client.get(_url(community)).content.decode()
    reader.language = "fr"
    reader.save(update_fields=["language"])

    html = client.get(_url(community)).content.decode()

    assert "leveraging the network" in english
    assert "tirer parti du réseau" in html  # the level's name
    assert "part des questions" in html  # a criterion
    assert "asseoir ensemble" in html  # a step of the ladder
    assert "réactivité" in html  # a health component with its evidence
    assert "des questions ont une réponse sous 7 jours (objectif 90\u202f%)" in html  # numbers too
    assert "Questions face aux diffusions, par mois" in html  # a chart, drawn in French
    assert "Qui aide qui" in html  # the network's description
    for english_words in ("leveraging the network", "question share", "sitting together"):
        assert english_words not in html
    assert members[1].name in html  # names stay as they are
    level = re.search(r'data-testid="risk-level">.*?<strong>(.*?)</strong>', html, re.S)
    assert level is not None
    assert level.group(1) in ("faible", "moyen", "élevé")  # the early warning's level
    ratio = re.search(r"questions par membre actif sur 30 jours.*?(\d+,\d\d)", html, re.S)
    assert ratio is not None  # a ratio written the French way, with a decimal comma
    share = re.search(r"part des questions<.*?</td><td[^>]*>([^<]*)</td>", html, re.S)
    assert share is not None
    assert share.group(1).endswith("%")  # a share still shows as a percentage in French


def test_the_page_draws_the_network_where_the_snapshot_laid_it_out(
    client, community, make_user, join, coordinator
):
    make_lively(community, make_user, join)
    snapshot = health_snapshot_compute(community=community)
    nodes = snapshot.network_layout["nodes"]
    assert nodes
    assert len(snapshot.network_layout["spots"]) == len(nodes)
    # Put everyone on a diagonal no force layout would choose: the page must draw these spots.
    count = len(nodes)
    snapshot.network_layout = {
        "nodes": nodes,
        "spots": [[i / (count - 1), i / (count - 1)] for i in range(count)],
    }
    snapshot.save(update_fields=["network_layout"])
    client.force_login(coordinator)

    html = client.get(_url(community)).content.decode()

    network = html[html.index("Who helped whom") :]
    group = network[network.index('<g class="people">') : network.index('<g class="legend">')]
    people = [
        (float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', group)
    ]
    assert len(people) == count
    steps = {(round(b[0] - a[0]), round(b[1] - a[1])) for a, b in itertools.pairwise(people)}
    assert len(steps) == 1  # evenly spaced on one line, as stored


def test_the_page_computes_a_first_snapshot_when_none_exists(client, community, coordinator):
    client.force_login(coordinator)

    response = client.get(_url(community))

    assert response.status_code == 200
    assert HealthSnapshot.objects.filter(community=community).count() == 1
    assert "Level 0" in response.content.decode()
    assert "No activity yet" not in response.content.decode()  # the founding counts


def test_an_empty_history_shows_no_charts_and_no_crash(client, community, coordinator):
    snapshot = health_snapshot_compute(community=community)
    snapshot.report = {**snapshot.report, "series": [], "network": []}
    snapshot.save(update_fields=["report"])
    client.force_login(coordinator)

    html = client.get(_url(community)).content.decode()

    assert "No activity yet" in html
    assert "Nobody answered" in html


def test_a_non_member_gets_404_for_a_private_community_and_403_for_a_public_one(
    client, community, private_community, outsider
):
    health_snapshot_compute(community=private_community)
    client.force_login(outsider)

    assert client.get(_url(private_community)).status_code == 404
    assert client.get(_url(community)).status_code == 403
    assert client.get(reverse("insights:health", args=["no-such-thing"])).status_code == 404


def test_a_visitor_who_is_not_logged_in_is_asked_to_log_in_only_for_public_communities(
    client, community, private_community
):
    public = client.get(_url(community))
    assert public.status_code == 302
    assert "/accounts/login/" in public["Location"]
    assert client.get(_url(private_community)).status_code == 404


def test_a_km_lead_sees_the_health_of_public_and_private_communities(
    client, community, private_community, make_user
):
    lead = make_user("kim", display_name="Kim Lead", is_km_lead=True)
    client.force_login(lead)

    for target in (community, private_community):
        response = client.get(_url(target))
        assert response.status_code == 200
        assert "Recompute now" in response.content.decode()


def test_the_health_tab_shows_for_members_and_km_leads_only(
    client, community, member, outsider, make_user
):
    home = reverse("sharing:home", args=[community.slug])
    client.force_login(member)
    assert _url(community) in client.get(home).content.decode()
    client.force_login(outsider)
    assert _url(community) not in client.get(home).content.decode()
    client.force_login(make_user("kim", is_km_lead=True))
    assert _url(community) in client.get(home).content.decode()


def test_a_coordinator_recomputes_now_and_sees_the_fresh_report(
    client, community, coordinator, make_user, join
):
    health_snapshot_compute(community=community)
    make_lively(community, make_user, join)
    client.force_login(coordinator)
    assert "Level 2" not in client.get(_url(community)).content.decode()  # the report is cached

    response = client.post(reverse("insights:health_recompute", args=[community.slug]))

    assert response.status_code == 302
    assert response["Location"] == _url(community)
    snapshot = HealthSnapshot.objects.get(community=community)
    assert snapshot.level == 2
    assert "Level 2" in client.get(_url(community)).content.decode()


def test_members_who_do_not_coordinate_cannot_recompute(client, community, member):
    client.force_login(member)

    response = client.post(reverse("insights:health_recompute", args=[community.slug]))

    assert response.status_code == 403
    assert not HealthSnapshot.objects.exists()


def test_recompute_needs_a_post(client, community, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("insights:health_recompute", args=[community.slug]))
    assert response.status_code == 405


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_with_a_queue_the_recompute_is_enqueued_not_run_in_the_request(
    client, community, coordinator
):
    from django_tasks import task_backends

    client.force_login(coordinator)
    health_snapshot_compute(community=community)
    before = HealthSnapshot.objects.get().computed_at

    response = client.post(reverse("insights:health_recompute", args=[community.slug]))

    assert response.status_code == 302
    assert HealthSnapshot.objects.get().computed_at == before
    queued = task_backends["default"].results
    assert [r.kwargs for r in queued] == [{"community_id": community.pk}]
    assert "in the background" in client.get(response["Location"]).content.decode()


def test_the_page_escapes_names_and_text_from_the_report(client, community, coordinator):
    snapshot = health_snapshot_compute(community=community)
    snapshot.report = {
        **snapshot.report,
        "advice": [{"action": "<script>alert(1)</script>", "evidence": "x", "people": ["<b>"]}],
        "network": [{"helper": "<img src=x onerror=alert(1)>", "helped": "b", "weight": 2}],
    }
    snapshot.save(update_fields=["report"])
    client.force_login(coordinator)

    html = client.get(_url(community)).content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_a_private_health_report_cached_for_a_member_is_never_shown_to_an_outsider(
    client, private_community, coordinator, outsider
):
    health_snapshot_compute(community=private_community)
    client.force_login(coordinator)
    assert 'data-testid="level"' in client.get(_url(private_community)).content.decode()
    client.force_login(outsider)

    response = client.get(_url(private_community))

    assert response.status_code == 404
    assert 'data-testid="level"' not in response.content.decode()


def test_responders_without_askers_get_a_line_that_explains_them():
    from cultivate.apps.insights.presenters import _notes

    explained = _notes(
        [{"name": "distinct askers", "value": 0}, {"name": "distinct responders", "value": 3}]
    )
    assert explained == [
        "People answered in the window but nobody asked: the answers went to questions asked "
        "before it."
    ]
    assert (
        _notes(
            [{"name": "distinct askers", "value": 2}, {"name": "distinct responders", "value": 3}]
        )
        == []
    )


def test_every_figure_says_how_it_is_computed_and_links_to_a_section_that_exists(
    client, community, make_user, join
):
    members = make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    client.force_login(members[0])

    health = client.get(_url(community)).content.decode()
    method = client.get(reverse("insights:method"))

    assert method.status_code == 200
    page = method.content.decode()
    anchors = re.findall(r'href="/insights/method/#([a-z-]+)"', health)
    assert len(anchors) >= 12  # the four headline figures, tables, ladder, charts, picture, advice
    for anchor in set(anchors):
        assert f'id="{anchor}"' in page, anchor
    assert "interactive share" in page  # docs/metrics.md's own words
    assert "<table>" in page
    assert "back-test" not in page  # the evaluations stay in the docs


def test_the_who_helps_whom_picture_is_as_tall_as_its_people_need(
    client, community, make_user, join, coordinator
):
    make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    client.force_login(coordinator)

    html = client.get(_url(community)).content.decode()

    network = html[html.index('id="network-h"') :]
    assert 'viewBox="0 0 640 280"' in network  # four people, not a 480 px box


def test_the_method_page_ends_where_make_model_writes_the_back_test():
    from cultivate.apps.insights.method import METHOD_END
    from cultivate.tools.early_warning import DOC_START

    assert DOC_START.startswith(METHOD_END)
