from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "cultivate.apps.sharing"
    label = "sharing"
    verbose_name = "Sharing: posts, questions and answers"

    def ready(self) -> None:
        # Search knows no content model: each owner says how its content reads in the index.
        from cultivate.apps.insights.figures import health_figures_register
        from cultivate.apps.search.cards import card_details_register
        from cultivate.apps.search.services import search_register

        from .health_figures import reuse_figures, routing_figures
        from .indexing import content_entries
        from .models import Answer, Post, Question
        from .search_cards import answer_cards, post_cards, question_cards

        for model in (Post, Question, Answer):
            search_register(model, content_entries)
        card_details_register("question", question_cards)
        card_details_register("answer", answer_cards)
        card_details_register("post", post_cards)
        health_figures_register(reuse_figures)
        health_figures_register(routing_figures)
