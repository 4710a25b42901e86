from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cultivate.apps.accounts"
    label = "accounts"
    verbose_name = "People"
