"""Set the test provider's people and its one client up (run again to change them).

python -m tests.oidc_provider.seed '<json>' with {"client": {...}, "people": [...]}.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def seed(spec: dict) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    for person in spec.get("people", []):
        user, _ = User.objects.get_or_create(username=person["username"])
        user.email = person["email"]
        user.first_name, _, user.last_name = person.get("name", "").partition(" ")
        user.set_password(person["password"])
        user.save()
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in person.get("groups", [])])
    client = spec.get("client")
    if client:
        app, _ = Application.objects.get_or_create(
            client_id=client["id"],
            defaults={
                "name": "Cultivate",
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "skip_authorization": True,
                "algorithm": Application.RS256_ALGORITHM,
                "client_secret": client["secret"],
            },
        )
        app.redirect_uris = " ".join(client["redirect_uris"])
        app.save()


if __name__ == "__main__":
    seed(json.loads(sys.argv[1]))
