"""The trend point scorer's fit and cross-validation (``bench/fit_trend_points.py``)."""

from __future__ import annotations

import numpy as np

from bench.fit_trend_points import LABEL_FILES, Question, fit, out_of_fold, rules
from qa_service.trend_points import FEATURES


def test_the_fit_never_reads_a_later_blind_batch() -> None:
    names = [p.name for p in LABEL_FILES]
    assert len(names) == 15 and "trend_heldout15.json" not in names
    assert "trend_heldout16.json" not in names
    assert names[-1] == "trend_heldout14.json"


def test_a_logistic_fit_learns_a_separating_feature() -> None:
    x = np.array([[0.0, 1.0], [0.1, 0.0], [1.0, 1.0], [0.9, 0.0]] * 5)
    y = np.array([0.0, 0.0, 1.0, 1.0] * 5)
    model = fit(x, y)
    coef = model["coef"]
    assert isinstance(coef, list) and coef[0] > 1.0 and abs(coef[1]) < 0.5


def _question(file: str, council: str, right_feature: int) -> Question:
    """Two meetings, each with a right and a wrong candidate; the right one has feature
    ``right_feature`` set."""
    x = np.zeros((4, len(FEATURES)))
    x[[0, 2], right_feature] = 1.0
    keys = [("a.pdf", 1.0), ("a.pdf", 2.0), ("b.pdf", 3.0), ("b.pdf", 4.0)]
    gold = {("a.pdf", 1.0), ("b.pdf", 3.0)}
    return Question(
        file,
        council,
        gold,
        {("a.pdf", 2.0)},
        x,
        np.array([k in gold for k in keys], dtype=float),
        [("c", "2024-01-01"), ("c", "2024-01-01"), ("c", "2025-01-01"), ("c", "2025-01-01")],
        keys,
    )


def test_out_of_fold_scores_each_held_out_file_with_a_fit_on_the_others() -> None:
    at = FEATURES.index("sentence_named")
    questions = [_question(f"f{i}.json", f"c{i % 2}", at) for i in range(4)]
    fitted = out_of_fold(questions, "file")
    assert fitted == {f"f{i}.json": (2, 2, 2) for i in range(4)}
    assert rules(questions, "file")["f0.json"] == (2, 1, 0)
