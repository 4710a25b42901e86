"""Settings for the test suite: fast hashing, mail kept in memory, no collectstatic."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "insecure-key-for-the-test-suite-only-0123456789-abcdefghij"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run in the request, so a test sees their effect; the queue's own tests use "queue".
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "cultivate.apps.operations.rq_queue.RetryingRQBackend"},
    "waiting": {"BACKEND": "django_tasks_db.DatabaseBackend"},  # where rq's jobs wait for Redis
}
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
# A Redis database of its own for each pytest-xdist process (15, 14, ...), as they empty it.
_XDIST_PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:6379/{15 - _XDIST_PROCESS % 8}"}}
# Rate-limit counts in this process's memory, emptied before each test (tests/conftest.py); the
# database table production uses without Redis is tested on its own (tests/apps/test_limits.py).
CACHES = CACHES | {  # noqa: F405
    "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}
}
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
