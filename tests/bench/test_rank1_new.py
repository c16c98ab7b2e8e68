"""bench/rank1_new.py: each rank-1 miss sorted by what won instead, and the general changes
tried on a capture."""

from __future__ import annotations

import numpy as np

from bench.rank1_capture import Cand, Row
from bench.rank1_new import (
    SIGNALS,
    Paper,
    classify,
    earlier_next,
    grid_fit,
    matrices,
    month_named,
    named_months,
    rank_of,
    reshaped,
)
from bench.rank1_within import order
from qa_service.rerank import Features, Weights

PAPERS = {
    "march.txt": Paper("Anytown Council", "Cabinet", "2019-03-04"),
    "march-grants.txt": Paper("Anytown Council", "Cabinet", "2019-03-04"),
    "may.txt": Paper("Anytown Council", "Cabinet", "2019-05-20"),
    "other.txt": Paper("Elsewhere Council", "Cabinet", "2019-05-20"),
}


def _cand(
    source: str, ordinal: int, score: float, hit: bool, text: str = "text", date: str = ""
) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0, coverage=0.0)
    return Cand(0, source, text, "", features, score, hit, 1, 1, 1, False, date or None, ordinal)


def _row(question: str, gold: list[tuple[str, str]], *cands: Cand) -> Row:
    return Row(
        "q1",
        "ask_heldout_real9",
        "real-dev-set",
        question,
        "factoid",
        ("Anytown",),
        gold,
        list(cands),
    )


def _label(row: Row) -> str:
    return classify(row, order(row), PAPERS)


def test_another_passage_of_the_gold_paper_is_told_by_its_place() -> None:
    gold = [("march.txt", "the answer")]
    opening = _row("Q?", gold, _cand("march.txt", 0, 1.0, False), _cand("march.txt", 1, 0.9, True))
    assert _label(opening) == "same paper, before (opening, adjacent)"
    after = _row("Q?", gold, _cand("march.txt", 7, 1.0, False), _cand("march.txt", 3, 0.9, True))
    assert _label(after) == "same paper, after"


def test_evidence_cut_across_two_passages_is_a_split() -> None:
    row = _row(
        "Q?",
        [("march.txt", "the grant was refused because the hall is private")],
        _cand("march.txt", 2, 1.0, False, "Members noted that the grant was refused because"),
        _cand("other.txt", 0, 0.5, False),
    )
    assert _label(row) == "same paper, evidence split"


def test_another_paper_of_the_council_is_told_by_its_meeting() -> None:
    gold = [("march.txt", "x")]
    same = _row(
        "Q?", gold, _cand("march-grants.txt", 0, 1.0, False), _cand("march.txt", 4, 0.5, True)
    )
    assert _label(same) == "same council, same meeting"
    newer = _row("Q?", gold, _cand("may.txt", 0, 1.0, False), _cand("march.txt", 4, 0.5, True))
    assert _label(newer) == "same council, newer meeting"
    older = _row(
        "Q?", [("may.txt", "x")], _cand("march.txt", 0, 1.0, False), _cand("may.txt", 4, 0.5, True)
    )
    assert _label(older) == "same council, older meeting"
    other = _row("Q?", gold, _cand("other.txt", 0, 1.0, False), _cand("march.txt", 4, 0.5, True))
    assert _label(other) == "other council"


def test_months_named_with_their_year_are_read() -> None:
    assert named_months("What did Tintern's 20 May 2019 meeting say, by Feb 2020?") == {
        "2019-05",
        "2020-02",
    }
    assert named_months("What happened in 2019?") == set()
    row = _row(
        "At the 20 May 2019 meeting?",
        [],
        _cand("may.txt", 0, 1.0, False, date="2019-05-20"),
        _cand("march.txt", 0, 1.0, False, date="2019-03-04"),
    )
    assert month_named(row) == [1.0, 0.0]


def test_an_earlier_passage_is_marked_when_its_next_is_a_candidate() -> None:
    row = _row(
        "Q?",
        [],
        _cand("march.txt", 3, 1.0, False),
        _cand("march.txt", 4, 1.0, False),
        _cand("march.txt", 0, 1.0, False),
        _cand("may.txt", 5, 1.0, False),
    )
    # the opening (ordinal 0) is ``opening``'s, not this signal's
    assert earlier_next(row) == [1.0, 0.0, 0.0, 0.0]


def test_the_matrices_rank_as_the_service_orders_and_reshape_coverage_exactly() -> None:
    a = _cand("march.txt", 0, 0.4, False, "The budget was set.")
    b = _cand("march.txt", 1, 0.3, True, "The library budget was cut by £2,000.")
    row = _row("How much was the library budget cut?", [], a, b)
    row.concepts = {("library",): 2.0, ("budget",): 1.0}
    # the captured coverage, as the service computes it
    a.features = Features(fused=0.0, passage=0.4, sentence=0.0, coverage=1 / 3)
    b.features = Features(fused=0.0, passage=0.3, sentence=0.0, coverage=1.0)
    (m,) = matrices([row])
    base = np.array([getattr(Weights(), n) for n in SIGNALS])
    as_shipped, unweighted = reshaped(m, 1.0, 1.0, 1.0), reshaped(m, 0.0, 1.0, 1.0)
    assert as_shipped is not None and np.allclose(as_shipped, [1 / 3, 1.0])
    assert unweighted is not None and np.allclose(unweighted, [0.5, 1.0])
    assert rank_of(m, base) == first_hit_of(row) == 1
    assert rank_of(m, base, extra=np.array([1.0, 0.0])) == 2


def first_hit_of(row: Row) -> int | None:
    ranked = order(row)
    return next((k for k, i in enumerate(ranked, start=1) if row.cands[i].hit), None)


def test_a_tie_keeps_the_first_setting_and_the_fit_is_out_of_fold() -> None:
    a = _cand("march.txt", 0, 0.4, True)
    rows = [_row("Q?", [], a), _row("Q?", [], a)]
    rows[1].group = ("Elsewhere",)
    items = matrices(rows)
    ranks: dict[float, list[int | None]] = {0.0: [1, 1], 0.5: [1, 1], 1.0: [2, 2]}
    chosen, oof = grid_fit(items, [0.0, 0.5, 1.0], ranks)
    assert chosen == 0.0
    assert oof == [1, 1]
