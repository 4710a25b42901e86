from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "cultivate.apps.sharing"
    label = "sharing"
    verbose_name = "Sharing: posts, questions and answers"
