"""WSGI entry point for gunicorn: production settings unless DJANGO_SETTINGS_MODULE says otherwise.

A server started without saying which settings gets the safe ones, which refuse to start
without a secret key, allowed hosts and HTTPS, rather than DEBUG and a fixed key.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cultivate.config.settings.production")
application = get_wsgi_application()
