from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cultivate.apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"
