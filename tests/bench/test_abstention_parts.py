"""Which part of the abstention refuses (bench/abstention_parts.py), on made-up evidence
(no index, no model)."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.abstention_parts import (
    BATCHES,
    PIECES,
    STORED_CAPS,
    VARIANTS,
    Verdict,
    fit_parts,
    judged,
    mistakes,
    parts_table,
    tally,
    verdict,
)
from bench.fit_abstention import Case, on_sets
from qa_service.abstention import BASE_FEATURES, FEATURES, Evidence, Model

EVIDENCE = Evidence(0.6, 0.7, 0.0, 1.0, 0.0, 0.0, 1.3, 0.5, 0.0)


def _linear(coef: dict[str, float], answer_at: float = 0.5, weak_at: float = 0.2) -> Model:
    """A model reading the raw evidence (mean 0, scale 1) with the given coefficients."""
    n = len(FEATURES)
    weights = tuple(coef.get(name, 0.0) for name in FEATURES)
    caps = tuple(PIECES[c] for c in STORED_CAPS)
    return Model((0.0,) * n, (1.0,) * n, weights, 0.0, answer_at, weak_at, (), caps)


def test_the_batches_are_the_consumed_ones_and_leave_the_held_out_pair_out() -> None:
    names = {p.name for p in BATCHES}
    assert len(BATCHES) == 12 and all(p.is_file() for p in BATCHES)
    assert "ask_heldout_real7.jsonl" in names and "ask_heldout_fict5.jsonl" in names
    assert not names & {"ask_heldout_real8.jsonl", "ask_heldout_fict8.jsonl"}
    # the stored caps: stop 27's four and stop 32's ``kind`` (the asked kind not shown)
    assert STORED_CAPS == ("period", "plan", "intent", "counted", "kind")


def test_each_part_is_read_and_a_cap_only_refuses_what_the_classifier_answers() -> None:
    model = _linear({"agreeing": 1.0})  # p = logistic(agreeing)
    case = Case("dev-set", False, replace(EVIDENCE, agreeing=2.0, intent_only=1.0), 0.9)
    v = verdict(model, case)
    assert v.band == "answered" and v.caps == ("intent",)
    assert v.refused(STORED_CAPS) and v.makers(STORED_CAPS) == ("intent",)
    assert not v.refused(("period", "plan", "counted"))  # the intent veto dropped: answered
    low = verdict(model, replace(case, evidence=replace(EVIDENCE, agreeing=-3.0)))
    assert low.band == "not" and low.makers(()) == ("classifier (not)",)
    weak = verdict(model, replace(case, evidence=replace(EVIDENCE, agreeing=-0.5)))
    assert weak.band == "weak"
    assert verdict(model, replace(case, evidence=None)).makers(STORED_CAPS) == ("no passage",)


def test_a_piece_is_decisive_when_its_pull_alone_keeps_the_question_under_the_cut() -> None:
    model = _linear({"agreeing": 1.0, "amount_missed": -3.0, "year_missed": -0.2})
    ev = replace(EVIDENCE, agreeing=1.0, amount_missed=1.0, year_missed=1.0)
    v = verdict(model, Case("dev-set", True, ev, 0.9))
    # 1 - 3 - 0.2 < 0: refused; without amount_missed's pull 0.8 > 0, without year's -2 < 0
    assert v.band == "not" and v.decisive == ("amount_missed",)
    assert v.caps == ("year_missed", "amount_missed")  # fires, though neither is a veto


def test_the_tally_and_the_table_count_catches_and_false_refusals() -> None:
    verdicts = [
        Verdict(False, "answered", ("period",)),  # caught by a veto alone
        Verdict(False, "not", ("counted",)),  # caught by the classifier and a veto
        Verdict(False, "answered", ()),  # missed
        Verdict(True, "weak", ()),  # refused by the weak band alone
        Verdict(True, "answered", ("year_missed",)),  # a weighed check firing: answered
    ]
    assert tally(verdicts, STORED_CAPS) == (2, 3, 1, 2)
    assert mistakes(verdicts, STORED_CAPS) == 2
    assert mistakes(verdicts, ()) == 3  # without vetoes the period catch is lost
    rows = {line.split(" | ")[0]: line for line in parts_table([("s", verdicts)]).splitlines()}
    assert rows["| period"] == "| period | 1 / 0 | 1 / 0 | 1.00 |"
    assert rows["| counted"] == "| counted | 1 / 0 | 0 / 0 | 1.00 |"
    assert rows["| classifier (weak)"] == "| classifier (weak) | 0 / 1 | 0 / 1 | 0.00 |"
    assert rows["| year_missed"] == "| year_missed | 0 / 1 | 0 / 0 | 0.00 |"


def _cases(seed: int) -> list[Case]:
    """Six councils' set questions (answerable high, unanswerable low) and a batch each."""
    rng = random.Random(seed)
    out = []
    for council in range(6):
        for i in range(20):
            answerable = i % 4 != 0
            centre = 0.7 if answerable else 0.5
            values = [rng.gauss(centre, 0.1) for _ in BASE_FEATURES]
            name = "dev-set" if i < 16 else "ask_heldout_real1"
            fires = 1.0 if i % 7 == 0 else 0.0
            ev = replace(Evidence(*values), intent_only=fires, amount_missed=fires)
            out.append(Case(name, answerable, ev, values[0], None, (f"c{council}",)))
    return out


