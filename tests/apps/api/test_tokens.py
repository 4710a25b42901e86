"""Personal access tokens: the services and the settings page where people manage them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.api.models import PersonalAccessToken
from cultivate.apps.api.selectors import token_for_secret
from cultivate.apps.api.services import MAX_ACTIVE_TOKENS, token_create, token_revoke


def test_a_token_is_found_by_its_secret_until_it_is_revoked(member):
    token, secret = token_create(user=member, name="wiki sync")
    assert token_for_secret(secret) == token
    assert token_for_secret(secret + "x") is None
    token_revoke(token=token, by=member)
    assert token_for_secret(secret) is None


def test_only_the_owner_can_revoke_a_token(member, outsider):
    token, _ = token_create(user=member, name="wiki sync")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=outsider)
    token_revoke(token=token, by=member)
    with pytest.raises(ValidationError):
        token_revoke(token=token, by=member)


def test_a_token_needs_a_name_and_a_future_expiry(member):
    with pytest.raises(ValidationError) as blank:
        token_create(user=member, name="   ")
    assert set(blank.value.message_dict) == {"name"}
    with pytest.raises(ValidationError) as past:
        token_create(user=member, name="ok", expires_at=timezone.now() - timedelta(days=1))
    assert set(past.value.message_dict) == {"expires_at"}


def test_a_person_cannot_hoard_tokens(member):
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=member, name=f"t{n}")
    with pytest.raises(ValidationError):
        token_create(user=member, name="one too many")


def test_two_tokens_never_share_a_secret(member):
    secrets = {token_create(user=member, name=f"t{n}")[1] for n in range(5)}
    assert len(secrets) == 5


# --- the page ------------------------------------------------------------------------------------


def test_the_token_page_needs_a_login(client, db):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_making_a_token_shows_its_secret_once(client, member):
    client.force_login(member)
    response = client.post(
        reverse("api_tokens:list"), {"name": "wiki sync", "expires_in": "30", "scope": "read"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret
    assert secret in response.content.decode()
    token = PersonalAccessToken.objects.get(user=member)
    assert token.name == "wiki sync"
    assert token.expires_at is not None
    assert token.expires_at > timezone.now() + timedelta(days=29)
    again = client.get(reverse("api_tokens:list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert "no-store" in again.get("Cache-Control", "") or "max-age=0" in again["Cache-Control"]


def test_a_token_without_a_name_shows_the_error_beside_the_field(client, member):
    client.force_login(member)
    response = client.post(reverse("api_tokens:list"), {"name": "", "expires_in": "5"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "expires_in", "scope"}
    assert not PersonalAccessToken.objects.exists()


def test_the_page_lists_only_my_tokens_in_a_few_queries(
    client, member, outsider, django_assert_max_num_queries
):
    for n in range(6):
        token_create(user=member, name=f"mine {n}")
    token_create(user=outsider, name="not mine")
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 200
    names = [t.name for t in response.context["tokens"]]
    assert len(names) == 6
    assert "not mine" not in names


def test_revoking_from_the_page_stops_the_token(client, member):
    token, secret = token_create(user=member, name="old laptop")
    client.force_login(member)
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_someone_elses_token_cannot_be_revoked_and_is_404(client, member, outsider):
    token, _ = token_create(user=member, name="mine")
    client.force_login(outsider)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_every_token_expires_within_a_year_and_reads_only_unless_made_to_write(member):
    token, _ = token_create(user=member, name="default")
    assert token.scope == "read"
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    with pytest.raises(ValidationError) as too_long:
        token_create(user=member, name="x", expires_at=timezone.now() + timedelta(days=400))
    assert set(too_long.value.message_dict) == {"expires_at"}
    with pytest.raises(ValidationError) as unknown:
        token_create(user=member, name="x", scope="admin")
    assert set(unknown.value.message_dict) == {"scope"}


def test_a_read_only_token_reads_but_cannot_write(client, community, member):
    _, secret = token_create(user=member, name="dashboard")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/communities/{community.slug}/questions"
    assert client.get(url, **auth).status_code == 200
    refused = client.post(
        url, {"title": "Pump?", "body": "Which one?"}, content_type="application/json", **auth
    )
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    _, writer = token_create(user=member, name="bot", scope="write")
    posted = client.post(
        url,
        {"title": "Which pump seal?", "body": "Mechanical or packing?"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {writer}",
    )
    assert posted.status_code == 201, posted.content
