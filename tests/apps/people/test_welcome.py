"""A newcomer's first page: communities that fit them, and first steps that go away when done."""

from __future__ import annotations

from django.urls import reverse

from cultivate.apps.accounts.models import Expertise
from cultivate.apps.communities.services import community_create, community_join
from cultivate.apps.sharing.services import question_ask
from cultivate.apps.tags.models import Tag
from cultivate.apps.tags.services import tag_watch_toggle


def test_suggestions_follow_the_department_and_expertise_and_leave_out_joined_ones(
    client, coordinator, make_user
):
    welding = community_create(by=coordinator, name="Welding Circle", practice="welding")
    safety = community_create(by=coordinator, name="Safety Leads", practice="safety")
    data = community_create(by=coordinator, name="Data Analytics", practice="data science")
    newcomer = make_user("nina", department="Plant safety")
    newcomer.expertise.add(Expertise.objects.create(name="data pipelines"))
    community_join(community=welding, user=newcomer)
    client.force_login(newcomer)

    response = client.get(reverse("welcome:first_steps"))

    suggested = [c.name for c in response.context["suggestions"]]
    assert set(suggested[:2]) == {safety.name, data.name}  # they share words with her
    assert welding.name not in suggested
    assert "Your first steps (1 of 3 done)" in response.content.decode()


def test_the_first_steps_go_away_once_joined_asked_and_watching(client, community, make_user):
    newcomer = make_user("nina")
    client.force_login(newcomer)
    community_join(community=community, user=newcomer)
    question_ask(community=community, author=newcomer, title="T?", body="b", tags="bearings")
    assert (
        'data-testid="first-steps"' in client.get(reverse("welcome:first_steps")).content.decode()
    )
    tag_watch_toggle(user=newcomer, tag_id=Tag.objects.get(name="bearings").pk)
    page = client.get(reverse("welcome:first_steps")).content.decode()
    assert 'data-testid="first-steps"' not in page
    assert 'data-testid="steps-done"' in page


def test_the_welcome_page_is_for_signed_in_people(client):
    response = client.get(reverse("welcome:first_steps"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
