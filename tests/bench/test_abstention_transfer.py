"""The pure parts of bench/abstention_transfer.py: AUC, separation, kinds, masking."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from bench.abstention_transfer import (
    BATCHES,
    KINDS,
    Row,
    auc,
    feature,
    fires,
    kind_tally,
    masked,
    near_misses,
    separation,
)
from qa_service.abstention import Evidence

LABELS = Path(__file__).resolve().parents[1] / "labels"


def _evidence(cosine: float = 0.5, lacking: float = 0.0) -> Evidence:
    return Evidence(cosine, 0.5, lacking, 0.0, 0.0, 0.0, 1.0, 0.5, 0.0)


def _row(qid: str, answerable: bool, cosine: float) -> Row:
    return Row("blind", "b", qid, "q?", answerable, _evidence(cosine))


@pytest.mark.parametrize(
    ("labels", "values", "expected"),
    [
        ([True, True, False, False], [0.9, 0.8, 0.2, 0.1], 1.0),
        ([True, True, False, False], [0.1, 0.2, 0.8, 0.9], 0.0),
        ([True, False], [0.5, 0.5], 0.5),
        ([True, True, False], [0.9, 0.1, 0.5], 0.5),
    ],
)
def test_auc_counts_pairs_and_half_ties(
    labels: list[bool], values: list[float], expected: float
) -> None:
    assert auc(labels, values) == pytest.approx(expected)


def test_auc_of_one_class_is_nan() -> None:
    assert math.isnan(auc([True, True], [0.1, 0.2]))


def test_separation_gives_medians_by_class_and_skips_rows_without_evidence() -> None:
    rows = [_row("a", True, 0.9), _row("b", True, 0.7), _row("c", False, 0.3)]
    rows.append(Row("blind", "b", "d", "q?", False, None))
    got = separation(rows, feature("cosine"))
    assert (got.median_answerable, got.median_unanswerable, got.auc) == (0.8, 0.3, 1.0)


def test_kind_tally_counts_caught_unanswerables_per_kind() -> None:
    rows = [_row("u1", False, 0.1), _row("u2", False, 0.9), _row("u3", False, 0.2)]
    rows.append(_row("a1", True, 0.1))  # answerable rows are not tallied
    tally = kind_tally(
        rows,
        lambda r: r.evidence is not None and r.evidence.cosine < 0.5,
        {"u1": "plan", "u2": "plan"},
    )
    assert tally == {"plan": (1, 2), "untagged": (1, 1)}


def test_masked_zeroes_only_the_dropped_pieces() -> None:
    ev = _evidence(cosine=0.7, lacking=0.3)
    got = masked(ev, ("lacking",))
    assert got is not None and got.lacking == 0.0 and got.cosine == 0.7
    assert masked(None, ("lacking",)) is None
    assert masked(ev, ()) is ev


def test_every_blind_unanswerable_is_tagged_with_a_known_kind() -> None:
    unanswerable = {
        row["id"]
        for path in (LABELS / name for name in BATCHES)
        for row in map(json.loads, filter(str.strip, path.read_text().splitlines()))
        if not row.get("gold")
    }
    assert set(KINDS) == unanswerable
    assert set(KINDS.values()) <= {"measure", "plan", "event", "year", "thing"}


def test_fires_counts_rows_with_evidence_only() -> None:
    rows = [_row("a", True, 0.9), _row("b", False, 0.3), Row("blind", "b", "c", "q?", False, None)]
    assert fires(rows, lambda e: e.cosine > 0.5) == "1/2"


def test_near_misses_keeps_answerable_and_close_unanswerable_cases() -> None:
    from bench.fit_abstention import Case

    far, close = _evidence(), replace(_evidence(), agreeing=1.5)
    cases = [Case("s", True, far, 0.0), Case("s", False, far, 0.0), Case("s", False, close, 0.0)]
    assert near_misses(cases, 1.2) == [cases[0], cases[2]]
