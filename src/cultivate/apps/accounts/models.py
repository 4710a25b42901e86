"""People and what they know: the profile a colleague reads before asking them something."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy


class Expertise(models.Model):
    """A skill or topic a person can help with, shared across people so they can be matched."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person in the organisation; the profile lives on the account so pages need one query."""

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField("name", max_length=120, blank=True)
    title = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="people")
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=gettext_lazy(
            "The language Cultivate speaks to this person; empty follows the browser."
        ),
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text=gettext_lazy(
            "Where the person lives (an IANA name such as Europe/Paris): times read in it; "
            "empty reads them in each event's own zone."
        ),
    )
    pending_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Signed up and waiting for the e-mail link to be opened; until then it cannot log in."
        ),
    )
    is_km_lead = models.BooleanField(
        "knowledge-management lead",
        default=False,
        help_text=gettext_lazy("Sees the portfolio of every community the organisation runs."),
    )

    class Meta:
        ordering = ["display_name", "username"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name people know this person by."""
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("people:profile", args=[self.username])
