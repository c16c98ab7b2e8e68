"""The forms of value_missed and the nested choice among them, on made-up rows (no index,
no model)."""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.abstention_modes import Row
from bench.abstention_value_forms import FORMS, chunked, form_cases, nested
from qa_service.abstention import FEATURES, Evidence


def _row(council: int, answerable: bool, rng: random.Random, value: float = 0.7) -> Row:
    noise = [rng.gauss(0.5, 0.1) for _ in FEATURES[:-1]]
    question = "How many children are in care?"
    shown = "There are 412 children in care." if answerable else "The report was noted."
    row = Row("dev-set", "q", question, answerable, (f"council {council}",), None)
    row.evidence = Evidence(*noise, value)
    row.shown, row.passages = shown, [shown]
    return row


def test_a_form_replaces_the_stored_value_and_none_drops_it() -> None:
    row = _row(0, False, random.Random(0))
    kept = form_cases([row], FORMS["kept"])[0].evidence
    dropped = form_cases([row], FORMS["none"])[0].evidence
    assert kept is not None and dropped is not None
    assert len(kept.vector()) == len(FEATURES) and kept.vector()[-1] == 1.0  # not 0.7
    assert len(dropped.vector()) == len(FEATURES) - 1


def test_each_fold_chooses_the_form_that_separates_on_its_own_councils() -> None:
    rng = random.Random(1)
    rows = [_row(c, i % 3 != 0, rng) for c in range(6) for i in range(18)]
    groups = [r.group for r in rows]
    forms: dict[str, Callable[[Row], float] | None] = {"none": None, "kept": FORMS["kept"]}
    by_form = {name: form_cases(rows, form) for name, form in forms.items()}
    got, chosen = nested(by_form, groups)
    assert set(chosen.values()) == {"kept"}
    assert all((s == "answered") == r.answerable for s, r in zip(got, rows, strict=True))


def test_chunks_deal_the_councils_round_robin() -> None:
    groups = [("a",), ("b", "c"), ("c",), ("d",)]
    assert chunked(groups, 0) == groups
    assert chunked(groups, 2) == [("chunk 0",), ("chunk 1", "chunk 0"), ("chunk 0",), ("chunk 1",)]
    assert chunked([("a", "b", "c")], 2) == [("chunk 0", "chunk 1")]  # a and c share one
