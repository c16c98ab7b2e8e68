"""The abstention fit's choice of kernel width by council cross-validation, on made-up
evidence (no index, no model)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.calibrate_abstention import SMOOTHS
from bench.fit_abstention import (
    SHARE,
    Case,
    _draws,
    _regress,
    fewest,
    fit,
    fit_rows,
    mistakes_by_smooth,
    nested,
)
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
    counted, smoothed = fit(cases, 0.0, bags=4), fit(cases, 1.0, bags=4)
    assert counted.coef == smoothed.coef  # the regression is the same; only the cuts differ
    assert 0.0 < smoothed.weak_at <= smoothed.answer_at < 1.0


def test_each_width_is_scored_out_of_fold() -> None:
    cases, groups = _cases(1)
    wrong = mistakes_by_smooth(cases, groups, bags=0)
    assert set(wrong) == set(SMOOTHS)
    assert all(0 <= n <= len(cases) for n in wrong.values())


def test_fewest_breaks_ties_towards_the_smaller_width() -> None:
    assert fewest({0.0: 5, 0.5: 4, 1.0: 4, 2.0: 6}) == 0.5


def test_nested_gives_one_state_per_case() -> None:
    cases, groups = _cases(2)
    states = nested(cases, groups, bags=0)
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


def test_no_bags_is_the_single_regression() -> None:
    cases, _ = _cases(5)
    assert fit(cases, bags=0) == fit_rows(cases, [], SHARE)


def test_bagging_averages_the_bootstrap_fits() -> None:
    """The bagged coefficients are the mean of the regressions on the bootstrap samples
    the seed draws; standardisation stays that of every case."""
    cases, _ = _cases(6)
    bagged = fit(cases, bags=8, seed=3)
    single = fit(cases, bags=0)
    mean, scale = np.asarray(single.mean), np.asarray(single.scale)
    counts = _draws(cases, 8, 3)
    coefs = []
    for bag in range(8):
        drawn = [c for c, n in zip(cases, counts[:, bag], strict=True) for _ in range(n)]
        coefs.append(_regress(drawn, [], SHARE, mean, scale)[0])
    assert bagged.coef == pytest.approx(tuple(np.mean(coefs, axis=0)), abs=1e-9)
    assert (bagged.mean, bagged.scale) == (single.mean, single.scale)
    assert bagged.coef != single.coef


def test_a_cases_draws_do_not_depend_on_the_others() -> None:
    cases, _ = _cases(8)
    counts = _draws(cases, 20, 0)
    assert (_draws(cases[5:], 20, 0) == counts[5:]).all()
    assert (_draws(cases, 20, 1) != counts).any()  # another seed, other draws
    assert 0.8 < counts.mean() < 1.2  # Poisson(1): the bootstrap's counts


def test_one_question_moves_the_bagged_cut_less() -> None:
    """Dropping one question at a time: the bagged fit's answer cut moves less, on average,
    than the single regression's."""
    cases, _ = _cases(7)
    cases = cases[:72]

    def moved(bags: int) -> float:
        full = fit(cases, bags=bags).answer_at
        cuts = [fit(cases[:i] + cases[i + 1 :], bags=bags).answer_at for i in range(0, 72, 3)]
        return float(np.mean([abs(cut - full) for cut in cuts]))

    assert moved(50) < moved(0)
