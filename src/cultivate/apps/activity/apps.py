from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "cultivate.apps.activity"
    label = "activity"
    verbose_name = "Activity: one row per thing a person did"
