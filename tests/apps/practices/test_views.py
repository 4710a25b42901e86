"""The best-practice pages in a real request cycle: forms, the merge view, diffs, privacy."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cultivate.apps.celebrations.models import Kudos
from cultivate.apps.practices.models import Document, Status
from cultivate.apps.practices.reviewing import review_give, review_request
from cultivate.apps.practices.services import document_create, revision_save
from cultivate.apps.search.selectors import search
from cultivate.apps.sharing.services import question_ask

from .conftest import TEXT


def _url(name, document, *extra):
    return reverse(f"practices:{name}", args=[document.community.slug, document.pk, *extra])


def test_a_member_starts_a_best_practice_through_the_form(client, community, member):
    client.force_login(member)
    response = client.post(
        reverse("practices:new", args=[community.slug]),
        {"title": "Torque tables", "body": "| size | Nm |\n|---|---|\n| M8 | 25 |"},
    )
    document = Document.objects.get(title="Torque tables")
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    page = client.get(document.get_absolute_url())
    assert "<table>" in page.content.decode()
    assert "Mia Member" in page.content.decode()


def test_the_list_shows_documents_with_their_status_and_the_tab(client, community, document):
    response = client.get(reverse("practices:list", args=[community.slug]))
    html = response.content.decode()
    assert "Bearing lubrication" in html
    assert "Draft" in html
    assert 'aria-current="page">Best practices' in html


def test_a_private_community_s_documents_are_404_for_outsiders_and_hidden_from_search(
    client, private_community, coordinator, outsider
):
    document = document_create(
        community=private_community, by=coordinator, title="Secret torque", body="Forty newtons."
    )
    client.force_login(outsider)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(_url("history", document)).status_code == 404
    assert client.get(reverse("practices:list", args=[private_community.slug])).status_code == 404
    assert search(outsider, "secret torque").total == 0
    assert search(AnonymousUser(), "secret torque").total == 0
    hits = search(coordinator, "secret torque").hits
    assert [(h.kind, h.url) for h in hits] == [("document", document.get_absolute_url())]


def test_best_practices_show_in_search_with_their_kind(client, document):
    response = client.get(reverse("search:search"), {"q": "lubrication"})
    html = response.content.decode()
    assert "Best practice" in html
    assert document.get_absolute_url() in html
    only = client.get(reverse("search:search"), {"q": "lubrication", "kind": "document"})
    assert document.get_absolute_url() in only.content.decode()


def test_editing_saves_a_revision_based_on_the_head(client, document, reviewer):
    client.force_login(reviewer)
    form = client.get(_url("edit", document))
    assert 'name="base_number" value="1"' in form.content.decode()
    response = client.post(
        _url("edit", document),
        {"title": document.title, "body": TEXT + "\nCheck seals.\n", "base_number": 1},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.head_number == 2


def test_a_stale_save_shows_the_merge_view_and_keeps_what_was_typed(
    client, document, member, reviewer
):
    revision_save(document=document, by=reviewer, body=TEXT.replace("500", "400"), base_number=1)
    client.force_login(member)
    typed = TEXT.replace("500", "600")
    response = client.post(
        _url("edit", document),
        {"title": document.title, "body": typed, "base_number": 1, "message": "My interval"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Rita Reviewer saved revision 2 while you were editing" in html
    assert "Grease every 600 hours." in html  # the typed text, still in the form
    assert 'name="base_number" value="2"' in html
    assert "<del>400</del>" in html
    assert "<ins>600</ins>" in html
    document.refresh_from_db()
    assert document.head_number == 2
    again = client.post(
        _url("edit", document), {"title": document.title, "body": typed, "base_number": 2}
    )
    assert again.status_code == 302
    document.refresh_from_db()
    assert "600 hours" in document.body


def test_a_stale_save_of_other_lines_is_merged_and_says_so(client, document, member, reviewer):
    revision_save(document=document, by=reviewer, body=TEXT.replace("500", "400"), base_number=1)
    client.force_login(member)
    response = client.post(
        _url("edit", document),
        {"title": document.title, "body": TEXT.replace("every job", "each job"), "base_number": 1},
        follow=True,
    )
    assert "merged automatically into revision 3" in response.content.decode()


def test_a_diff_of_identical_revisions_says_so(client, document, member):
    response = client.get(_url("diff", document), {"from": 1, "to": 1})
    assert "These two revisions are identical." in response.content.decode()


def test_the_diff_marks_additions_and_deletions_unified_and_side_by_side(client, document, member):
    revision_save(
        document=document,
        by=member,
        body=TEXT.replace("Use lithium complex.", "Use a lithium complex grease."),
        base_number=1,
    )
    unified = client.get(_url("diff", document), {"from": 1, "to": 2}).content.decode()
    assert 'class="delete"' in unified
    assert 'class="insert"' in unified
    assert "Use<ins> a</ins> lithium complex<ins> grease</ins>." in unified
    split = client.get(_url("diff", document), {"from": 1, "to": 2, "view": "split"})
    assert 'class="diff split"' in split.content.decode()
    assert client.get(_url("diff", document), {"from": 1, "to": 9}).status_code == 404
    assert client.get(_url("diff", document), {"from": "x"}).status_code == 404


def test_history_lists_every_revision_and_old_revisions_render(client, document, member):
    revision_save(document=document, by=member, body="# New\n\nAll new.", base_number=1)
    history = client.get(_url("history", document)).content.decode()
    assert "Revision 2" in history
    assert "Revision 1" in history
    old = client.get(_url("revision", document, 1)).content.decode()
    assert "Grease every 500 hours." in old


def test_the_review_workflow_through_the_pages(client, document, member, reviewer):
    client.force_login(member)
    client.post(_url("request_review", document), {"reviewers": [reviewer.pk]})
    document.refresh_from_db()
    assert document.status == Status.REVIEW
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Send my review" in page
    response = client.post(
        _url("review", document), {"verdict": "changes", "comment": ""}, follow=True
    )
    assert "Say what should change" in response.content.decode()
    client.post(_url("review", document), {"verdict": "approve", "comment": "Good."})
    client.force_login(member)
    client.post(_url("publish", document), {"review_by": ""})
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED


def test_a_refused_review_comes_back_with_the_verdict_and_comment_chosen(
    client, document, member, reviewer
):
    review_request(document=document, by=member, reviewers=[reviewer])
    client.force_login(reviewer)

    response = client.post(_url("review", document), {"verdict": "changes", "comment": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what should change" in page
    radios = re.findall(r'<input type="radio"[^>]*>', page)
    assert any('value="changes"' in r and "checked" in r for r in radios)
    assert not any('value="approve"' in r and "checked" in r for r in radios)


def test_a_verdict_on_a_revision_someone_replaced_meanwhile_is_refused(
    client, document, member, reviewer
):
    review_request(document=document, by=member, reviewers=[reviewer])
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'name="revision" value="1"' in page
    revision_save(document=document, by=member, body=TEXT + "\nMeanwhile.\n", base_number=1)

    response = client.post(
        _url("review", document), {"verdict": "approve", "comment": "", "revision": "1"}
    )

    assert response.status_code == 400
    assert "Revision 2 was saved while you read revision 1" in response.content.decode()
    assert 'name="revision" value="2"' in response.content.decode()
    assert not document.reviews.filter(verdict="approved").exists()


def test_an_approval_of_older_text_does_not_publish_the_changed_text(
    client, document, member, reviewer
):
    review_request(document=document, by=member, reviewers=[reviewer])
    review_give(document=document, by=reviewer, approve=True, comment="Good.")
    revision_save(document=document, by=member, body=TEXT + "\nA late change.\n", base_number=1)
    document.refresh_from_db()
    client.force_login(member)

    page = client.get(document.get_absolute_url()).content.decode()
    response = client.post(_url("publish", document), {"review_by": ""}, follow=True)

    assert 'data-testid="stale-review"' in page
    assert "The text changed after it was approved (revision 1; it is at revision 2 now)" in (
        response.content.decode()
    )
    document.refresh_from_db()
    assert document.status == Status.REVIEW
    review_give(document=document, by=reviewer, approve=True, comment="Still good.")
    client.post(_url("publish", document), {"review_by": ""})
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED


def test_marking_outdated_shows_the_reason_on_the_page(client, document, member, reviewer):
    review_request(document=document, by=member, reviewers=[reviewer])
    review_give(document=document, by=reviewer, approve=True)
    client.force_login(member)
    client.post(_url("publish", document), {})
    client.force_login(reviewer)
    client.post(_url("outdated", document), {"reason": "New OEM grease."})
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Outdated:</strong> New OEM grease." in page


def test_only_members_see_the_edit_page(client, document, outsider):
    assert client.get(_url("edit", document)).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(_url("edit", document)).status_code == 403


def test_a_question_page_lists_its_best_practices_and_the_document_lists_the_question(
    client, community, document, member, reviewer
):
    question = question_ask(community=community, author=reviewer, title="Grease?", body="Which?")
    client.force_login(member)
    client.post(_url("link", document), {"question": question.pk})
    question_page = client.get(question.get_absolute_url()).content.decode()
    assert 'data-testid="related-practices"' in question_page
    assert document.get_absolute_url() in question_page
    assert question.get_absolute_url() in client.get(document.get_absolute_url()).content.decode()
    client.post(_url("unlink", document, question.pk))
    assert (
        document.get_absolute_url() not in client.get(question.get_absolute_url()).content.decode()
    )


def test_a_question_page_without_linked_practices_has_no_section(client, community, reviewer):
    question = question_ask(community=community, author=reviewer, title="Grease?", body="Which?")
    assert "related-practices" not in client.get(question.get_absolute_url()).content.decode()


def _megabyte() -> str:
    lines = [
        f"Step {i}: check the bearing housing, record the temperature and grease level."
        for i in range(13_000)
    ]
    return "# Handbook\n\n" + "\n".join(lines) + "\n"


def test_a_megabyte_document_saves_renders_and_diffs(client, community, member):
    text = _megabyte()
    assert len(text) > 1_000_000
    client.force_login(member)
    response = client.post(
        reverse("practices:new", args=[community.slug]), {"title": "Handbook", "body": text}
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Handbook")
    lines = text.split("\n")
    lines[100] = "Step 100: changed."
    lines[9000] += " Twice a shift."
    lines.insert(5000, "A new step.")
    changed = "\n".join(lines)
    saved = client.post(
        _url("edit", document), {"title": "Handbook", "body": changed, "base_number": 1}
    )
    assert saved.status_code == 302
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    diff = client.get(_url("diff", document), {"from": 1, "to": 2}).content.decode()
    assert "3 lines added, 2 removed" in diff
    assert "<ins> Twice a shift.</ins>" in diff


def test_a_question_link_from_another_document_community_is_404(
    client, document, private_community, coordinator, member
):
    secret = question_ask(
        community=private_community, author=coordinator, title="Secret?", body="Which?"
    )
    client.force_login(member)
    assert client.post(_url("link", document), {"question": secret.pk}).status_code == 404


def test_a_best_practice_page_asks_the_same_few_queries_however_many_revisions_and_authors(
    client, community, member, document, make_user, join, page_queries
) -> None:
    from cultivate.apps.practices.services import revision_save

    url = reverse("practices:document", args=[community.slug, document.pk])
    client.force_login(member)
    few = page_queries(client, url)
    for n in range(5):
        author = make_user(f"writer{n}")
        join(author, community)
        document.refresh_from_db()
        revision_save(
            document=document,
            by=author,
            body=f"{document.body}\nStep {n}: check the seals.\n",
            base_number=document.head_number,
        )

    assert page_queries(client, url) == few <= 15, few  # no query per revision or co-author


def test_a_reader_thanks_a_best_practices_contributor_in_place_with_kudos_linked_to_it(
    client, document, member, reviewer
):
    client.force_login(reviewer)
    page = client.get(_url("document", document)).content.decode()
    assert f"Thank {member.name}" in page
    assert 'name="link_kind" value="document"' in page

    response = client.post(
        reverse("celebrations:kudos_new", args=[document.community.slug]),
        {
            "receiver": member.username,
            "reason": "Your lubrication steps saved us a breakdown.",
            "link_kind": "document",
            "link_id": document.pk,
            "next": f"{_url('document', document)}#contributors-h",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#contributors-h")
    kudos = Kudos.objects.get(receiver=member)
    assert kudos.link == document
    client.force_login(member)
    assert f"Thank {member.name}" not in client.get(_url("document", document)).content.decode()
