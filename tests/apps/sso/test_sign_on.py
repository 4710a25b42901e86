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
        AuditEntry.objects.filter(action="membership.directory_granted", subject="ada").count() == 1
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


def test_an_address_the_provider_gave_to_someone_new_does_not_open_the_old_owners_account(
    sso: Provider,
) -> None:
    sso.person("kim", "team-lead@contoso.example", "Kim", ())
    sign_on(Client(), sso, "kim")
    kim = User.objects.get(email="team-lead@contoso.example")
    # Kim moved on; the provider gives the address to Lou, a different person (a new subject).
    sso.person("kim", "kim@contoso.example", "Kim", ())
    sso.person("lou", "team-lead@contoso.example", "Lou", ())
    lou = Client()
    answer = sign_on(lou, sso, "lou")
    assert _signed_in(lou) is None
    assert any("another person of your company signs in to" in m for m in _messages(answer))
    assert SignOnIdentity.objects.filter(user=kim).count() == 1


def test_switching_an_account_off_ends_its_single_sign_on_sessions(sso: Provider) -> None:
    sso.person("max", "max@contoso.example", "Max", ())
    client = Client()
    sign_on(client, sso, "max")
    assert _signed_in(client) is not None
    User.objects.filter(username="max").update(is_active=False)
    assert _signed_in(client) is None


def test_a_coordinator_role_the_groups_gave_goes_with_the_group_and_no_other(
    sso: Provider,
    private_community: Community,
    community: Community,
    make_user: Callable[..., User],
    join: Callable[..., None],
) -> None:
    from cultivate.apps.communities.services import member_promote

    sso.person("nia", "nia@contoso.example", "Nia", ("safety-leads", "mech-eng"))
    sign_on(Client(), sso, "nia")
    nia = User.objects.get(username="nia")
    assert Membership.objects.get(user=nia, community=private_community).is_coordinator
    # A coordinator of mechanical engineering promotes Nia there themselves.
    mech = Membership.objects.get(user=nia, community=community)
    member_promote(membership=mech, by=community.created_by)
    # The directory now makes Nia a plain member of safety and drops her from mechanical
    # engineering: the role it gave goes; the membership it made ends, promotion or not.
    sso.person("nia", "nia@contoso.example", "Nia", ("safety-members",))
    with override_settings(
        CULTIVATE_OIDC_GROUP_COMMUNITIES=(
            f"safety-leads={private_community.slug}:coordinator,"
            f"safety-members={private_community.slug}"
        )
    ):
        sign_on(Client(), sso, "nia")
    safety = Membership.objects.get(user=nia, community=private_community)
    assert safety.is_active
    assert safety.role == Role.MEMBER
    assert AuditEntry.objects.filter(action="membership.directory_lowered").exists()
    # A coordinator the community chose keeps the role the directory never gave.
    ola = make_user("ola", email="ola@contoso.example")
    join(ola, community)
    member_promote(
        membership=Membership.objects.get(user=ola, community=community), by=community.created_by
    )
    sso.person("ola", "ola@contoso.example", "Ola", ())
    sign_on(Client(), sso, "ola")
    assert Membership.objects.get(user=ola, community=community).is_coordinator


def test_an_account_an_admin_switched_on_before_its_link_was_opened_is_linked(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    from django.utils import timezone

    pia = make_user("pia", email="pia@contoso.example")
    User.objects.filter(pk=pia.pk).update(pending_since=timezone.now(), is_active=True)
    sso.person("pia.p", "pia@contoso.example", "Pia", ())
    client = Client()
    sign_on(client, sso, "pia.p")
    assert _signed_in(client) == pia


def test_another_site_cannot_sign_a_person_out_through_the_callback(sso: Provider) -> None:
    sso.person("quinn", "quinn@contoso.example", "Quinn", ())
    client = Client()
    sign_on(client, sso, "quinn")
    client.get("/sso/callback/?error=access_denied&state=not-ours")
    assert _signed_in(client) is not None


def test_a_provider_that_does_not_answer_is_said_so_on_the_login_page(sso: Provider) -> None:
    sso.person("rui", "rui@contoso.example", "Rui", ())
    client = Client()
    callback = _callback_of(client, sso, "rui")
    with override_settings(OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:9/o/token/"):
        answer = client.get(callback)
    assert answer["Location"] == "/accounts/login/"
    assert _signed_in(client) is None
    assert any("did not answer" in m for m in _messages(answer))


def test_after_sign_on_a_next_address_on_another_site_is_never_followed(sso: Provider) -> None:
    sso.person("sol", "sol@contoso.example", "Sol", ())
    answer = sign_on(Client(), sso, "sol", nxt="https://evil.example/phish")
    assert answer.status_code == 302
    assert not answer["Location"].startswith("https://evil.example")


def test_the_settings_drop_the_password_backend_when_sign_on_is_on() -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cultivate.config.settings.test",
        "CULTIVATE_OIDC_CLIENT_ID": "cultivate",
    }
    said = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.AUTHENTICATION_BACKENDS, settings.CULTIVATE_LOCAL_PASSWORDS)"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "SignOnBackend" in said
    assert "ModelBackend" not in said
    assert said.strip().endswith("False")


def test_with_passwords_off_no_page_takes_a_password(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    make_user("tao", is_staff=True, is_superuser=True)
    client = Client()
    client.post("/admin/login/", {"username": "tao", "password": "a-Long-passw0rd"})
    assert _signed_in(client) is None
    for path in ("/accounts/signup/finish/MQ/x-y/", "/accounts/password/reset/MQ/set-password/"):
        assert client.post(path, {"password": "a-Long-passw0rd"})["Location"] == "/accounts/login/"


def test_a_linked_account_closes_without_the_password_it_can_no_longer_use(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    uma = make_user("uma", email="uma@contoso.example")
    sso.person("uma", "uma@contoso.example", "Uma", ())
    client = Client()
    sign_on(client, sso, "uma")
    page = client.get("/people/me/close/").content.decode()
    assert "Your user name, to confirm" in page, page[:200]
    assert uma.has_usable_password()


def test_a_password_reset_never_reaches_an_account_the_provider_opens(
    sso: Provider, make_user: Callable[..., User]
) -> None:
    from django.core import mail

    vic = make_user("vic", email="vic@contoso.example")
    sso.person("vic", "vic@contoso.example", "Vic", ())
    sign_on(Client(), sso, "vic")
    assert SignOnIdentity.objects.filter(user=vic).exists()
    with override_settings(CULTIVATE_LOCAL_PASSWORDS=True):
        Client().post("/accounts/password/reset/", {"email": "vic@contoso.example"})
    assert mail.outbox == []
