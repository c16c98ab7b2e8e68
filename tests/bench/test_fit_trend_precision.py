"""Gates on the rules' trend points, chosen out of fold (``bench/fit_trend_precision.py``)."""

from __future__ import annotations

import numpy as np

from bench.fit_trend_precision import (
    LABEL_FILES,
    Point,
    Question,
    confidence_gate,
    counts,
    f_beta,
    fit,
    out_of_fold,
    threshold,
)


def test_the_gates_never_read_the_batch_being_labelled_blind() -> None:
    names = {p.name for p in LABEL_FILES}
    assert "trend_heldout16.json" not in names
    assert "trend_heldout17.json" not in names
    assert "trend_heldout18.json" not in names
    assert "trend_heldout19.json" not in names
    assert "trend_heldout20.json" not in names
    assert "trend_heldout21.json" not in names
    assert "trend_heldout22.json" not in names
    assert "trend_heldout23.json" not in names
    assert "trend_heldout24.json" not in names
    assert "trend_heldout25.json" not in names
    assert "trend_heldout26.json" not in names
    assert "trend_heldout27.json" not in names
    assert "trend_heldout28.json" not in names
    assert "trend_heldout29.json" not in names
    assert len(names) == 16 and "trend_heldout15.json" in names


def _question(file: str, council: str, points: list[tuple[bool, float]], gold: int) -> Question:
    return Question(
        file,
        council,
        gold,
        [Point((f"{file}{i}", 1.0), right, conf, None) for i, (right, conf) in enumerate(points)],
        np.zeros((0, 1)),
        np.zeros(0),
    )


def test_the_threshold_counts_precision_twice_as_much_as_recall() -> None:
    # four right points over 1.5, two right and two wrong under it: F1 would keep all
    # (0.75 precision, 1.0 recall), F0.5 drops the unsure half
    q = _question(
        "a", "A", [(True, 2.0)] * 4 + [(True, 1.0), (True, 1.1), (False, 1.0), (False, 1.1)], 6
    )
    gate = confidence_gate([q])
    at = threshold([q], gate)
    assert at == 2.0
    assert counts([q], gate, at) == (6, 4, 4)
    assert f_beta((6, 4, 4)) > f_beta((6, 8, 6))
    assert f_beta((6, 8, 6), beta=1.0) > f_beta((6, 4, 4), beta=1.0)


def test_out_of_fold_each_file_is_scored_with_a_threshold_chosen_on_the_others() -> None:
    sure = _question("a", "A", [(True, 2.0), (False, 1.0)], 1)
    other = _question("b", "B", [(True, 2.0), (False, 1.0)], 1)
    held = _question("c", "C", [(True, 1.5), (False, 0.5)], 1)
    got = out_of_fold([sure, other, held], "file", confidence_gate)
    assert got["c"] == ((1, 0, 0), 2.0)  # the others' threshold drops its 1.5
    assert got["a"][0] == (1, 1, 1)


def test_a_logistic_fit_learns_a_separating_feature() -> None:
    x = np.array([[0.0], [0.1], [0.9], [1.0]] * 5)
    y = np.array([0.0, 0.0, 1.0, 1.0] * 5)
    m = fit(x, y)
    assert m["coef"][0] > 0
