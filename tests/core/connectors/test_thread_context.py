"""The message readers tell the classifier where a message was written, not only its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from cultivate.core.activity import Activity
from cultivate.core.connectors import detect_and_read
from cultivate.core.language import classify
from cultivate.core.language.model import features
from cultivate.tools.classifier_evaluation import classified_text


def _follow_ups_with_their_starter(activities: list[Activity]) -> list[tuple[Activity, bool]]:
    authors = {a.object_id: a.actor for a in activities}
    return [
        (a, authors.get(a.parent_id) == a.actor)
        for a in activities
        if a.parent_id is not None and a.text and "confidence" in a.meta and "kind" in a.meta
    ]


def test_a_follow_up_by_the_thread_starter_is_a_feature_of_its_own() -> None:
    text = "Thanks, that fixed it. One more thing: does it work on Windows too?"
    starter = features(text, is_thread_start=False, by_thread_starter=True)
    other = features(text, is_thread_start=False, by_thread_starter=False)
    opening = features(text, is_thread_start=True, by_thread_starter=True)
    assert starter is not None
    assert other is not None
    assert opening is not None
    assert starter["by starter"] == 1.0
    assert "by starter" not in other
    assert starter["ends asking:follow:starter"] == 1.0
    assert any(name.endswith(":starter") and name.startswith("rule:") for name in starter)
    assert "by starter" not in opening, "an opening message has no thread starter before it"


@pytest.mark.data
@pytest.mark.parametrize(
    "folder", ["slack-houstondatavis", "slack-api-julialang", "ml-3gpp-listserv-mbox"]
)
def test_real_follow_ups_are_classified_knowing_whether_the_thread_starter_wrote_them(
    data_dir: Path, folder: str
) -> None:
    activities = [a for batch in detect_and_read(data_dir / folder) for a in batch]
    follow_ups = _follow_ups_with_their_starter(activities)
    by_starter = [a for a, starter in follow_ups if starter]
    assert by_starter, f"{folder} has follow-ups written by their thread's starter"
    telling = 0
    for activity, starter in follow_ups:
        text = classified_text(activity.text or "", activity.meta, activity.source == "mail")
        told = classify(text, is_thread_start=False, by_thread_starter=starter)
        untold = classify(text, is_thread_start=False, by_thread_starter=not starter)
        assert (activity.meta["kind"], activity.meta["confidence"]) == (
            told.kind.value,
            told.confidence,
        ), activity.id
        telling += told != untold
    assert telling, "knowing the starter changes how some real follow-up is read"
