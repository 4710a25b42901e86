from django.apps import AppConfig


class CelebrationsConfig(AppConfig):
    name = "cultivate.apps.celebrations"
    label = "celebrations"
    verbose_name = "Celebrations: kudos, milestones and the wins feed"

    def ready(self) -> None:
        # Milestones follow what happens in sharing, which sits below and does not import us.
        from cultivate.apps.sharing.signals import answer_accepted, question_asked

        from .milestones import on_answer_accepted, on_question_asked

        question_asked.connect(on_question_asked, dispatch_uid="celebrations.questions")
        answer_accepted.connect(on_answer_accepted, dispatch_uid="celebrations.accepted")
