"""Sign in the load test's people: one session per member, written as the login view would.

Run with Django set up for the load-test database; prints the plan's people as JSON.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

from cultivate.apps.communities.models import Membership, MembershipState  # noqa: E402

count = int(sys.argv[1])
memberships = list(
    Membership.objects.filter(state=MembershipState.ACTIVE)
    .select_related("user", "community")
    .order_by("?")[: count * 5]
)
people, seen = [], set()
for membership in memberships:
    if membership.user_id in seen:
        continue
    seen.add(membership.user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(membership.user_id)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = membership.user.get_session_auth_hash()
    store.create()
    people.append(
        {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
            "community": membership.community.slug,
        }
    )
    if len(people) == count:
        break
print(json.dumps(people))
