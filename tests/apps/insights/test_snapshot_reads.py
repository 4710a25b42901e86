"""The Health page reads a stored snapshot's report as stored, decoded once and never changed."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.selectors import latest_snapshot
from cultivate.apps.insights.services import health_snapshot_compute
from cultivate.apps.sharing import services as sharing

from .helpers import make_lively


def _as_stored(snapshot: HealthSnapshot) -> tuple[object, object]:
    fresh = HealthSnapshot.objects.get(pk=snapshot.pk)
    return fresh.report, fresh.network_layout


def test_the_latest_snapshot_reads_its_report_and_layout_as_stored(
    community, make_user, join
) -> None:
    make_lively(community, make_user, join)
    computed = health_snapshot_compute(community=community)

    read = latest_snapshot(community)

    assert read is not None
    assert read.pk == computed.pk
    assert (read.report, read.network_layout) == _as_stored(computed)
    assert read.report["members"]  # the lively members are in it
    assert read.level == computed.level
    assert read.health_score == computed.health_score


def test_showing_the_page_in_every_way_leaves_the_shared_report_as_stored(
    client, community, make_user, join, coordinator
) -> None:
    members = make_lively(community, make_user, join)
    health_snapshot_compute(community=community)
    url = reverse("insights:health", args=[community.slug])
    shared = latest_snapshot(community)
    assert shared is not None

    for reader, language in ((coordinator, "en"), (members[0], "en"), (members[1], "fr")):
        reader.language = language
        reader.save(update_fields=["language"])
        client.force_login(reader)
        cache.clear()  # draw the report part afresh each time, from the shared report
        assert client.get(url).status_code == 200

    again = latest_snapshot(community)
    assert again is not None
    assert again.report is shared.report  # decoded once, shared by the requests
    assert (again.report, again.network_layout) == _as_stored(again)  # and never changed


def test_a_recomputed_snapshot_is_read_afresh(community, make_user, join) -> None:
    members = make_lively(community, make_user, join)
    first = health_snapshot_compute(community=community)
    before = latest_snapshot(community)
    assert before is not None
    sharing.question_ask(
        community=community, author=members[0], title="One more about seals?", body="Seals."
    )

    second = health_snapshot_compute(community=community)
    after = latest_snapshot(community)

    assert after is not None
    assert after.pk == first.pk
    assert after.computed_at == second.computed_at != before.computed_at
    assert (after.report, after.network_layout) == _as_stored(second)
    assert after.report != before.report
