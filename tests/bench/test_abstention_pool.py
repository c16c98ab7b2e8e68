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


def test_separation_has_a_column_for_the_batches_pooled() -> None:
    from dataclasses import replace

    from bench.fit_abstention import separation

    low = replace(EVIDENCE, cosine=0.3)
    cases = [
        Case(name, answerable, EVIDENCE if answerable else low, 0.9)
        for name in ("dev-set", "dev-set-2", "real-dev-set", "ask_heldout_real1")
        for answerable in (True, False)
    ]
    table = separation(cases).splitlines()
    assert table[0] == "| evidence | dev-set | dev-set-2 | real-dev-set | batches |"
    assert table[2] == "| cosine | 1.00 | 1.00 | 1.00 | 1.00 |"
    assert separation(cases[:6]).splitlines()[0].endswith("| real-dev-set |")


def test_a_fit_not_stored_is_scored_in_place_of_the_stored_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """bench/ask_heldout.py --fit: engines opened after it read the given fit."""
    import json

    import qa_service.retriever as retriever
    from bench.ask_heldout import use_fit
    from bench.fit_abstention import to_data
    from qa_service.abstention import Model

    monkeypatch.setattr(retriever, "FITTED", retriever.FITTED)  # restored after the test
    stored = Model.from_data(retriever.FITTED)
    other = to_data(Model(stored.mean, stored.scale, stored.coef, 0.0, 0.9, 0.5))
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(other), encoding="utf-8")
    use_fit(path)
    assert Model.from_data(retriever.FITTED).answer_at == 0.9
    path.write_text(json.dumps({**other, "features": ["cosine"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        use_fit(path)


def test_the_curve_counts_catches_at_each_number_refused() -> None:
    from dataclasses import replace

    from bench.abstention_pool_variants import curve, refused_probability
    from qa_service.abstention import FEATURES, Model

    answerable = [True, True, True, False, False, False]
    probs = [0.9, 0.2, 0.6, 0.1, 0.5, 0.95]
    assert curve(answerable, probs, 3) == ["1/3@1/3", "2/3@2/3", "2/3@3/3"]
    # a cap that fires, or no passage, is refused whatever the probability
    width = len(FEATURES)
    model = Model((0.0,) * width, (1.0,) * width, (0.0,) * width, 0.0, 0.5, 0.4, (), ("plan_only",))
    fired = Case("dev-set", False, replace(EVIDENCE, plan_only=1.0), 0.9)
    assert refused_probability(model, fired) == -1.0
    assert refused_probability(model, Case("dev-set", False, None, 0.0)) == -1.0
    assert refused_probability(model, Case("dev-set", True, EVIDENCE, 0.9)) == 0.5
