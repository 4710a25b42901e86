"""Two annotators' agreement and the learning curve: what the classifier's targets sit beside."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from cultivate.core.language import Kind
from cultivate.tools.classifier_ceiling import (
    SECOND_LABELS,
    agreement,
    cohen_kappa,
    learning_curve,
    load_second_labels,
    section_markdown,
)
from cultivate.tools.classifier_evaluation import (
    Labelled,
    LabelledText,
    fetch_texts,
    load_labels,
    split,
)

Q, R, B = Kind.QUESTION, Kind.REPLY, Kind.BROADCAST


def test_kappa_is_one_when_two_annotators_always_agree() -> None:
    assert cohen_kappa([(Q, Q), (R, R), (B, B), (R, R)]) == 1.0


def test_kappa_is_zero_when_agreement_is_what_the_label_rates_give_by_chance() -> None:
    # Each annotator says question half the time, independently of the other.
    pairs = [(Q, Q), (Q, R), (R, Q), (R, R)]
    assert math.isclose(cohen_kappa(pairs), 0.0, abs_tol=1e-12)


def test_kappa_on_a_hand_worked_case() -> None:
    # They agree on 3 of 5; each says question 3 times in 5: chance 0.6 * 0.6 + 0.4 * 0.4.
    pairs = [(Q, Q), (Q, Q), (Q, R), (R, R), (R, Q)]
    assert math.isclose(cohen_kappa(pairs), (0.6 - 0.52) / (1 - 0.52))


def test_the_second_labels_name_labelled_messages_and_keep_no_text() -> None:
    second = load_second_labels()
    known = {item.id for item in load_labels()}
    assert len(second) >= 500
    assert set(second) <= known
    with SECOND_LABELS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["id", "label", "note"]
        assert max(len(row["note"]) for row in reader) <= 80


def test_a_bad_second_label_is_refused_naming_its_row(tmp_path: Path) -> None:
    path = tmp_path / "second.csv"
    path.write_text("id,label,note\na,question,\nb,maybe,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"second.csv:3: label must be one of"):
        load_second_labels(path)


def test_a_second_label_for_an_unlabelled_message_is_refused() -> None:
    item = Labelled("x:1", "slack-houstondatavis", True, Q, part="test")
    with pytest.raises(ValueError, match="name no labelled message"):
        agreement([item], {"x:2": Q}, {"x:1": LabelledText("why?")})


def test_agreement_scores_the_second_annotator_and_the_model_on_the_held_out_part() -> None:
    items = [
        Labelled("a", "f", True, Q, part="test"),
        Labelled("b", "f", False, R, part="test"),
        Labelled("c", "f", True, B, part="dev"),
        Labelled("d", "f", False, R, part="dev"),
    ]
    texts = {
        "a": LabelledText("Has anyone built this on Rocky 9? It fails to link."),
        "b": LabelledText("Upgrading to 2.3 solved it for us."),
        "c": LabelledText("Reminder: the workshop moves to room 204."),
        "d": LabelledText("Same here."),
    }
    found = agreement(items, {"a": Q, "b": Q, "c": B}, texts)
    assert found.both.total == 3
    assert math.isclose(found.both.accuracy, 2 / 3)
    assert found.held_out_second.total == 2
    assert found.held_out_model.total == 2
    section = section_markdown(found, [])
    assert section.count("Cohen's kappa") == 1
    assert "second annotator" in section


@pytest.mark.data
def test_the_learning_curve_refits_on_growing_shares_of_the_development_part(
    data_dir: Path,
) -> None:
    dev = split(load_labels())[0][:300]
    texts = fetch_texts(data_dir, dev)
    curve = learning_curve(dev, texts, fractions=(0.5, 1.0), folds=3)
    assert [point.messages for point in curve] == [100, 200]
    assert all(point.scores.total == len(dev) for point in curve)
    # Each point refits on its share: half the messages give other predictions than all.
    assert curve[0].scores.confusion != curve[1].scores.confusion
