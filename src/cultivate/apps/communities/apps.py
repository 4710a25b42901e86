from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "cultivate.apps.communities"
    label = "communities"
    verbose_name = "Communities of practice"

    def ready(self) -> None:
        # Every recorded activity changes its community's content: move the content version.
        from cultivate.apps.activity.signals import activity_recorded

        from .freshness import on_activity_recorded

        activity_recorded.connect(on_activity_recorded, dispatch_uid="communities.freshness")
