"""Reads of shared content; every one starts from a community the person may see.

Hidden content stays visible to the community's coordinators (so they can restore it) and to nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community, is_coordinator
from cultivate.apps.communities.selectors import visible_community_ids

from .models import Answer, Comment, Post, Question, Tag

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def _shown(user: User | AnonymousUser, community: Community) -> Q:
    return Q() if is_coordinator(user, community) else Q(is_hidden=False)


def _comments(user: User | AnonymousUser, community: Community) -> Prefetch[Comment]:
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
        .select_related("author")
        .prefetch_related("tags")
    )
    if status == "open":
        questions = questions.filter(accepted_answer__isnull=True)
    elif status == "unanswered":
        questions = questions.filter(answer_count=0)
    elif status == "solved":
        questions = questions.filter(accepted_answer__isnull=False)
    if tag:
        questions = questions.filter(tags__name=tag)
    return questions.order_by("-created_at", "-id")


def posts_for(user: User | AnonymousUser, community: Community, *, kind: str = "") -> QuerySet[Post]:
    posts = Post.objects.filter(community=community).filter(_shown(user, community))
    if kind:
        posts = posts.filter(kind=kind)
    return posts.select_related("author").order_by("-created_at", "-id")


def question_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Question:
    """Return the question with its answers and comments, or 404 if the person may not see it."""
    if not can_view_community(user, community):
        raise Http404("No such question.")
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
        raise Http404("No such question.")
    return question


def post_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Post:
    if not can_view_community(user, community):
        raise Http404("No such post.")
    post = (
        Post.objects.filter(community=community, pk=pk)
        .filter(_shown(user, community))
        .select_related("author", "community")
        .prefetch_related(_comments(user, community))
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def answer_get_for_user(user: User | AnonymousUser, pk: int) -> Answer:
    """Return a visible answer by id alone (for accept, vote, comment), or 404."""
    answer = (
        Answer.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("question", "question__community", "community", "author")
        .first()
    )
    if answer is None or (answer.is_hidden and not is_coordinator(user, answer.community)):
        raise Http404("No such answer.")
    return answer


def comment_get_for_user(user: User | AnonymousUser, pk: int) -> Comment:
    comment = (
        Comment.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("community", "author", "post", "question", "answer__question")
        .first()
    )
    if comment is None or (comment.is_hidden and not is_coordinator(user, comment.community)):
        raise Http404("No such comment.")
    return comment


def popular_tags(community: Community, limit: int = 15) -> list[Tag]:
    from django.db.models import Count

    return list(
        Tag.objects.filter(questions__community=community, questions__is_hidden=False)
        .annotate(uses=Count("questions"))
        .order_by("-uses", "name")[:limit]
    )
