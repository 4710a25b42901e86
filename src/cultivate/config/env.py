"""The only place Cultivate reads its environment: what varies by deployment starts here."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
"""The checkout (or the working directory of an installed deployment)."""


def env_str(name: str, default: str) -> str:
    """Return the variable's value, or the default when it is unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but 1/true/yes/on is no."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated variable into a list of trimmed, non-empty items."""
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cultivate.sqlite3'}")
SECRET_KEY = env_str("CULTIVATE_SECRET_KEY", "")
SECRET_KEY_FALLBACKS = env_list("CULTIVATE_SECRET_KEY_FALLBACKS", [])
"""Earlier secret keys after a rotation: sessions, links and imported pseudonyms still work."""
DEBUG = env_bool("CULTIVATE_DEBUG", False)
ALLOWED_HOSTS_GIVEN = bool(os.environ.get("CULTIVATE_ALLOWED_HOSTS"))
"""Production refuses to start on the default hosts below: it must be told its own."""
ALLOWED_HOSTS = env_list("CULTIVATE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
EMAIL_URL = env_str("CULTIVATE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CULTIVATE_FROM_EMAIL", "cultivate@localhost")
SITE_URL = env_str("CULTIVATE_SITE_URL", "http://127.0.0.1:8000")
TASKS_BACKEND = env_str("CULTIVATE_TASKS_BACKEND", "database")
"""database (jobs in the database, `cultivate worker`), rq (RQ on Redis), immediate (inline)."""
REDIS_URL = env_str("CULTIVATE_REDIS_URL", "")
"""Where a production deployment keeps its shared cache and sessions (redis://host:6379/0)."""
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
"""A read replica: analytics and reports read from it when set (config.routers)."""
STORAGE = env_str("CULTIVATE_STORAGE", "folder")
"""Where uploads are kept: folder (MEDIA_ROOT, shared by NFS) or s3 (an S3-compatible bucket)."""
MEDIA_ROOT = Path(env_str("CULTIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
JSON_LOGS = env_bool("CULTIVATE_JSON_LOGS", False)
"""One JSON object per log line, with the request's id."""
JSON_LOGS_IN_PRODUCTION = env_bool("CULTIVATE_JSON_LOGS", True)
"""In production JSON lines are the default (CULTIVATE_JSON_LOGS=false turns them off)."""
METRICS_TOKEN = env_str("CULTIVATE_METRICS_TOKEN", "")
"""A bearer token Prometheus presents at /metrics (staff sessions need none)."""
DATA_DIR = Path(env_str("CULTIVATE_DATA", str(BASE_DIR.parent / "shared" / "data")))
EMBEDDER_DIR = Path(
    env_str("CULTIVATE_EMBEDDER", str(BASE_DIR / "var" / "models" / "all-MiniLM-L6-v2"))
)
"""The sentence encoder `make embedder` builds (model.onnx, tokenizer.json, manifest.json)."""

# Single sign-on with the company's OpenID Connect provider (apps/sso, docs/security.md).
OIDC_CLIENT_ID = env_str("CULTIVATE_OIDC_CLIENT_ID", "")
"""Set with the provider's endpoints below, this turns single sign-on on."""
OIDC_CLIENT_SECRET = env_str("CULTIVATE_OIDC_CLIENT_SECRET", "")
OIDC_ISSUER = env_str("CULTIVATE_OIDC_ISSUER", "")
"""The provider's issuer; ID tokens from any other issuer are refused when it is set."""
OIDC_AUTHORIZATION_URL = env_str("CULTIVATE_OIDC_AUTHORIZATION_URL", "")
OIDC_TOKEN_URL = env_str("CULTIVATE_OIDC_TOKEN_URL", "")
OIDC_USERINFO_URL = env_str("CULTIVATE_OIDC_USERINFO_URL", "")
OIDC_JWKS_URL = env_str("CULTIVATE_OIDC_JWKS_URL", "")
OIDC_SIGN_ALGO = env_str("CULTIVATE_OIDC_SIGN_ALGO", "RS256")
OIDC_SCOPES = env_str("CULTIVATE_OIDC_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = env_str("CULTIVATE_OIDC_PROVIDER_NAME", "")
"""The provider's name on the login button ("Log in with Contoso"); empty says "your company"."""
OIDC_GROUPS_CLAIM = env_str("CULTIVATE_OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_COMMUNITIES = env_str("CULTIVATE_OIDC_GROUP_COMMUNITIES", "")
"""group=community-slug[:coordinator], comma-separated: the provider's groups grant memberships."""
OIDC_KM_LEAD_GROUPS = env_list("CULTIVATE_OIDC_KM_LEAD_GROUPS", [])
"""Groups whose members are knowledge-management leads (empty: the role is set in Cultivate)."""
LOCAL_PASSWORDS = env_bool("CULTIVATE_LOCAL_PASSWORDS", not OIDC_CLIENT_ID)
"""Passwords kept by Cultivate: on by default, off by default once single sign-on is on."""
