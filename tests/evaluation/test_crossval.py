"""Tests for evaluation.crossval: folds by council, and fits that never see their fold."""

from __future__ import annotations

import pytest

from evaluation.crossval import NO_COUNCIL, folds, out_of_fold, question_councils
from evaluation.questions import GoldEntry, Question

COUNCILS = {"a.txt": "Alpha", "b.txt": "Beta", "c.txt": "Gamma"}


def q(gold: list[str], text: str = "what?", filters: dict[str, str] | None = None) -> Question:
    entries = [GoldEntry(f, "some evidence") for f in gold]
    return Question("id", text, "factoid" if gold else "unanswerable", filters or {}, entries, "")


def test_question_councils_from_gold_then_filters_then_words() -> None:
    assert question_councils(q(["b.txt", "a.txt", "b.txt"]), COUNCILS) == ("Beta", "Alpha")
    assert question_councils(q([], filters={"council": "Gamma"}), COUNCILS) == ("Gamma",)
    named = question_councils(q([], "alpha's bins"), COUNCILS, lambda t: ["Alpha"])
    assert named == ("Alpha",)
    assert question_councils(q([]), COUNCILS) == (NO_COUNCIL,)
    assert question_councils(q([]), COUNCILS, set_name="s2") == (f"s2: {NO_COUNCIL}",)


def test_out_of_fold_fits_without_any_question_of_the_held_out_council() -> None:
    items = [1, 2, 3, 4, 5]
    groups = [("A",), ("A",), ("B",), ("C", "A"), ("B",)]
    seen: dict[int, list[int]] = {}

    def fit(training: list[int]) -> list[int]:
        return training

    def apply(training: list[int], item: int) -> int:
        seen[item] = training
        return sum(training)

    out = out_of_fold(items, groups, fit, apply)
    # fold A: item 4 touches A too, so it is left out of A's fit
    assert seen[1] == seen[2] == [3, 5]
    assert seen[3] == seen[5] == [1, 2, 4]
    assert seen[4] == [1, 2, 3, 5]  # fold C
    assert out == [8, 8, 7, 11, 7]
    assert folds(groups) == ["A", "B", "C"]


def test_out_of_fold_needs_one_group_per_item() -> None:
    with pytest.raises(ValueError):
        out_of_fold([1, 2], [("A",)], lambda t: t, lambda t, i: i)
