from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "cultivate.apps.practices"
    label = "practices"
    verbose_name = "Best practices: co-written documents, reviews and publishing"

    def ready(self) -> None:
        # Search knows no content model: each owner says how its content reads in the index.
        from cultivate.apps.search.cards import card_details_register
        from cultivate.apps.search.services import search_register

        from .indexing import document_cards, document_entries
        from .models import Document

        search_register(Document, document_entries)
        card_details_register("document", document_cards)
