"""Writes for sharing: posts, questions, answers, comments, votes, edits and moderation.

Each service checks permission, writes inside one transaction, records exactly one Activity,
keeps the search index in step and tells the people concerned.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.activity.services import activity_record, activity_retarget
from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.models import (
    Community,
    Flag,
    ModerationAction,
    ModerationLogEntry,
)
from cultivate.apps.communities.permissions import check_contribute, check_coordinate
from cultivate.apps.notifications.effects import Tell, act_done, notify_all
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.notifications.services import watchers_of_question
from cultivate.apps.search.services import search_index_set_hidden, search_index_update
from cultivate.apps.tags.services import clean_tags
from cultivate.apps.validation import raise_if, require
from cultivate.core.activity import Verb
from cultivate.core.markup import mentioned_usernames, plain_text, render_markdown

from .bulk import tags_link
from .models import (
    Answer,
    Comment,
    Mention,
    Post,
    PostKind,
    Question,
    QuestionReuse,
    Revision,
    RoutedQuestion,
    Vote,
)
from .permissions import check_accept_answer, check_edit, check_vote
from .signals import answer_accepted, question_asked

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

Content = Post | Question | Answer | Comment
Votable = Post | Question | Answer


def _tags_or_error(errors: dict[str, str], raw: list[str] | str) -> list[str]:
    """Return the cleaned tags, or note the problem in `errors` beside the other fields."""
    try:
        return clean_tags(raw)
    except ValidationError as error:
        errors["tags"] = error.message_dict["tags"][0]
        return []


def _set_tags(question: Question, names: list[str]) -> None:
    """Replace the question's tags by these, linked in the order given (`bulk.tags_link`)."""
    Question.tags.through.objects.filter(question_id=question.pk).delete()
    tags_link([(question, names)])
    question.__dict__.get("_prefetched_objects_cache", {}).pop("tags", None)


def _mentions(
    *,
    content: Content,
    text: str,
    actor: User,
    url: str,
    already: str = "",
    told: Collection[int] = (),
) -> Tell:
    """Note each newly @mentioned person once per piece of content, and tell them; those
    `told` of the same act another way (the asker of an answer) get no second notice."""
    names = mentioned_usernames(text) - mentioned_usernames(already)
    users = (
        list(get_user_model().objects.filter(username__in=names).values_list("pk", flat=True))
        if names
        else []
    )
    ct = ContentType.objects.get_for_model(type(content)) if users else None
    new = []
    for uid in users:
        _unused, created = Mention.objects.get_or_create(
            content_type=ct, object_id=content.pk, user_id=uid
        )
        if created and uid not in told:
            new.append(uid)
    if not new:  # most texts mention nobody: skip wording a notice nobody receives
        return Tell(recipient_ids=[], kind=Kind.MENTION, summary="", url=url)
    summary = phrase(
        gettext_noop("%(name)s mentioned you: %(text)s"),
        name=actor.name,
        text=plain_text(text, 120),
    )
    return Tell(recipient_ids=new, kind=Kind.MENTION, summary=summary, url=url)


def post_create(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    kind: str = PostKind.ARTICLE,
    at: datetime | None = None,
) -> Post:
    """Share a story, article, tip or announcement with the community."""
    check_contribute(author, community)
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("a title"), 200)
    body = require(errors, "body", body, _("the text"), 100_000)
    if kind not in PostKind.values:
        errors["kind"] = _("Choose one of %(join)s.") % {"join": ", ".join(PostKind.values)}
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            community=community,
            author=author,
            kind=kind,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=when,
            updated_at=when,
        )
        search_index_update(post)
        act_done(
            verb=Verb.SHARE,
            actor=author,
            community=community,
            obj=post,
            at=when,
            text=f"{title}\n\n{body}",
            meta={"kind": kind},
            tell=[_mentions(content=post, text=body, actor=author, url=post.get_absolute_url())],
        )
    return post


