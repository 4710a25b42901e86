from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cultivate.apps.imports"
    label = "imports"
    verbose_name = "Imports: history from other platforms"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the queue's signal
