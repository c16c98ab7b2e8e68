"""The second stage's fit of a weight together with a setting, across councils, on made-up
candidates (no index, no model)."""

from __future__ import annotations

from bench.fit_rerank import Case, fit_choices
from qa_service.rerank import Features, Weights


def _case(hit: tuple[float, float], miss: tuple[float, float]) -> Case:
    """Two candidates, (passage cosine, sentence cosine) each; the first one hits."""
    return Case("made-up", [Features(0.0, *hit), Features(0.0, *miss)], [True, False])


def test_the_pair_is_fitted_without_the_held_out_council() -> None:
    # Councils 1-3: the hit wins under the setting at 1, or at 0 once sentences weigh 0.5.
    # Council 0: the hit wins only under the setting at 0 with sentences weighed.
    groups = [(f"council {c}",) for c in range(4) for _ in range(3)]
    at_zero = [_case((0.5, 0.5), (0.6, 0.2)) for _ in groups]
    at_one = [_case((0.5, 0.2), (0.6, 0.2)) for _ in range(3)] + [
        _case((0.7, 0.2), (0.6, 0.2)) for _ in range(9)
    ]
    runs = {0.0: at_zero, 1.0: at_one}
    choices = [(s, w) for s in (0.0, 1.0) for w in (0.0, 0.5)]
    chosen, oof, picked = fit_choices(runs, groups, choices, Weights(), "sentence")
    assert chosen == (0.0, 0.5)  # every question first, in-sample
    # without council 0, the smaller weight under the setting at 1 does as well
    assert picked[:3] == [(1.0, 0.0)] * 3 and oof[:3] == [2, 2, 2]
    assert oof[3:] == [1] * 9


def test_ties_go_to_the_smallest_or_the_middle_weight() -> None:
    # one council, one question: the hit wins at every sentence weight above 0.25
    groups = [("council 0",)]
    runs = {None: [_case((0.5, 0.5), (0.6, 0.1))]}
    choices = [(None, w) for w in (0.0, 0.5, 0.75, 1.0, 1.5)]
    assert fit_choices(runs, groups, choices, Weights(), "sentence")[0] == (None, 0.5)
    middle = fit_choices(runs, groups, choices, Weights(), "sentence", ties="middle")
    assert middle[0] == (None, 0.75)  # the middle of 0.5, 0.75, 1.0 and 1.5 (the lower)
