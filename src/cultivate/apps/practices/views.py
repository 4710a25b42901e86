"""Best-practice pages: list, write, edit (with the merge view), history, diffs and the workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.communities.views import community_context
from cultivate.apps.sharing.models import Question
from cultivate.apps.webutils import add_service_errors, paginate
from cultivate.core.markup import render_markdown

from . import reviewing, selectors, services
from .diffing import diff_texts
from .forms import (
    DocumentForm,
    EditForm,
    LinkForm,
    OutdatedForm,
    ReviewByForm,
    ReviewForm,
    ReviewRequestForm,
)
from .models import Document, Status, Verdict
from .permissions import can_rereview_document, can_steer_document, check_write_document

TAB = "practices"


def _document(request: HttpRequest, slug: str, pk: int) -> tuple[Document, dict[str, Any]]:
    community = community_get_for_user(request.user, slug)
    document = selectors.document_get_for_user(request.user, community, pk)
    return document, community_context(request, community, TAB) | {"document": document}


def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    documents = selectors.documents_for(request.user, community, status=status)
    return render(
        request,
        "practices/document_list.html",
        community_context(request, community, TAB)
        | {
            "page_obj": paginate(request, documents),
            "status": status,
            "statuses": Status.choices,
            "query_string": f"status={status}" if status else "",
            "today": timezone.localdate(),
        },
    )


@login_required
def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_write_document(request.user, community)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                community=community, by=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved as revision 1. Invite others to improve it."))
            return redirect(document)
    return render(
        request,
        "practices/document_new.html",
        community_context(request, community, TAB) | {"form": form},
    )


def _workflow_context(
    request: HttpRequest, document: Document, context: dict[str, Any]
) -> dict[str, Any]:
    """Return what the detail page needs to show and offer the workflow's next steps."""
    reviews = selectors.reviews_of(document)
    mine = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    steer = can_steer_document(
        request.user, document.community, document.author_id, document.steward_id
    )
    questions = selectors.linked_questions(request.user, document)
    extra: dict[str, Any] = {
        "contributors": selectors.contributors(document),
        "reviews": reviews,
        "my_review": mine,
        "can_steer": steer,
        "publish_blockers": reviewing.publish_blockers(document) if steer else [],
        "outdated_because": document.outdated_because(),
        "linked_questions": questions,
        "can_rereview": document.is_published
        and can_rereview_document(request.user, document.community),
    }
    if context["is_member"]:
        if steer and not document.is_published:
            choices = [(m.user_id, m.user.name) for m in selectors.reviewer_choices(document)]
            extra["request_form"] = ReviewRequestForm(choices=choices)
        if mine is not None and document.status == Status.REVIEW:
            extra["review_form"] = ReviewForm(initial={"revision": document.head_number})
        extra["publish_form"] = ReviewByForm()
        extra["outdated_form"] = OutdatedForm()
        link_choices = [(q.pk, q.title) for q in selectors.question_choices(document)]
        if link_choices:
            extra["link_form"] = LinkForm(choices=link_choices)
    return extra


def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, context = _document(request, slug, pk)
    return _detail(request, document, context)


