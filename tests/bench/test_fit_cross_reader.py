"""The fine-tuned reader's folds of whole councils and its training pairs (no model)."""

from __future__ import annotations

import pytest

from bench import fit_cross_reader
from bench.fit_cross_reader import Row, Run, council_folds, fold_groups, pair_key, training_pairs


def test_folds_keep_councils_whole_and_balanced() -> None:
    groups = [("a",)] * 6 + [("b",)] * 5 + [("c",)] * 3 + [("d",)] * 2 + [("e", "a")]
    of = council_folds(groups, 2)
    assert set(of) == {"a", "b", "c", "d", "e"}
    assert of["a"] != of["b"]  # the two biggest go to different folds
    folded = fold_groups(groups, 2)
    assert folded[-1][0] == f"fold {of['e']}"  # a question's fold is its first council's
    assert len(folded[-1]) == (1 if of["e"] == of["a"] else 2)


def test_one_fold_per_council_with_zero() -> None:
    groups = [("a",), ("b",), ("c",), ("a",)]
    assert len(set(council_folds(groups, 0).values())) == 3


def _row(withheld: Run | None) -> Row:
    run = Run(
        None,
        [
            ["the plan was noted", "it cost £5m", "other"],
            ["cost plan noted", "cost plan", "plan", "nothing", "at all"],
        ],
        [[False, True, False], [False, False, False, False, False]],
    )
    return Row(
        "s", "what did the plan cost", True, ("a",), 0.5, {"plan": 1.0, "cost": 2.0}, run, withheld
    )


def test_pairs_take_every_top_sentence_hard_later_ones_and_withheld(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fit_cross_reader, "READ", 3)
    held = Run(
        None, [["the plan is costed later", "a plan"], ["never read"]], [[False] * 2, [False]]
    )
    pairs = training_pairs([_row(held)])
    keys = {p.key: p.label for p in pairs}
    q = "what did the plan cost"
    assert keys[pair_key(q, "it cost £5m")] is True
    assert keys[pair_key(q, "other")] is False  # every sentence of the top passage
    # of a later passage only the 3 naming most of the question's key-term weight
    assert pair_key(q, "cost plan noted") in keys and pair_key(q, "nothing") not in keys
    assert pair_key(q, "at all") not in keys
    # the withheld run's top passage: every sentence, as negatives
    assert keys[pair_key(q, "a plan")] is False
    assert pair_key(q, "never read") not in keys
    assert len(training_pairs([_row(held)], withheld=False)) == len(pairs) - 2


def test_pairs_read_only_the_top_passage_by_default() -> None:
    keys = {p.key for p in training_pairs([_row(None)])}
    assert keys == {pair_key("what did the plan cost", t) for t in _row(None).run.sentences[0]}
