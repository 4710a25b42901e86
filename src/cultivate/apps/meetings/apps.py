from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "cultivate.apps.meetings"
    label = "meetings"
    verbose_name = "Meetings: events, RSVPs, attendance and coffee pairing"
