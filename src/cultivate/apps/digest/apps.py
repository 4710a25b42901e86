from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "cultivate.apps.digest"
    label = "digest"
    verbose_name = "Digest: each member's weekly e-mail of what they could do"