def _detail(
    request: HttpRequest,
    document: Document,
    context: dict[str, Any],
    *,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The document page; a refused review comes back with the verdict and comment typed."""
    extra = _workflow_context(request, document, context)
    if review_form is not None:
        extra["review_form"] = review_form
    return render(
        request,
        "practices/document_detail.html",
        context | extra | {"Verdict": Verdict},
        status=status,
    )


@login_required
def document_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit on top of the head; a clash with a newer save shows the merge view (status 409)."""
    document, context = _document(request, slug, pk)
    check_write_document(request.user, document.community)
    initial = {"title": document.title, "body": document.body, "base_number": document.head_number}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.revision_save(
                document=document,
                by=signed_in(request),
                body=data["body"],
                title=data["title"],
                base_number=data["base_number"],
                message=data["message"],
            )
        except services.StaleRevisionError as stale:
            return _merge_view(request, context, stale)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            number = result.revision.number
            if result.merged_with is not None:
                other = result.merged_with
                messages.info(
                    request,
                    _(
                        "%(name)s saved revision %(number)s while you edited. Your changes touched "
                        "other lines, so both were merged automatically into revision %(number_2)s."
                    )
                    % {"name": other.author.name, "number": other.number, "number_2": number},
                )
            else:
                messages.success(request, _("Saved as revision %(number)s.") % {"number": number})
            return redirect(document)
    return render(request, "practices/document_edit.html", context | {"form": form})


def _merge_view(
    request: HttpRequest, context: dict[str, Any], stale: services.StaleRevisionError
) -> HttpResponse:
    """Show the newer head, the text typed (kept in the form) and the diff between them."""
    data = request.POST.copy()
    data["base_number"] = str(stale.head.number)
    form = EditForm(data)
    form.is_valid()
    return render(
        request,
        "practices/document_edit.html",
        context
        | {
            "form": form,
            "stale": stale,
            "head": stale.head,
            "diff": diff_texts(stale.head.body, stale.typed),
        },
        status=409,
    )


def history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, context = _document(request, slug, pk)
    revisions = selectors.revisions_of(document)
    return render(
        request,
        "practices/history.html",
        context
        | {
            "page_obj": paginate(request, revisions, per_page=50),
            "contributors": selectors.contributors(document),
        },
    )


def revision_detail(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    document, context = _document(request, slug, pk)
    revision = selectors.revision_get(document, number)
    return render(
        request,
        "practices/revision.html",
        context | {"revision": revision, "body_html": render_markdown(revision.body)},
    )


def _number(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name) or default)
    except ValueError:
        raise Http404(_("%(name)s must be a revision number.") % {"name": name}) from None


def diff(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Compare any two revisions (default: the head with the one before), unified or split."""
    document, context = _document(request, slug, pk)
    new = _number(request, "to", document.head_number)
    old = _number(request, "from", max(1, new - 1))
    first, second, result = selectors.revision_diff(document, old, new)
    view = "split" if request.GET.get("view") == "split" else "unified"
    return render(
        request,
        "practices/diff.html",
        context | {"old": first, "new": second, "diff": result, "view": view},
    )


def _back(document: Document) -> HttpResponse:
    return redirect(document)


def _act(request: HttpRequest, document: Document, act: Any, success: str) -> HttpResponse:
    """Run one workflow service; refusals become a warning on the document page."""
    try:
        act()
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return _back(document)


@login_required
@require_POST
def review_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    choices = [(m.user_id, m.user.name) for m in selectors.reviewer_choices(document)]
    form = ReviewRequestForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.warning(request, _("Choose at least one member to review it."))
        return _back(document)
    chosen = {int(pk) for pk in form.cleaned_data["reviewers"]}
    people = [m.user for m in selectors.reviewer_choices(document) if m.user_id in chosen]
    return _act(
        request,
        document,
        lambda: reviewing.review_request(
            document=document, by=signed_in(request), reviewers=people
        ),
        _("Review requested: the reviewers have been told."),
    )


@login_required
@require_POST
def review_give(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give a verdict; a refusal shows the page again with what was chosen and typed."""
    document, context = _document(request, slug, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, document, context, review_form=form, status=400)
    approve = form.cleaned_data["verdict"] == "approve"
    try:
        reviewing.review_give(
            document=document,
            by=signed_in(request),
            approve=approve,
            comment=form.cleaned_data["comment"],
            revision=form.cleaned_data.get("revision"),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict") and error.code == "stale_revision":
            document.refresh_from_db()  # the page shows the new head; the verdict is kept
            fresh = request.POST.copy()
            fresh["revision"] = str(document.head_number)
            form = ReviewForm(fresh)
            form.is_valid()
        add_service_errors(form, error)
        return _detail(request, document, context, review_form=form, status=400)
    messages.success(
        request, _("Approved.") if approve else _("Changes requested: the author has been told.")
    )
    return _back(document)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    form = ReviewByForm(request.POST)
    review_by = form.cleaned_data["review_by"] if form.is_valid() else None
    return _act(
        request,
        document,
        lambda: reviewing.document_publish(
            document=document, by=signed_in(request), review_by=review_by
        ),
        _("Published."),
    )


@login_required
@require_POST
def mark_outdated(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        document,
        lambda: reviewing.document_mark_outdated(
            document=document, by=signed_in(request), reason=reason
        ),
        _("Marked outdated: the author has been told."),
    )


@login_required
@require_POST
def rereview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    form = ReviewByForm(request.POST)
    review_by = form.cleaned_data["review_by"] if form.is_valid() else None
    return _act(
        request,
        document,
        lambda: reviewing.document_rereview(
            document=document, by=signed_in(request), review_by=review_by
        ),
        _("Re-reviewed: the outdated mark is cleared."),
    )


def _question(document: Document, raw: str) -> Question:
    try:
        question_pk = int(raw)
    except ValueError:
        raise Http404(_("No such question.")) from None
    question = Question.objects.filter(pk=question_pk, community=document.community_id).first()
    if question is None:
        raise Http404(_("No such question."))
    return question


@login_required
@require_POST
def link_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    question = _question(document, request.POST.get("question", ""))
    return _act(
        request,
        document,
        lambda: services.question_link(document=document, question=question, by=signed_in(request)),
        _("Question linked."),
    )


@login_required
@require_POST
def unlink_question(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    document, _unused = _document(request, slug, pk)
    question = _question(document, str(question_pk))
    return _act(
        request,
        document,
        lambda: services.question_unlink(
            document=document, question=question, by=signed_in(request)
        ),
        _("Link removed."),
    )
