"""The hand-labelled messages and the scoring of the contribution classifier."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cultivate.core.language import Classification, Kind
from cultivate.tools.classifier_evaluation import (
    DOC_END,
    DOC_START,
    LABELS,
    Labelled,
    LabelledText,
    fetch_texts,
    load_labels,
    score,
    split,
    throughput,
    write_doc_section,
)

FOLDERS = {
    "slack-houstondatavis",
    "slack-api-julialang",
    "ml-3gpp-listserv-mbox",
    "ml-numpy-discussion",
    "discourse-askci",
    "se-ai",
    "se-beer-meta",
    "se-conlang-meta",
    "se-french-meta",
    "se-history-meta",
}


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return load_labels()


def test_the_labelled_file_holds_at_least_2500_distinct_messages(
    labelled: list[Labelled],
) -> None:
    assert len(labelled) >= 2500
    assert len({item.id for item in labelled}) == len(labelled)


def test_the_labelled_file_stores_ids_and_labels_but_no_message_text() -> None:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["id", "folder", "thread_start", "label", "note", "split"]
        notes = [row["note"] for row in reader]
    assert max(len(note) for note in notes) <= 80


def test_every_source_folder_is_labelled(labelled: list[Labelled]) -> None:
    assert {item.folder for item in labelled} == FOLDERS


def test_every_kind_is_labelled_at_least_ten_times(labelled: list[Labelled]) -> None:
    counts = Counter(item.label for item in labelled)
    assert {kind: counts[kind] >= 10 for kind in Kind} == dict.fromkeys(Kind, True)


def test_the_file_fixes_a_forty_percent_held_out_part_of_every_kind(
    labelled: list[Labelled],
) -> None:
    dev, test = split(labelled)
    again_dev, again_test = split(list(reversed(labelled)))
    assert [i.id for i in dev] == [i.id for i in again_dev]
    assert [i.id for i in test] == [i.id for i in again_test]
    assert {i.id for i in test} == {i.id for i in labelled if i.part == "test"}
    assert not {i.id for i in dev} & {i.id for i in test}
    assert len(dev) + len(test) == len(labelled)
    total = Counter(i.label for i in labelled)
    held = Counter(i.label for i in test)
    for kind in Kind:
        assert abs(held[kind] / total[kind] - 0.4) <= 0.1, kind
    assert abs(len(test) / len(labelled) - 0.4) <= 0.02


def test_without_a_split_column_the_seed_draws_a_stratified_held_out_part(
    labelled: list[Labelled],
) -> None:
    unsplit = [Labelled(i.id, i.folder, i.thread_start, i.label) for i in labelled]
    held = Counter(i.label for i in split(unsplit)[1])
    total = Counter(i.label for i in unsplit)
    for kind in Kind:
        assert abs(held[kind] - 0.4 * total[kind]) <= 1, kind
    assert {i.id for i in split(unsplit, seed=1)[1]} != {i.id for i in split(unsplit)[1]}


def test_scores_on_a_small_hand_made_case_are_right() -> None:
    q, r, b = Kind.QUESTION, Kind.REPLY, Kind.BROADCAST
    # three questions (two found, one called a reply), two replies (one called a question),
    # one broadcast found
    scores = score([(q, q), (q, q), (q, r), (r, r), (r, q), (b, b)])
    by_kind = {c.kind: c for c in scores.per_class}
    assert by_kind[q].precision == pytest.approx(2 / 3)
    assert by_kind[q].recall == pytest.approx(2 / 3)
    assert by_kind[q].f1 == pytest.approx(2 / 3)
    assert by_kind[r].precision == pytest.approx(1 / 2)
    assert by_kind[r].recall == pytest.approx(1 / 2)
    assert (by_kind[b].precision, by_kind[b].recall, by_kind[b].f1) == (1.0, 1.0, 1.0)
    assert by_kind[q].support == 3
    assert by_kind[r].support == 2
    assert by_kind[b].support == 1
    assert by_kind[Kind.OTHER].precision is None
    assert by_kind[Kind.OTHER].support == 0
    assert scores.confusion[q][r] == 1
    assert scores.confusion[r][q] == 1
    assert scores.accuracy == pytest.approx(4 / 6)
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 1.0) / 3)


def test_a_kind_that_is_predicted_but_never_right_scores_zero() -> None:
    scores = score([(Kind.REPLY, Kind.OTHER)])
    other = next(c for c in scores.per_class if c.kind is Kind.OTHER)
    assert (other.precision, other.recall, other.f1) == (0.0, None, None)


def test_a_bad_label_is_refused_naming_its_row(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    bad.write_text("id,folder,thread_start,label,note\nx,se-ai,true,rant,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels.csv:2: label"):
        load_labels(bad)


def test_the_metrics_section_replaces_only_its_own_part(tmp_path: Path) -> None:
    doc = tmp_path / "metrics.md"
    doc.write_text(f"# Metrics\n\nkeep me\n\n{DOC_START}\nold\n{DOC_END}\n\n## After\n")
    write_doc_section(doc, f"{DOC_START}\nnew\n{DOC_END}\n")
    text = doc.read_text()
    assert "keep me" in text
    assert "## After" in text
    assert "new" in text
    assert "old" not in text
    write_doc_section(doc, f"{DOC_START}\nnewer\n{DOC_END}\n")
    assert doc.read_text().count(DOC_START) == 1


def test_throughput_times_at_least_the_minimum_number_of_messages() -> None:
    items = [Labelled("a", "f", True, Kind.QUESTION), Labelled("b", "f", False, Kind.REPLY)]
    calls: list[bool] = []

    def counting(text: str, *, is_thread_start: bool, by_thread_starter: bool) -> Classification:
        calls.append(is_thread_start)
        return Classification(Kind.OTHER, 0.0)

    texts = {"a": LabelledText("x"), "b": LabelledText("y", by_thread_starter=True)}
    rate, timed = throughput(items, texts, minimum=101, classifier=counting)
    assert timed == len(calls) == 102
    assert rate > 0


@pytest.mark.data
def test_every_labelled_id_resolves_to_a_message_in_the_data(
    data_dir: Path, labelled: list[Labelled]
) -> None:
    texts = fetch_texts(data_dir, labelled)
    assert set(texts) == {item.id for item in labelled}
    follow_ups = [texts[item.id] for item in labelled if not item.thread_start]
    by_starter = sum(found.by_thread_starter for found in follow_ups)
    assert 0 < by_starter < len(follow_ups), "some follow-ups, not all, are by their starter"


@pytest.mark.data
def test_an_unknown_id_is_reported_missing(data_dir: Path) -> None:
    ghost = Labelled(
        "slack:houstondatavis:general:0.000000", "slack-houstondatavis", True, Kind.OTHER
    )
    with pytest.raises(KeyError, match="1 labelled ids not found"):
        fetch_texts(data_dir, [ghost])