def question_ask(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    tags: list[str] | str = "",
    at: datetime | None = None,
) -> Question:
    """Ask the community a question; watchers of the community and its tags hear of it."""
    check_contribute(author, community)
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("a title"), 200)
    body = require(errors, "body", body, _("the question"), 100_000)
    tag_names = _tags_or_error(errors, tags)
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        question = Question.objects.create(
            community=community,
            author=author,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=when,
            updated_at=when,
            last_activity_at=when,
        )
        linked = tags_link([(question, tag_names)])  # a new question: no links to replace
        search_index_update(question)
        url = question.get_absolute_url()
        watchers = watchers_of_question(community, [linked[name].pk for name in tag_names])
        act_done(
            verb=Verb.ASK,
            actor=author,
            community=community,
            obj=question,
            at=when,
            text=f"{title}\n\n{body}",
            meta={"tags": tag_names},
            tell=[
                Tell(
                    watchers,
                    Kind.WATCHED_QUESTION,
                    phrase(
                        gettext_noop("New question in %(name)s: %(title)s"),
                        name=community.name,
                        title=title,
                    ),
                    url,
                ),
                _mentions(content=question, text=body, actor=author, url=url),
            ],
        )
        question_asked.send(Question, question=question, at=when)
    return question


def _later(when: datetime) -> Greatest:
    """A question's last activity moved to `when`, never back (for an UPDATE it is part of)."""
    return Greatest(F("last_activity_at"), Value(when))


def _thread_moved(root: Content, when: datetime) -> None:
    """Bring a question to the top of the "active" sort: its thread moved at `when`.

    Only forwards, so a replayed older act (the demo's history) never moves it back.
    """
    if isinstance(root, Question):
        Question.objects.filter(pk=root.pk, last_activity_at__lt=when).update(last_activity_at=when)


def answer_create(
    *, question: Question, author: User, body: str, at: datetime | None = None
) -> Answer:
    """Answer a question; the asker is told."""
    community = question.community
    check_contribute(author, community)
    errors: dict[str, str] = {}
    body = require(errors, "body", body, _("the answer"), 100_000)
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        answer = Answer.objects.create(
            community=community,
            author=author,
            question=question,
            body=body,
            body_html=render_markdown(body),
            created_at=when,
            updated_at=when,
        )
        Question.objects.filter(pk=question.pk).update(
            answer_count=F("answer_count") + 1, last_activity_at=_later(when)
        )
        # Routed to this person (sharing.routing): the Health page counts it answered.
        RoutedQuestion.objects.filter(question=question, user=author, answered_at=None).update(
            answered_at=when
        )
        search_index_update(answer)
        url = answer.get_absolute_url()
        act_done(
            verb=Verb.ANSWER,
            actor=author,
            community=community,
            obj=answer,
            parent=question,
            target_actor_id=question.author_id,
            at=when,
            text=body,
            tell=[
                Tell(
                    [question.author_id],
                    Kind.ANSWER,
                    phrase(
                        gettext_noop("%(name)s answered %(title)s"),
                        name=author.name,
                        title=question.title,
                    ),
                    url,
                ),
                _mentions(
                    content=answer, text=body, actor=author, url=url, told={question.author_id}
                ),
            ],
        )
    return answer


def answer_accept(*, answer: Answer, by: User, at: datetime | None = None) -> Answer:
    """Mark the answer as the question's solution; only the asker or a coordinator may."""
    question = answer.question
    community = question.community
    check_accept_answer(by, community, question.author_id)
    if answer.is_hidden or question.is_hidden:
        raise ValidationError(_("Hidden content cannot be accepted."))
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.accepted_answer_id == answer.pk:
            raise ValidationError(_("This answer is already accepted."), code="already_accepted")
        switching = locked.accepted_answer_id is not None
        locked.accepted_answer = answer
        locked.save(update_fields=["accepted_answer"])  # updated_at means "last edited"
        _thread_moved(question, at or timezone.now())
        question.accepted_answer = answer
        moved = switching and activity_retarget(
            verb=Verb.ACCEPT,
            parent=question,
            obj=answer,
            actor_id=by.pk,
            target_actor_id=answer.author_id,
        )
        accepted = Tell(
            [answer.author_id],
            Kind.ACCEPTED,
            phrase(gettext_noop("Your answer to %(title)s was accepted"), title=question.title),
            answer.get_absolute_url(),
        )
        if moved:  # one acceptance per question, however often it switches
            notify_all(actor=by, community=community, at=at, tell=[accepted])
        else:
            act_done(
                verb=Verb.ACCEPT,
                actor=by,
                community=community,
                obj=answer,
                parent=question,
                target_actor_id=answer.author_id,
                at=at,
                tell=[accepted],
            )
        answer_accepted.send(Answer, answer=answer, at=at)
    return answer


