"""Reads of shared content; every one starts from a community the person may see.

Hidden content stays visible to the community's coordinators (so they can restore it)
and to nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community, is_coordinator
from cultivate.apps.communities.selectors import visible_community_ids
from cultivate.apps.tags.models import Tag
from cultivate.apps.tags.services import normal_tag

from .models import Answer, Comment, Post, Question

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def _shown(user: User | AnonymousUser, community: Community) -> Q:
    return Q() if is_coordinator(user, community) else Q(is_hidden=False)


def _comments(user: User | AnonymousUser, community: Community) -> Prefetch[str]:
    return Prefetch(
        "comments",
        queryset=Comment.objects.filter(_shown(user, community)).select_related("author"),
    )


def questions_for(
    user: User | AnonymousUser,
    community: Community,
    *,
    status: str = "",
    tag: str = "",
) -> QuerySet[Question]:
    """Return the community's questions, newest first; status is '', 'open' or 'solved'."""
    questions = (
        Question.objects.filter(community=community)
        .filter(_shown(user, community))
        .select_related("author", "community")
        .prefetch_related("tags")
    )
    if status == "open":
        # Not `accepted_answer IS NULL`: SQLite then reads every unsolved question through the
        # unique index on accepted_answer (it expects one row per value) and sorts them; this
        # walks the community's questions newest first and stops at the page (27 ms -> 0.2 ms
        # at 30k questions).
        questions = questions.alias(open_marker=Coalesce("accepted_answer_id", Value(0))).filter(
            open_marker=0
        )
    elif status == "unanswered":
        questions = questions.filter(answer_count=0)
    elif status == "solved":
        questions = questions.filter(accepted_answer__isnull=False)
    if tag:
        questions = questions.filter(tags__name=tag)
    return questions.order_by("-created_at", "-id")


def posts_for(
    user: User | AnonymousUser, community: Community, *, kind: str = ""
) -> QuerySet[Post]:
    posts = Post.objects.filter(community=community).filter(_shown(user, community))
    if kind:
        posts = posts.filter(kind=kind)
    return posts.select_related("author", "community").order_by("-created_at", "-id")


def question_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Question:
    """Return the question with its answers and comments, or 404 if the person may not see it."""
    if not can_view_community(user, community):
        raise Http404(_("No such question."))
    answers = (
        Answer.objects.filter(_shown(user, community))
        .select_related("author")
        .prefetch_related(_comments(user, community))
        .order_by("created_at", "id")
    )
    question = (
        Question.objects.filter(community=community, pk=pk)
        .filter(_shown(user, community))
        .select_related("author", "community")
        .prefetch_related("tags", Prefetch("answers", queryset=answers), _comments(user, community))
        .first()
    )
    if question is None:
        raise Http404(_("No such question."))
    return question


def post_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Post:
    if not can_view_community(user, community):
        raise Http404(_("No such post."))
    post = (
        Post.objects.filter(community=community, pk=pk)
        .filter(_shown(user, community))
        .select_related("author", "community")
        .prefetch_related(_comments(user, community))
        .first()
    )
    if post is None:
        raise Http404(_("No such post."))
    return post


def hidden_in_thread(item: Post | Question | Answer | Comment) -> bool:
    """Tell whether the item, or the question, post or answer it hangs under, is hidden."""
    if item.is_hidden:
        return True
    if isinstance(item, Answer):
        return item.question.is_hidden
    if isinstance(item, Comment):
        parent = item.post or item.question or item.answer
        return parent is not None and hidden_in_thread(parent)
    return False


def answer_get_for_user(user: User | AnonymousUser, pk: int) -> Answer:
    """Return a visible answer by id alone (for accept, vote, comment), or 404."""
    answer = (
        Answer.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("question", "question__community", "community", "author")
        .first()
    )
    if answer is None or (hidden_in_thread(answer) and not is_coordinator(user, answer.community)):
        raise Http404(_("No such answer."))
    return answer


def comment_get_for_user(user: User | AnonymousUser, pk: int) -> Comment:
    comment = (
        Comment.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("community", "author", "post", "question", "answer__question")
        .first()
    )
    if comment is None or (
        hidden_in_thread(comment) and not is_coordinator(user, comment.community)
    ):
        raise Http404(_("No such comment."))
    return comment


RECENT_QUESTIONS_FOR_TAGS = 500


def popular_tags(community: Community, limit: int = 15) -> list[Tag]:
    """Return the tags most used on the community's recent questions (what people ask about now).

    Counting only the latest few hundred questions keeps the home page fast however old the
    community is.
    """
    recent = (
        Question.objects.filter(community=community, is_hidden=False)
        .order_by("-created_at")
        .values("pk")[:RECENT_QUESTIONS_FOR_TAGS]
    )
    return list(
        Tag.objects.filter(questions__in=recent)
        .annotate(uses=Count("questions"))
        .order_by("-uses", "name")[:limit]
    )


