from django.apps import AppConfig


class CelebrationsConfig(AppConfig):
    name = "cultivate.apps.celebrations"
    label = "celebrations"
    verbose_name = "Celebrations: kudos, milestones and the wins feed"
