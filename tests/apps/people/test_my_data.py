"""A person's data is theirs: a copy to download (JSON and a readable page, made in the
background, announced by e-mail), and an account they can close (personal data erased, what
others rely on kept under "a former member")."""

from __future__ import annotations

import io
import json
import re
import zipfile

from django.core import mail
from django.test import Client
from django.urls import reverse

from cultivate.apps.accounts.models import User
from cultivate.apps.api.models import PersonalAccessToken
from cultivate.apps.api.services import token_create
from cultivate.apps.audit.models import AuditEntry
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.notifications.models import Notification
from cultivate.apps.people.models import PersonalDataExport
from cultivate.apps.sharing.models import Answer, Question
from cultivate.apps.sharing.services import answer_create, question_ask

PASSWORD = "a-Long-passw0rd"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_copy_of_my_data_is_made_in_the_background_mailed_and_only_mine_to_download(
    community, coordinator, member, outsider
):
    question = question_ask(
        community=community, author=member, title="Which pump seal lasts?", body="Packing?"
    )
    answer_create(question=question, author=coordinator, body="Mechanical, for @" + member.username)
    kudos_give(community=community, giver=coordinator, receiver=member, reason="for the seal tip")
    client = _client(member)
    assert client.post(reverse("people:my_data")).status_code == 302
    export = PersonalDataExport.objects.get(user=member)
    assert export.ready_at is not None  # the job ran (immediate backend in tests)
    assert "Your Cultivate data is ready" in [m.subject for m in mail.outbox]
    page = client.get(reverse("people:my_data")).content.decode()
    link = reverse("people:my_data_download", args=[export.key])
    assert link in page
    download = client.get(link)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["data.html", "data.json"]
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == member.email
    assert [q["title"] for q in data["questions"]] == ["Which pump seal lasts?"]
    assert data["kudos_received"][0]["reason"] == "for the seal tip"
    assert any("mentioned you" in n["notice"] or n["notice"] for n in data["notifications"])
    assert "Which pump seal lasts?" in archive.read("data.html").decode()
    assert _client(outsider).get(link).status_code == 404  # someone else's copy


def test_closing_my_account_erases_me_and_keeps_what_others_rely_on(community, coordinator, member):
    question = question_ask(
        community=community, author=member, title="Which pump seal lasts?", body="Packing?"
    )
    answer_create(question=question, author=coordinator, body="Mechanical.")
    _token, secret = token_create(user=member, name="script")
    address = member.email
    client = _client(member)
    refused = client.post(reverse("people:close_account"), {"password": "wrong"})
    assert "That is not your password" in refused.content.decode()
    closing = client.post(reverse("people:close_account"), {"password": PASSWORD})
    assert "Closing your account" in closing.content.decode()
    member.refresh_from_db()
    assert member.display_name == "A former member"
    assert member.username == f"former-{member.pk}"
    assert address not in member.email
    assert not member.is_active
    assert not member.has_usable_password()
    assert Question.objects.get(pk=question.pk).author == member  # the question stays
    assert Answer.objects.filter(question=question).count() == 1  # and its answer
    page = Client().get(question.get_absolute_url()).content.decode()
    assert "A former member" in page
    assert not Notification.objects.filter(recipient=member).exists()
    assert PersonalAccessToken.objects.get(user=member).is_revoked
    assert (
        Client().get("/api/communities", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )
    goodbye = [m for m in mail.outbox if m.subject == "Your Cultivate account is closed"]
    assert goodbye[0].to == [address]
    assert AuditEntry.objects.filter(action="account.close").exists()
    everything = json.dumps(list(User.objects.values()), default=str)
    assert not re.search(re.escape(address), everything, re.IGNORECASE)


def test_closing_my_account_ends_my_memberships_and_my_sign_on(community, coordinator, member):
    from cultivate.apps.communities.models import Community, Membership
    from cultivate.apps.sso.models import SignOnIdentity

    SignOnIdentity.objects.create(user=member, issuer="https://id.example", subject="m-1")
    before = Community.objects.get(pk=community.pk).member_count
    _client(member).post(reverse("people:close_account"), {"password": PASSWORD})
    assert not Membership.objects.filter(user=member).exists()
    assert Community.objects.get(pk=community.pk).member_count == before - 1
    assert not SignOnIdentity.objects.filter(user=member).exists()


def test_the_last_coordinator_hands_over_before_closing(community, coordinator, member):
    client = _client(coordinator)
    page = client.get(reverse("people:close_account")).content.decode()
    assert "You are the last coordinator of these communities" in page
    assert community.name in page
    client.post(reverse("people:close_account"), {"password": PASSWORD})
    coordinator.refresh_from_db()
    assert coordinator.is_active  # nothing closed


def test_a_person_without_a_password_confirms_with_their_user_name(make_user):
    sso_person = make_user("sam")
    sso_person.set_unusable_password()
    sso_person.save()
    client = _client(sso_person)
    page = client.get(reverse("people:close_account")).content.decode()
    assert "Your user name, to confirm" in page
    refused = client.post(reverse("people:close_account"), {"username": "someone"})
    assert "That is not your user name" in refused.content.decode()
    client.post(reverse("people:close_account"), {"username": "sam"})
    sso_person.refresh_from_db()
    assert not sso_person.is_active


def test_closing_forgets_the_export_keys_that_name_me(community, member):
    from cultivate.apps.imports.models import ImportedIdentity

    ImportedIdentity.objects.create(source="mbox", key=f"mail:{member.email}", user=member)
    address = member.email
    _client(member).post(reverse("people:close_account"), {"password": PASSWORD})
    key = ImportedIdentity.objects.get(user=member).key
    assert key.startswith("pseudonym:")
    assert address not in key


def test_a_closing_that_finds_them_last_coordinator_waits_and_says_so(
    community, coordinator, member
):
    from cultivate.apps.people.tasks import account_close_job

    said = account_close_job.call(user_id=coordinator.pk)
    coordinator.refresh_from_db()
    assert said == "kept: last coordinator"
    assert coordinator.is_active
    assert any(m.subject == "Your Cultivate account is still open" for m in mail.outbox)


def test_one_copy_an_hour_is_made_however_often_it_is_asked_for(member):
    client = _client(member)
    for _ in range(3):
        client.post(reverse("people:my_data"))
    assert PersonalDataExport.objects.filter(user=member).count() == 1
