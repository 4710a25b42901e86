"""Community pages: directory, home, joining, moderation; privacy and bounded queries."""

from __future__ import annotations

from django.urls import reverse

from cultivate.apps.communities.models import Membership, MembershipState
from cultivate.apps.communities.services import community_create
from cultivate.apps.sharing.services import content_flag, content_hide, post_create, question_ask


def test_the_directory_lists_public_communities_and_hides_private_ones(
    client, community, private_community, outsider
):
    client.force_login(outsider)
    html = client.get("/").content.decode()
    assert community.name in html
    assert private_community.name not in html


def test_a_member_sees_their_private_community_in_the_directory(
    client, private_community, coordinator
):
    client.force_login(coordinator)
    assert private_community.name in client.get("/").content.decode()


def test_the_directory_filters_by_visibility_and_still_hides_others_private_communities(
    client, community, private_community, coordinator, outsider
):
    client.force_login(coordinator)
    html = client.get("/", {"visibility": "private"}).content.decode()
    assert private_community.name in html
    assert community.name not in html
    client.force_login(outsider)
    assert private_community.name not in client.get("/", {"visibility": "private"}).content.decode()


def test_a_private_community_home_is_a_404_for_non_members(client, private_community, outsider):
    client.force_login(outsider)
    assert client.get(private_community.get_absolute_url()).status_code == 404


def test_asking_to_join_reads_the_same_whether_or_not_the_community_exists(
    client, private_community, outsider
):
    client.force_login(outsider)
    real = client.post(reverse("communities:join", args=[private_community.slug]), follow=True)
    fake = client.post(reverse("communities:join", args=["no-such-place"]), follow=True)
    assert real.status_code == fake.status_code == 200
    assert [str(m) for m in real.context["messages"]] == [str(m) for m in fake.context["messages"]]
    assert Membership.objects.get(user=outsider).state == MembershipState.REQUESTED


