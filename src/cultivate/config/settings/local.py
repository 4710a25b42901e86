"""Settings for `make run`: the embedded SQLite default with the demo organisation."""

from cultivate.config import env

from .base import *  # noqa: F403

DEBUG = env.env_bool("CULTIVATE_DEBUG", True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
