from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cultivate.apps.insights"
    label = "insights"
    verbose_name = "Insights: the activity stream and what it says"
