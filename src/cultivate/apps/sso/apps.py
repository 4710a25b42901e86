from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "cultivate.apps.sso"
    label = "sso"
    verbose_name = "Single sign-on with the company's OpenID Connect provider"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the configuration checks)
