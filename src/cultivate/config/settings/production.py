"""Settings for a real deployment: secrets, hosts and HTTPS must come from the environment.

Starting without any of them is refused with one message naming every variable missing, rather
than serving with a guessable key, to any host, or over plain HTTP.
"""

from django.core.exceptions import ImproperlyConfigured

from cultivate.config import env

from .base import *  # noqa: F403


def _missing_for_production() -> list[str]:
    missing = []
    if len(env.SECRET_KEY) < 32:
        missing.append("CULTIVATE_SECRET_KEY (at least 32 random characters)")
    if not env.ALLOWED_HOSTS_GIVEN:
        missing.append("CULTIVATE_ALLOWED_HOSTS (the host names people use, comma-separated)")
    if not env.SITE_URL.startswith("https://"):
        missing.append("CULTIVATE_SITE_URL starting with https:// (Cultivate is served over TLS)")
    if env.MEDIA_ROOT.resolve().is_relative_to(env.BASE_DIR.resolve()):
        # Uploaded exports hold people's messages: never beside the code, where a deploy or a
        # backup of the code would carry them along.
        missing.append("CULTIVATE_MEDIA_ROOT outside the code (e.g. /var/lib/cultivate/media)")
    return missing


if missing := _missing_for_production():
    raise ImproperlyConfigured(
        "Cultivate will not start in production without: "
        + "; ".join(missing)
        + ". See docs/deploy.md."
    )

DEBUG = False
# TLS ends at nginx, which says so in X-Forwarded-Proto (docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.env_bool(
    "CULTIVATE_SSL_REDIRECT", True
)  # off only behind a proxy that redirects
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes come over plain HTTP
SECURE_HSTS_SECONDS = int(env.env_str("CULTIVATE_HSTS_SECONDS", "31536000"))
# The header alone submits nothing to browsers' preload list; it only allows the site's owner to.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("CULTIVATE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.env_bool("CULTIVATE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [env.SITE_URL.rstrip("/")]
LOGGING = logging_config(json_lines=env.JSON_LOGS_IN_PRODUCTION)  # noqa: F405
CULTIVATE_PROXY_COUNT = int(
    env.env_str("CULTIVATE_PROXY_COUNT", "1")
)  # nginx in front (docs/deploy.md)
