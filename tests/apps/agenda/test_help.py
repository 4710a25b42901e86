"""Help requests: ask, contribute, thank, accept, promote, and closing after the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.agenda.helping import (
    contribution_accept,
    contribution_thank,
    help_contribute,
    help_request_create,
    help_requests_close_due,
    promote_to_practice,
)
from cultivate.apps.agenda.models import HelpRequest
from cultivate.apps.agenda.selectors import help_request_get_for_user, help_requests_for
from cultivate.apps.agenda.tasks import close_past_due_help_requests
from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.practices.models import Revision
from cultivate.apps.practices.services import document_create
from cultivate.apps.sharing.services import answer_create, question_ask


def _verbs(**filters: Any) -> list[tuple[str, int, int | None, dict[str, Any]]]:
    rows = ActivityRecord.objects.filter(**filters).order_by("id")
    return [(a.verb, a.actor_id, a.target_actor_id, a.meta) for a in rows]


def test_asking_for_help_records_request_with_the_due_date_and_tells_every_member(
    community: Community, member: User, coordinator: User, second: User, help_request: HelpRequest
) -> None:
    assert _verbs(object_type="helprequest") == [
        ("request", member.pk, None, {"due": help_request.due.isoformat()})
    ]
    told = set(Notification.objects.filter(kind=Kind.HELP).values_list("recipient", flat=True))
    assert told == {coordinator.pk, second.pk}
    assert "<em>draft</em>" in help_request.body_html


def test_a_due_date_in_the_past_is_refused_naming_it(community: Community, member: User) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        help_request_create(community=community, by=member, title="X", body="Y", due=yesterday)
    assert f"{yesterday.day} {yesterday:%b %Y} is in the past" in error.value.message_dict["due"][0]


def test_a_contribution_records_help_towards_the_requester_who_is_told(
    help_request: HelpRequest, member: User, second: User
) -> None:
    contribution = help_contribute(request=help_request, by=second, body="Add **torque** values.")
    assert _verbs(object_type="helpcontribution") == [("help", second.pk, member.pk, {})]
    activity = ActivityRecord.objects.get(object_type="helpcontribution")
    assert (activity.parent_type, activity.parent_pk) == ("helprequest", help_request.pk)
    notice = Notification.objects.get(recipient=member, kind=Kind.HELP)
    assert notice.url.endswith(f"#contribution-{contribution.pk}")
    help_request.refresh_from_db()
    assert help_request.contribution_count == 1


def test_the_requester_cannot_contribute_to_their_own_request(
    help_request: HelpRequest, member: User
) -> None:
    with pytest.raises(PermissionDenied):
        help_contribute(request=help_request, by=member, body="Me too.")


def test_outsiders_cannot_contribute(help_request: HelpRequest, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        help_contribute(request=help_request, by=outsider, body="Hi.")


def test_a_contribution_after_the_date_is_refused_naming_the_date(
    help_request: HelpRequest, second: User, now: datetime
) -> None:
    on_the_day = now + timedelta(days=7)
    help_contribute(request=help_request, by=second, body="Just in time.", at=on_the_day)
    with pytest.raises(ValidationError) as error:
        help_contribute(
            request=help_request, by=second, body="Too late.", at=now + timedelta(days=8)
        )
    due = help_request.due
    assert error.value.messages == [
        f"This help request closed after {due.day} {due:%b %Y}, the date its input was needed "
        "by; it takes no more contributions."
    ]


def test_thanking_records_a_thanks_reaction_and_only_the_requester_thanks(
    help_request: HelpRequest, member: User, second: User, coordinator: User
) -> None:
    contribution = help_contribute(request=help_request, by=second, body="Here.")
    with pytest.raises(PermissionDenied):
        contribution_thank(contribution=contribution, by=coordinator)
    contribution_thank(contribution=contribution, by=member)
    assert _verbs(verb="react") == [("react", member.pk, second.pk, {"kind": "thanks"})]
    with pytest.raises(ValidationError, match="already thanked"):
        contribution_thank(contribution=contribution, by=member)
    assert Notification.objects.filter(recipient=second, summary__contains="thanks you").exists()


def test_accepting_records_accept_and_a_coordinator_may_accept_for_the_requester(
    help_request: HelpRequest, second: User, coordinator: User
) -> None:
    contribution = help_contribute(request=help_request, by=second, body="Here.")
    contribution_accept(contribution=contribution, by=coordinator)
    assert contribution.accepted_at is not None
    assert _verbs(verb="accept") == [("accept", coordinator.pk, second.pk, {})]
    with pytest.raises(ValidationError, match="already accepted"):
        contribution_accept(contribution=contribution, by=coordinator)


def test_promoting_a_contribution_adds_a_section_crediting_its_author(
    help_request: HelpRequest, community: Community, member: User, second: User
) -> None:
    contribution = help_contribute(
        request=help_request, by=second, body="Check the *seals* every month."
    )
    document = document_create(community=community, by=member, title="Spare parts", body="Intro.")
    promotion = promote_to_practice(source=contribution, document=document, by=member)
    document.refresh_from_db()
    assert "## Input on our spare-parts checklist" in document.body
    assert "Check the *seals* every month." in document.body
    assert f"_Contributed by @{second.username}_" in document.body
    revision = Revision.objects.get(pk=promotion.revision_id)
    assert (revision.author, revision.credit) == (member, second)
    assert revision.source_url == contribution.get_absolute_url()
    contributes = _verbs(verb="contribute", object_type="revision", object_pk=revision.pk)
    assert contributes == [("contribute", member.pk, None, {"section": True, "credit": second.pk})]
    with pytest.raises(ValidationError) as error:
        promote_to_practice(source=contribution, document=document, by=member)
    assert "already a section of Spare parts" in error.value.message_dict["document"][0]


def test_promoting_an_answer_credits_the_person_who_answered(
    community: Community, member: User, second: User
) -> None:
    question = question_ask(community=community, author=member, title="Seal life?", body="How?")
    answer = answer_create(question=question, author=second, body="About **two years**.")
    document = document_create(community=community, by=member, title="Seals", body="Intro.")
    promotion = promote_to_practice(
        source=answer, document=document, by=second, heading="How long seals last"
    )
    assert promotion.answer == answer
    document.refresh_from_db()
    assert "## How long seals last\n\nAbout **two years**." in document.body
    assert Revision.objects.get(pk=promotion.revision_id).credit == second


def test_only_the_people_concerned_or_a_coordinator_promote(
    help_request: HelpRequest,
    community: Community,
    member: User,
    second: User,
    make_user: Callable[..., User],
    join: Callable[..., None],
    coordinator: User,
) -> None:
    bystander = make_user("bea")
    join(bystander, community)
    contribution = help_contribute(request=help_request, by=second, body="Here.")
    document = document_create(community=community, by=member, title="Doc", body="Intro.")
    with pytest.raises(PermissionDenied):
        promote_to_practice(source=contribution, document=document, by=bystander)
    assert promote_to_practice(source=contribution, document=document, by=coordinator)


def test_a_section_goes_only_into_a_practice_of_the_same_community(
    help_request: HelpRequest,
    member: User,
    second: User,
    private_community: Community,
    coordinator: User,
) -> None:
    contribution = help_contribute(request=help_request, by=second, body="Here.")
    elsewhere = document_create(
        community=private_community, by=coordinator, title="Secret", body="Intro."
    )
    with pytest.raises(ValidationError) as error:
        promote_to_practice(source=contribution, document=elsewhere, by=member)
    assert "same community" in error.value.message_dict["document"][0]


def test_the_daily_job_closes_past_requests_and_tells_the_requester_how_it_went(
    help_request: HelpRequest, member: User, second: User, now: datetime
) -> None:
    contribution = help_contribute(request=help_request, by=second, body="Here.")
    contribution_accept(contribution=contribution, by=member)
    assert help_requests_close_due(now=now + timedelta(days=7)) == 0  # still its last day
    after = now + timedelta(days=8)
    assert close_past_due_help_requests.enqueue(after.isoformat()).return_value == 1
    assert close_past_due_help_requests.enqueue(after.isoformat()).return_value == 0
    help_request.refresh_from_db()
    assert help_request.closed_at == after
    notice = Notification.objects.filter(recipient=member, kind=Kind.HELP).latest("created_at")
    assert notice.summary.endswith(": 1 contribution from 1 person, 1 accepted.")
    assert notice.actor is None  # Cultivate closed it


def test_a_request_nobody_answered_still_closes_and_the_requester_is_told(
    help_request: HelpRequest, member: User, coordinator: User, now: datetime
) -> None:
    assert help_requests_close_due(now=now + timedelta(days=30)) == 1
    notice = Notification.objects.filter(recipient=member, kind=Kind.HELP).latest("created_at")
    assert notice.summary.endswith("with no contributions.")
    assert notice.actor is None


def test_lists_split_open_and_closed_requests_by_date(
    help_request: HelpRequest, community: Community, member: User
) -> None:
    later = timezone.localdate() + timedelta(days=8)
    assert list(help_requests_for(member, community, status="open")) == [help_request]
    assert list(help_requests_for(member, community, status="closed", today=later)) == [
        help_request
    ]


def test_a_private_communitys_help_requests_are_invisible_to_outsiders(
    private_community: Community, coordinator: User, outsider: User
) -> None:
    request = help_request_create(
        community=private_community,
        by=coordinator,
        title="Secret review",
        body="Read this.",
        due=timezone.localdate(),
    )
    with pytest.raises(Http404):
        help_request_get_for_user(outsider, private_community, request.pk)
    with pytest.raises(Http404):
        help_requests_for(outsider, private_community)
