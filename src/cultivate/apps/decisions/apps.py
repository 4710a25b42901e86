from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "cultivate.apps.decisions"
    label = "decisions"
    verbose_name = "Decisions: proposals, stances, outcomes and action items"
