"""bench/fit_trend_knobs.py: each fold is scored with the combination chosen on the other
folds only, the reader's own kept on a tie, and a knob's grid leads with the reader's own."""

from __future__ import annotations

from bench.fit_trend_knobs import Combo, Counts, choose, f1, out_of_fold, parse_knob


def test_f1_of_points() -> None:
    assert f1((10, 10, 5)) == 0.5
    assert f1((0, 0, 0)) == 0.0


def test_a_knob_s_grid_leads_with_the_reader_s_own_value() -> None:
    module, name, values = parse_knob("qa_service.trend_sentence.WINDOW=3,8,12")
    assert (module, name) == ("qa_service.trend_sentence", "WINDOW")
    assert values == [8, 3.0, 12.0]


def test_a_tie_keeps_the_first_combination() -> None:
    table: dict[Combo, dict[str, Counts]] = {(0.5,): {"a": (2, 2, 1)}, (0.6,): {"a": (2, 2, 1)}}
    assert choose(table, ["a"], [(0.5,), (0.6,)]) == (0.5,)


def test_each_fold_is_scored_with_the_choice_of_the_others() -> None:
    # council A is best at 0.6, council B at 0.5: each is scored with the other's best
    table: dict[Combo, dict[str, Counts]] = {
        (0.5,): {"a": (4, 4, 1), "b": (4, 4, 4)},
        (0.6,): {"a": (4, 4, 4), "b": (4, 4, 1)},
    }
    total, picked = out_of_fold(table, {"A": ["a"], "B": ["b"]}, [(0.5,), (0.6,)])
    assert picked == {"A": (0.5,), "B": (0.6,)}
    assert total == (8, 8, 2)
