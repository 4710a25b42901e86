from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cultivate.apps.demo"
    label = "demo"
    verbose_name = "Demo organisation"
