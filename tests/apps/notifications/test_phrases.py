"""A notice is worded when read, in the reader's language; its e-mail in the recipient's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from cultivate.apps.notifications.models import Kind, Notification
from cultivate.apps.notifications.phrases import Phrase, ngettext, phrase
from cultivate.apps.sharing.services import answer_create, question_ask

from .helpers import email_at_once


def test_a_phrase_words_itself_in_each_language_and_survives_storage():
    sentence = phrase("New question in %(name)s: %(title)s", name="Pumps", title="Seals?")
    stored = Phrase.from_data(sentence.to_data())
    assert stored.worded("en") == "New question in Pumps: Seals?"
    assert stored.worded("fr") == "Nouvelle question dans Pumps : Seals?"


def test_plural_phrases_choose_their_form_by_count_even_nested():
    people = ngettext("%(count)s person", "%(count)s people", 3)
    assert people.worded("en") == "3 people"
    assert ngettext("%(count)s person", "%(count)s people", 1).worded("fr") == "1 personne"
    stored = Phrase.from_data(
        phrase("%(first)s and %(second)s", first="Ann", second=people).to_data()
    )
    assert stored.worded("fr") == "Ann et 3 personnes"


@pytest.mark.django_db(transaction=True)
def test_a_notice_reads_in_the_readers_language_and_mails_in_the_recipients(
    community, member, coordinator
):
    coordinator.language = "fr"
    coordinator.save(update_fields=["language"])
    email_at_once(coordinator, Kind.ANSWER)
    question = question_ask(community=community, author=coordinator, title="Seals?", body="Which?")
    with translation.override("en"):
        answer_create(question=question, author=member, body="Lip seals.")
    notice = Notification.objects.get(recipient=coordinator, kind="answer")
    assert notice.summary == "Mia Member answered Seals?"
    with translation.override("fr"):
        assert notice.text == "Mia Member a répondu à Seals?"
    with translation.override("en"):
        assert notice.text == "Mia Member answered Seals?"
    sent = [m for m in mail.outbox if coordinator.email in m.to]
    assert sent
    assert sent[-1].subject == "[Cultivate] Mia Member a répondu à Seals?"


@pytest.mark.django_db
def test_a_notice_whose_phrase_no_longer_words_reads_as_its_stored_sentence(community, member):
    notice = Notification(
        recipient=member,
        kind="answer",
        community=community,
        summary="Mia Member answered Seals?",
        phrase={"template": "%(name)s answered %(title)s", "values": {"name": "Mia"}},
        url="/",
    )
    assert notice.text == "Mia Member answered Seals?"
    notice.phrase = {
        "template": "%(name)s answered %(title)s",
        "values": {"name": "Mia", "title": "Seals?"},
    }
    assert notice.text == "Mia answered Seals?"
