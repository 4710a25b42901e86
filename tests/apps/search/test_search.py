"""Search: ranking, filters, privacy, moderation, hostile input and the page, on either database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.search import selectors
from cultivate.apps.search.models import SearchDocument
from cultivate.apps.search.selectors import SearchPage, _marked_html, fts5_query, search
from cultivate.apps.sharing.services import (
    answer_accept,
    answer_create,
    content_edit,
    content_hide,
    content_restore,
    post_create,
    question_ask,
    vote_cast,
)

WEIRD_QUERIES = [
    '"',
    '""',
    "'",
    "AND OR NOT",
    "bearing AND",
    "OR",
    "NOT bearing",
    "*",
    "bearing*",
    "-",
    "-bearing",
    "(",
    "(bearing",
    ")",
    "NEAR(bearing grease)",
    "title:bearing",
    "^bearing",
    "bearing:*",
    "a & b | !c",
    "%",
    "_",
    "\\",
    "; DROP TABLE search_searchdocument; --",
    "\x00bearing",
    "\x02bearing\x03",
    "     ",
    "",
    "ünïcödé bearing 轴承",
    "bearing " * 400,
    "x" * 5000,
]


def titles(page: SearchPage) -> list[str]:
    return [hit.title for hit in page.hits]


@pytest.fixture
def asker(make_user: Callable[..., User], community: Community, join: Callable[..., None]) -> User:
    user = make_user("ada", display_name="Ada Asker")
    join(user, community)
    return user


def test_a_title_match_ranks_above_a_body_only_match(asker: User, community: Community) -> None:
    question_ask(
        community=community,
        author=asker,
        title="How do I pick lubricant?",
        body="Our gearbox runs hot. Somebody said the bearing might be the cause.",
    )
    question_ask(
        community=community,
        author=asker,
        title="Bearing noise at high speed",
        body="It squeals above 3000 rpm.",
    )

    page = search(asker, "bearing")

    assert page.total == 2
    assert titles(page) == ["Bearing noise at high speed", "How do I pick lubricant?"]
    assert page.hits[0].score > page.hits[1].score


def test_every_word_must_match_and_stems_find_other_forms(
    asker: User, community: Community
) -> None:
    question_ask(community=community, author=asker, title="Bearings that fail", body="Why?")
    question_ask(community=community, author=asker, title="Bearing grease", body="Which?")

    assert titles(search(asker, "bearing failed")) == ["Bearings that fail"]
    assert len(search(asker, "bearing").hits) == 2


def test_a_post_and_an_answer_link_to_their_pages(asker: User, community: Community) -> None:
    question = question_ask(
        community=community, author=asker, title="Torque wrench calibration", body="How often?"
    )
    answer = answer_create(question=question, author=asker, body="Yearly, or after a drop.")
    post = post_create(
        community=community, author=asker, title="Calibration day recap", body="We calibrated 40."
    )

    urls = {hit.kind: hit.url for hit in search(asker, "calibration drop").hits}
    assert urls == {"answer": f"{question.get_absolute_url()}#answer-{answer.pk}"}
    by_kind = {hit.kind: hit for hit in search(asker, "calibration").hits}
    assert by_kind["post"].url == post.get_absolute_url()
    assert by_kind["question"].url == question.get_absolute_url()
    assert by_kind["answer"].url.endswith(f"#answer-{answer.pk}")
    assert by_kind["answer"].title == "Torque wrench calibration"
    assert by_kind["post"].community_slug == community.slug
    assert by_kind["post"].community_name == community.name


def test_filters_narrow_by_community_kind_and_tag(
    asker: User,
    coordinator: User,
    community: Community,
    private_community: Community,
) -> None:
    tagged = question_ask(
        community=community,
        author=asker,
        title="Gear backlash",
        body="Tolerance for gear teeth?",
        tags="gears tolerances",
    )
    answer_create(question=tagged, author=asker, body="Measure gear backlash with a dial.")
    question_ask(
        community=community,
        author=asker,
        title="Gear oil",
        body="Which viscosity?",
        tags="lubrication",
    )
    post_create(community=community, author=asker, title="Gear day", body="Photos of gears.")
    question_ask(
        community=private_community, author=coordinator, title="Gear incident", body="Report."
    )

    assert search(coordinator, "gear").total == 5
    assert search(coordinator, "gear", community_slug=private_community.slug).total == 1
    assert titles(search(coordinator, "gear", kind="post")) == ["Gear day"]
    assert [h.kind for h in search(coordinator, "gear", kind="answer").hits] == ["answer"]
    assert titles(search(coordinator, "gear", tag="gears")) == ["Gear backlash"]
    # A tag matches whole tags only, never part of one.
    assert search(coordinator, "gear", tag="gear").total == 0
    assert search(coordinator, "gear", tag="%").total == 0
    assert search(coordinator, "gear", kind="comment").total == 0
    assert search(coordinator, "gear", community_slug="no-such-community").total == 0


def test_snippets_highlight_matches_and_escape_what_people_wrote(
    asker: User, community: Community
) -> None:
    question_ask(
        community=community,
        author=asker,
        title="Script <b>bold</b> bearing",
        body="Paste <script>alert('x')</script> & the bearing <img src=x onerror=alert(1)> log.",
    )

    hit = search(asker, "bearing").hits[0]

    assert "<mark>bearing</mark>" in hit.snippet_html.lower()
    assert "<mark>bearing</mark>" in hit.title_html.lower()
    for html in (hit.snippet_html, hit.title_html):
        assert "<script" not in html
        assert "<img" not in html
        assert "<b>" not in html
        assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_marking_escapes_text_and_always_balances_marks() -> None:
    assert _marked_html("\x02<script>\x03 & \x03") == "<mark>&lt;script&gt;</mark> &amp; "
    assert _marked_html("\x02\x02open") == "<mark>open</mark>"
    assert _marked_html('plain "quote"') == "plain &quot;quote&quot;"


def test_a_non_member_never_sees_a_private_question_in_search(
    coordinator: User,
    private_community: Community,
    outsider: User,
    make_user: Callable[..., User],
    join: Callable[..., None],
) -> None:
    question = question_ask(
        community=private_community,
        author=coordinator,
        title="Confidential valve failure",
        body="The valve failed during the audit.",
    )
    answer_create(question=question, author=coordinator, body="Valve replaced after audit.")
    insider = make_user("ines")
    join(insider, private_community)

    assert search(outsider, "valve").total == 0
    assert search(outsider, "valve", community_slug=private_community.slug).total == 0
    assert search(AnonymousUser(), "valve").total == 0
    assert search(insider, "valve").total == 2

    client = Client()
    client.force_login(outsider)
    response = client.get(reverse("search:search"), {"q": "valve"})
    assert response.status_code == 200
    assert b"Confidential" not in response.content
    assert private_community.name.encode() not in response.content


def test_hidden_content_leaves_results_and_returns_when_restored(
    asker: User, coordinator: User, community: Community
) -> None:
    question = question_ask(
        community=community, author=asker, title="Spindle runout", body="Runout of 0.05 mm."
    )
    answer = answer_create(question=question, author=asker, body="Check the spindle collet.")
    assert search(asker, "spindle").total == 2

    content_hide(content=answer, by=coordinator, reason="spam")
    assert [h.kind for h in search(asker, "spindle").hits] == ["question"]

    content_hide(content=question, by=coordinator, reason="off topic")
    # The answer is not hidden itself, but it goes with its question.
    content_restore(content=answer, by=coordinator)
    assert search(asker, "spindle").total == 0
    assert search(coordinator, "spindle").total == 0

    content_restore(content=question, by=coordinator)
    assert search(asker, "spindle").total == 2


def test_an_edit_changes_what_is_found(asker: User, community: Community) -> None:
    question = question_ask(
        community=community, author=asker, title="Welding aluminium", body="TIG or MIG?"
    )
    answer_create(question=question, author=asker, body="TIG, with AC.")

    content_edit(content=question, by=asker, title="Brazing copper", body="Which flux?")

    assert search(asker, "welding").total == 0
    assert search(asker, "aluminium").total == 0
    found = search(asker, "brazing")
    assert sorted(h.kind for h in found.hits) == ["answer", "question"]
    assert search(asker, "flux").total == 1


def test_the_index_holds_characters_not_html_entities(asker: User, community: Community) -> None:
    question = question_ask(
        community=community, author=asker, title="Tolerances", body="Keep a < b & c > d."
    )

    document = SearchDocument.objects.get(kind="question", object_pk=question.pk)
    assert document.body == "Keep a < b & c > d."
    assert search(asker, "amp").total == 0


@pytest.mark.parametrize("query", WEIRD_QUERIES)
def test_odd_queries_never_raise(asker: User, community: Community, query: str) -> None:
    question_ask(community=community, author=asker, title="Bearing grease", body="NEAR the gear.")

    page = search(asker, query, community_slug=query[:50], kind="", tag=query[:40])

    assert page.total >= 0
    assert page.total == len(page.hits) or page.pages > 1


@pytest.mark.parametrize("query", WEIRD_QUERIES)
def test_the_page_answers_odd_queries(client: Client, asker: User, query: str) -> None:
    client.force_login(asker)
    response = client.get(reverse("search:search"), {"q": query, "tag": query[:30], "page": query})
    # a NUL character is refused before any view runs; everything else is searched
    assert response.status_code == (400 if "\x00" in query else 200)


def test_operators_are_searched_as_words(asker: User, community: Community) -> None:
    question_ask(community=community, author=asker, title="Bearing grease", body="Lithium based.")
    question_ask(community=community, author=asker, title="Gear grease", body="Not lithium.")

    # Bare operators mean nothing; the words either side still count.
    assert search(asker, "grease NOT lithium").total >= 1
    assert search(asker, '"bearing grease"').total == 1
    assert search(asker, "AND OR NOT").total == 0
    assert search(asker, "!!! --- ***").total == 0


def test_the_fts5_query_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts5_query('bear NEAR "grease" -title: (x*') == '"bear" "NEAR" "grease" "title" "x"*'
    assert fts5_query("--- *** ()") == ""
    assert fts5_query("x_b") == '"x" "b"*'


def test_the_fts5_query_leaves_out_english_stop_words_unless_there_is_nothing_else() -> None:
    assert fts5_query("How do I grease a bearing") == '"grease" "bearing"*'
    assert fts5_query("AND OR NOT") == '"AND" "OR" "NOT"*'


def test_a_question_phrased_in_a_sentence_finds_a_title_without_its_little_words(
    asker: User, community: Community
) -> None:
    question_ask(community=community, author=asker, title="Bearing grease", body="Lithium based.")

    assert search(asker, "which grease for the bearing", by_meaning=False).total == 1


def test_a_word_stem_finds_its_longer_forms(asker: User, community: Community) -> None:
    question_ask(community=community, author=asker, title="Lubrication schedule", body="Weekly.")

    assert search(asker, "lubric").total == 1


def test_results_come_in_pages(asker: User, community: Community) -> None:
    for n in range(5):
        question_ask(community=community, author=asker, title=f"Pump seal {n}", body="Leaks.")

    first = search(asker, "pump", per_page=2)
    last = search(asker, "pump", page=3, per_page=2)
    beyond = search(asker, "pump", page=99, per_page=2)

    assert (first.total, first.pages, len(first.hits), first.start) == (5, 3, 2, 1)
    assert (last.page, len(last.hits), last.start) == (3, 1, 5)
    assert beyond.page == 3
    assert len({h.object_pk for h in first.hits + last.hits}) == 3


def test_a_word_matching_more_than_the_candidates_ranks_the_newest_and_says_more(
    client: Client,
    asker: User,
    community: Community,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    asked = [
        question_ask(community=community, author=asker, title=f"Pump seal {n}", body="Leaks.")
        for n in range(5)
    ]

    found = search(asker, "pump", per_page=2)

    assert (found.total, found.more, found.pages) == (3, True, 2)
    newest = {q.pk for q in asked[-3:]}
    ranked = found.hits + search(asker, "pump", page=2, per_page=2).hits
    assert {h.object_pk for h in ranked} == newest
    assert search(asker, "pump seal 4").more is False
    client.force_login(asker)
    status = client.get(reverse("search:search"), {"q": "pump"}).content.decode()
    assert "3+ results" in status


def test_the_page_shows_ranked_highlighted_hits_with_filters(
    client: Client, asker: User, community: Community
) -> None:
    question_ask(
        community=community,
        author=asker,
        title="Hydraulic press <script>",
        body="Press leaks.",
        tags="hydraulics",
    )
    client.force_login(asker)

    response = client.get(reverse("search:search"), {"q": "hydraulic", "tag": "Hydraulics"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "1 result" in content
    assert "<mark>Hydraulic</mark> press &lt;script&gt;" in content
    assert '<label for="id_community">Community</label>' in content
    assert f'<option value="{community.slug}">' in content
    assert 'name="kind"' in content
    assert 'name="tag"' in content


def test_a_bad_filter_is_named_beside_its_field(client: Client, asker: User) -> None:
    client.force_login(asker)

    response = client.get(reverse("search:search"), {"q": "x", "kind": "spaceship"})

    assert response.status_code == 200
    assert 'id="id_kind_error"' in response.content.decode()


def test_the_page_links_to_the_next_page_keeping_the_query(
    client: Client, asker: User, community: Community
) -> None:
    for n in range(22):
        question_ask(community=community, author=asker, title=f"Valve {n}", body="Sticks.")

    response = client.get(reverse("search:search"), {"q": "valve", "kind": "question"})
    content = response.content.decode()

    assert "22 results, page 1 of 2" in content
    assert 'href="?q=valve&amp;kind=question&amp;page=2"' in content
    second = client.get(reverse("search:search"), {"q": "valve", "kind": "question", "page": 2})
    assert second.content.decode().count('class="card"') == 2


@pytest.mark.parametrize("items", [1, 12])
def test_the_page_needs_a_bounded_number_of_queries(
    client: Client,
    asker: User,
    community: Community,
    django_assert_max_num_queries: Callable[..., object],
    items: int,
) -> None:
    for n in range(items):
        question = question_ask(
            community=community, author=asker, title=f"Coolant {n}", body="Coolant foams."
        )
        answer_create(question=question, author=asker, body="Coolant concentration too low.")
    client.force_login(asker)

    # The search itself (count, word ranking, the vectors' freshness, the page's rows and
    # marks), then one query per kind of content on the page for its cards' details.
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        response = client.get(reverse("search:search"), {"q": "coolant"})

    assert response.status_code == 200
    assert f"{items * 2} result" in response.content.decode()


def test_a_question_and_its_matching_answers_are_one_card_saying_who_votes_and_solved(
    client: Client, asker: User, community: Community, make_user: Callable[..., User], join
) -> None:
    helper = make_user("hugo", display_name="Hugo Helper")
    join(helper, community)
    question = question_ask(
        community=community, author=asker, title="Gearbox whine at speed", body="Gearbox sings."
    )
    first = answer_create(question=question, author=helper, body="Check the gearbox backlash.")
    answer_create(question=question, author=asker, body="The gearbox oil was low, thanks.")
    answer_accept(answer=first, by=asker)
    vote_cast(target=first, user=asker)
    elsewhere = question_ask(community=community, author=helper, title="Belt slip", body="Belt.")
    answer_create(question=elsewhere, author=asker, body="A gearbox upstream can cause it.")
    client.force_login(asker)

    content = client.get(reverse("search:search"), {"q": "gearbox"}).content.decode()

    assert content.count('data-testid="result"') == 2
    assert content.count('data-testid="matching-answer"') == 3
    whine, belt = content.split('data-testid="result"')[1:]
    assert "Solved ✓" in whine
    assert "Hugo Helper" in whine
    assert "Accepted answer" in whine
    assert "1 vote" in whine
    assert "2 answers" in whine
    assert "Belt slip" in belt  # the question heads its card though only its answer matched
    assert "Solved ✓" not in belt
    assert community.name in belt


def test_a_result_line_escapes_names_speaks_the_readers_language_and_time_zone(
    client: Client, asker: User, community: Community, make_user: Callable[..., User], join
) -> None:
    writer = make_user("bo", display_name="<b>Bo</b> & co")
    join(writer, community)
    question_ask(
        community=community,
        author=writer,
        title="Gearbox whine at night",
        body="Gearbox sings.",
        at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
    )
    asker.language, asker.time_zone = "fr", "Asia/Tokyo"
    asker.save()
    client.force_login(asker)

    card = client.get(reverse("search:search"), {"q": "gearbox"}).content.decode()

    assert 'par <a href="/people/bo/"><bdi>&lt;b&gt;Bo&lt;/b&gt; &amp; co</bdi></a>' in card
    assert f'dans <a href="/c/{community.slug}/">' in card
    assert "0 vote<" in card
    assert '<time datetime="2026-03-02T08:30:00+09:00">2 Mar 2026</time>' in card


def test_a_result_by_someone_no_profile_path_takes_still_shows(
    client: Client, asker: User, community: Community, make_user: Callable[..., User], join
) -> None:
    imported = make_user("list/robot", display_name="List robot")  # an import's odd key
    join(imported, community)
    question_ask(community=community, author=imported, title="Gearbox whine", body="Sings.")
    client.force_login(asker)

    response = client.get(reverse("search:search"), {"q": "gearbox"})

    assert response.status_code == 200
    assert '<a href=""><bdi>List robot</bdi></a>' in response.content.decode()


def test_search_filters_by_solved_and_by_when_it_was_written(
    asker: User, community: Community
) -> None:
    solved = question_ask(community=community, author=asker, title="Pump cavitation", body="Pump.")
    answer = answer_create(question=solved, author=asker, body="Raise the pump suction head.")
    answer_accept(answer=answer, by=asker)
    question_ask(community=community, author=asker, title="Pump noise", body="Pump hums.")
    question_ask(
        community=community,
        author=asker,
        title="Pump seals, years ago",
        body="Pump.",
        at=timezone.now() - timedelta(days=400),
    )
    post_create(community=community, author=asker, title="Pump story", body="Pump.")

    def found(**filters: object) -> list[str]:
        return sorted(titles(search(asker, "pump", **filters)))  # type: ignore[arg-type]

    assert found(solved="solved") == ["Pump cavitation", "Pump cavitation"]
    assert found(solved="unsolved") == ["Pump noise", "Pump seals, years ago"]
    assert "Pump seals, years ago" not in found(since=timezone.now() - timedelta(days=366))
    assert found(solved="maybe") == []
