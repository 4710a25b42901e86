"""The sharing pages in a real request cycle: forms, permissions, privacy, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.celebrations.models import Kudos
from cultivate.apps.sharing import views
from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import (
    answer_create,
    comment_create,
    content_edit,
    content_hide,
    post_create,
    question_ask,
    vote_cast,
)
from cultivate.apps.tags.models import Tag


@pytest.fixture
def asked(community, member):
    return question_ask(
        community=community,
        author=member,
        title="How tight is tight enough?",
        body="Flange bolts on the **pump skid**.",
        tags="bolting",
    )


def test_a_member_asks_a_question_through_the_form(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("sharing:ask", args=[community.slug]),
        {"title": "Which gasket?", "body": "Steam at 12 bar.", "tags": "gaskets"},
    )
    question = Question.objects.get(title="Which gasket?")
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()


def test_form_errors_appear_beside_their_fields(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("sharing:ask", args=[community.slug]),
        {"title": "", "body": "x", "tags": "bad tag!"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in html
    assert 'id="id_tags_error"' in html


def test_tags_of_any_script_are_kept_and_right_to_left_text_reads_right(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("sharing:ask", args=[community.slug]),
        {
            "title": "كيف أختار الشحم المناسب؟",
            "body": "ما هو الشحم الأنسب للمحامل؟",
            "tags": "تشحيم, हिंदी, Ölwechsel, c++",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    question = Question.objects.get()
    assert list(question.tags.values_list("name", flat=True).order_by("name")) == sorted(
        ["تشحيم", "हिंदी", "ölwechsel", "c++"]
    )
    page = client.get(question.get_absolute_url()).content.decode()
    assert '<div class="content" dir="auto">' in page
    assert "<bdi>كيف أختار الشحم المناسب؟</bdi>" in page


@pytest.mark.parametrize(
    ("tags", "says"),
    [
        ("bad_tag", "may use only letters"),
        ("🔧", "may use only letters"),
        ("x" * 41, "is longer than 40 characters"),
    ],
)
def test_a_tag_that_is_not_letters_and_digits_is_refused_naming_it(
    client, community, member, tags, says
):
    client.force_login(member)
    response = client.post(
        reverse("sharing:ask", args=[community.slug]), {"title": "T", "body": "B", "tags": tags}
    )
    assert says in response.content.decode()
    assert not Question.objects.exists()


def test_a_body_over_the_limit_is_refused_and_kept_whole_in_the_form(client, community, member):
    client.force_login(member)
    body = "Grease. " * 12_500 + "The end."  # 100,008 characters
    response = client.post(
        reverse("sharing:ask", args=[community.slug]), {"title": "Long", "body": body, "tags": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body_error"' in html
    assert "100,008" in html or "100008" in html  # says how long it is
    assert "The end.</textarea>" in html  # nothing cut
    assert "maxlength" not in html.split('name="body"', 1)[1].split(">", 1)[0]
    assert not Question.objects.exists()


def test_the_asker_accepts_an_answer_and_the_page_shows_it_solved(
    client, asked, coordinator, member
):
    answer = answer_create(question=asked, author=coordinator, body="40 Nm, crosswise.")
    client.force_login(member)
    client.post(reverse("sharing:accept", args=[answer.pk]))
    page = client.get(asked.get_absolute_url()).content.decode()
    assert 'data-testid="solved"' in page


def test_a_non_member_cannot_see_a_private_question(
    client, private_community, coordinator, outsider
):
    question = question_ask(
        community=private_community,
        author=coordinator,
        title="Near miss on line 4",
        body="Details inside.",
    )
    client.force_login(outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("sharing:questions", args=[private_community.slug])).status_code == 404
    )
    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 404


def test_script_and_event_handlers_in_markdown_are_neutralised(client, community, member):
    post = post_create(
        community=community,
        author=member,
        title="XSS",
        body='<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))',
    )
    html = client.get(post.get_absolute_url()).content.decode()
    body = html.split('<div class="content" dir="auto">', 1)[1].split("</div>", 1)[0]
    elements = _elements(body)
    assert all(tag != "script" for tag, _ in elements)
    assert all(not name.startswith("on") for _, attrs in elements for name, _ in attrs)
    assert all(
        not (value or "").startswith("javascript:") for _, attrs in elements for _, value in attrs
    )
    assert "&lt;script&gt;" in body  # shown as text, never run


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Return every element and its attributes, as a browser's parser would see them."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_hidden_content_is_gone_for_members_but_not_for_coordinators(
    client, asked, coordinator, member, make_user, join, community
):
    answer = answer_create(question=asked, author=member, body="Buy my product at example.com")
    content_hide(content=answer, by=coordinator, reason="spam")
    other = make_user()
    join(other, community)
    client.force_login(other)
    assert "Buy my product" not in client.get(asked.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert "Buy my product" in client.get(asked.get_absolute_url()).content.decode()


def test_an_unknown_question_or_kind_is_a_404(client, community, member):
    client.force_login(member)
    assert client.get(reverse("sharing:question", args=[community.slug, 999999])).status_code == 404
    assert client.post("/c/widget/1/vote/").status_code == 404
    assert client.get("/c/no-such-community/questions/").status_code == 404


def test_the_question_page_runs_a_bounded_number_of_queries(
    client, asked, community, coordinator, member, make_user, join, django_assert_max_num_queries
):
    for i in range(12):
        person = make_user()
        join(person, community)
        answer = answer_create(question=asked, author=person, body=f"Answer number {i}")
        comment_create(target=answer, author=member, body=f"Thanks {i}")
    client.force_login(member)
    # The asker's first view also draws the two boxes beside the question (related questions
    # and who can answer: about a dozen queries, a constant); later views read them cached.
    with django_assert_max_num_queries(32):
        response = client.get(asked.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(asked.get_absolute_url())


def test_the_question_list_runs_a_bounded_number_of_queries(
    client, community, member, django_assert_max_num_queries
):
    for i in range(30):
        question_ask(
            community=community, author=member, title=f"Question {i}", body="Body", tags=f"t{i % 4}"
        )
    client.force_login(member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("sharing:questions", args=[community.slug]))
    assert response.status_code == 200


def test_a_malformed_page_number_does_not_break_the_list(client, community):
    response = client.get(
        reverse("sharing:questions", args=[community.slug]) + "?page=abc&status=<x>"
    )
    assert response.status_code == 200


def test_the_post_page_and_its_history_run_a_bounded_number_of_queries(
    client, community, member, make_user, join, django_assert_max_num_queries
):
    from cultivate.apps.sharing.services import content_edit

    post = post_create(community=community, author=member, title="Tip", body="First")
    for i in range(10):
        person = make_user()
        join(person, community)
        comment_create(target=post, author=person, body=f"Nice {i}")
        content_edit(content=post, by=member, body=f"Version {i}")
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(post.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sharing:history", args=["post", post.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sharing:edit", args=["post", post.pk])).status_code == 200


def test_answers_and_comments_under_a_hidden_question_are_gone_for_everyone_but_coordinators(
    client, asked, coordinator, member, make_user, join, community
):
    answer = answer_create(question=asked, author=coordinator, body="The secret torque")
    remark = comment_create(target=answer, author=member, body="Secret remark")
    content_hide(content=asked, by=coordinator, reason="off topic")
    other = make_user()
    join(other, community)
    for who in (None, other):
        client.logout()
        if who:
            client.force_login(who)
        assert client.get(reverse("sharing:history", args=["answer", answer.pk])).status_code == 404
        assert (
            client.get(reverse("sharing:history", args=["comment", remark.pk])).status_code == 404
        )
    client.force_login(member)
    assert client.post(reverse("sharing:accept", args=[answer.pk])).status_code == 404
    assert client.post(reverse("sharing:vote", args=["answer", answer.pk])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("sharing:history", args=["answer", answer.pk])).status_code == 200


def test_a_tag_typed_composed_or_decomposed_is_one_tag(client, community, member):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    question_ask(community=community, author=member, title="Espresso?", body="?", tags=decomposed)
    question_ask(community=community, author=member, title="Latte?", body="?", tags=composed)
    assert Tag.objects.filter(name__in=[composed, decomposed]).count() == 1
    listing = reverse("sharing:questions", args=[community.slug])
    page = client.get(listing, {"tag": decomposed.upper()}).content.decode()
    assert "Espresso?" in page
    assert "Latte?" in page


def test_a_non_member_is_told_to_join_first_and_joining_leads_back_to_the_form(
    client, community, outsider
):
    client.force_login(outsider)
    home = client.get(reverse("sharing:home", args=[community.slug])).content.decode()
    ask = reverse("sharing:ask", args=[community.slug])
    assert f'href="{ask}"' in home  # the button is there for non-members too

    page = client.get(ask).content.decode()
    assert 'data-testid="join-first"' in page
    assert "Join and ask a question" in page
    assert 'name="title"' not in page  # no form to fill in before joining

    joined = client.post(reverse("communities:join", args=[community.slug]), {"next": ask})
    assert joined["Location"] == ask
    assert 'name="title"' in client.get(ask).content.decode()


def test_the_preview_shows_the_markdown_as_the_page_will_sanitised(client, member):
    url = reverse("preview")
    assert client.post(url, {"body": "**hi**"}).status_code == 403  # signed-in people only
    client.force_login(member)

    shown = client.post(url, {"body": "**bold** <script>alert(1)</script>"}).content.decode()

    assert "<strong>bold</strong>" in shown
    assert "<script>" not in shown
    assert "Nothing to preview yet." in client.post(url, {"body": "  "}).content.decode()
    assert client.get(url).status_code == 405


def test_the_composers_keep_drafts_and_offer_a_preview(client, community, member):
    client.force_login(member)
    page = client.get(reverse("sharing:ask", args=[community.slug])).content.decode()
    assert 'data-draft="question"' in page
    assert 'hx-post="/preview/"' in page
    assert "drafts.js" in page


def test_a_member_thanks_an_answer_in_place_and_comes_back_to_it(
    client, asked, coordinator, member
):
    answer = answer_create(question=asked, author=coordinator, body="40 Nm, crosswise.")
    client.force_login(coordinator)
    assert 'data-testid="thank"' not in client.get(asked.get_absolute_url()).content.decode()
    client.force_login(member)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert 'data-testid="thank"' in page

    response = client.post(
        reverse("celebrations:kudos_new", args=[asked.community.slug]),
        {
            "receiver": coordinator.username,
            "link_kind": "answer",
            "link_id": answer.pk,
            "reason": "Saved my Tuesday.",
            "next": f"{asked.get_absolute_url()}#answer-{answer.pk}",
        },
    )

    assert response["Location"] == f"{asked.get_absolute_url()}#answer-{answer.pk}"
    kudos = Kudos.objects.get()
    assert (kudos.receiver, kudos.link) == (coordinator, answer)


def test_questions_sort_by_most_votes_keeping_the_filters(client, community, member, coordinator):
    quiet = question_ask(community=community, author=member, title="Quiet?", body="?", tags="pumps")
    liked = question_ask(community=community, author=member, title="Liked?", body="?", tags="pumps")
    question_ask(community=community, author=member, title="Newest?", body="?", tags="pumps")
    vote_cast(target=liked, user=coordinator)
    url = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)

    newest = client.get(url, {"tag": "pumps"}).content.decode()
    by_votes = client.get(url, {"tag": "pumps", "sort": "votes"}).content.decode()

    assert newest.index("Newest?") < newest.index("Liked?")
    assert by_votes.index("Liked?") < by_votes.index("Newest?") < by_votes.index(quiet.title)
    assert 'aria-current="true">Most votes' in by_votes.replace("\n", "")
    assert "3 questions" in by_votes


def test_the_tags_field_suggests_the_communitys_tags_starting_with_the_word_typed(
    client, community, member, coordinator
):
    for n, tags in enumerate(["bearings, lubrication", "bearings", "bearings, belts", "Bolting"]):
        question_ask(community=community, author=member, title=f"Q{n}", body="b", tags=tags)
    hidden = question_ask(community=community, author=member, title="H", body="b", tags="bellows")
    content_hide(content=hidden, by=coordinator)
    client.force_login(member)

    ask_page = client.get(reverse("sharing:ask", args=[community.slug]))
    url = reverse("sharing:tag_suggestions", args=[community.slug])
    assert f'data-suggest="{url}"' in ask_page.content.decode()
    response = client.get(url, {"q": "Be"})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.index('data-value="bearings"') < html.index('data-value="belts"')
    assert "3 questions" in html
    assert "1 question<" in html
    assert "bellows" not in html  # only on a hidden question
    assert "bolting" not in html
    assert "lubrication" not in client.get(url, {"q": "b"}).content.decode()
    assert client.get(url, {"q": ""}).content.decode().count('role="option"') == 4


def test_a_private_communitys_tags_are_not_suggested_to_outsiders(
    client, private_community, coordinator, make_user
):
    question_ask(
        community=private_community, author=coordinator, title="Q", body="b", tags="incidents"
    )
    client.force_login(make_user("outsider"))
    response = client.get(
        reverse("sharing:tag_suggestions", args=[private_community.slug]), {"q": "inc"}
    )
    assert response.status_code == 404


def test_questions_sort_by_recent_activity_answers_comments_and_edits_move_a_thread_up(
    client, community, member, coordinator, django_capture_on_commit_callbacks
):
    start = timezone.now() - timedelta(days=10)
    old, middle, new = (
        question_ask(
            community=community, author=member, title=title, body="?", at=start + timedelta(days=n)
        )
        for n, title in enumerate(["Old one?", "Middle one?", "New one?"])
    )
    answer = answer_create(
        question=middle, author=coordinator, body="Try this.", at=start + timedelta(days=5)
    )
    comment_create(target=answer, author=member, body="Did.", at=start + timedelta(days=6))
    answer_create(question=old, author=coordinator, body="Late.", at=start + timedelta(days=7))
    answer_create(  # a replayed older answer moves nothing back
        question=old, author=coordinator, body="Early.", at=start + timedelta(days=1)
    )
    url = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)

    active = client.get(url, {"sort": "active"}).content.decode()
    assert active.index("Old one?") < active.index("Middle one?") < active.index("New one?")
    assert 'aria-current="true">Recently active' in active.replace("\n", "")

    with django_capture_on_commit_callbacks(execute=True):  # the list's cached part moves on
        content_edit(content=new, by=member, body="Edited with more detail.", title="New one?")
    active = client.get(url, {"sort": "active"}).content.decode()
    assert active.index("New one?") < active.index("Old one?")


def test_a_private_question_list_cached_for_its_coordinator_shows_outsiders_nothing(
    client, private_community, coordinator, outsider, make_user, join
):
    reader = make_user("rhea")
    join(reader, private_community)
    question_ask(community=private_community, author=coordinator, title="Secret roadmap", body="B")
    aside = question_ask(community=private_community, author=reader, title="Hidden aside", body="B")
    content_hide(content=aside, by=coordinator, reason="off topic")
    url = reverse("sharing:questions", args=[private_community.slug])
    client.force_login(coordinator)
    assert "Secret roadmap" in client.get(url).content.decode()  # the list's part is now cached

    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 404
    assert "Secret roadmap" not in response.content.decode()
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "Secret roadmap" not in response.content.decode()
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "Secret roadmap" in page
    assert "Hidden aside" not in page


@pytest.mark.parametrize("found_by", ["meaning", "words"])
def test_the_boxes_beside_a_private_question_cached_for_its_coordinator_stay_theirs(
    client,
    private_community,
    coordinator,
    outsider,
    make_user,
    join,
    django_capture_on_commit_callbacks,
    monkeypatch,
    found_by,
):
    if found_by == "words":  # as before the embedding job has run, or with no encoder
        monkeypatch.setattr(views, "stored_embedding", lambda question: ("", None))
    asker, reader = make_user("bea"), make_user("sam")
    for person in (asker, reader):
        join(person, private_community)
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written then
        earlier = question_ask(
            community=private_community, author=asker, title="Bearing noise on pump four", body="B"
        )
        answer_create(question=earlier, author=coordinator, body="Check the lubrication first.")
        hidden = question_ask(
            community=private_community, author=reader, title="Bearing noise on pump six", body="B"
        )
        content_hide(content=hidden, by=coordinator, reason="duplicate")
        asked = question_ask(
            community=private_community, author=asker, title="Bearing noise on pump five", body="B"
        )
    client.force_login(coordinator)
    warmed = client.get(asked.get_absolute_url()).content.decode()
    assert "Bearing noise on pump four" in warmed  # the related box, now cached

    client.force_login(outsider)
    response = client.get(asked.get_absolute_url())
    assert response.status_code == 404
    assert "pump four" not in response.content.decode()
    client.logout()
    assert client.get(asked.get_absolute_url()).status_code == 404
    client.force_login(reader)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert "Bearing noise on pump four" in page
    assert "pump six" not in page  # hidden: only coordinators see it, never from their copy
    assert 'data-testid="experts"' not in page  # who can answer is for the asker and coordinators
