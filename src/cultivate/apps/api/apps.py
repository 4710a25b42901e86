from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cultivate.apps.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from cultivate.apps.limits import token_owner_register

        from . import receivers  # noqa: F401  (connects them)
        from .selectors import token_owner_id

        token_owner_register(token_owner_id)
