"""Safe by default: production refuses to start half-configured, passes `check --deploy`, and
every page carries the headers that keep a browser from running what it should not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "CULTIVATE_SECRET_KEY": "kq3V9-x_" * 7,
    "CULTIVATE_ALLOWED_HOSTS": "cop.example.org",
    "CULTIVATE_SITE_URL": "https://cop.example.org",
    "CULTIVATE_MEDIA_ROOT": "/var/lib/cultivate/media",
}


def _clean_environment() -> dict[str, str]:
    """This process's environment without Cultivate's or Django's settings (the browser
    tests, in the same pytest process, allow async-unsafe calls, which check --deploy refuses)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CULTIVATE_")
        and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }


def _python(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_clean_environment() | environment,
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        (
            {},
            [
                "CULTIVATE_SECRET_KEY",
                "CULTIVATE_ALLOWED_HOSTS",
                "CULTIVATE_SITE_URL",
                "CULTIVATE_MEDIA_ROOT outside the code",
            ],
        ),
        (
            {"CULTIVATE_SECRET_KEY": "k" * 50, "CULTIVATE_ALLOWED_HOSTS": "cop.example.org"},
            ["https://"],
        ),
    ],
)
def test_production_refuses_to_start_naming_every_setting_missing(environment, named):
    done = _python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="cultivate.config.settings.production", **environment,
    )  # fmt: skip
    assert done.returncode != 0
    for name in named:
        assert name in done.stderr
    assert "docs/deploy.md" in done.stderr


def test_production_starts_with_a_key_hosts_and_https():
    done = _python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)",
        DJANGO_SETTINGS_MODULE="cultivate.config.settings.production", **PRODUCTION,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_check_deploy_finds_nothing_to_report_in_the_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
        env=_clean_environment()
        | PRODUCTION
        | {"DJANGO_SETTINGS_MODULE": "cultivate.config.settings.production"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (1 silenced)." in done.stdout
    # The one silenced: axes would lock addresses too (ADR 25 says why we limit them instead).
    assert (
        _python(
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SILENCED_SYSTEM_CHECKS)",
            DJANGO_SETTINGS_MODULE="cultivate.config.settings.production",
            **PRODUCTION,
        ).stdout.strip()
        == "['axes.W006']"
    )


@pytest.mark.parametrize("entry", ["wsgi", "asgi"])
def test_a_server_started_without_naming_its_settings_gets_production_and_refuses_a_missing_key(
    entry,
):
    done = _python(f"import cultivate.config.{entry}")
    assert done.returncode != 0
    assert "Cultivate will not start in production without: CULTIVATE_SECRET_KEY" in done.stderr
    started = _python(
        f"import cultivate.config.{entry}; from django.conf import settings; print(settings.DEBUG)",
        **PRODUCTION,
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["False"]


@pytest.mark.parametrize(
    ("module", "has_fallback"),
    [("base", False), ("production", False), ("local", True), ("test", True)],
)
def test_only_the_local_and_test_settings_fall_back_to_a_fixed_secret_key(module, has_fallback):
    done = _python(
        f"import cultivate.config.settings.{module} as s; print(bool(s.SECRET_KEY))",
        **(PRODUCTION | {"CULTIVATE_SECRET_KEY": ""} if module == "production" else {}),
    )
    if module == "production":
        assert done.returncode != 0  # no key: it refuses to start
        return
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(has_fallback)]


def test_every_page_tells_the_browser_to_run_only_our_files_and_to_keep_the_page_out_of_frames(
    client,
):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'",
    ):  # fmt: skip
        assert directive in policy
    assert "unsafe" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_out_of_scripts_reach_and_same_site(client, make_user):
    make_user("ana")
    response = client.post("/accounts/login/", {"username": "ana", "password": "a-Long-passw0rd"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