def test_joining_a_public_community_from_its_home(client, community, outsider):
    client.force_login(outsider)
    response = client.post(reverse("communities:join", args=[community.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(community=community, user=outsider).is_active


def test_creating_a_community_through_the_form(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("communities:new"),
        {
            "name": "Electrical Safety",
            "practice": "electrical",
            "description": "Arc flash and more",
            "visibility": "public",
            "slug": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/c/electrical-safety/"


def test_a_duplicate_community_name_shows_an_error_beside_the_field(client, community, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("communities:new"),
        {"name": community.name, "practice": "x", "visibility": "public"},
    )
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()


def test_only_coordinators_reach_the_moderation_desk(client, community, member, coordinator):
    client.force_login(member)
    assert client.get(reverse("sharing:moderation", args=[community.slug])).status_code == 403
    post = post_create(community=community, author=coordinator, title="Buy now", body="Promo")
    content_flag(content=post, by=member, reason="Advertising")
    client.force_login(coordinator)
    html = client.get(reverse("sharing:moderation", args=[community.slug])).content.decode()
    assert "Advertising" in html


def test_a_coordinator_hides_flagged_content_and_the_act_is_logged(
    client, community, member, coordinator
):
    post = post_create(community=community, author=member, title="Off topic", body="Cat pictures")
    client.force_login(coordinator)
    client.post(
        reverse("sharing:moderate", args=["post", post.pk, "hide"]), {"reason": "off topic"}
    )
    post.refresh_from_db()
    assert post.is_hidden
    html = client.get(reverse("sharing:moderation", args=[community.slug])).content.decode()
    assert "off topic" in html


def test_the_community_home_runs_a_bounded_number_of_queries(
    client, community, member, make_user, join, django_assert_max_num_queries
):
    for i in range(25):
        person = make_user()
        join(person, community)
        question_ask(
            community=community, author=person, title=f"Q{i}", body="B", tags=f"tag{i % 5}"
        )
        post_create(community=community, author=person, title=f"P{i}", body="B")
    client.force_login(member)
    with django_assert_max_num_queries(18):
        assert client.get(community.get_absolute_url()).status_code == 200


def test_the_directory_runs_a_bounded_number_of_queries(
    client, coordinator, member, django_assert_max_num_queries
):
    for i in range(30):
        community_create(by=coordinator, name=f"Community {i}", practice=f"practice {i % 3}")
    client.force_login(member)
    with django_assert_max_num_queries(10):
        assert client.get("/?q=Community&page=2").status_code == 200


def test_the_moderation_desk_runs_a_bounded_number_of_queries(
    client, community, coordinator, make_user, join, django_assert_max_num_queries
):
    for i in range(10):
        person = make_user()
        join(person, community)
        post = post_create(community=community, author=person, title=f"P{i}", body="B")
        content_flag(content=post, by=coordinator, reason=f"reason {i}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("sharing:moderation", args=[community.slug])).status_code == 200


def test_the_members_page_runs_a_bounded_number_of_queries(
    client, community, coordinator, make_user, join, django_assert_max_num_queries
):
    for _ in range(30):
        join(make_user(), community)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("communities:members", args=[community.slug])).status_code == 200


def test_an_invited_person_sees_the_invitation_and_may_decline_it(
    client, private_community, coordinator, outsider
):
    from cultivate.apps.communities.services import membership_invite

    membership_invite(community=private_community, user=outsider, by=coordinator)
    client.force_login(outsider)
    page = client.get(reverse("communities:join", args=[private_community.slug]))
    assert page.status_code == 200
    assert "You are invited to Safety Leads" in page.content.decode()
    client.post(reverse("communities:join", args=[private_community.slug]), {"answer": "decline"})
    assert not Membership.objects.filter(community=private_community, user=outsider).exists()


def test_a_warm_community_home_reads_no_content(
    client, community, member, make_user, join, django_assert_max_num_queries
):
    for i in range(10):
        question_ask(community=community, author=member, title=f"Q{i}", body="B", tags="t")
    client.force_login(member)
    client.get(community.get_absolute_url())
    with django_assert_max_num_queries(6):
        html = client.get(community.get_absolute_url()).content.decode()
    assert "Q9" in html


def test_the_community_home_shows_a_new_question_at_once_though_its_lists_are_cached(
    client, community, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert "Fresh question" not in client.get(community.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        question_ask(community=community, author=member, title="Fresh question", body="B")
    assert "Fresh question" in client.get(community.get_absolute_url()).content.decode()


def test_hidden_content_a_coordinator_saw_is_not_served_to_members_from_the_cache(
    client, community, member, coordinator
):
    post = post_create(community=community, author=member, title="Cat pictures", body="Cats")
    content_hide(content=post, by=coordinator, reason="off topic")
    client.force_login(coordinator)
    assert "Cat pictures" in client.get(community.get_absolute_url()).content.decode()
    client.force_login(member)
    assert "Cat pictures" not in client.get(community.get_absolute_url()).content.decode()


def test_a_private_community_home_warmed_by_a_member_stays_a_404_for_outsiders(
    client, private_community, coordinator, outsider
):
    question_ask(community=private_community, author=coordinator, title="Secret roadmap", body="B")
    client.force_login(coordinator)
    assert "Secret roadmap" in client.get(private_community.get_absolute_url()).content.decode()
    client.force_login(outsider)
    response = client.get(private_community.get_absolute_url())
    assert response.status_code == 404
    assert "Secret roadmap" not in response.content.decode()
    client.logout()
    assert client.get(private_community.get_absolute_url()).status_code == 404


def test_a_write_that_rolls_back_leaves_the_content_version_where_it_was(
    community, member, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from cultivate.apps.communities.models import Community

    before = Community.objects.get(pk=community.pk).content_version
    with django_capture_on_commit_callbacks(execute=True):
        question_ask(community=community, author=member, title="Kept", body="B")
    after = Community.objects.get(pk=community.pk).content_version
    assert after > before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                question_ask(community=community, author=member, title="Undone", body="B")
                raise RuntimeError("the caller fails after the service")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Community.objects.get(pk=community.pk).content_version == after


def test_people_are_suggested_by_any_word_of_their_name_and_members_only_for_a_community(
    client, community, private_community, coordinator, member, make_user
):
    sam = make_user("srivera", display_name="Sam Rivera", department="Pumps")
    make_user("olga", display_name="Olga Other")
    client.force_login(coordinator)
    url = reverse("suggest:people")

    for typed in ("sam", "riv", "SRI"):
        html = client.get(url, {"q": typed}).content.decode()
        assert 'data-value="srivera"' in html, typed
        assert "Pumps" in html
    assert client.get(url, {"q": ""}).content.decode().strip() == ""
    members_only = client.get(url, {"q": "sam", "community": community.slug}).content.decode()
    assert "srivera" not in members_only  # not a member
    assert (
        "Mia Member" in client.get(url, {"q": "mia", "community": community.slug}).content.decode()
    )

    client.force_login(sam)
    private = client.get(url, {"q": "coco", "community": private_community.slug})
    assert private.status_code == 404
    client.logout()
    assert client.get(url, {"q": "sam"}).status_code == 302  # sign in first


def test_the_invite_and_kudos_fields_suggest_people_as_one_types(client, community, coordinator):
    client.force_login(coordinator)
    invite = client.get(reverse("communities:invite", args=[community.slug])).content.decode()
    assert f'data-suggest="{reverse("suggest:people")}"' in invite
    kudos = client.get(reverse("celebrations:kudos_new", args=[community.slug])).content.decode()
    assert f'data-suggest="{reverse("suggest:people")}?community={community.slug}"' in kudos


def test_a_nul_character_typed_in_a_suggestion_or_member_search_is_refused_not_a_crash(
    client, community, coordinator
):
    """PostgreSQL refuses NUL in a query; the NUL middleware answers 400 before any view runs."""
    client.force_login(coordinator)
    for url in (
        reverse("suggest:people"),
        reverse("sharing:tag_suggestions", args=[community.slug]),
        reverse("communities:members", args=[community.slug]),
    ):
        assert client.get(url, {"q": "co\x00co"}).status_code == 400, url
        assert client.get(url, {"q": "coco"}).status_code == 200, url