TAG_SUGGESTIONS = 8


def tags_starting_with(community: Community, typed: str, limit: int = TAG_SUGGESTIONS) -> list[Tag]:
    """Return the community's tags that begin with what is typed, most used first, with `uses`.

    What is typed is read as a tag would be stored (`normal_tag`), so 'Bea' finds 'bearings';
    nothing typed gives the most used ones. Only visible questions count, here as on the home page.
    """
    tags = Tag.objects.filter(questions__community=community, questions__is_hidden=False)
    prefix = normal_tag(typed)
    if prefix:
        tags = tags.filter(name__startswith=prefix)
    return list(tags.annotate(uses=Count("questions")).order_by("-uses", "name")[:limit])


KINDS: dict[str, type[Post] | type[Question] | type[Answer] | type[Comment]] = {
    "post": Post,
    "question": Question,
    "answer": Answer,
    "comment": Comment,
}

AnyContent = Post | Question | Answer | Comment


def _content_rows(kind: str) -> QuerySet[Any]:
    """Return the kind's rows with everything its page link and byline need, in one query."""
    if kind == "post":
        return Post.objects.select_related("author", "community")
    if kind == "question":
        return Question.objects.select_related("author", "community")
    if kind == "answer":
        return Answer.objects.select_related("author", "community", "question__community")
    if kind == "comment":
        return Comment.objects.select_related(
            "author",
            "community",
            "post__community",
            "question__community",
            "answer__question__community",
        )
    raise Http404(_("No such kind of content."))


def content_get_for_user(user: User | AnonymousUser, kind: str, pk: int) -> AnyContent:
    """Return any visible post, question, answer or comment by kind and id, or 404."""
    item: AnyContent | None = (
        _content_rows(kind).filter(pk=pk, community_id__in=visible_community_ids(user)).first()
    )
    if item is None or (hidden_in_thread(item) and not is_coordinator(user, item.community)):
        raise Http404(_("No such content."))
    return item


def content_url(item: Post | Question | Answer | Comment) -> str:
    """Return where a piece of content is read: its thread, anchored where it helps."""
    if isinstance(item, Comment):
        target = item.post or item.question or item.answer
        assert target is not None
        return f"{content_url(target).split('#')[0]}#comment-{item.pk}"
    return item.get_absolute_url()


def _load(kind: str, ids: set[int]) -> dict[int, AnyContent]:
    return {o.pk: o for o in _content_rows(kind).filter(pk__in=ids)}


def flagged_content(community: Community) -> list[dict[str, object]]:
    """Return open flags grouped by content, each with the content loaded (a few queries in all)."""
    from cultivate.apps.communities.models import Flag

    flags = list(
        Flag.objects.filter(community=community, resolved_at__isnull=True)
        .select_related("flagged_by", "content_type")
        .order_by("-created_at")[:200]
    )
    wanted: dict[str, set[int]] = {}
    for flag in flags:
        wanted.setdefault(flag.content_type.model, set()).add(flag.object_id)
    loaded = {kind: _load(kind, ids) for kind, ids in wanted.items() if kind in KINDS}
    grouped: dict[tuple[str, int], dict[str, Any]] = {}
    for flag in flags:
        kind = flag.content_type.model
        item = loaded.get(kind, {}).get(flag.object_id)
        if item is None:
            continue
        entry = grouped.setdefault(
            (kind, flag.object_id),
            {"kind": kind, "item": item, "url": content_url(item), "flags": []},
        )
        entry["flags"].append(flag)
    return list(grouped.values())


def hidden_content(community: Community, limit: int = 50) -> list[dict[str, object]]:
    """Return recently hidden items so coordinators can restore them."""
    items: list[dict[str, object]] = []
    for kind in KINDS:
        rows = _content_rows(kind).filter(community=community, is_hidden=True)
        for item in rows.order_by("-updated_at")[:limit]:
            items.append({"kind": kind, "item": item, "url": content_url(item)})
    return items


def person_recent_questions_visible_to(
    viewer: User | AnonymousUser, person: User, limit: int = 10
) -> list[Question]:
    """Return the person's latest shown questions in communities the viewer may see."""
    return list(
        Question.objects.filter(
            author=person, is_hidden=False, community_id__in=visible_community_ids(viewer)
        )
        .select_related("community")
        .order_by("-created_at", "-id")[:limit]
    )


def person_recent_answers_visible_to(
    viewer: User | AnonymousUser, person: User, limit: int = 10
) -> list[Answer]:
    """Return the person's latest shown answers to shown questions the viewer may see."""
    return list(
        Answer.objects.filter(
            author=person,
            is_hidden=False,
            question__is_hidden=False,
            community_id__in=visible_community_ids(viewer),
        )
        .select_related("question", "question__community")
        .order_by("-created_at", "-id")[:limit]
    )
