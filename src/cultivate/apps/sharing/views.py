"""Sharing pages: questions, answers, posts, comments, votes, edits and moderation of content."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import (
    check_contribute,
    content_audience,
    is_coordinator,
    is_member,
)
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.communities.views import community_context
from cultivate.apps.fragments import cached_fragment
from cultivate.apps.keyset import keyset_page, position_key
from cultivate.apps.tags.selectors import is_watching_tag
from cultivate.apps.tags.services import MAX_TAG_LENGTH, is_tag_name, normal_tag
from cultivate.apps.webutils import add_service_errors, page_number, paginate, safe_next

from . import selectors, services
from .experts import who_can_answer
from .forms import (
    AnswerForm,
    CommentForm,
    EditForm,
    FlagForm,
    PostForm,
    QuestionForm,
    with_similar_questions,
    with_tag_suggestions,
)
from .models import Answer, Comment, Post, PostKind, Question, Vote
from .permissions import can_see_experts, check_edit
from .similar import MAX_TITLE_CHARS, related_to, similar_questions, stored_embedding

_STATUSES = {
    "": gettext_lazy("All"),
    "open": gettext_lazy("Open"),
    "unanswered": gettext_lazy("Unanswered"),
    "solved": gettext_lazy("Solved"),
}

_SORTS = {  # besides the newest first (keyset pages)
    "votes": ("-score", "-created_at", "-id"),
    "active": ("-last_activity_at", "-id"),
}


def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List a community's questions by status and tag; the rows are a cached part per page."""
    community = community_get_for_user(request.user, slug)
    status = request.GET.get("status", "")
    status = status if status in _STATUSES else ""
    tag = normal_tag(request.GET.get("tag", ""))
    tag = tag if is_tag_name(tag) else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in _SORTS else ""
    chosen = (("status", status), ("tag", tag), ("sort", sort))
    params = urlencode({k: v for k, v in chosen if v})
    audience = content_audience(request.user, community)

    def rows() -> str:
        questions = selectors.questions_for(request.user, community, status=status, tag=tag)
        questions = questions.defer("body", "body_html")  # the list shows titles only
        if sort:  # the most up-voted or most recently active first, by page number
            page = paginate(request, questions.order_by(*_SORTS[sort]))
            shown = {"page_obj": page, "total": page.paginator.count, "by_page": True}
        else:  # newest first, from where the last page ended (keyset.py)
            newest = keyset_page(request, questions)
            shown = {"page_obj": newest, "total": newest.count, "capped": newest.count_capped}
        return render_to_string("sharing/_question_rows.html", shown | {"query_string": params})

    # Not the raw cursor or page: junk shares the first page's part.
    position = page_number(request) if sort else position_key(request)
    scope = (community.pk, community.content_version, audience, status, tag, sort, position)
    return render(
        request,
        "sharing/question_list.html",
        community_context(request, community, "questions")
        | {
            "rows": cached_fragment("questions", scope, rows),
            "status": status,
            "statuses": _STATUSES,
            "tag": tag,
            "sort": sort,
            "watching_tag": bool(tag) and is_watching_tag(request.user, tag),
        },
    )


def post_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    kind = request.GET.get("kind", "")
    kind = kind if kind in PostKind.values else ""
    return render(
        request,
        "sharing/post_list.html",
        community_context(request, community, "posts")
        | {
            "page_obj": keyset_page(
                request, selectors.posts_for(request.user, community, kind=kind)
            ),
            "kind": kind,
            "kinds": PostKind.choices,
            "query_string": f"kind={kind}" if kind else "",
        },
    )


@login_required
def question_ask_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    if request.method == "GET" and not is_member(request.user, community):
        # Someone who is not a member yet is told what asking takes, with the way in.
        return render(
            request,
            "sharing/ask_join_first.html",
            community_context(request, community, "questions"),
        )
    check_contribute(request.user, community)
    form = QuestionForm(request.POST or None, initial={"tags": request.GET.get("tag", "")})
    with_tag_suggestions(form, community)
    with_similar_questions(form, community)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                community=community, author=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(question)
    typed = request.POST.get("title", "") if request.method == "POST" else ""
    return render(
        request,
        "sharing/ask.html",
        community_context(request, community, "questions")
        | {
            "form": form,
            "similar": similar_questions(request.user, community, typed) if typed else [],
            "can_reuse": True,
        },
    )


