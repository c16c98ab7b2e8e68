"""Borrowed unanswerable rows (bench/abstention_borrowed.py) on made-up questions and
evidence: no index, no model."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

import bench.abstention_borrowed as borrowed_mod
from bench.abstention_borrowed import (
    Borrowed,
    _without,
    borrowed_questions,
    fit_borrowed,
    names_proper,
    out_of_fold_borrowed,
    swap_council,
    withheld_ids,
)
from bench.fit_abstention import Case, fit
from evaluation.questions import GoldEntry, Question
from index.filters import Allowed
from index.store import Filters
from qa_service.abstention import FEATURES, Evidence

COUNCILS = [
    "Merton Council",
    "Kirklees Council",
    "Wye Valley Community Council",
    "Leeds City Council",
]


def test_swap_council_writes_the_other_name_as_the_question_wrote_its_own() -> None:
    assert swap_council(
        "What did Merton's audit committee say?", "Merton Council", "Kirklees Council"
    ) == ("What did Kirklees's audit committee say?")
    assert swap_council(
        "merton audit fees 2009", "Merton Council", "Wye Valley Community Council"
    ) == ("wye valley community audit fees 2009")
    assert swap_council("What did Leeds say?", "Merton Council", "Kirklees Council") is None


def _question(
    qid: str, text: str, council_file: str, filters: dict[str, object] | None = None
) -> Question:
    gold = [GoldEntry(council_file, "The Chair declared an interest in Strover-Leader.")]
    return Question(qid, text, "factoid", filters or {}, gold, "")


def test_borrowed_questions_ask_a_named_councils_question_of_others_only() -> None:
    questions = [
        _question("q1", "What did Merton's audit committee say?", "m.pdf"),
        _question(
            "q2", "What did the audit committee say?", "m.pdf", {"council": "Merton Council"}
        ),
        _question("q3", "What did the audit committee say?", "m.pdf"),  # names no council
        _question("q4", "What did each council say?", "m.pdf"),  # gold in two councils
        Question("q5", "What did Merton's cabinet say?", "unanswerable", {}, [], ""),
    ]
    groups = [
        ("Merton Council",),
        ("Merton Council",),
        ("Merton Council",),
        ("Merton Council", "Leeds City Council"),
        ("Merton Council",),
    ]
    named = {"q1": ["Merton Council"], "q5": ["Merton Council"]}
    out = borrowed_questions(questions, groups, COUNCILS, named, others=2)
    assert {q.id for q, *_ in out} == {"q1", "q2"}
    for q, text, other, in_text, group in out:
        assert other != "Merton Council"
        assert group == ("Merton Council", other)  # used only where neither council is held out
        assert in_text == (q.id == "q1")
        assert ("Merton" not in text) if in_text else text == q.question
    # the same councils every run (seeded by the question's id)
    again = borrowed_questions(questions, groups, COUNCILS, named, others=2)
    assert [o[2] for o in out] == [o[2] for o in again]


def test_names_proper_skips_months_titles_and_councils() -> None:
    assert names_proper(["The Chair declared an interest in Strover-Leader."], COUNCILS)
    assert not names_proper(["The Council met on 3 March and Councillor said no."], COUNCILS)
    assert not names_proper(["Merton received 412 complaints (NHS and LGA)."], COUNCILS)


def _cases(seed: int) -> tuple[list[Case], list[tuple[str, ...]]]:
    rng = random.Random(seed)
    cases, groups = [], []
    for council in range(5):
        for i in range(20):
            answerable = i % 4 != 0
            values = [rng.gauss(0.7 if answerable else 0.5, 0.1) for _ in FEATURES]
            cases.append(Case("made-up", answerable, Evidence(*values), values[0]))
            groups.append((f"council {council}",))
    return cases, groups


def test_no_borrowed_rows_is_the_stored_fit() -> None:
    cases, _ = _cases(0)
    plain, same = fit(cases, bags=0), fit_borrowed(cases, [], 0.0)
    assert same.coef == pytest.approx(plain.coef)
    assert (same.answer_at, same.weak_at) == pytest.approx((plain.answer_at, plain.weak_at))


def test_borrowed_rows_move_the_regression_but_not_the_standardisation() -> None:
    cases, _ = _cases(1)
    extra = [Case("made-up", False, Evidence(*[0.7] * len(FEATURES)), 0.7) for _ in range(30)]
    plain, moved = fit_borrowed(cases, extra, 0.0), fit_borrowed(cases, extra, 1.0)
    assert moved.mean == plain.mean and moved.scale == plain.scale
    assert moved.coef != pytest.approx(plain.coef)


def test_a_fold_never_trains_on_rows_touching_its_council(monkeypatch: pytest.MonkeyPatch) -> None:
    cases, groups = _cases(2)
    rows = [
        Borrowed(
            "made-up",
            f"b{i}",
            "q",
            f"council {i % 5}",
            True,
            (f"council {(i + 1) % 5}", f"council {i % 5}"),
            c,
        )
        for i, c in enumerate(_cases(3)[0][:40])
    ]
    group_of = {id(c): g for c, g in zip(cases, groups, strict=True)}
    row_of = {id(r.case): r for r in rows}
    seen: list[int] = []
    real_fit = borrowed_mod.fit_borrowed

    def spy(real, extra, share):  # type: ignore[no-untyped-def]
        trained = {group_of[id(c)][0] for c in real}
        (held,) = {g[0] for g in groups} - trained
        assert all(held not in row_of[id(c)].group for c in extra)
        seen.append(len(extra))
        return real_fit(real, extra, share)

    monkeypatch.setattr(borrowed_mod, "fit_borrowed", spy)
    states = out_of_fold_borrowed(cases, groups, rows, 1.0)
    assert len(states) == len(cases)
    # one fit per held-out council, each on the borrowed rows of the others only: the 40
    # rows touch two councils each, 16 of them each council
    assert seen == [24] * 5


def test_withheld_ids_are_the_passages_that_hit_the_gold() -> None:
    q = Question(
        "q",
        "Who chaired it?",
        "factoid",
        {},
        [GoldEntry("m.pdf", "The Chair declared an interest in Strover-Leader.")],
        "",
    )
    doc = SimpleNamespace(source="m.pdf")
    other = SimpleNamespace(source="k.pdf")
    passages = {
        1: SimpleNamespace(
            document=doc, text="Minutes. The Chair  declared an interest in strover-leader. Next."
        ),
        2: SimpleNamespace(document=doc, text="The Chair opened the meeting."),
        3: SimpleNamespace(
            document=other, text="The Chair declared an interest in Strover-Leader."
        ),
    }
    assert withheld_ids(q, passages) == frozenset({1})  # type: ignore[arg-type]


def test_without_takes_the_withheld_rows_out_of_every_filter() -> None:
    def allowed(filters: Filters | None) -> Allowed:
        return Allowed.of(np.asarray([0, 3, 5, 9], dtype=np.int64))

    assert list(_without(allowed, frozenset({3, 9}), None).ids()) == [0, 5]
    assert _without(allowed, frozenset(), Filters()).count == 4
