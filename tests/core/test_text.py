"""Core's sentences read as English and are said again in any catalogue's language."""

from __future__ import annotations

import gettext
import json
import pickle

from cultivate.core.reports.report import localised
from cultivate.core.text import Number, Text, _, catalogue, collect, ngettext, say

FRENCH = catalogue("fr")


def test_a_sentence_is_the_english_string_with_its_values_filled_in():
    sentence = _("only %(count)s people asked in the window.", count=2)  # not in the catalogue
    assert sentence == "only 2 people asked in the window."
    assert isinstance(sentence, str)
    assert json.dumps({"said": sentence}) == '{"said": "only 2 people asked in the window."}'


def test_the_packaged_french_catalogue_says_it_in_french_and_english_is_no_catalogue():
    assert FRENCH is not None
    assert catalogue("en") is None
    assert catalogue(None) is None
    sentence = ngettext(
        "only %(n)s person asked in the window.", "only %(n)s people asked in the window.", 2
    )
    assert sentence.in_language(FRENCH) == "seules 2 personnes ont demandé dans la période."
    assert sentence.in_language(catalogue("fr-FR")) == sentence.in_language(FRENCH)


def test_plural_sentences_follow_the_count_in_each_language():
    one = ngettext("%(n)s time", "%(n)s times", 1)
    many = ngettext("%(n)s time", "%(n)s times", 3)
    assert (one, many) == ("1 time", "3 times")
    assert many.in_language(FRENCH) == "3 fois"


def test_a_sentence_inside_a_sentence_is_said_in_the_same_language():
    name = _("question share")
    sentence = _("%(name)s: no data", name=name)
    assert sentence == "question share: no data"
    assert sentence.in_language(FRENCH) == "part des questions : aucune donnée"


def test_a_sentence_survives_json_and_pickle_with_its_message():
    sentence = _("%(name)s: no data", name=_("question share"))
    again = Text.from_json(json.loads(json.dumps(sentence.to_json())))
    assert again == sentence
    assert again.in_language(FRENCH) == sentence.in_language(FRENCH)
    unpickled = pickle.loads(pickle.dumps(sentence))
    assert unpickled.in_language(FRENCH) == sentence.in_language(FRENCH)


def test_a_broken_translation_falls_back_to_english_instead_of_failing():
    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "%(missing)s"

    class Bad(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "%(name)d"

    assert _("%(name)s: no data", name="x").in_language(Broken()) == "x: no data"
    assert _("%(name)s: no data", name="x").in_language(Bad()) == "x: no data"


def test_numbers_in_a_sentence_are_written_the_way_its_language_writes_them():
    sentence = _(
        "%(share)s of %(count)s, %(rate)s",
        share=Number.percent(0.25),
        count=Number.count(1627),
        rate=Number.ratio(0.333),
    )
    assert sentence == "25% of 1,627, 0.33"
    assert sentence.in_language(FRENCH) == "25\u202f% of 1\u202f627, 0,33"
    stored = Text.from_json(json.loads(json.dumps(sentence.to_json())))
    assert stored.in_language(FRENCH) == sentence.in_language(FRENCH)


def test_a_count_of_one_reads_in_the_singular():
    assert ngettext("only %(n)s person asked.", "only %(n)s people asked.", 1) == (
        "only 1 person asked."
    )


def test_a_stored_report_is_said_again_through_its_words_and_nothing_else_changes():
    advice = {"action": _("Run a coffee-pairing round so members meet informally."), "people": []}
    report = {
        "advice": [advice],
        "community_name": "Run a coffee-pairing round so members meet informally",
    }
    stored = json.loads(json.dumps({**report, "words": collect(report)}))

    french = localised(stored, FRENCH)

    assert french["advice"][0]["action"].startswith("Lancez un tour de cafés en binôme")
    assert french["community_name"] == report["community_name"]  # not a listed sentence
    assert (
        localised({"advice": [{"action": "Old words"}]}, FRENCH)["advice"][0]["action"]
        == "Old words"
    )
    assert say([advice["action"]], None) == [str(advice["action"])]


def test_a_damaged_stored_message_is_left_out_instead_of_failing_the_page():
    from cultivate.core.reports.report import sentences_said
    from cultivate.core.text import stored_text

    assert stored_text({"params": {}}) is None
    assert stored_text("not a message") is None
    good = _("question share")
    said = sentences_said({"question share": good.to_json(), "broken": {"nope": 1}}, FRENCH)
    assert said == {"question share": "part des questions"}