def _thread_root(target: Votable) -> Post | Question:
    return target.question if isinstance(target, Answer) else target


def _parent_of(content: Content) -> Post | Question | None:
    """Return the thread an answer or comment belongs to (posts and questions have none)."""
    if isinstance(content, Comment):
        return _thread_root(content.target)
    if isinstance(content, Answer):
        return content.question
    return None


def comment_create(
    *, target: Votable, author: User, body: str, at: datetime | None = None
) -> Comment:
    """Comment on a post, question or answer; its author is told."""
    community = target.community
    check_contribute(author, community)
    errors: dict[str, str] = {}
    body = require(errors, "body", body, _("the comment"), 2000)
    raise_if(errors)
    when = at or timezone.now()
    field = target._meta.model_name or ""
    with transaction.atomic():
        comment = Comment.objects.create(
            community=community,
            author=author,
            body=body,
            body_html=render_markdown(body),
            created_at=when,
            updated_at=when,
            **{field: target},
        )
        root = _thread_root(target)
        counted: dict[str, Combinable] = {"comment_count": F("comment_count") + 1}
        if isinstance(target, Question):  # the thread moves in the same statement
            counted["last_activity_at"] = _later(when)
        type(target).objects.filter(pk=target.pk).update(**counted)
        if isinstance(target, Answer):
            _thread_moved(root, when)
        url = root.get_absolute_url()
        act_done(
            verb=Verb.REPLY,
            actor=author,
            community=community,
            obj=comment,
            parent=root,
            target_actor_id=target.author_id,
            at=when,
            text=body,
            meta={"on": field},
            tell=[
                Tell(
                    [target.author_id],
                    Kind.COMMENT,
                    phrase(
                        gettext_noop("%(name)s commented on %(title)s"),
                        name=author.name,
                        title=root.title,
                    ),
                    url,
                ),
                _mentions(
                    content=comment, text=body, actor=author, url=url, told={target.author_id}
                ),
            ],
        )
    return comment


def vote_cast(*, target: Votable, user: User, at: datetime | None = None) -> Vote:
    """Up-vote a post, question or answer, once per person."""
    community = target.community
    check_vote(user, community, target.author_id)
    field = target._meta.model_name or ""
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                user=user, created_at=at or timezone.now(), **{field: target}
            )
            type(target).objects.filter(pk=target.pk).update(score=F("score") + 1)
            activity_record(
                verb=Verb.REACT,
                actor_id=user.pk,
                community_id=community.pk,
                obj=vote,
                parent=_thread_root(target),
                target_actor_id=target.author_id,
                at=at,
                meta={"on": field},
            )
    except IntegrityError:
        raise ValidationError(_("You have already up-voted this."), code="already_voted") from None
    return vote


def question_reuse(*, question: Question, by: User) -> bool:
    """Record that this question answered `by`'s before they asked it; False if said before.

    The Activity is a reaction to the question (meta "reused"): the Health page counts these
    as duplicates avoided.
    """
    community = question.community
    check_contribute(by, community)
    try:
        with transaction.atomic():
            QuestionReuse.objects.create(question=question, user=by)
            activity_record(
                verb=Verb.REACT,
                actor_id=by.pk,
                community_id=community.pk,
                obj=question,
                target_actor_id=question.author_id,
                meta={"reused": True},
            )
    except IntegrityError:
        return False
    return True


