"""The decision pages in a real request cycle: forms, the live tally, privacy, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.decisions.actions import action_item_create
from cultivate.apps.decisions.models import ActionItem, Proposal
from cultivate.apps.decisions.services import proposal_close, proposal_create, stance_take


def _deadline(days: int = 5) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_a_member_proposes_a_poll_through_the_form(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("decisions:proposal_new", args=[community.slug]),
        {
            "title": "Where do we meet?",
            "body": "Pick a site.",
            "process": "poll",
            "deadline": _deadline(),
            "options": "Plant A\nPlant B\n\nOnline",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert list(proposal.options.values_list("label", flat=True)) == [
        "Plant A",
        "Plant B",
        "Online",
    ]


def test_poll_option_errors_appear_beside_the_options_field(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("decisions:proposal_new", args=[community.slug]),
        {
            "title": "Where?",
            "body": "Pick.",
            "process": "poll",
            "deadline": _deadline(),
            "options": "Plant A\nplant a",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_options_error"' in html
    assert "repeated: &#x27;plant a&#x27;" in html


def test_a_stance_through_the_page_shows_in_the_tally_and_the_history(
    client, consent, community, second
):
    client.force_login(second)
    url = reverse("decisions:stance", args=[community.slug, consent.pk])
    client.post(url, {"stance": "disagree", "reason": "Too much admin."})
    client.post(url, {"stance": "agree", "reason": ""})
    tally = client.get(reverse("decisions:tally", args=[community.slug, consent.pk]))
    html = tally.content.decode()
    assert 'data-testid="count-agree">1<' in html
    assert "Sam Second" in html
    assert 'hx-trigger="every 5s"' in html
    history = client.get(
        reverse("decisions:history", args=[community.slug, consent.pk, second.username])
    ).content.decode()
    assert history.index("Disagree") < history.index("Agree")


def test_a_block_without_a_reason_is_shown_beside_the_reason(client, consent, community, second):
    client.force_login(second)
    response = client.post(
        reverse("decisions:stance", args=[community.slug, consent.pk]), {"stance": "block"}
    )
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()


def test_a_late_stance_is_refused_on_the_page_saying_when_it_closed(
    client, consent, community, second
):
    Proposal.objects.filter(pk=consent.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client.force_login(second)
    response = client.post(
        reverse("decisions:stance", args=[community.slug, consent.pk]), {"stance": "agree"}
    )
    assert response.status_code == 400
    assert "Taking part closed at the deadline" in response.content.decode()


def test_the_proposer_closes_with_an_outcome_and_the_page_shows_it(
    client, consent, community, member
):
    client.force_login(member)
    client.post(
        reverse("decisions:close", args=[community.slug, consent.pk]),
        {"outcome": "Adopted: **one** log."},
    )
    page = client.get(consent.get_absolute_url()).content.decode()
    assert 'data-testid="decided"' in page
    assert "<strong>one</strong>" in page
    assert "hx-trigger" not in page


def test_someone_else_cannot_close(client, consent, community, second):
    client.force_login(second)
    response = client.post(
        reverse("decisions:close", args=[community.slug, consent.pk]), {"outcome": "Mine."}
    )
    assert response.status_code == 403


def test_action_items_from_a_decision_show_its_progress(client, consent, community, member, second):
    proposal_close(proposal=consent, by=member, outcome="Adopted.")
    client.force_login(member)
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    new = reverse("decisions:action_new", args=[community.slug])
    response = client.post(
        f"{new}?proposal={consent.pk}",
        {"title": "Write the template", "owner": second.pk, "due": due, "proposal": consent.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == consent.get_absolute_url()
    item = ActionItem.objects.get()
    client.force_login(second)
    client.post(
        reverse("decisions:action_status", args=[community.slug, item.pk]), {"status": "done"}
    )
    page = client.get(consent.get_absolute_url()).content.decode()
    assert '<progress value="1" max="1"' in page
    assert "1 of 1</strong> done (100%)" in page


def test_an_owner_from_outside_is_refused_by_the_form(client, community, member, outsider):
    client.force_login(member)
    response = client.post(
        reverse("decisions:action_new", args=[community.slug]),
        {"title": "Audit", "owner": outsider.pk, "due": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert 'id="id_owner_error"' in response.content.decode()


def test_the_actions_page_filters_overdue_items(client, community, member, second):
    for title, owner in (("Late one", second), ("On time", member)):
        action_item_create(
            community=community,
            by=member,
            title=title,
            owner=owner,
            due=timezone.localdate() + timedelta(days=1),
        )
    ActionItem.objects.filter(title="Late one").update(due=timezone.localdate() - timedelta(days=1))
    client.force_login(member)
    url = reverse("decisions:actions", args=[community.slug])
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert "Late one" in html
    assert "On time" not in html
    html = client.get(url, {"owner": "mia"}).content.decode()
    assert "Late one" not in html
    assert "On time" in html


def test_a_private_communitys_decisions_are_404_to_outsiders(client, private_community, outsider):
    coordinator = private_community.created_by
    proposal = proposal_create(
        community=private_community,
        by=coordinator,
        title="Secret",
        body="Shh.",
        deadline=timezone.now() + timedelta(days=1),
        process="consent",
        options=None,
    )
    client.force_login(outsider)
    for url in (
        reverse("decisions:proposals", args=[private_community.slug]),
        proposal.get_absolute_url(),
        reverse("decisions:tally", args=[private_community.slug, proposal.pk]),
        reverse("decisions:actions", args=[private_community.slug]),
    ):
        assert client.get(url).status_code == 404


def test_the_decision_page_runs_a_bounded_number_of_queries(
    client, consent, community, member, second, make_user, join, django_assert_max_num_queries
):
    for n in range(6):
        person = make_user()
        join(person, community)
        stance_take(proposal=consent, by=person, stance="agree")
        action_item_create(
            community=community,
            by=member,
            title=f"Step {n}",
            owner=person,
            due=timezone.localdate() + timedelta(days=n),
            proposal=consent,
        )
    client.force_login(member)
    with django_assert_max_num_queries(20):
        assert client.get(consent.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["proposals", "actions"])
def test_the_decisions_tab_is_marked_current(client, community, member, name):
    client.force_login(member)
    html = client.get(reverse(f"decisions:{name}", args=[community.slug])).content.decode()
    assert 'aria-current="page">Decisions</a>' in html
