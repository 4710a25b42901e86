from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "cultivate.apps.practices"
    label = "practices"
    verbose_name = "Best practices: co-written documents, reviews and publishing"