def similar_questions_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's questions like the title being typed: a fragment the ask page swaps in.

    A private community's questions are for its members only, like the rest of it.
    """
    community = community_get_for_user(request.user, slug)
    title = request.GET.get("title", "")[: MAX_TITLE_CHARS * 4]
    return render(
        request,
        "sharing/_similar_questions.html",
        {
            "community": community,
            "similar": similar_questions(request.user, community, title),
            "can_reuse": is_member(request.user, community),
        },
    )


@login_required
@require_POST
def question_reuse_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Say that an existing question answers the one about to be asked."""
    community = community_get_for_user(request.user, slug)
    question = selectors.question_get_for_user(request.user, community, pk)
    services.question_reuse(question=question, by=signed_in(request))
    messages.success(
        request, _("Glad it was already answered: your colleagues will know it helped.")
    )
    return redirect(question)


def tag_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's tags that begin with the word being typed in a tags field, with counts.

    A fragment of options for static/cultivate/suggest.js; a private community's tags are
    for its members only, like the rest of it.
    """
    community = community_get_for_user(request.user, slug)
    typed = request.GET.get("q", "")[:MAX_TAG_LENGTH]
    tags = selectors.tags_starting_with(community, typed)
    return render(request, "sharing/_tag_suggestions.html", {"tags": tags})


@login_required
def post_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_contribute(request.user, community)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                community=community, author=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(post)
    return render(
        request,
        "sharing/post_new.html",
        community_context(request, community, "posts") | {"form": form},
    )


def _voted(request: HttpRequest, field: str, ids: list[int]) -> set[int]:
    if not request.user.is_authenticated or not ids:
        return set()
    return set(
        Vote.objects.filter(user_id=request.user.pk, **{f"{field}_id__in": ids}).values_list(
            f"{field}_id", flat=True
        )
    )


def question_detail(
    request: HttpRequest, slug: str, pk: int, answer_form: AnswerForm | None = None
) -> HttpResponse:
    """Show the question, its answers (accepted first) and comments, and the answer form."""
    community = community_get_for_user(request.user, slug)
    question = selectors.question_get_for_user(request.user, community, pk)
    answers = sorted(
        question.answers.all(),
        key=lambda a: (a.pk != question.accepted_answer_id, -a.score, a.created_at),
    )
    context = community_context(request, community, "questions")
    return render(
        request,
        "sharing/question_detail.html",
        context
        | {
            "question": question,
            "answers": answers,
            "can_accept": request.user.is_authenticated
            and context["is_member"]
            and (request.user.pk == question.author_id or context["is_coordinator"]),
            "voted_question": bool(_voted(request, "question", [question.pk])),
            "voted_answers": _voted(request, "answer", [a.pk for a in answers]),
            "answer_form": answer_form or AnswerForm(),
            "comment_form": CommentForm(),
            **_beside(request, community, question),
        },
        status=400 if answer_form is not None else 200,
    )


def _beside(request: HttpRequest, community: Community, question: Question) -> dict[str, str]:
    """The boxes beside a question, cached parts of the page: the nearest questions and best
    practices, and (for the asker and coordinators) who can answer it.

    Kept until the community's content moves or the question's embedding changes; they show
    only what every member (or every one of those allowed) sees, so one copy serves them all.
    """
    stamp, vector = stored_embedding(question)
    scope = (community.pk, community.content_version, question.pk, stamp)
    boxes: dict[str, str] = {
        "related": cached_fragment(
            "question-related",
            scope,
            lambda: render_to_string(
                "sharing/_related.html",
                {"related": related_to(request.user, community, question, vector)},
                request=request,
            ),
        )
    }
    if can_see_experts(request.user, community, question.author_id):
        boxes["experts"] = cached_fragment(
            "question-experts",
            scope,
            lambda: render_to_string(
                "sharing/_experts.html",
                {"experts": who_can_answer(question, vector=vector)},
                request=request,
            ),
        )
    return boxes


def post_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    post = selectors.post_get_for_user(request.user, community, pk)
    return render(
        request,
        "sharing/post_detail.html",
        community_context(request, community, "posts")
        | {
            "post": post,
            "voted": bool(_voted(request, "post", [post.pk])),
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def answer_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    question = selectors.question_get_for_user(request.user, community, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(
                question=question, author=signed_in(request), body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(answer.get_absolute_url())
    return question_detail(request, slug, pk, answer_form=form)


@login_required
@require_POST
def answer_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_get_for_user(request.user, pk)
    try:
        services.answer_accept(answer=answer, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Answer accepted: the question is solved."))
    return redirect(answer.get_absolute_url())


def _votable(request: HttpRequest, kind: str, pk: int) -> Post | Question | Answer:
    if kind not in ("post", "question", "answer"):
        raise Http404(_("No such kind of content."))
    item = selectors.content_get_for_user(request.user, kind, pk)
    assert not isinstance(item, Comment)
    return item


@login_required
@require_POST
def vote(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _votable(request, kind, pk)
    try:
        services.vote_cast(target=target, user=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    return redirect(safe_next(request, selectors.content_url(target)))


@login_required
@require_POST
def comment(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _votable(request, kind, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A comment needs some text (up to 2,000 characters)."))
        return redirect(selectors.content_url(target))
    created = services.comment_create(
        target=target, author=signed_in(request), body=form.cleaned_data["body"]
    )
    return redirect(selectors.content_url(created))


@login_required
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = selectors.content_get_for_user(request.user, kind, pk)
    check_edit(request.user, item.community, item.author_id)
    initial = {"title": getattr(item, "title", ""), "body": item.body}
    if isinstance(item, Question):
        initial["tags"] = ", ".join(t.name for t in item.tags.all())
    form = EditForm(request.POST or None, initial=initial)
    if isinstance(item, Question):
        with_tag_suggestions(form, item.community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.content_edit(
                content=item,
                by=signed_in(request),
                body=data["body"],
                title=data["title"] if isinstance(item, Post | Question) else None,
                tags=data["tags"] if isinstance(item, Question) else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. The previous version is kept in the history."))
            return redirect(selectors.content_url(item))
    return render(
        request,
        "sharing/edit.html",
        {
            "form": form,
            "item": item,
            "kind": kind,
            "has_title": isinstance(item, Post | Question),
            "has_tags": isinstance(item, Question),
            "community": item.community,
        },
    )


def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = selectors.content_get_for_user(request.user, kind, pk)
    return render(
        request,
        "sharing/history.html",
        {
            "item": item,
            "kind": kind,
            "revisions": services.revisions_of(item),
            "url": selectors.content_url(item),
        },
    )


@login_required
def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = selectors.content_get_for_user(request.user, kind, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_flag(
                content=item, by=signed_in(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the coordinators will take a look."))
            return redirect(selectors.content_url(item))
    return render(
        request,
        "sharing/flag.html",
        {"form": form, "item": item, "kind": kind, "url": selectors.content_url(item)},
    )


@login_required
@require_POST
def moderate(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Hide or restore content (coordinators only; every act is logged)."""
    if action not in ("hide", "restore"):
        raise Http404(_("No such action."))
    item = selectors.content_get_for_user(request.user, kind, pk)
    if not is_coordinator(request.user, item.community):
        raise PermissionDenied(_("Only coordinators can hide or restore content."))
    act = services.content_hide if action == "hide" else services.content_restore
    try:
        act(content=item, by=signed_in(request), reason=request.POST.get("reason", "")[:500])
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, "Hidden." if action == "hide" else "Restored.")
    return redirect(safe_next(request, selectors.content_url(item)))
