"""The abstention fit's choice of kernel width by council cross-validation, on made-up
evidence (no index, no model)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.calibrate_abstention import SMOOTHS
from bench.fit_abstention import (
    CS,
    SHARE,
    SIGNS,
    Case,
    _draws,
    _logistic,
    _regress,
    _signed_logistic,
    capped_pieces,
    choose_c,
    fewest,
    fit,
    fit_capped,
    fit_rows,
    mistakes_by_smooth,
    nested,
    switched,
    to_data,
    write,
)
from qa_service.abstention import ANSWERED, BASE_FEATURES, FEATURES, WEAK, Evidence, Model
from qa_service.abstention_value import Readings


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
            # the switchable pieces left at 0, as the service gathers them switched off
            values = [rng.gauss(centre, 0.1) for _ in BASE_FEATURES]
            group = (f"council {council}",)
            cases.append(Case("made-up", answerable, Evidence(*values), values[0], None, group))
            groups.append(group)
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
    lr = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000, tol=1e-10)
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
    assert fit(cases, bags=0, c=1.0) == fit_rows(cases, [], SHARE)


def test_bagging_averages_the_bootstrap_fits() -> None:
    """The bagged coefficients are the mean of the regressions on the bootstrap samples
    the seed draws; standardisation stays that of every case."""
    cases, _ = _cases(6)
    bagged = fit(cases, bags=8, seed=3, c=1.0)
    single = fit(cases, bags=0, c=1.0)
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


def test_a_switchable_piece_leaves_the_draws_as_they_were() -> None:
    """The bags are drawn keyed on the pieces every fit weighs: a case whose switchable piece
    (``Evidence.outcome_planned``) is set draws as it did with the piece off."""
    cases, _ = _cases(8)
    counts = _draws(cases, 20, 0)
    on = [
        replace(c, evidence=replace(c.evidence, outcome_planned=1.0))
        for c in cases
        if c.evidence is not None
    ]
    assert len(on) == len(cases) and (_draws(on, 20, 0) == counts).all()
    assert cases[0].evidence != on[0].evidence


def test_readings_are_switched_by_name() -> None:
    assert switched(Readings(), "planned=on,measure=off") == Readings(planned=True)
    assert switched(Readings(planned=True), "") == Readings(planned=True)
    with pytest.raises(SystemExit):
        switched(Readings(), "plans=on")


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


def test_the_l2_strength_is_chosen_by_council_folds() -> None:
    """Without a C the fit takes the one with the smallest out-of-fold log loss across the
    cases' own councils; well-separated made-up classes want the weakest penalty."""
    cases, _ = _cases(9)
    chosen = choose_c(cases)
    assert chosen in CS
    assert chosen == max(CS)
    assert fit(cases, bags=4) == fit(cases, bags=4, c=chosen)
    assert fit(cases, bags=4) != fit(cases, bags=4, c=1.0)
    # no councils to fold over: C 1, as before
    assert choose_c([replace(c, councils=()) for c in cases]) == 1.0


def test_averaging_the_probabilities_keeps_every_bag() -> None:
    cases, _ = _cases(10)
    model = fit(cases, bags=6, seed=1, c=1.0, average="probability")
    assert len(model.bags) == 6
    e = cases[0].evidence
    assert e is not None
    z = (e.vector() - np.asarray(model.mean)) / np.asarray(model.scale)
    each = [1 / (1 + np.exp(-(z @ np.asarray(w) + b))) for w, b in model.bags]
    assert model.probability(e) == pytest.approx(float(np.mean(each)))
    # the coefficients shown are the bags' mean; the probability is not the mean line's
    assert model.coef == pytest.approx(tuple(np.mean([w for w, _ in model.bags], axis=0)))
    # stored and read back as the service reads it
    again = Model.from_data(to_data(model))
    assert again.probability(e) == pytest.approx(model.probability(e), abs=1e-5)
    assert "bags" not in to_data(fit(cases, bags=6, seed=1, c=1.0))


def test_signs_keep_each_coefficient_on_its_side() -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(300, len(FEATURES)))
    truth = np.asarray([-SIGNS.get(name, 1) for name in FEATURES], dtype=np.float64)
    y = x @ truth + rng.normal(size=300) > 0  # every known sign the wrong way round
    weight = rng.uniform(0.5, 2.0, 300)
    coef, _ = _signed_logistic(x, y, weight, 1.0)
    for name, value in zip(FEATURES, coef, strict=True):
        assert SIGNS.get(name, 0) * value >= 0
    # signs already right: the unconstrained fit
    y_right = x @ -truth + rng.normal(size=300) > 0
    free, b_free = _logistic(x, y_right, weight, 1.0)
    signed, b_signed = _signed_logistic(x, y_right, weight, 1.0)
    assert signed == pytest.approx(free, abs=1e-8)
    assert b_signed == pytest.approx(b_free, abs=1e-8)


def test_the_stored_model_carries_the_readings_switched_from_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.abstention_value as abstention_value

    cases, _ = _cases(0)
    model = fit(cases, bags=0, c=1.0)
    # the defaults (the stored fit itself may switch readings on: stop 26's period and plan)
    monkeypatch.setattr(abstention_value, "STORED", Readings())
    assert to_data(model)["readings"] == {}
    monkeypatch.setattr(abstention_value, "STORED", Readings(planned=True))
    assert to_data(model)["readings"] == {"planned": True}
    assert Model.from_data(to_data(model)).answer_at == pytest.approx(model.answer_at, abs=1e-6)


def test_a_written_fit_with_a_reading_on_is_python_that_reads_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``--write`` with ``--readings planned=on`` once wrote JSON's ``true`` into the module,
    which then failed to import."""
    import qa_service.abstention_value as abstention_value

    cases, _ = _cases(0)
    model = fit(cases, bags=2, c=1.0)
    monkeypatch.setattr(abstention_value, "STORED", Readings(planned=True))
    target = tmp_path / "fit.py"
    write(model, target)
    namespace: dict[str, Any] = {}
    exec(compile(target.read_text(encoding="utf-8"), str(target), "exec"), namespace)
    assert namespace["FITTED"] == to_data(model)
    assert namespace["FITTED"]["readings"] == {"planned": True}


def test_a_capped_check_is_fitted_without_and_caps_the_state_where_it_fires() -> None:
    """An answer check read as a cap (stop 26): the model is the fit without the piece (its
    coefficient 0, every other number as the plain fit's), and where the piece fires an
    answer is at best a weak match."""
    cases, _ = _cases(3)
    # the check fires on a few answerable and unanswerable cases alike
    fired = [
        replace(c, evidence=replace(c.evidence, plan_only=1.0))
        if i % 5 == 0 and c.evidence is not None
        else c
        for i, c in enumerate(cases)
    ]
    plain = fit(cases, bags=4)
    model = fit_capped(fired, ("plan_only",), bags=4)
    assert model.caps == ("plan_only",)
    assert model.coef == plain.coef and model.answer_at == plain.answer_at
    answered = next(
        c for c in cases if c.evidence is not None and plain.state(c.evidence) == ANSWERED
    )
    assert answered.evidence is not None
    assert model.state(answered.evidence) == ANSWERED
    assert model.state(replace(answered.evidence, plan_only=1.0)) == WEAK
    assert to_data(model)["caps"] == ["plan_only"]
    assert Model.from_data(to_data(model)).caps == ("plan_only",)


def test_caps_are_named_by_their_readings() -> None:
    assert capped_pieces("plan, period") == ("plan_only", "other_period")
    assert capped_pieces("") == ()
    with pytest.raises(SystemExit):
        capped_pieces("planned")
