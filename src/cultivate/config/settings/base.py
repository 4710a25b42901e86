"""Settings shared by every deployment; the differences come from config.env only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from cultivate.config import env

django_stubs_ext.monkeypatch()  # lets admin and querysets take type parameters at run time

BASE_DIR = env.BASE_DIR
PACKAGE_DIR = Path(__file__).resolve().parents[2]

SECRET_KEY = env.SECRET_KEY  # only the local and test settings fall back to a fixed one
SECRET_KEY_FALLBACKS = env.SECRET_KEY_FALLBACKS
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "ninja",
    "django_tasks",
    "cultivate.apps.accounts",
    "cultivate.apps.audit",
    "cultivate.apps.communities",
    "cultivate.apps.activity",
    "cultivate.apps.tags",
    "cultivate.apps.sharing",
    "cultivate.apps.notifications",
    "cultivate.apps.search",
    "cultivate.apps.insights",
    "cultivate.apps.api",
    "cultivate.apps.demo",
    "cultivate.apps.imports",
    "cultivate.apps.meetings",
    "cultivate.apps.decisions",
    "cultivate.apps.celebrations",
    "cultivate.apps.practices",
    "cultivate.apps.agenda",
    "cultivate.apps.people",
    "cultivate.apps.sso",
    "cultivate.apps.digest",
    "cultivate.apps.operations",
    "django_tasks_db",
]

MIDDLEWARE = [
    "cultivate.config.logs.RequestIdMiddleware",
    "cultivate.apps.operations.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cultivate.config.middleware.RequestSizeMiddleware",
    "cultivate.config.middleware.RejectNulMiddleware",
    "cultivate.config.middleware.ApiMethodNotAllowedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cultivate.apps.accounts.middleware.PersonLanguageMiddleware",
    "cultivate.apps.accounts.middleware.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cultivate.apps.limits.RateLimitMiddleware",
    "cultivate.config.middleware.AuditAddressMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cultivate.config.urls"
WSGI_APPLICATION = "cultivate.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cultivate.apps.notifications.context_processors.unread_count",
                "cultivate.apps.sso.context_processors.sign_on",
            ],
        },
    }
]


def database(url: str) -> dict[str, Any]:
    """Read a database URL into Django's settings, tuned for its engine."""
    settings: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    # A connection the server dropped (a restart, a failover) is found before the request uses
    # it, so the next request reconnects instead of answering one 500 per process.
    settings["CONN_HEALTH_CHECKS"] = True
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
        # Connections are kept, as for PostgreSQL: opening one runs the PRAGMAs, and closing the
        # last one checkpoints the WAL, 1.4 ms a request (signed-in /healthz took 8 ms, not 2).
        settings["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif settings["ENGINE"] == "django.db.backends.postgresql":
        # A page's queries are short: JIT compiling a plan whose estimate looks large (a search
        # over a common word) took 0.8 s to save milliseconds.
        options: dict[str, Any] = settings.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return settings


DATABASES = {"default": database(env.DATABASE_URL)}
if env.DATABASE_REPLICA_URL:
    # Analytics and reports read from the replica (config.routers); its tests mirror the primary.
    DATABASES["replica"] = database(env.DATABASE_REPLICA_URL) | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["cultivate.config.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "communities:directory"
LOGOUT_REDIRECT_URL = "communities:directory"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: announces every password change (a reset or change stops the API tokens).
    {"NAME": "cultivate.apps.accounts.passwords.PasswordChangeAnnouncer"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
"""Each person reads Cultivate in the language chosen on their profile, else their browser's."""
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# A best practice may hold 2,000,000 characters (practices.services.MAX_BODY); form-encoded,
# that is up to a few times as many bytes. Django's 2.5 MB default would refuse such a post with
# a bare 400 and lose the text; past this the form refuses it with a message and keeps it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
CULTIVATE_API_MAX_BODY = 8 * 1024 * 1024
"""The largest JSON body the API takes (2,000,000 characters of best practice, escaped, fit)."""
CULTIVATE_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""The largest export a coordinator may upload (imports/forms.py says so beside the field)."""

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_ROOT = env.MEDIA_ROOT
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    # Uploads (exports waiting for their import) must be readable by every server and worker:
    # a shared folder by default, an S3-compatible bucket with CULTIVATE_STORAGE=s3.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if env.STORAGE != "s3"
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.env_str("CULTIVATE_S3_BUCKET", "cultivate"),
            "endpoint_url": env.env_str("CULTIVATE_S3_ENDPOINT", "") or None,
            "region_name": env.env_str("CULTIVATE_S3_REGION", "") or None,
            "access_key": env.env_str("CULTIVATE_S3_ACCESS_KEY", "") or None,
            "secret_key": env.env_str("CULTIVATE_S3_SECRET_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

EMAIL_BACKEND = env.EMAIL_URL
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SITE_URL = env.SITE_URL
CULTIVATE_EMBEDDER_DIR = env.EMBEDDER_DIR
"""Where the sentence encoder lives; without it search and similar questions use words only."""


def _connect_timeout(url: str, seconds: float = 0.5) -> str:
    """Add a connect timeout to a Redis URL that does not set one (redis-py reads it there)."""
    if "socket_connect_timeout=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}socket_connect_timeout={seconds}"


TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "cultivate.apps.operations.rq_queue.RetryingRQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
"""CULTIVATE_TASKS_BACKEND names one of these (or gives a backend's dotted path)."""
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(env.TASKS_BACKEND, env.TASKS_BACKEND)}}
if env.TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    # A job queued while Redis is away waits in the database, and the scheduler moves it to RQ
    # when Redis answers (operations/rq_queue.py); a half-second connect timeout keeps an
    # unreachable Redis from holding the request that queued it.
    TASKS["waiting"] = {"BACKEND": TASK_BACKENDS["database"]}
    RQ_QUEUES = {"default": {"URL": _connect_timeout(env.REDIS_URL or "redis://127.0.0.1:6379/0")}}
CULTIVATE_JOB_ATTEMPTS = int(env.env_str("CULTIVATE_JOB_ATTEMPTS", "4"))
"""A failed job is tried this many times, waiting longer each time (apps/operations/queue.py)."""
CULTIVATE_JOB_RETRY_SECONDS = float(env.env_str("CULTIVATE_JOB_RETRY_SECONDS", "30"))
CULTIVATE_WORKER_BEAT_SECONDS = float(env.env_str("CULTIVATE_WORKER_BEAT_SECONDS", "10"))
CULTIVATE_KEEP_NOTIFICATIONS_DAYS = int(env.env_str("CULTIVATE_KEEP_NOTIFICATIONS_DAYS", "365"))
CULTIVATE_KEEP_LOGS_DAYS = int(env.env_str("CULTIVATE_KEEP_LOGS_DAYS", "90"))
"""Sign-in records (axes) older than this are pruned daily; the audit trail is kept."""
CULTIVATE_KEEP_UPLOADS_DAYS = int(env.env_str("CULTIVATE_KEEP_UPLOADS_DAYS", "0"))
"""An uploaded export is deleted as its import ends, or this many days later (retention.py)."""
CULTIVATE_JOB_TIMEOUT_SECONDS = float(env.env_str("CULTIVATE_JOB_TIMEOUT_SECONDS", "10800"))
"""A job running longer is taken for stuck: its try fails and its worker restarts (worker.py)."""

# Cached page parts (apps/fragments.py) are keyed by a version kept in the database, so each
# process's own memory is a correct default; Redis shares one cache between servers, and when
# Redis is away every read is a miss (config.cache), so pages still serve.
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cultivate"}
    if not env.REDIS_URL
    else {
        "BACKEND": "cultivate.config.cache.TolerantRedisCache",
        "LOCATION": env.REDIS_URL,
        # A Redis that stops answering (not refusing) must cost a page half a second, not minutes.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# Rate-limit counters (apps/limits.py) must be shared by every server: Redis when it is set,
# else a table in the database (created by accounts' migration 0004_rate_limit_table).
CACHES["limits"] = (
    {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cultivate_rate_limits",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},  # culling would forget an attacker's count
    }
    if not env.REDIS_URL
    else CACHES["default"] | {"KEY_PREFIX": "limits"}
)
CULTIVATE_RATE_LIMITS: dict[str, dict[str, str]] = {
    # Per signed-in person (or API token); per address only for requests nobody signed in made.
    "login": {"address": "300/15m"},  # wrong passwords per account: AXES_FAILURE_LIMIT
    "signup": {"address": "20/h"},
    "password_reset": {"address": "20/h", "email": "5/h"},  # e-mail: whoever asks about it
    "post": {"person": "30/10m", "address": "30/10m"},
    "search": {"person": "60/m", "address": "60/m"},
    "api": {"person": "600/m", "address": "120/m"},
}
CULTIVATE_RATE_LIMITS_ON = env.env_bool("CULTIVATE_RATE_LIMITS", True)
CULTIVATE_PROXY_COUNT = int(env.env_str("CULTIVATE_PROXY_COUNT", "0"))
"""Proxies in front that append to X-Forwarded-For (nginx: 1); the client address is theirs."""

# django-axes: an account is locked for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT wrong
# passwords in a row (a success resets the count); attempts are kept in the database, shared by
# every server, and the lockout answers 429 like the other limits.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env.env_str("CULTIVATE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(env.env_str("CULTIVATE_LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when addresses are not locked too: locking an address after five wrong passwords
# would lock a whole office behind one address out; addresses are limited by apps/limits.py
# ("login", 300 attempts per 15 minutes) instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cultivate.apps.limits.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cultivate.apps.limits.client_address"
AXES_VERBOSE = False

# Single sign-on (apps/sso, ADR 27): mozilla-django-oidc's authorisation-code flow with PKCE, a
# nonce and a one-time state; it is on when a client id is set, and local passwords are then off
# unless CULTIVATE_LOCAL_PASSWORDS=true keeps them.
OIDC_RP_CLIENT_ID = env.OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env.OIDC_CLIENT_SECRET
OIDC_OP_AUTHORIZATION_ENDPOINT = env.OIDC_AUTHORIZATION_URL
OIDC_OP_TOKEN_ENDPOINT = env.OIDC_TOKEN_URL
OIDC_OP_USER_ENDPOINT = env.OIDC_USERINFO_URL
OIDC_OP_JWKS_ENDPOINT = env.OIDC_JWKS_URL
OIDC_RP_SIGN_ALGO = env.OIDC_SIGN_ALGO
OIDC_RP_SCOPES = env.OIDC_SCOPES
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
CULTIVATE_OIDC_ISSUER = env.OIDC_ISSUER
CULTIVATE_OIDC_PROVIDER_NAME = env.OIDC_PROVIDER_NAME
CULTIVATE_OIDC_GROUPS_CLAIM = env.OIDC_GROUPS_CLAIM
CULTIVATE_OIDC_GROUP_COMMUNITIES = env.OIDC_GROUP_COMMUNITIES
CULTIVATE_OIDC_KM_LEAD_GROUPS = env.OIDC_KM_LEAD_GROUPS
CULTIVATE_LOCAL_PASSWORDS = env.LOCAL_PASSWORDS
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("cultivate.apps.sso.backend.SignOnBackend")
if not CULTIVATE_LOCAL_PASSWORDS:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

if env.REDIS_URL:
    # Sessions are read from Redis and written through to the database: a Redis restart logs
    # no one out (ADR 23).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Scripts and styles come from our own static files only: no inline script, style attribute or
# eval (htmx's own inline style and eval are turned off in base.html's htmx-config), so an
# injected <script> or style="" does nothing even if it got past the sanitiser (ADR 24).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}


def logging_config(*, json_lines: bool) -> dict[str, Any]:
    """Log to the console (systemd's journal keeps it), each line with its request's id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "cultivate.config.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "cultivate.config.logs.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {"cultivate": {"level": "INFO"}, "django_tasks_db": {"level": "INFO"}},
    }


LOGGING = logging_config(json_lines=env.JSON_LOGS)
CULTIVATE_METRICS_TOKEN = env.METRICS_TOKEN
