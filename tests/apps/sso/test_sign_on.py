"""Single sign-on, end to end: Cultivate against a real OpenID Connect provider in its own process
(django-oauth-toolkit under gunicorn), over HTTP, with PKCE, a nonce and RS256-signed ID tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.checks import run_checks
from django.test import Client, override_settings

from cultivate.apps.accounts.models import User
from cultivate.apps.audit.models import AuditEntry
from cultivate.apps.communities.models import Community, Membership, Role
from cultivate.apps.sso.models import SignOnIdentity
from tests.oidc_provider.server import Provider

pytestmark = pytest.mark.django_db

WITHOUT_PASSWORDS = [b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" not in b]


@pytest.fixture
def sso(
    oidc_provider: Provider, community: Community, private_community: Community
) -> Iterator[Provider]:
    """Single sign-on on, passwords off, two groups mapped and one group of KM leads."""
    grants = f"mech-eng={community.slug},safety-leads={private_community.slug}:coordinator"
    with override_settings(
        **oidc_provider.settings(),
        AUTHENTICATION_BACKENDS=[*WITHOUT_PASSWORDS, "cultivate.apps.sso.backend.SignOnBackend"],
        CULTIVATE_LOCAL_PASSWORDS=False,
        CULTIVATE_OIDC_GROUP_COMMUNITIES=grants,
        CULTIVATE_OIDC_KM_LEAD_GROUPS=["km-team"],
    ):
        yield oidc_provider


def _callback_of(client: Client, provider: Provider, username: str, nxt: str = "") -> str:
    start = client.get("/sso/start/" + (f"?next={nxt}" if nxt else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider.url}/o/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    assert query["state"]
    back = provider.sign_in(authorize, username)
    parts = urlsplit(back)
    assert parts.netloc == "testserver"
    assert parts.path == "/sso/callback/"
    return f"{parts.path}?{parts.query}"


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def sign_on(client: Client, provider: Provider, username: str, nxt: str = "") -> Any:
    return client.get(_callback_of(client, provider, username, nxt))


def _signed_in(client: Client) -> User | None:
    user = client.get("/").wsgi_request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def test_the_first_sign_on_makes_an_account_from_the_providers_claims_and_groups(
    sso: Provider, community: Community, private_community: Community
) -> None:
    sso.person("ada", "Ada@Contoso.example", "Ada Lovelace", ("mech-eng", "km-team"))
    client = Client()
    answer = sign_on(client, sso, "ada", nxt=f"/c/{community.slug}/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/c/{community.slug}/"
    ada = _signed_in(client)
    assert ada is not None
    assert (ada.username, ada.email, ada.display_name) == (
        "ada",
        "ada@contoso.example",
        "Ada Lovelace",
    )
    assert not ada.has_usable_password()
    assert ada.is_km_lead
    membership = Membership.objects.get(user=ada, community=community)
    assert membership.is_active
    assert membership.role == Role.MEMBER
    assert membership.granted_by_directory
    assert not Membership.objects.filter(user=ada, community=private_community).exists()
    identity = SignOnIdentity.objects.get(user=ada)
    assert identity.issuer == f"{sso.url}/o"
    assert AuditEntry.objects.filter(action="sso.account_created", subject="ada").exists()
    assert (
        AuditEntry.objects.filter(action="membership.directory_grant", subject="ada").count() == 1
    )


def test_later_sign_ons_follow_the_groups_and_keep_the_account_when_the_address_changes(
    sso: Provider, community: Community, private_community: Community
) -> None:
    sso.person("bob", "bob@contoso.example", "Bob Builder", ("mech-eng", "km-team"))
    sign_on(Client(), sso, "bob")
    bob = User.objects.get(email="bob@contoso.example")
    # The directory moves Bob: out of mechanical engineering and the KM team, into safety
    # leadership; his address changes too.
    sso.person("bob", "robert@contoso.example", "Bob Builder", ("safety-leads",))
    client = Client()
    sign_on(client, sso, "bob")
    assert _signed_in(client) == bob
    bob.refresh_from_db()
    assert bob.email == "robert@contoso.example"
    assert not bob.is_km_lead
    assert not Membership.objects.filter(user=bob, community=community).exists()
    safety = Membership.objects.get(user=bob, community=private_community)
    assert safety.is_coordinator
    assert User.objects.filter(display_name="Bob Builder").count() == 1
    assert client.get(f"/c/{private_community.slug}/").status_code == 200


def test_a_membership_a_person_made_themselves_outlives_the_group(
    sso: Provider, community: Community, make_user: Callable[..., User], join: Callable[..., None]
) -> None:
    cleo = make_user("cleo", email="cleo@contoso.example")
    join(cleo, community)
    sso.person("cleo", "cleo@contoso.example", "Cleo", ())
    sign_on(Client(), sso, "cleo")
    assert Membership.objects.get(user=cleo, community=community).is_active


def test_an_account_with_the_verified_address_is_linked_not_duplicated(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    dora = make_user("dora", email="dora@contoso.example", display_name="Dora D.")
    sso.person("dora.d", "DORA@contoso.example", "Dora Explorer", ())
    client = Client()
    sign_on(client, sso, "dora.d")
    assert _signed_in(client) == dora
    dora.refresh_from_db()
    assert dora.display_name == "Dora D."  # the name the person chose here stays
    assert SignOnIdentity.objects.filter(user=dora).count() == 1
    assert AuditEntry.objects.filter(action="sso.account_linked", subject="dora").exists()


def test_an_unverified_address_neither_links_nor_makes_an_account(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    make_user("eve-victim", email="victim@contoso.example")
    sso.person("mallory", "victim@contoso.example", "Mallory", ("unverified-email",))
    client = Client()
    answer = sign_on(client, sso, "mallory")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/"
    assert _signed_in(client) is None
    assert not SignOnIdentity.objects.exists()
    assert any("did not vouch for your e-mail address" in m for m in _messages(answer))


def test_an_unfinished_sign_up_with_the_address_is_replaced_never_taken_over(
    sso: Provider, client: Client
) -> None:
    with override_settings(CULTIVATE_LOCAL_PASSWORDS=True):
        client.post(
            "/accounts/signup/",
            {"username": "squatter", "email": "fay@contoso.example", "name": "Not Fay",
             "password": "Squatter-pass-123", "password_again": "Squatter-pass-123"},
        )  # fmt: skip
    assert User.objects.filter(username="squatter", pending_since__isnull=False).exists()
    sso.person("fay", "fay@contoso.example", "Fay", ())
    browser = Client()
    sign_on(browser, sso, "fay")
    fay = _signed_in(browser)
    assert fay is not None
    assert fay.username == "fay"
    assert not fay.has_usable_password()
    assert not User.objects.filter(username="squatter").exists()


def test_a_replayed_or_forged_answer_signs_nobody_in(sso: Provider) -> None:
    sso.person("gus", "gus@contoso.example", "Gus", ())
    first = Client()
    callback = _callback_of(first, sso, "gus")
    assert first.get(callback).status_code == 302
    assert _signed_in(first) is not None
    first.post("/accounts/logout/")
    again = first.get(callback)  # the state was used: it is gone from the session
    assert again["Location"] == "/accounts/login/"
    assert _signed_in(first) is None
    assert any("already used or never asked for" in m for m in _messages(again))
    stranger = Client()  # an answer captured from someone else's browser
    stolen = stranger.get(callback)
    assert stolen["Location"] == "/accounts/login/"
    assert _signed_in(stranger) is None


def test_a_switched_off_account_does_not_open_by_sign_on(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    make_user("hal", email="hal@contoso.example", is_active=False)
    sso.person("hal", "hal@contoso.example", "Hal", ())
    client = Client()
    answer = sign_on(client, sso, "hal")
    assert _signed_in(client) is None
    assert any("switched off" in m for m in _messages(answer))


def test_with_sign_on_on_passwords_are_off_everywhere(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    make_user("ivy")
    client = Client()
    page = client.get("/accounts/login/")
    assert b"Log in with Contoso" in page.content
    assert b'name="password"' not in page.content
    refused = client.post("/accounts/login/", {"username": "ivy", "password": "a-Long-passw0rd"})
    assert refused["Location"] == "/accounts/login/"
    assert _signed_in(client) is None
    for path in ("/accounts/signup/", "/accounts/password/reset/", "/accounts/password/change/"):
        assert client.get(path)["Location"] == "/accounts/login/", path
    assert b"Sign up" not in client.get("/").content


def test_passwords_kept_alongside_sign_on_both_open_accounts(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    make_user("jo")
    with override_settings(
        CULTIVATE_LOCAL_PASSWORDS=True,
        AUTHENTICATION_BACKENDS=[
            *settings.AUTHENTICATION_BACKENDS,
            "django.contrib.auth.backends.ModelBackend",
        ],
    ):
        client = Client()
        page = client.get("/accounts/login/")
        assert b"Log in with Contoso" in page.content
        assert b'name="password"' in page.content
        client.post("/accounts/login/", {"username": "jo", "password": "a-Long-passw0rd"})
        assert _signed_in(client) is not None


def test_without_sign_on_its_pages_are_not_found(client: Client) -> None:
    assert client.get("/sso/start/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404
    assert b"company account" not in client.get("/accounts/login/").content


def test_a_sign_on_nobody_could_finish_stops_the_server_starting() -> None:
    with override_settings(OIDC_RP_CLIENT_ID="", CULTIVATE_LOCAL_PASSWORDS=False):
        assert "cultivate.E101" in {m.id for m in run_checks()}
    with override_settings(OIDC_RP_CLIENT_ID="cultivate", OIDC_OP_TOKEN_ENDPOINT=""):
        problems = [m for m in run_checks() if m.id == "cultivate.E102"]
        assert problems
        assert "OIDC_OP_TOKEN_ENDPOINT" in problems[0].msg
    with override_settings(
        OIDC_RP_CLIENT_ID="cultivate", CULTIVATE_OIDC_GROUP_COMMUNITIES="mech-eng=>oops:boss"
    ):
        problems = [m for m in run_checks() if m.id == "cultivate.E103"]
        assert problems
        assert "'mech-eng=>oops:boss'" in problems[0].msg
