"""`make run`'s web server: Django's runserver and its reloader, with Django set up once.

Django's reloader serves from a child process and starts a new one when a source file changes.
Started as `manage.py runserver`, the watching parent first sets all of Django up (a second of
imports on a slow machine) only to start that child, which then sets itself up again: a third
of the wait between `make run` and the first page on an already-loaded database. Here the parent
only restarts the child (Django's own `restart_with_reloader`, the loop runserver's parent
runs); the child is `manage.py runserver` as before, reloader and system checks included.

`python -m cultivate.cli.devserver 127.0.0.1:8000` takes runserver's arguments.
"""

from __future__ import annotations

import os
import signal
import sys

from django.utils import autoreload


def main() -> int:
    """Serve (in the child) or restart the child until it stops for good (in the parent); the
    arguments are this process's own, which a restarted child is given again."""
    arguments = sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cultivate.config.settings.local")
    if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":  # the child: serve
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "runserver", *arguments])
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # as runserver's parent does
    try:
        return autoreload.restart_with_reloader()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
