from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "cultivate.apps.agenda"
    label = "agenda"
    verbose_name = "Agenda: topics in time boxes, and help requests"
