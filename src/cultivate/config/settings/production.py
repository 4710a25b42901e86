"""Settings for a real deployment: secrets and hosts must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from cultivate.config import env

from .base import *  # noqa: F403

if not env.SECRET_KEY:
    raise ImproperlyConfigured("Set CULTIVATE_SECRET_KEY for production.")
DEBUG = False
SESSION_COOKIE_SECURE = env.env_bool("CULTIVATE_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
