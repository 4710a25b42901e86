"""The contribution classifier on messages whose kind a person can tell at a glance."""

from __future__ import annotations

import re

import pytest

from cultivate.core.language import Kind, classify, classify_by_rules
from cultivate.core.language.classifier import (
    _OPEN_HINTS,
    _OPEN_PHRASES,
    _literal_hint,
    _question_marks,
    rule_scores,
)
from cultivate.core.language.model import LearnedModel, _parts, features, load_model


@pytest.mark.parametrize(
    "text",
    [
        "How do I install numpy on Windows without a compiler?",
        "Does anyone know a good library for force layouts in 3D?",
        "Hi all, is there a way to export a Tableau dashboard as SVG?",
        "I'm stuck with d3 transitions and would appreciate any pointers",
    ],
)
def test_a_clear_question_is_a_question(text: str) -> None:
    result = classify(text, is_thread_start=True)
    assert result.kind is Kind.QUESTION
    assert result.confidence > 0.5


@pytest.mark.parametrize(
    "text", ["Thanks!", "Thank you so much, great job everyone", "kudos :clap:"]
)
def test_short_thanks_are_appreciation_even_in_a_thread(text: str) -> None:
    assert classify(text, is_thread_start=False).kind is Kind.APPRECIATION


def test_thanks_at_the_end_of_a_long_answer_do_not_make_it_appreciation() -> None:
    answer = (
        "You can use the groupby method first and then pivot the frame; in my experience it is "
        "much faster than looping over the rows yourself, especially once the data no longer "
        "fits in the cache of the machine. Have a look at the docs for the details. Thanks"
    )
    assert classify(answer, is_thread_start=False).kind is Kind.REPLY


@pytest.mark.parametrize(
    "text",
    [
        "Reminder: the meetup is tonight at 7pm, RSVP here http://meetup.com/houston/events/1",
        "The call for papers for the workshop is open, deadline next month: https://example.org",
        "Minutes of the last meeting and the agenda for next week are attached",
    ],
)
def test_announcements_and_event_posts_are_broadcasts(text: str) -> None:
    assert classify(text, is_thread_start=True).kind is Kind.BROADCAST


@pytest.mark.parametrize(
    "text",
    [
        "Check out my new blog post on d3 force layouts http://myblog.example.com/d3",
        "I'm excited to announce our product launch: 20% off with promo code DATAVIS",
        "My new course on map projections is live, 20% off with code MAPS this week",
    ],
)
def test_pointing_at_ones_own_offer_is_self_promotion(text: str) -> None:
    assert classify(text, is_thread_start=True).kind is Kind.SELF_PROMOTION


@pytest.mark.parametrize(
    "text",
    [
        "Here are the demos I presented last night: https://github.com/someone/demos",
        "I made a small dashboard of bus delays this weekend, would love your feedback: "
        "http://example.org/buses",
    ],
)
def test_showing_ones_own_work_with_a_link_leans_to_self_promotion(text: str) -> None:
    found = rule_scores(text, is_thread_start=True)
    assert found is not None
    assert found.scores[Kind.SELF_PROMOTION] >= found.scores[Kind.BROADCAST]


def test_own_work_in_a_problem_report_sells_nothing() -> None:
    text = "I made a script to parse the logs but it fails with this error: KeyError"
    found = rule_scores(text, is_thread_start=True)
    assert found is not None
    assert found.scores[Kind.SELF_PROMOTION] < found.scores[Kind.QUESTION]


def test_a_plain_answer_in_a_thread_is_a_reply() -> None:
    result = classify("Yes, I agree, you can use pandas for that", is_thread_start=False)
    assert result.kind is Kind.REPLY
    assert result.confidence > 0.5


def test_an_empty_or_signal_free_opening_is_other_with_no_confidence() -> None:
    assert classify("", is_thread_start=True).kind is Kind.OTHER
    assert classify("ok", is_thread_start=True).kind is Kind.OTHER
    assert classify("", is_thread_start=True).confidence == 0.0


def test_quoted_text_does_not_count_towards_the_kind() -> None:
    reply = "> How do I install it? Does anyone know?\n\nSure, pip install numpy works for me"
    assert classify(reply, is_thread_start=False).kind is Kind.REPLY


def test_confidence_grows_with_the_margin_and_stays_between_zero_and_one() -> None:
    weak = classify("Thoughts?", is_thread_start=False)
    strong = classify("How do I do this? Can someone help me? Any idea?", is_thread_start=False)
    assert 0.0 <= weak.confidence < strong.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "<@U061A5N1G> for making the new dashboard so easy to use",
        "Huge thanks to Bo and the docs team for the new onboarding guide",
        "Kudos to everyone who reviewed the pump standard last week, you rock",
    ],
)
def test_thanks_and_praise_aimed_at_people_are_appreciation_even_opening_a_thread(
    text: str,
) -> None:
    assert classify(text, is_thread_start=True).kind is Kind.APPRECIATION
    assert classify_by_rules(text, is_thread_start=True).kind is Kind.APPRECIATION


