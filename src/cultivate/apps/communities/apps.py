from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "cultivate.apps.communities"
    label = "communities"
    verbose_name = "Communities of practice"
