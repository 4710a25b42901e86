"""Markdown is rendered safely and mentions are found outside code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cultivate.core.markup import html_text, mentioned_usernames, plain_text, render_markdown


def test_markdown_renders_emphasis_code_and_tables():
    html = render_markdown("**bold** `x < y`\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>bold</strong>" in html
    assert "<code>x &lt; y</code>" in html
    assert "<table>" in html


def test_links_keep_safe_schemes_only_and_open_nothing_dangerous():
    html = render_markdown(
        "[ok](https://example.org) [bad](javascript:alert(1)) ![x](data:text/html,hi)"
    )
    assert 'href="https://example.org"' in html
    assert "javascript:" not in html.split("[bad]")[0] or 'href="javascript' not in html
    assert 'src="data:' not in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_raw_html_is_shown_as_text_never_run():
    html = render_markdown('<script>alert(1)</script><a href="#" onclick="x()">y</a>')
    assert "<script" not in html
    assert "<a " not in html  # the raw anchor, handler and all, is escaped text
    assert "&lt;a href=" in html


def test_mentions_are_linked_and_found_but_not_inside_code():
    assert mentioned_usernames("Ask @priya and @wei.zhang. Not `@code` or me@example.org") == {
        "priya",
        "wei.zhang",
    }
    assert '<a href="/people/priya/"' in render_markdown("hi @priya")


def test_plain_text_strips_markup_and_cuts_at_a_word():
    assert plain_text("# Title\n\nSome **bold** words here", limit=15) == "Title Some…"


@given(st.text(max_size=300))
def test_no_input_ever_yields_a_script_element_or_event_handler(text):
    html = render_markdown(text + "<script>x</script><img src=a onerror=b>")
    assert "<script" not in html.lower()
    assert '<img src="a" onerror' not in html.lower()


def test_a_full_stop_after_a_mention_ends_the_sentence_not_the_name():
    assert '<a href="/people/bob/" rel="nofollow noopener noreferrer">@bob</a>.' in render_markdown(
        "Thanks @bob."
    )


def test_an_image_from_another_site_becomes_a_link_so_readers_are_not_tracked():
    html = render_markdown("See ![the pump](https://tracker.example/p.png) here")
    assert "<img" not in html
    assert 'href="https://tracker.example/p.png"' in html
    assert "[the pump]" in html


def test_an_image_hosted_here_is_still_shown():
    html = render_markdown("![diagram](/media/pump.png)")
    assert '<img src="/media/pump.png" alt="diagram">' in html


def test_a_protocol_relative_image_counts_as_another_site():
    assert "<img" not in render_markdown("![x](//evil.example/a.png)")


def test_slack_markup_becomes_mentions_links_channels_and_emoji_but_code_stays() -> None:
    from cultivate.core.markup import chat_to_markdown

    text = (
        "<@U065ETZEC> see <http://x.org/a|the docs> in <#C1|general> :tada: &gt; quoted "
        "```rand(100:100:900)``` and `a:100:`"
    )
    converted = chat_to_markdown(text, lambda user, label: f"@person-{user}")
    assert converted.startswith("@person-U065ETZEC see [the docs](http://x.org/a) in #general 🎉")
    assert "> quoted" in converted
    assert "```rand(100:100:900)```" in converted
    assert "`a:100:`" in converted


def test_slack_links_cannot_smuggle_script_into_the_page() -> None:
    from cultivate.core.markup import chat_to_markdown

    shown = render_markdown(chat_to_markdown("<javascript:alert(1)|click> &lt;script&gt;x"))
    assert "javascript:" not in shown
    assert "<script>" not in shown
    assert "click" in shown


def test_mentions_inside_code_or_a_code_fence_language_stay_as_written():
    fence = render_markdown("```@generated\nx = 1\n```")
    assert 'class="language-@generated"' in fence
    assert "/people/" not in fence
    span = render_markdown("see `@code` and @ana")
    assert "<code>@code</code>" in span
    assert '<a href="/people/ana/"' in span


def test_the_words_of_rendered_html_are_the_plain_text_of_its_markdown():
    text = "# Title\n\nAsk @priya about `x < y` and [the docs](http://a.org) &amp; **more**"
    assert html_text(render_markdown(text), 1000) == plain_text(text, 1000)


def test_a_mention_inside_a_link_title_address_or_image_description_leaves_the_link_whole():
    text = '[see](http://x.org/@gus "by @bob") ![pic @fay](/media/x.png) and @amy'
    html = render_markdown(text)
    assert 'href="http://x.org/@gus"' in html
    assert 'title="by @bob"' in html
    assert 'alt="pic @fay"' in html
    assert html.count("<a ") == 2  # the link, and @amy
    assert mentioned_usernames(text) == {"amy"}


@given(st.text(alphabet="@ab._-`[]()*~ \n#>", max_size=60))
def test_the_people_notified_are_exactly_the_mentions_the_page_links(text):
    html = render_markdown(text)
    linked = {name for name in mentioned_usernames(text) if f'href="/people/{name}/"' in html}
    assert linked == mentioned_usernames(text)
    assert html.count('href="/people/') == sum(
        html.count(f'href="/people/{name}/"') for name in mentioned_usernames(text)
    )


def test_indented_and_tilde_fenced_code_mention_nobody():
    assert mentioned_usernames("    indented @carl\n\n~~~\n@dan\n~~~\n") == set()


def test_a_text_of_brackets_scans_for_labels_within_the_budget_and_shows_as_text(monkeypatch):
    from cultivate.core import markup

    steps = [0]
    scan = markup._skip_token

    def counted(state):
        steps[0] += 1
        scan(state)

    monkeypatch.setattr(markup, "_skip_token", counted)
    markup.rendered_cache_clear()
    html = render_markdown("[" * 99_000)
    assert steps[0] <= markup.LABEL_STEPS  # unbounded, it was 2,078,899 steps
    assert html == f"<p>{'[' * 99_000}</p>\n"


def test_the_label_budget_leaves_texts_people_write_whole():
    links = " ".join(f"[page {n}](https://example.org/{n})" for n in range(5_000))
    assert render_markdown(links).count("<a ") == 5_000


def test_a_save_parses_its_markdown_once_for_the_page_the_mentions_and_the_snippet(
    monkeypatch, community, member
):
    from cultivate.apps.sharing.services import question_ask
    from cultivate.core import markup

    parsed: list[str] = []
    parse = markup._MARKDOWN.parse
    monkeypatch.setattr(
        markup._MARKDOWN, "parse", lambda text, env=None: parsed.append(text) or parse(text, env)
    )
    markup.rendered_cache_clear()
    body = "Which grease, @" + member.username + "? " + "[" * 5_000
    question_ask(community=community, author=member, title="Grease for pumps?", body=body)
    assert parsed.count(body) == 1
