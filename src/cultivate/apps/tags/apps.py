from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "cultivate.apps.tags"
    label = "tags"
    verbose_name = "Tags: topic labels, and who watches them"
