"""The abstention fit's choice of kernel width by council cross-validation, on made-up
evidence (no index, no model)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.calibrate_abstention import SMOOTHS
from bench.fit_abstention import Case, fewest, fit, fit_rows, mistakes_by_smooth, nested
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


def test_share_zero_is_scikit_learns_balanced_fit() -> None:
    from sklearn.linear_model import LogisticRegression

    cases, _ = _cases(3)
    model = fit_rows(cases, [], 0.0)
    x = np.stack([c.evidence.vector() for c in cases if c.evidence is not None])
    y = np.asarray([c.answerable for c in cases])
    lr = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
    lr.fit((x - np.asarray(model.mean)) / np.asarray(model.scale), y)
    assert model.coef == pytest.approx(tuple(lr.coef_[0]), abs=1e-6)


def test_withheld_rows_teach_the_fit_what_a_near_miss_looks_like() -> None:
    """Answerable questions whose evidence, with the answer withheld, stays high on the
    first feature and drops on the second: the fit with those rows leans on the second
    feature, and a near miss of that shape is judged less likely answered."""
    rng = random.Random(4)
    cases: list[Case] = []
    for i in range(120):
        answerable = i % 3 != 0
        values = [rng.gauss(0.7 if answerable else 0.4, 0.15) for _ in FEATURES]
        held = None
        if answerable:
            near = [rng.gauss(0.7, 0.15), rng.gauss(0.4, 0.15)]
            held = Evidence(*near, *values[2:])
        cases.append(Case("made-up", answerable, Evidence(*values), values[0], held))
    near_miss = Evidence(0.75, 0.35, *[0.6] * (len(FEATURES) - 2))
    plain, taught = fit(cases, share=0.0), fit(cases)
    assert taught.coef[1] > plain.coef[1]
    assert taught.probability(near_miss) < plain.probability(near_miss)
    # standardised and cut on the questions alone
    assert (taught.mean, taught.scale) == (plain.mean, plain.scale)
