"""bench/abstention_answer_checks.py on made-up captures (no index, no model)."""

from __future__ import annotations

from pathlib import Path

from bench.abstention_answer_checks import CONSUMED, CRow, Shown, fires, with_checks
from qa_service.abstention import Evidence

LABELS = Path(__file__).resolve().parents[1] / "labels"

EVIDENCE = Evidence(0.6, 0.7, 0.0, 1.0, 0.0, 0.0, 1.3, 0.5, 0.0)


def _shown(question: str, shown: str, passage: str = "") -> Shown:
    return Shown(question, shown, passage or shown, (), "", None, (), None, None)


def test_with_checks_sets_only_the_pieces_switched_on() -> None:
    shown = _shown("When did the bridge reopen?", "Officers said the bridge would reopen in May.")
    on = with_checks(EVIDENCE, shown, ("plan",))
    assert on is not None and on.plan_only == 1.0 and on.other_period == 0.0
    off = with_checks(EVIDENCE, shown, ())
    assert off == EVIDENCE
    assert with_checks(None, shown, ("plan",)) is None


def test_fires_are_listed_by_group_and_label() -> None:
    planned = _shown("When did the bridge reopen?", "The bridge would reopen in May.")
    stated = _shown("When did the bridge reopen?", "The bridge reopened in May.")
    rows = [
        CRow("shared", "dev-set", "d1", planned.question, False, EVIDENCE, shown=planned),
        CRow(
            "shared",
            "dev-set",
            "d2",
            stated.question,
            True,
            EVIDENCE,
            EVIDENCE,
            shown=stated,
            withheld_shown=planned,
        ),
        CRow("blind", "ask_heldout_real9", "r1", planned.question, False, EVIDENCE, shown=planned),
    ]
    assert fires(rows, "plan") == {
        ("dev-set", "unanswerable"): ["d1"],
        ("dev-set", "withheld"): ["d2"],
        ("blind real9", "unanswerable"): ["r1"],
    }


def test_the_capture_reads_consumed_batches_that_exist() -> None:
    assert CONSUMED and all((LABELS / name).is_file() for name in CONSUMED)


def test_the_checks_of_stop_27_are_listed() -> None:
    aimed = _shown(
        "How many carers had the campaign recruited?", "The campaign aimed to recruit 40 carers."
    )
    rows = [CRow("blind", "ask_heldout_fict9", "f1", aimed.question, False, EVIDENCE, shown=aimed)]
    assert fires(rows, "intent") == {("blind fict9", "unanswerable"): ["f1"]}
    assert fires(rows, "plan") == {}
    on = with_checks(EVIDENCE, aimed, ("intent", "counted"))
    # the plan states a count of the thing asked: the count check does not fire
    assert on is not None and on.intent_only == 1.0 and on.count_unbound == 0.0