def test_a_variant_leaves_its_vetoes_out_of_the_fit_and_weighs_what_it_is_told() -> None:
    cases = _cases(1)
    main = fit_parts(cases, bags=4)
    assert main.caps == (
        "other_period",
        "plan_only",
        "intent_only",
        "count_unbound",
        "kind_unshown",
    )
    assert main.coef[FEATURES.index("intent_only")] == 0.0
    assert main.coef[FEATURES.index("amount_missed")] != 0.0
    weighed = fit_parts(cases, vetoes=("period",), weighed=("intent",), bags=4)
    assert weighed.caps == ("other_period",)
    assert weighed.coef[FEATURES.index("intent_only")] != 0.0
    veto = fit_parts(cases, vetoes=(*STORED_CAPS, "amount_missed"), bags=4)
    assert veto.caps[-1] == "amount_missed" and veto.coef[FEATURES.index("amount_missed")] == 0
    weak = fit_parts(cases, weak_answers=True, bags=4)
    assert weak.answer_at == weak.weak_at == main.weak_at


def test_the_fit_judging_a_council_saw_only_the_other_councils_set_questions() -> None:
    cases = _cases(2)
    seen: list[set[str]] = []

    def fitting(training: list[Case]) -> Model:
        seen.append({c.set_name for c in training} | {c.councils[0] for c in training})
        return fit_parts(training, bags=2)

    judged(cases, fitting)
    assert len(seen) == 6
    for council, names in zip([f"c{i}" for i in range(6)], seen, strict=True):
        assert council not in names  # fitted without the council's questions
    # main's rule: the batch questions are judged, never fitted on
    alone = fit_parts(on_sets(cases), bags=2)
    assert fit_parts(cases, bags=2) == alone


def test_the_first_variant_is_mains_rule() -> None:
    assert VARIANTS[0][1:] == (STORED_CAPS, (), False, False)


def test_every_refusal_is_counted_once_under_the_parts_that_made_it() -> None:
    from bench.abstention_parts import makers_table

    verdicts = [
        Verdict(False, "answered", ("plan", "intent")),
        Verdict(True, "answered", ("plan", "intent")),
        Verdict(False, "not", ("period",)),
        Verdict(True, "weak", ()),
        Verdict(False, "answered", ()),
    ]
    rows = makers_table([("s", verdicts)]).splitlines()[2:]
    assert rows == [
        "| plan + intent | 1 / 1 |",
        "| classifier (not) + period | 1 / 0 |",
        "| classifier (weak) | 0 / 1 |",
    ]
