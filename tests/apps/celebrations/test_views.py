"""The wins pages in a real request cycle: the feed, the kudos form, cheers, privacy, queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cultivate.apps.agenda.helping import help_contribute, help_request_create
from cultivate.apps.celebrations.models import Cheer, Kudos
from cultivate.apps.celebrations.services import kudos_give, milestone_post, win_cheer
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.services import answer_accept


def wins_url(community, **query):
    url = reverse("celebrations:wins", args=[community.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_member_gives_kudos_through_the_form_and_sees_it_in_the_feed(
    client, community, member, helper
):
    client.force_login(member)
    response = client.post(
        reverse("celebrations:kudos_new", args=[community.slug]),
        {"receiver": helper.username, "reason": "Rebuilt the **gearbox** overnight."},
    )
    kudos = Kudos.objects.get()
    assert response.status_code == 302
    assert response["Location"] == kudos.get_absolute_url()
    page = client.get(wins_url(community)).content.decode()
    assert f'id="kudos-{kudos.pk}"' in page
    assert "<strong>gearbox</strong>" in page


def test_kudos_form_errors_appear_beside_their_fields(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("celebrations:kudos_new", args=[community.slug]),
        {"receiver": member.username, "reason": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_reason_error"' in html
    assert not Kudos.objects.exists()


def test_kudos_to_yourself_are_refused_on_the_form(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("celebrations:kudos_new", args=[community.slug]),
        {"receiver": member.username, "reason": "Me!"},
    )
    assert response.status_code == 403
    assert not Kudos.objects.exists()


def test_the_accepted_answer_milestone_shows_in_the_feed(client, community, member, answer):
    answer_accept(answer=answer, by=member)
    page = client.get(wins_url(community)).content.decode()
    assert "first accepted answer" in page
    assert 'aria-current="page">Wins</a>' in page


def test_a_member_cheers_a_win_once(client, community, member, helper):
    milestone = milestone_post(community=community, key="k", title="Launch", people=[helper])
    assert milestone is not None
    client.force_login(member)
    url = reverse("celebrations:cheer", args=[community.slug, "milestone", milestone.pk])
    assert client.post(url).status_code == 302
    client.post(url)
    assert Cheer.objects.count() == 1
    page = client.get(wins_url(community)).content.decode()
    assert "✓ You cheered" in page


def test_visitors_see_the_public_feed_without_forms(client, community, member, helper):
    kudos_give(community=community, giver=member, receiver=helper, reason="Thanks.")
    page = client.get(wins_url(community)).content.decode()
    assert "Thanks." in page
    assert "Give kudos" not in page
    assert "Cheer" not in page


def test_a_private_communitys_wins_are_404_to_outsiders(
    client, private_community, coordinator, outsider
):
    milestone = milestone_post(
        community=private_community, key="k", title="Quiet", people=[coordinator]
    )
    assert milestone is not None
    assert client.get(wins_url(private_community)).status_code == 404
    client.force_login(outsider)
    assert client.get(wins_url(private_community)).status_code == 404
    cheer = reverse("celebrations:cheer", args=[private_community.slug, "milestone", milestone.pk])
    assert client.post(cheer).status_code == 404
    kudos = reverse("celebrations:kudos_new", args=[private_community.slug])
    assert client.post(kudos, {"receiver": coordinator.username, "reason": "x"}).status_code == 404


def test_the_person_filter_keeps_their_kudos(client, community, coordinator, member, helper):
    kudos_give(community=community, giver=member, receiver=helper, reason="For Hana.")
    kudos_give(community=community, giver=member, receiver=coordinator, reason="For Coco.")
    page = client.get(wins_url(community, person=helper.username)).content.decode()
    assert "For Hana." in page
    assert "For Coco." not in page
    assert client.get(wins_url(community, person="nobody")).status_code == 404


def test_the_feed_runs_a_bounded_number_of_queries(
    client, community, coordinator, member, helper, answer, django_assert_max_num_queries
):
    for n in range(8):
        kudos = kudos_give(
            community=community,
            giver=member,
            receiver=helper,
            reason=f"Kudos {n}",
            link_kind="answer",
            link_id=answer.pk,
        )
        win_cheer(win=kudos, user=coordinator)
        milestone_post(community=community, key=f"k{n}", title=f"Win {n}", people=[helper])
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(wins_url(community))
    assert response.content.decode().count("✓ You cheered") == 8


def test_a_profile_shows_kudos_only_from_communities_the_viewer_may_see(
    client, community, private_community, coordinator, member, helper, join, outsider
):
    join(helper, private_community)
    kudos_give(community=community, giver=member, receiver=helper, reason="Public thanks.")
    kudos_give(
        community=private_community, giver=coordinator, receiver=helper, reason="Secret thanks."
    )
    profile = reverse("people:profile", args=[helper.username])
    client.force_login(outsider)
    page = client.get(profile).content.decode()
    assert "Kudos received" in page
    assert "Public thanks." in page
    assert "Secret thanks." not in page
    client.force_login(coordinator)
    assert "Secret thanks." in client.get(profile).content.decode()


def test_kudos_find_the_member_by_the_name_colleagues_know_them_by(
    client, community, member, helper
):
    client.force_login(member)
    url = reverse("celebrations:kudos_new", args=[community.slug])
    page = client.get(url).content.decode()
    assert f'data-suggest="{reverse("suggest:people")}?community={community.slug}"' in page

    response = client.post(url, {"receiver": helper.name.upper(), "reason": "Fixed the pump."})

    assert response.status_code == 302
    assert Kudos.objects.get().receiver == helper
    refused = client.post(url, {"receiver": "Nobody Atall", "reason": "x"}).content.decode()
    assert "Nobody in" in refused


def test_kudos_for_documents_and_help_contributions_cost_no_query_each(
    client, community, coordinator, member, helper, django_assert_max_num_queries
):
    request = help_request_create(
        community=community,
        by=member,
        title="Review my checklist",
        body="Draft.",
        due=timezone.localdate() + timedelta(days=5),
    )
    for n in range(6):
        contribution = help_contribute(request=request, by=helper, body=f"Idea {n}.")
        document = document_create(community=community, by=helper, title=f"Doc {n}", body="x")
        for kind, pk in (("helpcontribution", contribution.pk), ("document", document.pk)):
            kudos_give(
                community=community,
                giver=coordinator,
                receiver=helper,
                reason=f"Thanks {kind} {n}",
                link_kind=kind,
                link_id=pk,
            )
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        page = client.get(wins_url(community)).content.decode()
    assert page.count("#contribution-") >= 6
