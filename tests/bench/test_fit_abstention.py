"""The abstention fit's choice of kernel width by council cross-validation, on made-up
evidence (no index, no model)."""

from __future__ import annotations

import random

from bench.calibrate_abstention import SMOOTHS
from bench.fit_abstention import Case, fewest, fit, mistakes_by_smooth, nested
from qa_service.abstention import ANSWERED, FEATURES, Evidence


def _cases(seed: int) -> tuple[list[Case], list[tuple[str, ...]]]:
    """Six councils of answerable questions with high cosines and agreeing candidates, and
    unanswerable ones low, overlapping a little."""
    rng = random.Random(seed)
    cases: list[Case] = []
    groups: list[tuple[str, ...]] = []
    for council in range(6):
        for i in range(24):
            answerable = i % 4 != 0
            centre = 0.7 if answerable else 0.5
            values = [rng.gauss(centre, 0.1) for _ in FEATURES]
            cases.append(Case("made-up", answerable, Evidence(*values), values[0]))
            groups.append((f"council {council}",))
    return cases, groups


def test_fit_takes_the_width() -> None:
    cases, _ = _cases(0)
    counted, smoothed = fit(cases, 0.0), fit(cases, 1.0)
    assert counted.coef == smoothed.coef  # the regression is the same; only the cuts differ
    assert 0.0 < smoothed.weak_at <= smoothed.answer_at < 1.0


def test_each_width_is_scored_out_of_fold() -> None:
    cases, groups = _cases(1)
    wrong = mistakes_by_smooth(cases, groups)
    assert set(wrong) == set(SMOOTHS)
    assert all(0 <= n <= len(cases) for n in wrong.values())


def test_fewest_breaks_ties_towards_the_smaller_width() -> None:
    assert fewest({0.0: 5, 0.5: 4, 1.0: 4, 2.0: 6}) == 0.5


def test_nested_gives_one_state_per_case() -> None:
    cases, groups = _cases(2)
    states = nested(cases, groups)
    assert len(states) == len(cases)
    caught = sum(s != ANSWERED for s, c in zip(states, cases, strict=True) if not c.answerable)
    assert caught > 0