def content_edit(
    *,
    content: Content,
    by: User,
    body: str,
    title: str | None = None,
    tags: list[str] | str | None = None,
) -> Content:
    """Change the text, keeping the previous version as a revision."""
    community = content.community
    check_edit(by, community, content.author_id)
    errors: dict[str, str] = {}
    limit = 2000 if isinstance(content, Comment) else 100_000
    body = require(errors, "body", body, _("the text"), limit)
    has_title = isinstance(content, Post | Question)
    if has_title and title is not None:
        title = require(errors, "title", title, _("a title"), 200)
    tag_names: list[str] | None = None
    if isinstance(content, Question) and tags is not None:
        tag_names = _tags_or_error(errors, tags)
    raise_if(errors)
    old_body = content.body
    old_title = getattr(content, "title", "")
    same_tags = tag_names is None or (
        isinstance(content, Question)
        and tag_names == list(content.tags.order_by("name").values_list("name", flat=True))
        and tag_names == sorted(tag_names)
    )
    if body == old_body and (title is None or title == old_title) and same_tags:
        return content  # nothing changed: no revision, no Activity
    with transaction.atomic():
        Revision.objects.create(
            content_type=ContentType.objects.get_for_model(type(content)),
            object_id=content.pk,
            title=old_title,
            body=old_body,
            edited_by=by,
        )
        content.body = body
        content.body_html = render_markdown(body)
        content.updated_at = timezone.now()
        fields = ["body", "body_html", "updated_at"]
        if has_title and title is not None:
            content.title = title  # type: ignore[union-attr]
            fields.append("title")
        content.save(update_fields=fields)
        if isinstance(content, Question) and tag_names is not None:
            _set_tags(content, tag_names)
        if not isinstance(content, Comment):
            search_index_update(content)
        shown = _thread_root(content.target) if isinstance(content, Comment) else content
        url = shown.get_absolute_url()
        _thread_moved(_parent_of(content) or shown, content.updated_at)
        act_done(
            verb=Verb.EDIT,
            actor=by,
            community=community,
            obj=content,
            parent=_parent_of(content),
            target_actor_id=content.author_id,
            tell=[_mentions(content=content, text=body, actor=by, url=url, already=old_body)],
        )
    return content


def revisions_of(content: Content) -> list[Revision]:
    """Return earlier versions, newest first."""
    return list(
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(type(content)), object_id=content.pk
        ).select_related("edited_by")
    )


def content_flag(*, content: Content, by: User, reason: str) -> Flag:
    """Ask the coordinators to look at something; one flag per person per item."""
    community = content.community
    check_contribute(by, community)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong so a coordinator can judge.")})
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                community=community,
                content_type=ContentType.objects.get_for_model(type(content)),
                object_id=content.pk,
                flagged_by=by,
                reason=reason[:500],
            )
            activity_record(
                verb=Verb.FLAG,
                actor_id=by.pk,
                community_id=community.pk,
                obj=content,
                parent=_parent_of(content),
                target_actor_id=content.author_id,
                meta={"reason": reason[:200]},
            )
    except IntegrityError:
        raise ValidationError(_("You have already flagged this."), code="already_flagged") from None
    return flag


def _describe(content: Content) -> str:
    kind = content._meta.model_name
    label = getattr(content, "title", "") or plain_text(content.body, 80)
    return f"{kind} #{content.pk} by {content.author.username}: {label}"


def _set_hidden(*, content: Content, by: User, hidden: bool, reason: str) -> Content:
    community = content.community
    check_coordinate(by, community)
    if content.is_hidden == hidden:
        raise ValidationError(_("It is already hidden.") if hidden else _("It is not hidden."))
    with transaction.atomic():
        content.is_hidden = hidden
        content.save(update_fields=["is_hidden"])
        Flag.objects.filter(
            content_type=ContentType.objects.get_for_model(type(content)),
            object_id=content.pk,
            resolved_at__isnull=True,
        ).update(resolved_at=timezone.now())
        action = ModerationAction.HIDE if hidden else ModerationAction.RESTORE
        ModerationLogEntry.objects.create(
            community=community,
            actor=by,
            action=action,
            subject=_describe(content)[:300],
            reason=reason[:500],
        )
        audit_record(
            action=f"content.{action.value}",
            actor=by,
            community=community,
            subject=_describe(content),
            before={"hidden": not hidden},
            after={"hidden": hidden} | ({"reason": reason} if reason else {}),
        )
        activity_record(
            verb=Verb.MODERATE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=content,
            parent=_parent_of(content),
            target_actor_id=content.author_id,
            meta={"action": action.value},
        )
        if not isinstance(content, Comment):
            search_index_set_hidden(content)
    return content


def content_hide(*, content: Content, by: User, reason: str = "") -> Content:
    """Hide content from members (coordinators still see it and can restore it)."""
    return _set_hidden(content=content, by=by, hidden=True, reason=reason)


def content_restore(*, content: Content, by: User, reason: str = "") -> Content:
    """Show hidden content again."""
    return _set_hidden(content=content, by=by, hidden=False, reason=reason)