@pytest.mark.parametrize(
    "text",
    [
        "Call for papers: the 2019 workshop on research computing. Interested? Submit an "
        "abstract by March 1 at https://example.org/cfp",
        "We are hiring two research software engineers. Want to work on HPC? Apply here: "
        "https://example.org/jobs",
        "ANN: numarray 0.3 is now available. What's new? Faster ufuncs and a new array "
        "interface, see the release notes",
    ],
)
def test_notices_are_broadcasts_even_with_question_marks(text: str) -> None:
    assert classify(text, is_thread_start=True).kind is Kind.BROADCAST
    assert classify_by_rules(text, is_thread_start=True).kind is Kind.BROADCAST


def test_a_question_mark_standing_for_an_unencodable_character_is_no_question() -> None:
    text = (
        "Navan?ta and Jos? ??? presented the new release of the solver at the meeting, the "
        "slides are on the list archive"
    )
    assert classify_by_rules(text, is_thread_start=True).kind is not Kind.QUESTION
    assert classify(text, is_thread_start=True).kind is not Kind.QUESTION


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("Does it build? And does it run?", 2),
        ("Navan?ta presented", 0),
        ("Jos? ??? and ?? were there", 1),
        ("what went wrong??", 1),
        ("(is this right?) yes", 1),
        ('she said "why?" twice', 1),
        ("File x, line 3, in ?\nNameError", 0),
        ("??", 0),
        ("ok ??)", 1),
    ],
)
def test_only_marks_that_end_a_sentence_count_as_asking(text: str, marks: int) -> None:
    assert _question_marks(text) == marks


@pytest.mark.parametrize(
    ("phrase", "hint"),
    [
        (r"announc\w*", "announc"),
        (r"\d+% discount", "% discount"),
        (r"\[ann\]", "[ann]"),
        (r"ab(?:c|d)?e?fgh", "fgh"),
        (r"[)](?:abc)?", ""),
        (r"\x41bc", ""),
        (r"x{0,2}yz", "yz"),
        (r"(?:a|b)", ""),
    ],
)
def test_a_phrase_hint_is_text_every_match_must_contain(phrase: str, hint: str) -> None:
    assert _literal_hint(phrase) == hint


def test_every_phrase_left_for_the_slow_scan_is_found_only_beside_its_hint() -> None:
    assert _OPEN_PHRASES is not None
    for phrase in _OPEN_PHRASES.pattern[10:-7].split("|"):
        if "(" in phrase:
            continue  # a group's bars are not the phrases'
        sample = re.sub(r"\\w\*", "ing", re.sub(r"\\d\+", "20", phrase)).replace("\\", "")
        assert _OPEN_PHRASES.search(sample), phrase
        assert any(hint in sample for hint in _OPEN_HINTS), phrase


@pytest.mark.parametrize(
    "text",
    [
        "any idea why my sbatch job fails with exit code 137 on the gpu nodes",
        "my app fails with this error: ImportError: libcuda.so.1 cannot open shared object file",
        "how to mount a CIFS share with the AD group permissions kept",
    ],
)
def test_a_question_without_a_question_mark_that_opens_a_thread_is_a_question(
    text: str,
) -> None:
    assert classify(text, is_thread_start=True).kind is Kind.QUESTION
    assert classify_by_rules(text, is_thread_start=True).kind is Kind.QUESTION


def test_the_shipped_model_reads_every_message_as_its_named_features_say() -> None:
    model = load_model()
    assert model is not None
    for text, start in [
        ("How do I get Makie to save a PDF? plot(x) fails", True),
        ("thanks, that worked!", False),
        ("Reminder: the meetup is tonight, RSVP at https://meetup.example", True),
    ]:
        named = features(text, is_thread_start=start)
        parts = _parts(text, start)
        assert named is not None
        assert parts is not None
        assert model.probabilities(named) == pytest.approx(model._fast(parts))
        assert sum(model.probabilities(named)) == pytest.approx(1.0)


def test_a_model_survives_a_round_trip_through_its_file_form() -> None:
    model = load_model()
    assert model is not None
    again = LearnedModel.from_dict(model.to_dict())
    text = "Does anyone have a working sparse matrix module for Numeric?"
    assert again.classify(text, is_thread_start=True) == model.classify(text, is_thread_start=True)


def test_a_model_with_a_short_weight_row_is_refused() -> None:
    with pytest.raises(ValueError, match="one weight per kind"):
        LearnedModel.from_dict(
            {"kinds": ["question", "reply"], "intercept": [0.0, 0.0], "weights": {"w:x": [1.0]}}
        )
