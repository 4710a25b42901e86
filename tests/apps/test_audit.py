"""The audit trail: coordinators' and admins' acts with who, when, from where, before and after;
a page for coordinators (their communities) and operators (all), filterable and exported as
CSV; entries that cannot be changed through the app."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from cultivate.apps.api.services import token_create
from cultivate.apps.audit.models import AuditEntry
from cultivate.apps.communities.models import Membership, Visibility
from cultivate.apps.communities.services import community_create, member_remove
from cultivate.apps.sharing.services import content_hide, question_ask


def _client(user, address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def test_a_coordinator_making_a_coordinator_is_recorded_with_who_where_before_and_after(
    community, coordinator, member
):
    membership = Membership.objects.get(community=community, user=member)
    url = reverse("communities:membership_act", args=[community.slug, membership.pk, "promote"])
    assert _client(coordinator).post(url).status_code == 302
    entry = AuditEntry.objects.get(action="membership.promote")
    assert entry.actor == coordinator
    assert entry.actor_label == coordinator.username
    assert entry.address == "203.0.113.7"
    assert entry.community == community
    assert entry.subject == member.username
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "coordinator"})


def test_removing_a_member_hiding_content_and_making_a_token_are_recorded(
    community, coordinator, member
):
    question = question_ask(community=community, author=member, title="Pump seals?", body="Which?")
    content_hide(content=question, by=coordinator, reason="duplicate")
    member_remove(
        membership=Membership.objects.get(community=community, user=member),
        by=coordinator,
        reason="left the company",
    )
    token_create(user=coordinator, name="report script")
    actions = list(AuditEntry.objects.order_by("at", "id").values_list("action", flat=True))
    assert actions[-3:] == ["content.hide", "membership.remove_member", "token.create"]
    hidden = AuditEntry.objects.get(action="content.hide")
    assert hidden.before == {"hidden": False}
    assert hidden.after == {"hidden": True, "reason": "duplicate"}
    assert AuditEntry.objects.get(action="token.create").after["scope"] == "read"


def test_an_entry_cannot_be_changed_or_deleted_through_the_app_or_the_admin(coordinator):
    entry = AuditEntry.objects.create(action="test.act", actor=coordinator, subject="x")
    entry.subject = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    admin = site._registry[AuditEntry]
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert AuditEntry.objects.get(pk=entry.pk).subject == "x"


def test_a_coordinator_reads_the_entries_of_their_communities_only(
    community, coordinator, member, make_user
):
    other_founder = make_user("olga")
    other = community_create(
        by=other_founder, name="Safety", practice="safety", visibility=Visibility.PRIVATE
    )
    token_create(user=other_founder, name="olga's script")
    page = _client(coordinator).get(reverse("operations:audit"))
    assert page.status_code == 200
    entries = list(page.context["entries"])
    assert {e.community_id for e in entries} == {community.pk}
    assert "Safety" not in page.content.decode()
    assert _client(member).get(reverse("operations:audit")).status_code == 403
    staff = make_user("root", is_staff=True)
    everything = _client(staff).get(reverse("operations:audit")).context["entries"]
    assert {e.community_id for e in everything} >= {community.pk, other.pk, None}


def test_the_trail_filters_by_action_and_exports_as_csv_which_is_itself_recorded(
    community, coordinator, member
):
    membership = Membership.objects.get(community=community, user=member)
    act = reverse("communities:membership_act", args=[community.slug, membership.pk, "promote"])
    client = _client(coordinator)
    client.post(act)
    page = client.get(reverse("operations:audit"), {"action": "membership."})
    assert [e.action for e in page.context["entries"]] == ["membership.promote"]
    download = client.get(reverse("operations:audit_csv"), {"action": "membership."})
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0] == [
        "at",
        "actor",
        "address",
        "action",
        "community",
        "subject",
        "before",
        "after",
    ]
    assert rows[1][1:6] == [
        coordinator.username, "203.0.113.7", "membership.promote", community.name, member.username,
    ]  # fmt: skip
    assert rows[1][6:] == ['{"role": "member"}', '{"role": "coordinator"}']
    export = AuditEntry.objects.get(action="export.audit")
    assert export.actor == coordinator
    assert export.after == {"action": "membership."}


def test_the_csv_never_hands_a_spreadsheet_a_formula(coordinator, make_user):
    token_create(user=coordinator, name='=HYPERLINK("http://evil.example")')
    staff = make_user("root", is_staff=True)
    download = _client(staff).get(reverse("operations:audit_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    subjects = [row[5] for row in rows[1:] if row[3] == "token.create"]
    assert subjects
    assert all(s.startswith("'=") for s in subjects)
