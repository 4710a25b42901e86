from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cultivate.apps.search"
    label = "search"
    verbose_name = "Search"
