"""Tags and who watches them: shared by every app that labels content or tells people of it.

Both tables were born in other apps (sharing, notifications) and keep their names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tag(models.Model):
    """A topic label on questions; people watch tags to hear about new questions."""

    name = models.CharField(max_length=40, unique=True)  # letters of any script: services.py

    class Meta:
        db_table = "sharing_tag"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TagWatch(models.Model):
    """One person hears about new questions with one tag."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="watchers")

    class Meta:
        db_table = "notifications_tagwatch"
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="one_watch_per_tag")]
