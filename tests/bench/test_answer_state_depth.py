"""bench/answer_state_depth.py: the answer state and first passages at each top_k against
the depth the abstention is fitted at, on the small index with the fake embedder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.answer_state_depth import DepthRow, compare_depths, report
from evaluation.questions import GoldEntry, Question
from index.embedder import HashingEmbedder
from qa_service.config import Settings
from qa_service.retriever import Engine


def _question(qid: str, text: str, gold: list[GoldEntry], **filters: str) -> Question:
    return Question(qid, text, "factoid", dict(filters), gold, "")


QUESTIONS = [
    _question(
        "a",
        "how many contacts were waiting for a MASH decision",
        [GoldEntry("northmoor-cyp-scrutiny-2015-06-23-minutes.txt", "212 contacts")],
    ),
    _question("b", "children missing from care", [], council="Ravensholt City Council"),
    _question("c", "When does the Atlantis library open on Sundays?", []),
]


def test_every_top_k_keeps_the_depths_passages_and_verdict(small_index: Path) -> None:
    # the verdict is weighed on the ten best whatever top_k is (retriever.EVIDENCE_DEPTH),
    # and the first k passages are the depth's first k
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        rows = compare_depths(engine, QUESTIONS, [1, 3, 5, 10], depth=10)
    finally:
        engine.close()
    assert [r.top_k for r in rows] == [1, 3, 5, 10]
    for row in rows:
        assert row.questions == 3
        assert row.same_hits == 3, row
        assert not row.changed, row
    assert report(rows, 10)[0] == "top_k 1: 3/3 same first passages, 0 change state"


def test_the_report_counts_each_kind_of_change() -> None:
    changed = Counter(
        {("answered", "weak", "unanswerable"): 2, ("weak", "answered", "answerable"): 1}
    )
    lines = report([DepthRow(3, 89, 88, changed), DepthRow(5, 89, 89, Counter())], depth=10)
    assert lines == [
        "top_k 3: 88/89 same first passages, 3 change state",
        "  2 unanswerable: answered at top_k 3, weak at 10",
        "  1 answerable: weak at top_k 3, answered at 10",
        "top_k 5: 89/89 same first passages, 0 change state",
    ]
