"""bench/fit_trend_chooser.py: a pairwise fit learns what tells a meeting's gold figure from
the reader's, a margin keeps the reader's own, and meetings with nothing to choose are not
trained on."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bench import fit_trend_chooser as F


def _cand(key: str, reader: bool, own: float) -> dict[str, Any]:
    x = [0.0] * len(F.FEATURES)
    x[F.FEATURES.index("reader")] = float(reader)
    x[F.FEATURES.index("own_named")] = own
    return {"key": (key, 1.0), "x": x}


def _question(gold_own: float, reader_own: float) -> dict[str, Any]:
    return {
        "file": "f",
        "id": "q",
        "council": "c",
        "gold": [("gold", 1.0)],
        "meetings": [
            {
                "meeting": ("c", "2024-01-01"),
                "reader": ("wrong", 1.0),
                "cands": [_cand("wrong", True, reader_own), _cand("gold", False, gold_own)],
            }
        ],
    }


def test_pairwise_fit_learns_the_telling_feature() -> None:
    data = [_question(1.0, 0.2), _question(0.8, 0.1), _question(0.9, 0.3)]
    cols = [F.FEATURES.index("own_named")]
    groups = [g for gs in F.groups_of(data).values() for g in gs]
    w = F._train(groups, cols, 0.1)
    assert w[0] > 0
    assert F.counts(data[0], None, cols) == (1, 1, 0)  # the reader's own: wrong
    assert F.counts(data[0], w, cols, 0.0) == (1, 1, 1)  # the chooser's: the gold figure
    # a margin the chooser's score does not pass keeps the reader's figure
    assert F.counts(data[0], w, cols, math.inf) == (1, 1, 0)
    assert F.counts(data[0], w, cols, float(w[0]) * 2) == (1, 1, 0)


def test_meetings_with_nothing_to_choose_are_not_trained_on() -> None:
    q = _question(1.0, 0.2)
    q["gold"] = [("gold", 1.0), ("wrong", 1.0)]  # every candidate right
    assert F.groups_of([q])["f:q"] == []
    q["gold"] = [("else", 1.0)]  # none right
    assert F.groups_of([q])["f:q"] == []
    x, y = F.groups_of([_question(1.0, 0.2)])["f:q"][0]
    assert isinstance(x, np.ndarray) and list(y) == [0.0, 1.0]


def test_out_of_fold_keeps_the_reader_where_a_fold_learns_nothing() -> None:
    data = [_question(1.0, 0.2), _question(0.8, 0.1)]
    data[1]["council"] = "d"
    cols = [F.FEATURES.index("own_named")]
    reader, chooser, _ = F.evaluate(data, "council", cols, 1.0, None)
    assert reader == (2, 2, 0)
    assert chooser[2] >= reader[2]
