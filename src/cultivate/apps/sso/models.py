"""Which account a person of the company's identity provider signs in to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignOnIdentity(models.Model):
    """The provider's stable name for a person (issuer and subject), tied to one account.

    The first sign-on links by verified e-mail address or makes an account; later ones find the
    account here, so a person whose address changes at the provider keeps their account, and an
    address someone else takes over at the provider never opens it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_sign_on_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
