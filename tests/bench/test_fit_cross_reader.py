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


def test_the_batches_are_the_consumed_ones_never_the_held_out_pair() -> None:
    stems = {p.stem for p in fit_cross_reader.BATCHES}
    assert stems == {f"ask_heldout_{k}{n}" for k in ("real", "fict") for n in range(1, 6)}
    assert all(p.exists() for p in fit_cross_reader.BATCHES)


def test_a_near_miss_gives_every_top_sentence_as_a_negative() -> None:
    run = Run(None, [["the target is 100,000 trees by 2025", "planting began"]], [[False, False]])
    row = Row("ask_heldout_real1", "how many trees were planted", False, ("a",), 0.5, {}, run)
    pairs = training_pairs([row])
    assert [p.label for p in pairs] == [False, False]
    assert {p.key for p in pairs} == {pair_key(row.question, t) for t in run.sentences[0]}


def test_batch_rows_are_counted_apart_from_the_sets_and_per_batch() -> None:
    def row(name: str, answerable: bool) -> Row:
        return Row(name, "q", answerable, ("a",), 0.5, {}, Run(None))

    rows = [
        row("real-dev-set", False),
        row("real-dev-set", True),
        row("ask_heldout_real1", False),
        row("ask_heldout_real1", True),
        row("ask_heldout_fict2", False),
    ]
    states = ["weak_match", "answered", "not_in_papers", "weak_match", "answered"]
    assert fit_cross_reader.pooled("ask_heldout_fict2") == "batches"
    assert fit_cross_reader.caught_refused(rows, states, "real-dev-set") == "1/1, 0/1"
    assert fit_cross_reader.caught_refused(rows, states, "batches") == "1/2, 1/1"
    assert fit_cross_reader.caught_refused(rows, states, "ask_heldout_fict2") == "0/1, 0/0"
