from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cultivate.apps.imports"
    label = "imports"
    verbose_name = "Imports: history from other platforms"
