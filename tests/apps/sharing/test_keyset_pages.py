"""The questions and posts lists page by cursor: every row once, in order, both ways."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cultivate.apps.sharing.models import Question
from cultivate.apps.sharing.services import post_create, question_ask

_TITLE = re.compile(r'class="title" href="[^"]+">([^<]+)</a>')
_LINK = re.compile(r'href="\?([^"]*(?:after|before)=[^"]+)" rel="(next|prev)"')


def _ask_many(community, member, count: int) -> list[str]:
    titles = [f"Question number {i:03d}" for i in range(count)]
    for title in titles:
        question_ask(community=community, author=member, title=title, body="B")
    # Ten questions share one instant: the id must break the tie.
    start = timezone.now() - timedelta(days=1)
    ids = list(
        Question.objects.filter(community=community).order_by("id").values_list("id", flat=True)
    )
    for index, pk in enumerate(ids):
        at = start + timedelta(minutes=10 if 10 <= index < 20 else index)
        Question.objects.filter(pk=pk).update(created_at=at)
    return titles


def _page(client, url: str) -> tuple[list[str], dict[str, str]]:
    html = client.get(url).content.decode().replace("&amp;", "&")
    links = {rel: query for query, rel in _LINK.findall(html)}
    return _TITLE.findall(html), links


def test_walking_older_then_newer_shows_every_question_once_in_order(client, community, member):
    titles = _ask_many(community, member, 47)
    newest_first = titles[::-1]
    base = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)

    seen: list[list[str]] = []
    shown, links = _page(client, base)
    seen.append(shown)
    assert "prev" not in links
    while "next" in links:
        shown, links = _page(client, f"{base}?{links['next']}")
        seen.append(shown)
    assert [t for page in seen for t in page] == newest_first
    assert [len(page) for page in seen] == [20, 20, 7]

    back: list[list[str]] = [shown]
    while "prev" in links:
        shown, links = _page(client, f"{base}?{links['prev']}")
        back.append(shown)
    assert back[::-1] == seen


def test_a_cursor_keeps_the_filter_it_came_with(client, community, member):
    for i in range(25):
        question_ask(
            community=community, author=member, title=f"Tagged {i}", body="B", tags="pumps"
        )
        question_ask(community=community, author=member, title=f"Other {i}", body="B")
    base = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)
    _, links = _page(client, f"{base}?tag=pumps")
    shown, _ = _page(client, f"{base}?{links['next']}")
    assert links["next"].startswith("tag=pumps&")
    assert len(shown) == 5
    assert all(t.startswith("Tagged") for t in shown)


def test_a_malformed_or_foreign_cursor_gives_the_first_page(client, community, member):
    _ask_many(community, member, 25)
    base = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)
    first, _ = _page(client, base)
    for cursor in (
        "after=%%%",
        "after=bm90LWEtY3Vyc29y",
        "before=MjAyNC0wMS0wMX4x",
        "after=" + "A" * 500,
        "after=OTk5OS0xMi0zMVQyMzowMDowMC0wNTowMH4x",  # 9999-12-31 at -05:00: past the years a database stores
        "before=MDAwMS0wMS0wMVQwMDowMDowMCswNTowMH4x",
        "after=MTk5MC0wMS0wMVQwMDowMDowMCswMDowMH4x",  # 1990: no question is older, so the page would be empty
    ):
        response = client.get(f"{base}?{cursor}")
        assert response.status_code == 200
        assert _TITLE.findall(response.content.decode()) == first


def test_the_posts_list_pages_by_cursor_too(client, community, member):
    for i in range(23):
        post_create(community=community, author=member, title=f"Post {i:02d}", body="B")
    base = reverse("sharing:posts", args=[community.slug])
    client.force_login(member)
    html = client.get(base).content.decode()
    assert 'rel="next"' in html
    assert "Post 22" in html
    assert "Post 02" not in html
    older = re.search(r'href="\?(after=[^"]+)"', html)
    assert older is not None
    assert "Post 02" in client.get(f"{base}?{older.group(1)}").content.decode()


def test_a_cached_list_with_a_hidden_question_is_not_served_to_members(
    client, community, member, coordinator, django_capture_on_commit_callbacks
):
    from cultivate.apps.sharing.services import content_hide

    hidden = question_ask(community=community, author=member, title="Spam offer", body="B")
    content_hide(content=hidden, by=coordinator, reason="spam")
    base = reverse("sharing:questions", args=[community.slug])
    client.force_login(coordinator)
    assert "Spam offer" in client.get(base).content.decode()
    client.force_login(member)
    assert "Spam offer" not in client.get(base).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        question_ask(community=community, author=member, title="Fresh one", body="B")
    assert "Fresh one" in client.get(base).content.decode()


def test_a_tag_with_plus_signs_keeps_its_filter_across_pages(client, community, member):
    for i in range(23):
        question_ask(community=community, author=member, title=f"Cpp {i}", body="B", tags="c++")
        question_ask(community=community, author=member, title=f"Other {i}", body="B")
    base = reverse("sharing:questions", args=[community.slug])
    client.force_login(member)
    html = client.get(f"{base}?tag=c%2B%2B").content.decode()
    assert 'href="?tag=c%2B%2B"' in html
    _, links = _page(client, f"{base}?tag=c%2B%2B")
    shown, _ = _page(client, f"{base}?{links['next']}")
    assert len(shown) == 3
    assert all(t.startswith("Cpp") for t in shown)
