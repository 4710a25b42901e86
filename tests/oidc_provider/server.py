"""Start the test provider (gunicorn, its own SQLite file, a fresh RSA key) and drive it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "cultivate"
CLIENT_SECRET = "a-test-client-secret"
PASSWORD = "provider-password-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Provider:
    """A running provider: its address, its client, and the redirect URIs it accepts."""

    url: str
    env: dict[str, str]
    redirect_uris: list[str] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        """Cultivate's settings for signing on with this provider."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid email profile groups",
            "CULTIVATE_OIDC_ISSUER": f"{self.url}/o",
            "CULTIVATE_OIDC_PROVIDER_NAME": "Contoso",
        }

    def seed(self, spec: Mapping[str, Any]) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.seed", json.dumps(spec)],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def person(
        self, username: str, email: str, name: str = "", groups: tuple[str, ...] = ()
    ) -> None:
        self.seed(
            {"people": [{"username": username, "email": email, "name": name,
                         "password": PASSWORD, "groups": list(groups)}]}
        )  # fmt: skip

    def allow_redirect(self, uri: str) -> None:
        if uri not in self.redirect_uris:
            self.redirect_uris.append(uri)
            self.seed({"client": {"id": CLIENT_ID, "secret": CLIENT_SECRET,
                                  "redirect_uris": self.redirect_uris}})  # fmt: skip

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Sign in at the provider as a browser would and return where it sends the person
        back (the callback URL with its code and state)."""
        browser = requests.Session()
        login = urljoin(self.url, "/login/")
        page = browser.get(login, timeout=10)
        token = browser.cookies["csrftoken"]
        nxt = authorize_url.removeprefix(self.url)
        answer = browser.post(
            login,
            data={"username": username, "password": PASSWORD, "next": nxt,
                  "csrfmiddlewaretoken": token},
            headers={"Referer": login}, allow_redirects=False, timeout=10,
        )  # fmt: skip
        assert answer.status_code == 302, page.text[:300]
        back = browser.get(urljoin(self.url, answer.headers["Location"]),
                           allow_redirects=False, timeout=10)  # fmt: skip
        assert back.status_code == 302, back.text[:500]
        location = back.headers["Location"]
        assert "code" in parse_qs(urlsplit(location).query), location
        return location


def provider_start(folder: Path) -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = folder / "provider-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(key_file),
    }
    env.pop("DATABASE_URL", None)
    port = _free_port()
    provider = Provider(url=f"http://127.0.0.1:{port}", env=env)
    provider.allow_redirect("http://testserver/sso/callback/")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--log-level", "warning", "tests.oidc_provider.wsgi:application"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{provider.url}/o/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the test OpenID Connect provider did not start") from None
                time.sleep(0.2)
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=10)
