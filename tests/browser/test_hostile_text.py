"""Cross-site scripting payloads in every text a person or an import can set, read in chromium.

The browser context bypasses the Content-Security-Policy on purpose: the policy is the second
wall, and this test checks the first one, escaping and sanitising. A payload that ran would open
a dialog; one that was let into the page as markup would leave an event handler, a script, a
frame or a `javascript:` address in the DOM. Each page must also show the payload's text, so the
test proves the payload reached it.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page

from cultivate.apps.accounts.services import profile_update
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.decisions.models import Process
from cultivate.apps.decisions.services import proposal_create
from cultivate.apps.meetings.services import event_create
from cultivate.apps.notifications.models import Notification
from cultivate.apps.practices.services import document_create, revision_save
from cultivate.apps.sharing.services import answer_create, comment_create, question_ask

from .screens import PASSWORD
from .showcase import community_with_everything, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

PAYLOADS = [
    '<script>alert("xss-script")</script>',
    '<img src=x onerror=alert("xss-img")>',
    '<svg onload=alert("xss-svg")><circle r="1"/></svg>',
    '"><svg/onload=alert("xss-attribute")>',
    "'-alert('xss-string')-'",
    '[click me](javascript:alert("xss-markdown-link"))',
    '<a href="jaVasCript:alert(&quot;xss-a&quot;)">mixed case</a>',
    '<a href="java\tscript:alert(1)">tabbed</a>',
    '![x](x" onerror="alert(1))',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="background:url(javascript:alert(1))">css</div>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss-mutation")>',
    "\uff1cscript\uff1ealert('xss-fullwidth')\uff1c/script\uff1e",
    "\u202egnp.exe <scr\u200bipt>alert('xss-zero-width')</scr\u200bipt>",
    '<details open ontoggle=alert("xss-toggle")>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "{{7*7}} ${7*7} <%= 7*7 %>",
]
EVERYTHING = "\n\n".join(PAYLOADS)
SHORT = '"><img src=x onerror=alert(1)>'
"""For fields of a hundred characters or so (names, titles, places)."""

OFFENCES = """() => {
  const bad = [];
  const scheme = v => (v || '').replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}=${attr.value}`);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(name)
          && /^(javascript|vbscript|data:text\\/html)/.test(scheme(attr.value)))
        bad.push(`${el.tagName} ${name}=${attr.value}`);
      if (name === 'style' && /javascript|expression\\(/i.test(attr.value))
        bad.push(`${el.tagName} style=${attr.value}`);
      if (name === 'srcdoc') bad.push(`${el.tagName} srcdoc`);
    }
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'frame', 'base'].includes(tag)) bad.push(tag);
    if (tag === 'script' && !el.src && el.type !== 'application/json') bad.push('inline script');
    if (tag === 'style' && /javascript/i.test(el.textContent)) bad.push('style element');
  }
  return bad;
}"""


def _hostile_community(make_user: Any, join: Any) -> tuple[Any, Any, list[str]]:
    """The showcase community, with a payload in every text people can set."""
    founder, community, ids = community_with_everything(make_user, join)
    mallory = make_user("mallory")
    join(mallory, community)
    profile_update(
        user=mallory,
        display_name=SHORT,
        title=SHORT,
        department=SHORT,
        location=SHORT,
        bio=EVERYTHING[:1000],
        expertise=["<b>bold</b>", "javascript:alert(1)"],
    )
    question = question_ask(
        community=community,
        author=mallory,
        title=f"Bearing noise {SHORT}"[:200],
        body=f"@founder have a look\n\n{EVERYTHING}",
        tags=["bearings"],
    )
    answer = answer_create(question=question, author=mallory, body=EVERYTHING)
    comment_create(target=answer, author=mallory, body=f"{PAYLOADS[1]} @founder")
    starts = timezone.now() + timedelta(days=3)
    event = event_create(
        community=community,
        host=founder,
        title=f"Breakfast {SHORT}"[:120],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        time_zone="Europe/Paris",
        location=f"Room\nBEGIN:VEVENT {SHORT}"[:200],
        description=EVERYTHING,
    )
    proposal = proposal_create(
        community=community,
        by=founder,
        title=f"Choose a grease {SHORT}"[:200],
        body=EVERYTHING,
        deadline=timezone.now() + timedelta(days=5),
        process=Process.POLL,
        options=[SHORT, PAYLOADS[0][:80], "Plain lithium"],
    )
    document = document_create(
        community=community, by=founder, title=f"Greasing {SHORT}"[:200], body="First line.\n"
    )
    revision_save(
        document=document,
        by=founder,
        body=f"First line.\n{EVERYTHING}\n",
        base_number=document.head_number,
        message=SHORT,
    )
    kudos_give(community=community, giver=founder, receiver=mallory, reason=f"thanks {SHORT}")
    c = f"/c/{community.slug}"
    pages = [
        *main_pages(community, ids),
        f"/people/{mallory.username}/",
        f"{c}/questions/{question.pk}/",
        f"{c}/events/{event.pk}/",
        f"{c}/decisions/",
        f"{c}/decisions/{proposal.pk}/",
        f"{c}/practices/{document.pk}/",
        f"{c}/practices/{document.pk}/revisions/",
        f"{c}/practices/{document.pk}/diff/",
        f"{c}/practices/{document.pk}/diff/?view=split",
        f"{c}/wins/",
        "/notifications/",
        "/digest/preview/",
    ]
    assert Notification.objects.filter(recipient=founder).exists()
    return founder, community, pages


def _watch(page: Page, dialogs: list[str]) -> None:
    def caught(dialog: Any) -> None:
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", caught)


def _check(page: Page, where: str, dialogs: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    offences = page.evaluate(OFFENCES)
    assert offences == [], f"{where}: {offences}"
    assert dialogs == [], dialogs


def test_no_payload_runs_or_becomes_markup_on_any_page(
    live_server: Any, browser: Browser, make_user: Any, join: Any
) -> None:
    _, community, pages = _hostile_community(make_user, join)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    _watch(page, dialogs)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("founder")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    reached = 0
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.ok, f"{path} answered {response.status}"
        _check(page, path, dialogs)
        reached += "alert(" in page.inner_text("body")
    # Hover and click every link a payload could have made, then look again.
    for path in pages[-12:]:
        page.goto(f"{live_server.url}{path}")
        for link in page.locator("main a").all()[:40]:
            if link.is_visible():
                link.hover()
        _check(page, path, dialogs)
    assert reached >= 12, f"the payloads were shown on {reached} pages only"
    # The calendar feed: a payload cannot start an event of its own.
    client = Client()
    client.force_login(community.created_by)
    ics = client.get(f"/c/{community.slug}/events/feed.ics").content
    assert ics.count(b"\nBEGIN:VEVENT") == ics.count(b"\nEND:VEVENT")
    assert b"\nBEGIN:VEVENT " not in ics


def test_an_imported_archive_with_hostile_names_makes_a_report_that_runs_nothing(
    tmp_path: Path, browser: Browser
) -> None:
    messages = []
    for n, payload in enumerate(PAYLOADS[:8]):
        sender = payload.replace("\n", " ").replace('"', "'")[:60]
        messages.append(
            f"From person{n}@example.org Mon Jan {n + 5:2d} 10:00:00 2025\n"
            f'From: "{sender}" <person{n}@example.org>\n'
            f"To: list@example.org\n"
            f"Subject: {payload[:70]}\n"
            f"Message-ID: <m{n}@example.org>\n"
            f"Date: Mon, {n + 5:02d} Jan 2025 10:00:00 +0000\n"
            + (f"In-Reply-To: <m{n - 1}@example.org>\n" if n else "")
            + f"\n{EVERYTHING}\n\n"
        )
    archive = tmp_path / "hostile.mbox"
    archive.write_text("".join(messages), encoding="utf-8")
    report = tmp_path / "report.html"
    subprocess.run(
        [sys.executable, "-m", "cultivate.cli.main", "analyze", str(archive),
         "--source", "mbox", "--html", str(report)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    html = report.read_text(encoding="utf-8")
    assert "alert(" in html  # the names reached the report
    page = browser.new_context(bypass_csp=True).new_page()
    dialogs: list[str] = []
    _watch(page, dialogs)
    page.goto(report.as_uri())
    _check(page, "the HTML report", dialogs)
    for link in page.locator("a").all()[:60]:
        if link.is_visible():
            link.hover()
    assert dialogs == []
