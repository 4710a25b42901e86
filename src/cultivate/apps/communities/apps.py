from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "cultivate.apps.communities"
    label = "communities"
    verbose_name = "Communities of practice"

    def ready(self) -> None:
        # Every recorded activity changes its community's content: move the content version.
        from django.db.models.signals import post_delete, post_save

        from cultivate.apps.activity.signals import activity_recorded

        from .access import on_membership_written
        from .freshness import on_activity_recorded
        from .models import Membership

        activity_recorded.connect(on_activity_recorded, dispatch_uid="communities.freshness")
        # A membership written anywhere makes every person's Access read again.
        for signal in (post_save, post_delete):
            signal.connect(on_membership_written, sender=Membership, dispatch_uid="access")
