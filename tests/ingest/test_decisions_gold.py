"""Decisions, their subjects and procedural flags against the hand labels in tests/labels.

The floors sit a little under the figures measured when the labels were last scored (see
docs/quality.md, ``python -m bench.records_quality``), so a rule change that loses
decisions or subjects fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.records_quality import (
    DECISION_LABELS,
    HELD_OUT_LABELS,
    MORE_COMMITMENTS,
    SHARED,
    match,
    score_commitments,
    score_decisions,
    subject_matches,
)
from ingest.decisions import find_decisions

needs_shared = pytest.mark.skipif(
    not (SHARED / "real-dev-set" / "corpus").is_dir(), reason="../shared is not beside the repo"
)


@needs_shared
@pytest.mark.parametrize(
    ("labels", "precision", "recall", "subject", "procedural"),
    [
        (DECISION_LABELS, 0.97, 0.95, 0.95, 0.95),  # 83 decisions the rules were written against
        (HELD_OUT_LABELS, 0.95, 0.85, 0.90, 0.95),  # 34 marked after the rules were written
    ],
)
def test_decisions_against_hand_labels(
    labels: Path, precision: float, recall: float, subject: float, procedural: float
) -> None:
    s = score_decisions(labels)
    print(f"{labels.name}: P {s.precision:.2f} R {s.recall:.2f} S {s.subject:.2f}")
    assert s.marked >= 30
    assert s.precision >= precision
    assert s.recall >= recall
    assert s.subject >= subject
    assert s.procedural >= procedural


@pytest.mark.parametrize(
    ("found", "item", "title", "right"),
    [
        (("19", "OFSTED INSPECTION - OUTCOME"), "19", "OFSTED INSPECTION - OUTCOME", True),
        (("18", "DECLARATIONS OF INTEREST"), "19", "OFSTED INSPECTION", False),
        (
            (None, "Agenda item: Temporary Accommodation Policy"),
            None,
            "Temporary Accommodation Policy",
            True,
        ),
        (("3", "Minutes"), "3", "Minutes of the meeting held on 10 April 2019", False),
        ((None, None), None, "Work Programme", False),
    ],
)
def test_subject_matches(
    found: tuple[str | None, str | None], item: str | None, title: str, right: bool
) -> None:
    assert subject_matches(found, item, title) is right


def test_match_pairs_each_label_once_and_rejects_missing_quotes() -> None:
    text = "RESOLVED - That the report be noted.\n\nRESOLVED - That the plan be approved."
    found = find_decisions(text)
    marked = [{"quote": "the plan be approved"}, {"quote": "the report be noted"}]
    pairs = match(text, found, marked)
    assert [(m["quote"], d.text[-9:]) for m, d in pairs] == [
        ("the report be noted", "be noted."),
        ("the plan be approved", "approved."),
    ]
    with pytest.raises(ValueError):
        match(text, found, [{"quote": "RESOLVED"}])  # not unique


@needs_shared
def test_commitments_against_hand_labels() -> None:
    """36 commitments marked by hand before the commitment reader was written."""
    s = score_commitments()
    print(f"commitments: P {s.precision:.2f} R {s.recall:.2f}")
    assert s.marked >= 30
    assert s.precision >= 0.82
    assert s.recall >= 0.90
    assert s.due_right >= 0.95 * s.matched
    assert s.committee_right >= 0.95 * s.matched


@needs_shared
def test_commitments_against_the_second_batch_of_labels() -> None:
    """29 more, chosen so that more come back within the sets (docs/quality.md)."""
    s = score_commitments(MORE_COMMITMENTS)
    assert s.marked >= 29
    assert s.precision >= 0.72
    assert s.recall >= 0.90
    assert s.due_right >= 0.85 * s.matched
    assert s.committee_right >= 0.90 * s.matched
