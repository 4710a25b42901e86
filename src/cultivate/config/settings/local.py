"""Settings for `make run`: the embedded SQLite default with the demo organisation."""

from cultivate.config import env

from .base import *  # noqa: F403

DEBUG = env.env_bool("CULTIVATE_DEBUG", True)
SECRET_KEY = env.SECRET_KEY or "insecure-local-key-for-make-run-never-for-a-server-0123456789"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
