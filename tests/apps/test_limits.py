"""Rate limits and lockout: each limit refuses with 429 and Retry-After, and each one resets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from cultivate.apps import limits
from cultivate.apps.api.services import token_create
from cultivate.apps.limits import Rate, client_address

PASSWORD = "a-Long-passw0rd"


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The limiter's clock, which a test moves forward: now[0] += seconds."""
    now = [1_800_000_000.0]  # the start of a window for every rate below
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    return now


@pytest.fixture
def small_limits(settings) -> None:
    """Every rule small enough to reach in a test; the defaults are checked on their own."""
    settings.CULTIVATE_RATE_LIMITS = {
        "login": {"address": "4/15m"},
        "signup": {"address": "2/h"},
        "password_reset": {"address": "10/h", "email": "2/h"},
        "post": {"person": "2/10m", "address": "2/10m"},
        "search": {"person": "3/m", "address": "3/m"},
        "api": {"person": "3/m", "address": "2/m"},
    }


def _refused(response: Any, seconds: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)


def test_a_rate_reads_counts_per_seconds_minutes_hours_and_days():
    assert Rate.parse("30/10m") == Rate(30, 600)
    assert Rate.parse("5/h") == Rate(5, 3600)
    assert Rate.parse("600/min") == Rate(600, 60)
    assert Rate.parse("20/30s") == Rate(20, 30)
    assert Rate.parse("1/d") == Rate(1, 86400)
    with pytest.raises(ValueError, match="'often' is not a rate"):
        Rate.parse("often")


def test_the_default_limits_cover_every_kind_of_request_the_issue_names(settings):
    assert set(settings.CULTIVATE_RATE_LIMITS) == {
        "login", "signup", "password_reset", "post", "search", "api",
    }  # fmt: skip
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


@pytest.mark.django_db
def test_an_account_is_locked_after_five_wrong_passwords_even_against_the_right_one_then_unlocks(
    client: Client, make_user
):
    make_user("ana")
    login = reverse("accounts:login")
    for _ in range(4):
        wrong = client.post(login, {"username": "ana", "password": "guess"})
        assert wrong.status_code == 200  # the form says the password is wrong
    _refused(client.post(login, {"username": "ana", "password": "guess"}), 900)
    for _ in range(95):  # a hundred in a row: never let in, never counted past the lock
        _refused(client.post(login, {"username": "ana", "password": "guess"}), 900)
    locked = client.post(login, {"username": "ana", "password": PASSWORD})
    _refused(locked, 900)
    assert "Too many attempts" in locked.content.decode()
    assert SESSION_KEY not in client.session
    # Another person signs in from the same address: only the account is locked.
    make_user("bruno")
    other = Client()
    assert other.post(login, {"username": "bruno", "password": PASSWORD}).status_code == 302
    # Fifteen minutes after the last attempt, the right password opens it again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert client.post(login, {"username": "ana", "password": PASSWORD}).status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
