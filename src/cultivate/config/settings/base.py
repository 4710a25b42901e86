"""Settings shared by every deployment; the differences come from config.env only."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext

from cultivate.config import env

django_stubs_ext.monkeypatch()  # lets admin and querysets take type parameters at run time

BASE_DIR = env.BASE_DIR
PACKAGE_DIR = Path(__file__).resolve().parents[2]

SECRET_KEY = env.SECRET_KEY or "insecure-development-key-change-me-in-production-0123456789"
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
    "ninja",
    "django_tasks",
    "cultivate.apps.accounts",
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
    "cultivate.apps.digest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
            ],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks on write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A page's queries are short: JIT compiling a plan whose estimate looks large (a search
    # over a common word) took 0.8 s to save milliseconds.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

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

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

EMAIL_BACKEND = env.EMAIL_URL
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SITE_URL = env.SITE_URL
CULTIVATE_EMBEDDER_DIR = env.EMBEDDER_DIR
"""Where the sentence encoder lives; without it search and similar questions use words only."""

TASKS = {"default": {"BACKEND": env.TASKS_BACKEND}}

# Cached page parts (apps/fragments.py) are keyed by a version kept in the database, so each
# process's own memory is a correct default; Redis shares one cache between servers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cultivate"}
    if not env.REDIS_URL
    else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.REDIS_URL}
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
