"""The people pages: signing up, logging in and out, resetting a password, profiles."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.services import profile_update
from cultivate.apps.communities.models import Community
from cultivate.apps.sharing.services import answer_create, question_ask

PASSWORD = "a-Long-passw0rd"


def _signup(client: Client, **overrides: str) -> Any:
    data = {
        "username": "rosa",
        "email": "rosa@example.org",
        "name": "Rosa Riveter",
        "department": "Assembly",
        "password": "Rivets-and-gears-42",
        "password_again": "Rivets-and-gears-42",
    }
    data.update(overrides)
    return client.post(reverse("accounts:signup"), data)


def _finish(client: Client, at: int = -1) -> Any:
    """Open the link of the sign-up e-mail and press its button; return the answer."""
    match = re.search(r"http://testserver(/accounts/signup/finish/\S+)", str(mail.outbox[at].body))
    assert match, mail.outbox[at].body
    link = match.group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert "Finish and sign in" in page.content.decode()
    data = {"password": "Rivets-and-gears-42"}
    return client.post(
        link, data | ({"next": page.context["next"]} if page.context["next"] else {})
    )


@pytest.mark.django_db
def test_signing_up_mails_a_link_that_turns_the_account_on_and_signs_the_person_in(
    client: Client,
) -> None:
    response = _signup(client, next="/notifications/")
    assert response.status_code == 200
    assert "We sent a message to" in response.content.decode()
    user = User.objects.get(username="rosa")
    assert (user.email, user.display_name, user.department) == (
        "rosa@example.org",
        "Rosa Riveter",
        "Assembly",
    )
    assert not user.is_active  # nothing works until the address's owner opens the link
    assert SESSION_KEY not in client.session
    assert mail.outbox[0].to == ["rosa@example.org"]
    finished = _finish(client)
    assert finished.status_code == 302
    assert finished["Location"] == "/notifications/"
    user.refresh_from_db()
    assert user.is_active
    assert user.pending_since is None
    assert client.session[SESSION_KEY] == str(user.pk)
    client.logout()
    used = re.search(r"http://testserver(/accounts/signup/finish/\S+/)", str(mail.outbox[0].body))
    assert used
    assert client.get(used.group(1)).status_code == 400  # the link works once


@pytest.mark.django_db
def test_signing_up_keeps_the_time_zone_the_browser_gave_and_ignores_an_unknown_one(
    client: Client,
) -> None:
    page = client.get(reverse("accounts:signup")).content.decode()
    assert "time_zone.js" in page  # the script that reads the browser's zone
    assert 'data-from-browser="time-zone"' in page
    _signup(client, time_zone="Europe/Paris")
    assert User.objects.get(username="rosa").time_zone == "Europe/Paris"
    _signup(client, username="bruno", email="bruno@example.org", time_zone="Mars/Olympus")
    assert User.objects.get(username="bruno").time_zone == ""


@pytest.mark.django_db
def test_signing_up_ignores_a_next_that_leaves_the_site(client: Client) -> None:
    _signup(client, next="https://evil.example/phish")
    assert _finish(client)["Location"] == reverse("welcome:first_steps")


def test_a_taken_user_name_is_shown_beside_its_field(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("rosa", email="rosa@example.org")
    response = _signup(client, username="Rosa", email="other@example.org")
    assert response.status_code == 200
    assert "taken" in response.context["form"].errors["username"][0]
    assert 'id="id_username_error"' in response.content.decode()
    assert User.objects.count() == 1


def test_signing_up_with_an_address_that_has_an_account_looks_the_same_and_mails_its_owner(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("rosa", email="rosa@example.org")
    taken = _signup(client, username="rosa2", email="ROSA@example.org")
    fresh = Client().post(
        reverse("accounts:signup"),
        {"username": "nina", "email": "nina@example.org", "name": "Nina", "department": "",
         "password": "Rivets-and-gears-42", "password_again": "Rivets-and-gears-42"},
    )  # fmt: skip
    assert taken.status_code == fresh.status_code == 200
    for response in (taken, fresh):
        assert "accounts/sign_up_sent.html" in [t.name for t in response.templates]

    def page(response: Any, address: str) -> str:
        text = response.content.decode().replace(address, "ADDRESS")
        return re.sub(r"[A-Za-z0-9]{64}", "CSRF", text)  # each page has its own CSRF token

    assert page(taken, "rosa@example.org") == page(fresh, "nina@example.org")
    assert "exists" not in taken.content.decode()
    assert not User.objects.filter(username="rosa2").exists()
    reminder = mail.outbox[0]
    assert reminder.to == ["rosa@example.org"]
    assert "already has" in str(reminder.body)
    assert '"rosa"' in str(reminder.body)
    assert "/accounts/password/reset/" in str(reminder.body)


@pytest.mark.django_db
def test_a_sign_up_never_finished_is_replaced_by_the_next_and_forgotten_after_a_week(
    client: Client,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cultivate.apps.accounts.services import unfinished_sign_ups_prune

    _signup(client)
    _signup(client, name="Rosa R.")  # the same person, again: a new link, one account
    assert User.objects.filter(email="rosa@example.org").count() == 1
    assert User.objects.get(email="rosa@example.org").display_name == "Rosa R."
    first = re.search(r"http://testserver(/accounts/signup/finish/\S+/)", str(mail.outbox[0].body))
    assert first
    assert client.get(first.group(1)).status_code == 400  # it died with its sign-up
    assert _finish(client, at=1).status_code == 302
    client.logout()
    _signup(client, username="bruno", email="bruno@example.org")
    User.objects.filter(username="bruno").update(pending_since=timezone.now() - timedelta(days=8))
    _signup(client, username="carla", email="carla@example.org")
    # An admin let Carla in before she opened her link: hers is a real account, never pruned.
    User.objects.filter(username="carla").update(
        pending_since=timezone.now() - timedelta(days=30), is_active=True
    )
    assert unfinished_sign_ups_prune() == 1
    assert not User.objects.filter(username="bruno").exists()
    assert User.objects.filter(username="carla").exists()
    assert not User.objects.filter(email="rosa@example.org", is_active=False).exists()


def test_a_person_an_import_made_claims_the_account_by_resetting_its_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    imported = make_user("ana-imported", email="ana@example.org")
    imported.set_unusable_password()
    imported.save()
    client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]


@pytest.mark.django_db
def test_a_weak_password_is_refused_beside_the_password_field(client: Client) -> None:
    response = _signup(client, password="12345678", password_again="12345678")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"password"}
    assert any("common" in e or "numeric" in e for e in errors["password"])
    assert 'id="id_password_error"' in response.content.decode()
    assert not User.objects.filter(username="rosa").exists()


@pytest.mark.django_db
def test_a_user_name_with_spaces_is_refused_beside_the_field(client: Client) -> None:
    response = _signup(client, username="rosa riveter")
    assert set(response.context["form"].errors) == {"username"}
    assert not User.objects.filter(email="rosa@example.org", is_active=False).exists()


@pytest.mark.django_db
def test_two_different_passwords_are_refused_beside_the_second(client: Client) -> None:
    response = _signup(client, password_again="Something-else-77")
    assert set(response.context["form"].errors) == {"password_again"}
    assert not User.objects.filter(email="rosa@example.org", is_active=False).exists()


@pytest.mark.django_db
def test_the_sign_up_and_login_pages_render_with_labelled_fields(client: Client) -> None:
    for name in ("accounts:signup", "accounts:login", "accounts:password_reset"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert '<label for="id_' in response.content.decode()


def test_logging_in_goes_to_next_and_logging_out_ends_the_session(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("lena")
    response = client.post(
        reverse("accounts:login"),
        {"username": "lena", "password": PASSWORD, "next": "/people/lena/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/lena/"
    assert client.session[SESSION_KEY] == str(user.pk)
    page = client.get("/people/lena/")
    assert "Log out" in page.content.decode()
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_a_wrong_password_is_refused_without_logging_in(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("lena")
    response = client.post(reverse("accounts:login"), {"username": "lena", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session


def test_a_password_reset_mails_a_link_that_sets_a_new_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("lena", email="lena@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "LENA@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena@example.org"]
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(message.body))
    assert match, message.body
    link = match.group(1)

    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token for a session key
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.context["validlink"] is True
    response = client.post(
        form_url, {"new_password1": "Fresh-bearings-91", "new_password2": "Fresh-bearings-91"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Fresh-bearings-91")
    assert client.get(link).status_code == 200  # used link: the page says it no longer works
    assert client.get(link).context["validlink"] is False


@pytest.mark.django_db
def test_a_password_reset_for_an_unknown_address_sends_nothing(client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_person_changes_their_password(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("lena")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-bearings-91",
            "new_password2": "Fresh-bearings-91",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("Fresh-bearings-91")


def test_editing_my_profile_saves_the_expertise_tags(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("lena")
    client.force_login(user)
    url = reverse("people:edit", args=["lena"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "display_name": "Lena Lathe",
            "title": "Process engineer",
            "department": "Machining",
            "location": "Plant 2",
            "bio": "Turning and milling.",
            "expertise": "CNC turning, vibration analysis, cnc turning",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:profile", args=["lena"])
    user.refresh_from_db()
    assert user.display_name == "Lena Lathe"
    assert sorted(user.expertise.values_list("name", flat=True)) == [
        "CNC turning",
        "vibration analysis",
    ]
    page = client.get(reverse("people:profile", args=["lena"])).content.decode()
    assert "Process engineer" in page
    assert "vibration analysis" in page
    assert "Plant 2" in page


def test_a_person_chooses_a_time_zone_on_the_profile_and_a_wrong_one_is_refused(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("lena")
    client.force_login(user)
    url = reverse("people:edit", args=["lena"])
    assert 'value="Asia/Kolkata"' in client.get(url).content.decode()

    client.post(url, {"display_name": "Lena", "time_zone": "Asia/Kolkata"})
    user.refresh_from_db()
    refused = client.post(url, {"display_name": "Lena", "time_zone": "Atlantis/Capital"})

    assert user.time_zone == "Asia/Kolkata"
    assert 'id="id_time_zone_error"' in refused.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"


def test_too_many_expertise_areas_are_refused_beside_the_field(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("lena")
    client.force_login(user)
    response = client.post(
        reverse("people:edit", args=["lena"]),
        {"display_name": "Lena", "expertise": ", ".join(f"area {n}" for n in range(20))},
    )
    assert response.status_code == 200
    assert "expertise" in response.context["form"].errors
    assert 'id="id_expertise_error"' in response.content.decode()
    assert not user.expertise.exists()


def test_nobody_edits_another_persons_profile(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("lena")
    other = make_user("max")
    url = reverse("people:edit", args=["lena"])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.post(url, {"display_name": "Hacked"}).status_code == 403
    assert User.objects.get(username="lena").display_name == "Lena"


@pytest.mark.django_db
def test_an_unknown_person_is_not_found(client: Client) -> None:
    assert client.get(reverse("people:profile", args=["ghost"])).status_code == 404


def test_a_profile_hides_private_memberships_and_questions_from_non_members(
    client: Client,
    make_user: Callable[..., User],
    community: Community,
    private_community: Community,
    join: Callable[..., None],
    outsider: User,
) -> None:
    lena = make_user("lena")
    join(lena, community)
    join(lena, private_community)
    question_ask(
        community=private_community,
        author=lena,
        title="Near miss at press 4",
        body="What happened?",
    )
    question_ask(community=community, author=lena, title="Which gear oil?", body="For a worm gear.")
    url = reverse("people:profile", args=["lena"])

    for viewer in (None, outsider):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Mechanical Engineering" in page
        assert "Which gear oil?" in page
        assert "Safety Leads" not in page
        assert "Near miss" not in page

    insider = make_user("ines")
    join(insider, private_community)
    client.force_login(insider)
    page = client.get(url).content.decode()
    assert "Safety Leads" in page
    assert "Near miss at press 4" in page


def test_the_profile_page_needs_a_bounded_number_of_queries(
    client: Client,
    make_user: Callable[..., User],
    coordinator: User,
    join: Callable[..., None],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    from cultivate.apps.communities.services import community_create

    lena = make_user("lena")
    profile_update(user=lena, display_name="Lena", expertise="a, b, c, d, e")
    for n in range(6):
        place = community_create(by=coordinator, name=f"Guild {n}", practice="guilds")
        join(lena, place)
        question = question_ask(community=place, author=lena, title=f"Question {n}", body="?")
        answer_create(question=question, author=coordinator, body="!")
        other = question_ask(community=place, author=coordinator, title=f"Other {n}", body="?")
        answer_create(question=other, author=lena, body="Answer.")
    client.force_login(coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("people:profile", args=["lena"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Guild 5" in page
    assert "Question 5" in page
    assert "Answer to Other 5" in page


def test_changing_a_password_stops_the_api_tokens_and_the_other_sessions_but_not_this_one(
    client: Client, make_user: Callable[..., User]
) -> None:
    from cultivate.apps.api.services import token_create

    user = make_user("lena")
    token, secret = token_create(user=user, name="laptop script")
    elsewhere = Client()
    elsewhere.force_login(user)  # a session an intruder who knew the password kept
    assert elsewhere.get("/settings/tokens/").status_code == 200
    client.force_login(user)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-bearings-91",
         "new_password2": "Fresh-bearings-91"},
    )  # fmt: skip
    token.refresh_from_db()
    assert token.is_revoked
    api = Client().get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401
    assert elsewhere.get("/settings/tokens/").status_code == 302  # signed out: to the login
    assert client.get("/settings/tokens/").status_code == 200


def test_a_password_reset_stops_the_api_tokens_and_every_session(
    client: Client, make_user: Callable[..., User]
) -> None:
    from cultivate.apps.api.services import token_create

    user = make_user("lena", email="lena@example.org")
    token, _ = token_create(user=user, name="sync", scope="write")
    intruder = Client()
    intruder.force_login(user)
    client.post(reverse("accounts:password_reset"), {"email": "lena@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    form_url = client.get(link.group(1))["Location"]
    client.post(
        form_url, {"new_password1": "Fresh-bearings-91", "new_password2": "Fresh-bearings-91"}
    )
    token.refresh_from_db()
    assert token.is_revoked
    assert intruder.get("/settings/tokens/").status_code == 302


@pytest.mark.django_db
def test_names_and_addresses_cultivate_gives_closed_and_imported_accounts_cannot_be_taken(
    client: Client,
) -> None:
    taken = _signup(client, username="former-1", email="x@deleted.invalid")
    errors = taken.context["form"].errors
    assert set(errors) == {"username", "email"}
    pseudonym = _signup(client, username="Member-4f2a9c", email="y@imported.invalid")
    assert set(pseudonym.context["form"].errors) == {"username", "email"}
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_pending_account_an_admin_switched_on_is_never_replaced_by_a_new_sign_up(
    client: Client,
) -> None:
    _signup(client)
    User.objects.filter(username="rosa").update(is_active=True)  # the admin let her in
    _signup(client, username="rosa-again")
    assert list(User.objects.values_list("username", flat=True)) == ["rosa"]
    assert "already has" in str(mail.outbox[-1].body)


@pytest.mark.django_db
def test_finishing_a_sign_up_asks_for_the_password_chosen_so_nobody_plants_an_account(
    client: Client,
) -> None:
    _signup(client)  # say someone else signed up with rosa's address and their own password
    link = re.search(r"http://testserver(/accounts/signup/finish/\S+)", str(mail.outbox[0].body))
    assert link
    refused = client.post(link.group(1), {"password": "a-guess-by-rosa"})
    assert "That is not the password chosen" in refused.content.decode()
    assert not User.objects.get(username="rosa").is_active
    assert SESSION_KEY not in client.session