def test_a_right_password_clears_the_count_of_wrong_ones(client: Client, make_user):
    make_user("ana")
    login = reverse("accounts:login")
    for _ in range(4):
        client.post(login, {"username": "ana", "password": "guess"})
    assert client.post(login, {"username": "ana", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        assert client.post(login, {"username": "ana", "password": "guess"}).status_code == 200


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_limited_and_the_limit_resets(
    client: Client, small_limits, clock
):
    login = reverse("accounts:login")
    for n in range(4):
        assert client.post(login, {"username": f"p{n}", "password": "x"}).status_code == 200
    refused = client.post(login, {"username": "p9", "password": "x"})
    _refused(refused, 900)
    clock[0] += 600
    _refused(client.post(login, {"username": "p9", "password": "x"}), 300)
    clock[0] += 300
    assert client.post(login, {"username": "p9", "password": "x"}).status_code == 200


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_limited_per_hour(client: Client, small_limits, clock):
    signup = reverse("accounts:signup")
    for _ in range(2):
        assert client.post(signup, {"username": ""}).status_code == 200
    _refused(client.post(signup, {"username": ""}), 3600)
    clock[0] += 3600
    assert client.post(signup, {"username": ""}).status_code == 200


@pytest.mark.django_db
def test_password_resets_for_one_e_mail_are_limited_whoever_asks(small_limits, clock):
    reset = reverse("accounts:password_reset")
    for n in range(2):
        asker = Client(REMOTE_ADDR=f"10.0.0.{n}")
        assert asker.post(reset, {"email": "ana@example.org"}).status_code == 302
    from_elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    _refused(from_elsewhere.post(reset, {"email": "Ana@Example.org "}), 3600)
    assert from_elsewhere.post(reset, {"email": "bruno@example.org"}).status_code == 302
    clock[0] += 3600
    assert from_elsewhere.post(reset, {"email": "ana@example.org"}).status_code == 302


@pytest.mark.django_db
def test_posting_is_limited_per_person_and_the_page_says_when_to_try_again(
    client: Client, member, community, make_user, join, small_limits, clock
):
    client.force_login(member)
    ask = reverse("sharing:ask", args=[community.slug])
    for n in range(2):
        data = {"title": f"How do we align pump shaft number {n}?", "body": "Laser or dial?"}
        assert client.post(ask, data).status_code == 302
    refused = client.post(ask, {"title": "A third question in a minute?", "body": "x"})
    _refused(refused, 600)
    page = refused.content.decode()
    assert "Please wait 10 minutes and try again" in page
    # Someone else in the same office (the same address) still posts.
    cleo = make_user("cleo")
    join(cleo, community)
    colleague = Client()
    colleague.force_login(cleo)
    data = {"title": "Which grease for the pump bearings?", "body": "Lithium or calcium?"}
    assert colleague.post(ask, data).status_code == 302
    clock[0] += 600
    data = {"title": "How do we align pump shaft number 3?", "body": "Laser or dial?"}
    assert client.post(ask, data).status_code == 302


@pytest.mark.django_db
def test_search_is_limited_per_person(client: Client, member, small_limits, clock):
    client.force_login(member)
    for _ in range(3):
        assert client.get("/search/", {"q": "pump"}).status_code == 200
    _refused(client.get("/search/", {"q": "pump"}), 60)
    clock[0] += 60
    assert client.get("/search/", {"q": "pump"}).status_code == 200


@pytest.mark.django_db
def test_the_api_is_limited_per_token_with_a_json_answer(
    client: Client, member, small_limits, clock
):
    _, secret = token_create(user=member, name="sync")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for _ in range(3):
        assert client.get("/api/communities", **auth).status_code == 200
    refused = client.get("/api/communities", **auth)
    _refused(refused, 60)
    assert refused.json()["code"] == "too_many_requests"
    assert refused.json()["retry_after"] == 60
    clock[0] += 60
    assert client.get("/api/communities", **auth).status_code == 200


@pytest.mark.django_db
def test_made_up_tokens_count_against_their_address_however_many_there_are(
    client: Client, member, small_limits, clock
):
    # Two a minute per address: a new made-up token with each request does not reset the count.
    for n in range(2):
        answer = client.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer cvt_made-up-{n}")
        assert answer.status_code == 401
    _refused(client.get("/api/communities", HTTP_AUTHORIZATION="Bearer cvt_made-up-3"), 60)
    # The owner of a real token is counted as the person, not as the address.
    _, secret = token_create(user=member, name="sync")
    assert client.get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_the_client_address_is_the_one_the_trusted_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.CULTIVATE_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"  # nobody trusted: the socket's peer
    settings.CULTIVATE_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # nginx appended it; 6.6.6.6 is the client's
    settings.CULTIVATE_PROXY_COUNT = 3
    assert client_address(request) == "127.0.0.1"  # fewer hops than proxies: not trusted
    settings.CULTIVATE_PROXY_COUNT = 1
    forged = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(forged) == "127.0.0.1"  # not an address: the socket's peer


class BrokenCache(LocMemCache):
    """A cache that stopped answering."""

    def add(self, *args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("the cache is away")


@pytest.mark.django_db
def test_counts_in_the_database_table_are_shared_between_servers(
    client: Client, settings, small_limits, clock
):
    settings.CACHES = settings.CACHES | {
        "limits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cultivate_rate_limits",  # made by accounts' migration 0004
        }
    }
    signup = reverse("accounts:signup")
    for _ in range(2):
        client.post(signup, {"username": ""})
    other_server = Client()  # another process reads the same table
    _refused(other_server.post(signup, {"username": ""}), 3600)


@pytest.mark.django_db
def test_a_cache_that_is_away_lets_requests_through_and_says_so(
    client: Client, settings, small_limits, caplog
):
    settings.CACHES = settings.CACHES | {
        "limits": {"BACKEND": "tests.apps.test_limits.BrokenCache", "LOCATION": "broken"}
    }
    signup = reverse("accounts:signup")
    for _ in range(4):
        assert client.post(signup, {"username": ""}).status_code == 200
    assert "rate limit signup not counted: the cache is away" in caplog.text


@pytest.mark.django_db
def test_writing_through_the_api_counts_as_posting(
    client: Client, member, community, small_limits, clock
):
    _, secret = token_create(user=member, name="bot", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/communities/{community.slug}/questions"
    for n in range(2):
        body = {"title": f"Which seal for pump number {n}?", "body": "Packing or mechanical?"}
        assert client.post(url, body, content_type="application/json", **auth).status_code == 201
    refused = client.post(
        url, {"title": "A third?", "body": "x"}, content_type="application/json", **auth
    )
    _refused(refused, 600)


@pytest.mark.django_db
def test_an_ipv6_network_is_counted_as_one_address_however_it_walks_its_64(
    client: Client, small_limits, clock
):
    for n in range(3):  # three a minute per address
        client.get("/search/", {"q": "pump"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    refused = client.get("/search/", {"q": "pump"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert refused.status_code == 429
    neighbour = client.get("/search/", {"q": "pump"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert neighbour.status_code == 200
