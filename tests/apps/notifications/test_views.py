"""The notification pages: the list and the bell, opening a notice, e-mail choices, watching."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.services import community_leave
from cultivate.apps.notifications.models import (
    CommunityWatch,
    EmailPreferences,
    EmailRhythm,
    Kind,
    Notification,
)
from cultivate.apps.notifications.summaries import email_summaries_send
from cultivate.apps.sharing.services import answer_create, question_ask
from cultivate.apps.tags.models import TagWatch

from .helpers import email_at_once

UNREAD = re.compile(r'data-testid="unread-count">\s*(\d+)\s*<')


def _unread_in_header(client: Client) -> int:
    """Return the bell's number in the page header (0 when the badge is absent)."""
    page = client.get(reverse("notifications:list")).content.decode()
    match = UNREAD.search(page)
    return int(match.group(1)) if match else 0


def _notice(recipient: User, community: Community, **fields: object) -> Notification:
    defaults: dict[str, object] = {
        "kind": Kind.ANSWER,
        "summary": "Someone answered",
        "url": "/c/somewhere/",
    }
    defaults.update(fields)
    return Notification.objects.create(recipient=recipient, community=community, **defaults)


def test_an_answer_to_my_question_notifies_me_in_the_app_and_by_email(
    client: Client,
    community: Community,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    email_at_once(member, Kind.ANSWER)
    question = question_ask(community=community, author=member, title="Which grease?", body="?")
    with django_capture_on_commit_callbacks(execute=True):
        answer_create(question=question, author=coordinator, body="Lithium complex.")
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == Kind.ANSWER
    assert "Which grease?" in notice.summary
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Which grease?" in mail.outbox[0].subject

    client.force_login(member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Which grease?" in page
    assert 'class="notification unread"' in page


def test_an_answer_that_mentions_the_asker_makes_one_notice_not_two(
    community: Community,
    coordinator: User,
    member: User,
    make_user: Callable[..., User],
    join: Callable[[User, Community], None],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    other = make_user("otto", display_name="Otto Other")
    join(other, community)
    email_at_once(member, Kind.ANSWER, Kind.MENTION)
    question = question_ask(community=community, author=member, title="Which grease?", body="?")
    with django_capture_on_commit_callbacks(execute=True):
        answer_create(
            question=question,
            author=coordinator,
            body=f"@{member.username} lithium complex; @{other.username} knows more.",
        )

    assert list(Notification.objects.filter(recipient=member).values_list("kind", flat=True)) == [
        Kind.ANSWER
    ]
    assert list(Notification.objects.filter(recipient=other).values_list("kind", flat=True)) == [
        Kind.MENTION
    ]
    assert [m.to for m in mail.outbox].count([member.email]) == 1


def test_unread_notices_of_one_kind_and_community_read_as_one_line(
    client: Client, community: Community, member: User
) -> None:
    for n in range(5):
        _notice(member, community, kind=Kind.ANSWER, summary=f"Answer {n}")
    _notice(member, community, kind=Kind.MENTION, summary="Someone mentioned you")
    client.force_login(member)

    page = client.get(reverse("notifications:list")).content.decode()

    assert page.count('data-testid="notice-group"') == 1
    assert f"5 new answers in {community.name}" in page
    assert all(f"Answer {n}" in page for n in range(5))  # still there, inside the group
    assert "Someone mentioned you" in page  # alone: not grouped
    client.post(reverse("notifications:mark_read"))
    after = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notice-group"' not in after  # read ones are listed one by one


def test_no_email_comes_when_the_person_turned_that_kind_off(
    client: Client,
    community: Community,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client.force_login(member)
    settings_url = reverse("notifications:settings")
    form = client.get(settings_url).context["form"]
    assert form.initial[Kind.ANSWER.value] == EmailRhythm.DAILY  # a daily summary by default
    assert form.initial[Kind.EVENT.value] == EmailRhythm.NOW  # reminders come before the event
    chosen = {kind.value: "daily" for kind in Kind} | {"answer": "off", "mention": "now"}
    response = client.post(settings_url, chosen)
    assert response.status_code == 302
    prefs = EmailPreferences.objects.get(user=member)
    assert (prefs.answer, prefs.comment, prefs.mention) == ("off", "daily", "now")

    question = question_ask(community=community, author=member, title="Which grease?", body="?")
    with django_capture_on_commit_callbacks(execute=True):
        answer_create(question=question, author=coordinator, body="Lithium complex.")
    assert Notification.objects.filter(recipient=member, kind=Kind.ANSWER).count() == 1
    assert mail.outbox == []
    assert email_summaries_send(now=timezone.now() + timedelta(minutes=1)) == 0  # off: no summary


def test_the_bell_count_drops_after_marking_all_read(
    client: Client, community: Community, coordinator: User, member: User
) -> None:
    for n in range(3):
        _notice(member, community, summary=f"Notice {n}")
    _notice(coordinator, community)  # someone else's, never counted for me
    client.force_login(member)
    assert _unread_in_header(client) == 3
    response = client.post(reverse("notifications:mark_read"))
    assert response["Location"] == reverse("notifications:list")
    assert _unread_in_header(client) == 0
    assert Notification.objects.filter(recipient=coordinator, read_at__isnull=True).count() == 1


def test_marking_read_needs_a_post(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get(reverse("notifications:mark_read")).status_code == 405


def test_opening_a_notice_marks_it_read_and_goes_to_it(
    client: Client, community: Community, member: User
) -> None:
    notice = _notice(member, community, url="/c/mechanical-engineering/questions/1/#answer-2")
    other = _notice(member, community)
    client.force_login(member)
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/c/mechanical-engineering/questions/1/#answer-2"
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None
    assert other.read_at is None
    assert _unread_in_header(client) == 1
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 302
    assert _unread_in_header(client) == 0


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_opening_a_notice_never_leaves_the_site(
    client: Client, community: Community, member: User, url: str
) -> None:
    notice = _notice(member, community, url=url)
    client.force_login(member)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_opening_someone_elses_notice_is_not_found(
    client: Client, community: Community, coordinator: User, member: User
) -> None:
    notice = _notice(coordinator, community)
    client.force_login(member)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_pages_ask_anonymous_visitors_to_log_in(client: Client, community: Community) -> None:
    login = reverse("accounts:login")
    for url in (
        reverse("notifications:list"),
        reverse("notifications:settings"),
        reverse("notifications:open", args=[1]),
    ):
        assert client.get(url)["Location"].startswith(login)
    response = client.post(reverse("notifications:watch_community", args=[community.slug]))
    assert response["Location"].startswith(login)
    assert not CommunityWatch.objects.exists()


def test_watching_a_community_tells_me_about_each_new_question(
    client: Client, community: Community, coordinator: User, member: User, outsider: User
) -> None:
    client.force_login(outsider)
    url = reverse("notifications:watch_community", args=[community.slug])
    response = client.post(url, {"next": "/people/otto/"})
    assert response["Location"] == "/people/otto/"
    question_ask(community=community, author=member, title="Bolt torque?", body="M8?")
    notice = Notification.objects.get(recipient=outsider)
    assert notice.kind == Kind.WATCHED_QUESTION
    assert "Bolt torque?" in notice.summary
    assert (
        "Mechanical Engineering" in client.get(reverse("notifications:settings")).content.decode()
    )

    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == community.get_absolute_url()
    question_ask(community=community, author=member, title="Nut torque?", body="M10?")
    assert Notification.objects.filter(recipient=outsider).count() == 1


def test_watching_a_private_community_i_am_not_in_is_not_found(
    client: Client, private_community: Community, outsider: User
) -> None:
    client.force_login(outsider)
    url = reverse("notifications:watch_community", args=[private_community.slug])
    assert client.post(url).status_code == 404
    assert client.post(reverse("notifications:watch_community", args=["nope"])).status_code == 404
    assert not CommunityWatch.objects.exists()


def test_watching_a_tag_tells_me_about_new_questions_with_it(
    client: Client, community: Community, member: User, outsider: User
) -> None:
    question_ask(community=community, author=member, title="Grease?", body="?", tags="bearings")
    client.force_login(outsider)
    response = client.post(reverse("notifications:watch_tag", args=["bearings"]))
    assert response["Location"] == reverse("notifications:settings")
    assert TagWatch.objects.filter(user=outsider, tag__name="bearings").exists()
    question_ask(community=community, author=member, title="Seals?", body="?", tags="bearings")
    question_ask(community=community, author=member, title="Paint?", body="?", tags="coatings")
    summaries = list(
        Notification.objects.filter(recipient=outsider).values_list("summary", flat=True)
    )
    assert len(summaries) == 1
    assert "Seals?" in summaries[0]


def test_watch_buttons_say_whether_one_watches(
    client: Client, community: Community, member: User
) -> None:
    question_ask(community=community, author=member, title="Grease?", body="?", tags="bearings")
    client.force_login(member)
    listing = reverse("sharing:questions", args=[community.slug]) + "?tag=bearings"
    home = reverse("sharing:home", args=[community.slug])

    assert "Watch bearings</button>" in client.get(listing).content.decode()
    client.post(reverse("notifications:watch_tag", args=["bearings"]))
    assert "Watching bearings ✓</button>" in client.get(listing).content.decode()
    page = client.get(home).content.decode()
    assert (
        '>Watch<span class="visually-hidden"> new questions in this community</span></button>'
        in (page)
    )


def test_a_tag_used_only_in_a_private_community_cannot_be_watched_by_outsiders(
    client: Client,
    private_community: Community,
    coordinator: User,
    outsider: User,
) -> None:
    question_ask(
        community=private_community,
        author=coordinator,
        title="Incident",
        body="?",
        tags="press-4-incident",
    )
    client.force_login(outsider)
    url = reverse("notifications:watch_tag", args=["press-4-incident"])
    assert client.post(url).status_code == 404
    assert client.post(reverse("notifications:watch_tag", args=["no-such-tag"])).status_code == 404
    assert not TagWatch.objects.exists()


def test_notices_from_a_private_community_i_left_are_no_longer_listed(
    client: Client,
    private_community: Community,
    make_user: Callable[..., User],
    join: Callable[..., None],
) -> None:
    leaver = make_user("lea")
    join(leaver, private_community)
    notice = _notice(leaver, private_community, summary="Secret incident report")
    client.force_login(leaver)
    assert "Secret incident report" in client.get(reverse("notifications:list")).content.decode()
    community_leave(community=private_community, user=leaver)
    assert "Secret incident" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404


def test_the_list_is_newest_first_and_paginated(
    client: Client, community: Community, member: User
) -> None:
    now = timezone.now()
    for n in range(30):
        _notice(
            member,
            community,
            summary=f"Notice number {n:02d}",
            created_at=now - timedelta(minutes=30 - n),
        )
    client.force_login(member)
    first = client.get(reverse("notifications:list")).content.decode()
    assert first.index("Notice number 29") < first.index("Notice number 05")
    assert "Notice number 04" not in first
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "Notice number 04" in second
    assert "Notice number 29" not in second
    assert client.get(reverse("notifications:list") + "?page=zzz").status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_the_notification_pages_need_a_bounded_number_of_queries(
    client: Client,
    community: Community,
    coordinator: User,
    member: User,
    count: int,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for n in range(count):
        _notice(member, community, actor=coordinator, summary=f"Notice {n}")
    CommunityWatch.objects.create(user=member, community=community)
    client.force_login(member)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("notifications:list")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("notifications:settings")).status_code == 200
