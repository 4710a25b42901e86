from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cultivate.apps.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects them)
