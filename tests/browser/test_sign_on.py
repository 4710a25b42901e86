"""Single sign-on in a real browser: Cultivate's login page, the company's provider (a real
OpenID Connect provider in its own process), and back, signed in, into the mapped community."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Browser, expect

from cultivate.apps.communities.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_logs_in_with_the_company_provider_and_lands_in_their_community(
    live_server: Any, browser: Browser, oidc_provider: Any, community: Any, shoot: Any
) -> None:
    oidc_provider.allow_redirect(f"{live_server.url}/sso/callback/")
    oidc_provider.person("lin", "lin@contoso.example", "Lin Okafor", ("mech-eng",))
    backends = [b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" not in b]
    with override_settings(
        **oidc_provider.settings(),
        AUTHENTICATION_BACKENDS=[*backends, "cultivate.apps.sso.backend.SignOnBackend"],
        CULTIVATE_LOCAL_PASSWORDS=False,
        CULTIVATE_OIDC_GROUP_COMMUNITIES=f"mech-eng={community.slug}",
    ):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{live_server.url}/accounts/login/?next=/c/{community.slug}/")
        expect(page.locator("#id_password")).to_have_count(0)
        shoot(page, "sign-on-login")
        page.get_by_role("link", name="Log in with Contoso").click()
        expect(page.get_by_role("heading", name="Company sign-in")).to_be_visible()
        assert page.url.startswith(oidc_provider.url)
        page.get_by_label("Username").fill("lin")
        page.get_by_label("Password").fill("provider-password-1")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/c/{community.slug}/")
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Lin Okafor")
        ).to_be_visible()
        assert Membership.objects.get(user__username="lin", community=community).is_active
