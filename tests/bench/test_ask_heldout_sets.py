"""Which set's index a blind ask question goes to (bench/ask_heldout.py): made-up manifests,
no index, no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.ask_heldout import Where, assign, set_of
from evaluation.questions import GoldEntry, Question

WHERE = Where(
    set_of_file={"a.pdf": "dev-set", "b.txt": "dev-set-2", "c.txt": "real-dev-set"},
    sets_of_council={
        "Northmoor County Council": {"dev-set"},
        "Kelsworth Metropolitan Borough Council": {"dev-set-2"},
        "London Borough of Hillingdon": {"real-dev-set"},
    },
)


def _q(qid: str, text: str, gold: tuple[str, ...] = (), council: str | None = None) -> Question:
    filters = {"council": council} if council else {}
    qtype = "factoid" if gold else "unanswerable"
    return Question(qid, text, qtype, filters, [GoldEntry(f, "words") for f in gold], "")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (_q("1", "anything", ("b.txt",), "Northmoor County Council"), "dev-set-2"),  # gold first
        (_q("2", "how many?", council="London Borough of Hillingdon"), "real-dev-set"),
        (_q("3", "kelsworth ehcp timeliness 2019"), "dev-set-2"),  # a council named in words
        (_q("4", "What did Hillingdon's cabinet decide?"), "real-dev-set"),
        (_q("5", "What did the borough council decide?"), None),  # only generic words
        (_q("6", "What did Cardiff Council decide?"), None),  # a council in no corpus
    ],
)
def test_set_of(question: Question, expected: str | None) -> None:
    assert set_of(question, WHERE) == expected


def test_a_question_no_set_claims_goes_to_the_batchs_main_set() -> None:
    batch = [
        _q("a", "x", ("c.txt",)),
        _q("b", "y", ("c.txt",)),
        _q("c", "z", ("a.pdf",)),
        _q("d", "What did Cardiff Council decide?"),
    ]
    assert assign(batch, WHERE) == {
        "a": "real-dev-set",
        "b": "real-dev-set",
        "c": "dev-set",
        "d": "real-dev-set",
    }


def test_papers_in_two_sets_are_refused() -> None:
    with pytest.raises(SystemExit, match="several sets"):
        set_of(_q("x", "q", ("a.pdf", "b.txt")), WHERE)


def test_a_rows_own_set_wins_over_what_its_words_name(tmp_path: Path) -> None:
    from bench.ask_heldout import declared_sets

    batch = tmp_path / "b.jsonl"
    batch.write_text(
        '{"id": "x", "set": "dev-set-2", "question": "Hillingdon?"}\n'
        '{"id": "y", "question": "Hillingdon?"}\n{"id": "z", "set": "nowhere"}\n',
        encoding="utf-8",
    )
    declared = declared_sets(batch)
    assert declared == {"x": "dev-set-2"}
    qs = [_q("x", "What did Hillingdon's cabinet decide?"), _q("y", "Hillingdon?")]
    assert assign(qs, WHERE, declared) == {"x": "dev-set-2", "y": "real-dev-set"}
