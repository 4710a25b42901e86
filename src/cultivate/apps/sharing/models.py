"""What members share: posts, questions, answers, comments, votes, and the history of every edit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.tags.models import Tag


class Contribution(models.Model):
    """Fields all member-written content has; `body_html` is rendered and sanitised once."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class PostKind(models.TextChoices):
    STORY = "story", gettext_lazy("Success story")
    ARTICLE = "article", gettext_lazy("Article")
    TIP = "tip", gettext_lazy("Tip")
    ANNOUNCEMENT = "announcement", gettext_lazy("Announcement")


class Post(Contribution):
    """Something a member pushes to the community: the level-1 way of reaching people."""

    kind = models.CharField(max_length=12, choices=PostKind.choices, default=PostKind.ARTICLE)
    title = models.CharField(max_length=200)
    read_as = models.CharField(max_length=20, blank=True, default="")
    """For an imported message, the kind Cultivate's classifier read in it (shown beside it)."""

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(
                fields=["community", "-created_at"],
                condition=models.Q(is_hidden=False),
                name="post_shown",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:post", args=[self.community.slug, self.pk])


class Question(Contribution):
    """A member asking the network: the best sign that a community is alive."""

    title = models.CharField(max_length=200)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    accepted_answer = models.OneToOneField(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    """When the thread last moved: asked, answered, commented on, accepted or edited ("active")."""

    class Meta:
        ordering = ["-created_at"]
        # The home page's open questions walk this newest first too (sharing.selectors).
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["community", "-last_activity_at"], name="question_active"),
            # What members see: a list's count reads this index alone (3.6 ms to 0.15 ms at
            # 3,000 questions on SQLite), not every row for its hidden flag.
            models.Index(
                fields=["community", "-created_at"],
                condition=models.Q(is_hidden=False),
                name="question_shown",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:question", args=[self.community.slug, self.pk])

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None


class Answer(Contribution):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


def _exactly_one_target() -> Q:
    """Match rows that point at exactly one of post, question and answer."""
    post, question, answer = (Q(**{f"{f}__isnull": False}) for f in ("post", "question", "answer"))
    return (
        (post & ~question & ~answer) | (~post & question & ~answer) | (~post & ~question & answer)
    )


class Comment(models.Model):
    """A short remark on a post, question or answer: the lightest way to reply."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=2000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    read_as = models.CharField(max_length=20, blank=True, default="")
    """For an imported message, the kind Cultivate's classifier read in it (shown beside it)."""

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="comment_has_one_target")
        ]

    @property
    def target(self) -> Post | Question | Answer:
        target = self.post or self.question or self.answer
        assert target is not None
        return target


class Vote(models.Model):
    """An up-vote: one per person per post, question or answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="vote_has_one_target"),
            models.UniqueConstraint(fields=["user", "post"], name="one_vote_per_post"),
            models.UniqueConstraint(fields=["user", "question"], name="one_vote_per_question"),
            models.UniqueConstraint(fields=["user", "answer"], name="one_vote_per_answer"),
        ]


class Revision(models.Model):
    """The text of a post, question, answer or comment as it was before an edit."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Mention(models.Model):
    """A person named with @username in some content; they are told about it once."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_mention"
            )
        ]


class QuestionReuse(models.Model):
    """A member about to ask found their answer in this question instead: a duplicate avoided.

    Said once per person and question ("this answers my question" beside similar questions).
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_reuse_per_person")
        ]

    def __str__(self) -> str:
        return f"question {self.question_id} reused by {self.user_id}"


class RoutedQuestion(models.Model):
    """An unanswered question offered to a member likely to know (sharing.routing).

    `answered_at` is set when that member answers it: the Health page counts how many routed
    questions their people answered, and how fast.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    routed_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_route_per_person")
        ]
        indexes = [models.Index(fields=["user", "-routed_at"])]

    def __str__(self) -> str:
        return f"question {self.question_id} routed to {self.user_id}"
