from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cultivate.apps.people"
    label = "people"
    verbose_name = "People: profiles, with what each viewer may see of them"
