"""The consumed batches as abstention training questions (bench/abstention_pool.py and
bench/fit_abstention.py ``--batches``), on made-up evidence (no index, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.abstention_pool import CONSUMED, load_or_capture
from bench.fit_abstention import Case, _batches, as_cases, main, on_sets
from evaluation.crossval import out_of_fold
from qa_service.abstention import Evidence

EVIDENCE = Evidence(0.6, 0.7, 0.0, 1.0, 0.0, 0.0, 1.3, 0.5, 0.0)


def test_the_consumed_batches_exist_and_leave_the_sealed_pair_out() -> None:
    assert len(CONSUMED) == 8 and all(p.is_file() for p in CONSUMED)
    names = {p.name for p in CONSUMED}
    assert not names & {"ask_heldout_real5.jsonl", "ask_heldout_fict5.jsonl"}


def test_batches_are_fitted_on_only_when_asked() -> None:
    assert _batches(None) == ()
    assert _batches([]) == CONSUMED
    assert _batches([Path("x.jsonl")]) == (Path("x.jsonl"),)


def test_a_capture_is_kept_and_read_back_under_its_key(tmp_path: Path) -> None:
    calls: list[int] = []

    def capture() -> list[tuple[int, ...]]:
        calls.append(1)
        return [(len(calls),)]

    cache = tmp_path / "rows.pkl"
    assert load_or_capture(cache, "readings a", capture) == [(1,)]
    assert load_or_capture(cache, "readings a", capture) == [(1,)]  # read back
    assert load_or_capture(cache, "readings b", capture) == [(2,)]  # another key: captured
    assert len(calls) == 2
    assert load_or_capture(None, "readings a", capture) == [(3,)]  # no cache: always captured


def test_captured_rows_become_cases() -> None:
    rows = [("dev-set", True, EVIDENCE, 0.9, None, ("Wendmere",), "When did ...?")]
    cases, questions = as_cases(rows)
    assert cases == [Case("dev-set", True, EVIDENCE, 0.9, None, ("Wendmere",))]
    assert questions == ["When did ...?"]


def test_a_councils_batch_questions_leave_its_fold_with_its_set_questions() -> None:
    """Leave one council out across sets and batches: the fit that judges a council's
    questions has seen none of that council's questions, from a set or from a batch; fitted
    on the sets alone, it sees no batch question at all."""
    cases = [
        Case("dev-set", True, EVIDENCE, 0.9, None, ("Wendmere",)),
        Case("ask_heldout_fict1", False, EVIDENCE, 0.9, None, ("Wendmere",)),
        Case("dev-set-2", True, EVIDENCE, 0.9, None, ("Kelsworth",)),
        Case("ask_heldout_fict2", False, EVIDENCE, 0.9, None, ("Kelsworth",)),
    ]
    seen: dict[str, list[str]] = {}

    def fitting(training: list[Case]) -> list[Case]:
        return training

    def record(training: list[Case], case: Case) -> None:
        seen.setdefault(case.councils[0], [c.set_name for c in training])

    out_of_fold(cases, [c.councils for c in cases], fitting, record)
    assert seen == {
        "Wendmere": ["dev-set-2", "ask_heldout_fict2"],
        "Kelsworth": ["dev-set", "ask_heldout_fict1"],
    }
    assert [c.set_name for c in on_sets(cases)] == ["dev-set", "dev-set-2"]


def test_a_fit_with_the_batches_is_not_stored() -> None:
    with pytest.raises(SystemExit, match="drop --batches"):
        main(["--batches", "--write"])


def test_the_table_gives_counts_beside_shares() -> None:
    from bench.fit_abstention import row

    cases = [
        Case("dev-set", False, EVIDENCE, 0.9),
        Case("dev-set", False, EVIDENCE, 0.9),
        Case("dev-set", True, EVIDENCE, 0.9),
    ]
    line = row("dev-set", "out of fold", ["not_in_papers", "answered", "weak_match"], cases)
    assert line == "| dev-set | out of fold | 0.50 (1/2) | 1.00 (1/1) | 1.00 | 0.00 |"
