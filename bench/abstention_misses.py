"""The abstention's out-of-fold misses by cause, and one corpus check for the largest group.

    python bench/abstention_misses.py [--index-root DIR] [--cache FILE] [--batches FILE ...]
        [--list] [--heldout FILE ... --heldout-cache FILE]

Every question of the three shared sets and of the consumed blind ask batches (no file
named: ``BATCHES``) is captured as bench/abstention_reading.py captures it, with the stored
readings (the five caps on), and judged out of fold as main's rule is fitted: each council's
set and batch questions by the classifier fitted on the other councils' *set* questions,
capped by ``period``, ``plan``, ``intent``, ``counted`` and ``kind``.  Its misses
(unanswerable questions answered, answerable ones refused) are counted by cause
(``cause``): for an unanswerable question answered, the kind of answer it asks; for an
answerable one refused, the part that refuses it.

The largest group is a question asking for a value (a figure, a sum, a date, a person, a
grade: the kind check's ``asked_kinds`` and ``amount_ask.asks_money``) answered by a
sentence that names the topic without it.  The check measured for it reads the council's
papers, not the shown passage (``bound_share``): the largest share of the weight of the
question's ``n`` rarest key concepts *that the asked council's papers name at all* (so a
question's own everyday words the papers never use do not count against it) that one
sentence of those papers names together with an answer of each kind asked; the least over
the kinds.  At 0, no sentence anywhere in the council's papers states a value of the asked
kind beside any of the question's specific concepts: "How much did Lindenport pay for its
second JCB Pothole Pro machine?" where the papers name the machine and never its price.
As a cap (at or below a cut, at best a weak match) its cut is chosen in each council fold
(``choose_cut``: the cut whose near misses caught outnumber its answerable questions refused
by the most, on the other councils' set questions, as main's caps were judged; or on their
set and batch questions), for each form (``FORMS``: ``n`` 1 to 3, money read or not), and
with the form chosen inside each fold too (nested).  ``--heldout`` scores other batches once
by the stored fit, with and without the cap of ``FORM`` at its cut chosen on every set
question, printing summary lines only.  docs/quality.md, "Abstention, stop 33".
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import abstention_reading  # noqa: E402
from bench.abstention_asked_kind import (  # noqa: E402
    _plain_shown,
    _shown,
    core_text,
    tally,
    variants_table,
)
from bench.abstention_reading import LABELS, Papers, Row, choose_cut  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from qa_service.abstention import rarest_concepts  # noqa: E402
from qa_service.amount_ask import asks_money  # noqa: E402
from qa_service.answer_kind import answer_kinds, kinds_of_form, states_amount  # noqa: E402
from qa_service.asked_kind_shown import asked_kinds, shows  # noqa: E402

# The consumed blind ask batches at stop 33 (the eleventh pair is held out by the stop's
# helpers, the twelfth sealed; the sixth was lost with stop 28's machine)
BATCHES = tuple(
    LABELS / f"ask_heldout_{kind}{n}.jsonl"
    for n in (1, 2, 3, 4, 5, 7, 8, 9, 10)
    for kind in ("real", "fict")
)
CAPS = "period,plan,intent,counted,kind"  # the stored caps
CAP_PIECES = ("other_period", "plan_only", "intent_only", "count_unbound", "kind_unshown")
MONEY = "money"


@dataclass(frozen=True)
class Form:
    """How the check reads: how many of the question's rarest concepts the council's papers
    name it looks for (``rarest_concepts``, ties kept), and whether a sum asked
    (``asks_money``) is a kind asked, held by a sentence stating an amount."""

    n: int = 3
    money: bool = True

    def label(self) -> str:
        return f"{self.n} rarest, {'money read' if self.money else 'no money'}"


# The form scored on the held-out pair: chosen after the forms' out-of-fold figures on the
# sets and consumed batches were read (docs/quality.md, "Abstention, stop 33")
FORM = Form(3, True)
FORMS = tuple(Form(n, m) for n in (1, 2, 3) for m in (True, False))


def kinds_asked(question: str, money: bool = True) -> list[str]:
    """The kinds of answer the check reads as asked: the kind check's (a person by a noun
    of one, a date the meeting's own does not give, a figure, a grade) and, with
    ``money``, a sum."""
    kinds: list[str] = list(asked_kinds(question))
    if money and asks_money(question):
        kinds.append(MONEY)
    return kinds


def holds_kind(text: str, kind: str) -> bool:
    """Whether ``text`` holds an answer of ``kind`` (a sum: an amount of money)."""
    return states_amount(text) if kind == MONEY else shows(text, kind)


class Corpus:
    """``Papers`` with, per council and kind, which of its sentences hold that kind."""

    def __init__(self, papers: Papers) -> None:
        self.papers = papers
        self._holds: dict[tuple[str, str, str], np.ndarray] = {}

    def holding(self, index: str, council: str, kind: str) -> np.ndarray:
        key = (index, council, kind)
        if key not in self._holds:
            texts = self.papers.texts(index, council, "sentence")
            self._holds[key] = np.asarray([holds_kind(t, kind) for t in texts], dtype=bool)
        return self._holds[key]

    def bound(
        self,
        question: str,
        weights: dict[tuple[str, ...], float],
        index: str,
        councils: Sequence[str],
        form: Form = FORM,
    ) -> float:
        """``bound_share`` over the papers of ``councils`` (the least over them)."""
        kinds = kinds_asked(question, form.money)
        if not kinds:
            return 1.0
        least = 1.0
        for council in councils:
            present = {
                c: w
                for c, w in weights.items()
                if self.papers.named(index, council, c, "passage").any()
            }
            rare = rarest_concepts(present, form.n)
            total = sum(rare.values())
            if total <= 0:
                continue
            size = len(self.papers.texts(index, council, "sentence"))
            named = np.zeros(size)
            for concept, w in rare.items():
                named += w * self.papers.named(index, council, concept, "sentence")
            for kind in kinds:
                best = float((named * self.holding(index, council, kind)).max(initial=0.0))
                least = min(least, best / total)
        return least


def bound_share(
    question: str,
    weights: dict[tuple[str, ...], float],
    passages: Sequence[str],
    form: Form = FORM,
) -> float:
    """The check on one council's ``passages``: 1 when ``question`` asks no kind read here
    or no concept of it is named by any passage; else the largest share of the weight of
    its ``form.n`` rarest concepts among those the passages name that one sentence holding
    an answer of an asked kind names, the least over the kinds asked."""
    corpus = Corpus(Papers({"": {"": list(passages)}}))
    return corpus.bound(question, weights, "", [""], form)


def row_bound(corpus: Corpus, row: Row, form: Form = FORM) -> float:
    """The check of a captured question (1 without hits: nothing shown to cap)."""
    if not row.hits:
        return 1.0
    councils = abstention_reading._scope(row, corpus.papers)
    return corpus.bound(row.question, row.weights, row.index, councils, form)


# --- the capture and main's states ---------------------------------------------------------


def capture(index_root: Path, batches: Sequence[Path]) -> dict[str, Any]:
    """``abstention_reading.capture`` with the stored readings, each hit's core kept."""
    abstention_reading._shown = _shown  # type: ignore[assignment]
    try:
        return abstention_reading.capture(index_root, batches)
    finally:
        abstention_reading._shown = _plain_shown  # type: ignore[assignment]


def stored_states(rows: Sequence[Row]) -> list[str]:
    """Each question's state by the stored fit (as bench/ask_heldout.py scores a batch)."""
    from qa_service.abstention import Model
    from qa_service.abstention_fit import FITTED

    model = Model.from_data(FITTED)
    return [model.state(r.evidence) if r.evidence is not None else "not_in_papers" for r in rows]


# --- causes ------------------------------------------------------------------------------


def cause(row: Row, state: str, bound: float) -> str:
    """Why a miss is one, by general readings: for an unanswerable question answered, the
    kind it asks (a value, and whether the council's papers state one beside its specific
    concepts anywhere; a yes-or-no form; another kind; none); for an answerable question
    refused, the part that refuses it."""
    if row.answerable:
        ev = row.evidence
        if ev is None:
            return "refused: no passage"
        fired = [p for p in CAP_PIECES if getattr(ev, p, 0.0) > 0]
        if fired:
            return "refused: cap " + "+".join(fired)
        return "refused: classifier, " + (
            "weak match" if state == "weak_match" else "not in papers"
        )
    if kinds_asked(row.question):
        where = "never stated beside it" if bound <= 0 else "stated beside it somewhere"
        return f"answered: a value asked, {where}"
    if kinds_of_form(row.question):
        return "answered: yes or no"
    if answer_kinds(row.question):
        return "answered: another kind (a reason, a decision, a place, a who)"
    return "answered: no kind read"


def causes_table(rows: Sequence[Row], states: Sequence[str], bounds: Sequence[float]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    for r, s, b in zip(rows, states, bounds, strict=True):
        if (s != "answered") == r.answerable:
            counts[(cause(r, s, b), "sets" if r.name in SETS else "batches")] += 1
    lines = ["| cause | sets | batches |", "| --- | ---: | ---: |"]
    for c in sorted({c for c, _ in counts}):
        lines.append(f"| {c} | {counts[(c, 'sets')]} | {counts[(c, 'batches')]} |")
    return "\n".join(lines)


# --- judging the cap out of fold ---------------------------------------------------------


def capped(states: Sequence[str], vals: Sequence[float], cut: float | None) -> list[str]:
    """``states`` with the check as a cap at ``cut`` (None: never)."""
    return [
        "weak_match" if s == "answered" and cut is not None and v <= cut else s
        for s, v in zip(states, vals, strict=True)
    ]


def cap_out_of_fold(
    rows: Sequence[Row],
    values: dict[Form, list[float]],
    states: Sequence[str],
    forms: Sequence[Form],
    with_batches: bool,
) -> tuple[list[str], Counter[str]]:
    """The states with the check as a cap, its form (among ``forms``) and cut chosen in each
    council fold on the other councils' set questions (``with_batches``: and batch
    questions): per form ``choose_cut``, then the form whose cut catches most over what it
    refuses (ties: fewer refused, then more concepts); and the choices made."""
    from evaluation.crossval import out_of_fold

    chosen: Counter[str] = Counter()

    def fit(training: list[int]) -> tuple[Form, float] | None:
        use = [i for i in training if with_batches or rows[i].name in SETS]
        best: tuple[tuple[int, int, int], Form, float] | None = None
        for form in forms:
            vals = values[form]
            cut = choose_cut(
                [rows[i] for i in use], [vals[i] for i in use], [states[i] for i in use], 1
            )
            if cut is None:
                continue
            fired = [i for i in use if states[i] == "answered" and vals[i] <= cut]
            caught = sum(not rows[i].answerable for i in fired)
            refused = len(fired) - caught
            score = (caught - refused, -refused, form.n)
            if best is None or score > best[0]:
                best = (score, form, cut)
        chosen[f"{best[1].label()}, cut {best[2]:.2f}" if best else "none"] += 1
        return None if best is None else (best[1], best[2])

    def judge(model: tuple[Form, float] | None, i: int) -> str:
        if model is None or states[i] != "answered":
            return states[i]
        form, cut = model
        return "weak_match" if values[form][i] <= cut else "answered"

    items = list(range(len(rows)))
    return out_of_fold(items, [r.councils for r in rows], fit, judge), chosen


def fires_table(rows: Sequence[Row], values: dict[Form, list[float]], states: Sequence[str]) -> str:
    """Per form, at 0: its fires among the questions main answers out of fold,
    unanswerable / answerable, on the sets and on the batches."""
    lines = ["| form | sets, fires at 0 | batches, fires at 0 |", "| --- | ---: | ---: |"]
    for form, vals in values.items():
        cells = []
        for on_sets in (True, False):
            fired = [
                i
                for i, r in enumerate(rows)
                if (r.name in SETS) == on_sets and states[i] == "answered" and vals[i] <= 0
            ]
            u = sum(not rows[i].answerable for i in fired)
            cells.append(f"{u} / {len(fired) - u}")
        lines.append(f"| {form.label()} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def heldout(
    index_root: Path,
    files: Sequence[Path],
    cache: Path | None,
    cut: float | None,
) -> list[str]:
    """Summary lines of ``files`` judged by the stored fit, and with the cap of ``FORM`` at
    ``cut`` (chosen on every set question): caught and refused per file and pooled."""
    data = abstention_reading.cached(cache, lambda: capture(index_root, files))
    stems = {p.stem for p in files}
    rows = [r for r in data["rows"] if r.name in stems]
    corpus = Corpus(Papers(data["papers"]))
    base = stored_states(rows)
    vals = [row_bound(corpus, r) for r in rows]
    after = capped(base, vals, cut)
    lines = []
    for label, states in (("stored fit", base), (f"+ cap ({FORM.label()})", after)):
        cells = []
        for stem in sorted(stems):
            idx = [i for i, r in enumerate(rows) if r.name == stem]
            c, u, r, a = tally(rows, states, idx)
            cells.append(f"{stem} {c}/{u}, {r}/{a}")
        c, u, r, a = tally(rows, states, range(len(rows)))
        lines.append(f"== {label}: " + "; ".join(cells) + f"; pooled {c}/{u}, {r}/{a}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--batches", nargs="*", type=Path, default=list(BATCHES))
    parser.add_argument("--list", action="store_true", help="list every miss and its cause")
    parser.add_argument("--per-batch", action="store_true")
    parser.add_argument("--heldout", nargs="*", type=Path, default=None)
    parser.add_argument("--heldout-cache", type=Path, default=None)
    args = parser.parse_args(argv)
    data = abstention_reading.cached(args.cache, lambda: capture(args.index_root, args.batches))
    rows: list[Row] = data["rows"]
    corpus = Corpus(Papers(data["papers"]))
    states = abstention_reading.classifier_states(rows, CAPS)
    values = {form: [row_bound(corpus, r, form) for r in rows] for form in FORMS}
    print("## Main's misses out of fold, by cause\n")
    print(causes_table(rows, states, values[FORM]))
    print(
        "\n## The check's fires at 0 among the questions main answers (unanswerable / answerable)\n"
    )
    print(fires_table(rows, values, states))
    named: list[tuple[str, Sequence[str]]] = [("main", states)]
    notes = []
    for with_batches in (False, True):
        where = "set and batch" if with_batches else "set"
        for form in FORMS:
            st, _ = cap_out_of_fold(rows, values, states, [form], with_batches)
            named.append((f"+ cap, {form.label()}, cut on {where} questions", st))
        st, chosen = cap_out_of_fold(rows, values, states, FORMS, with_batches)
        named.append((f"+ cap, form and cut chosen on {where} questions (nested)", st))
        notes.append(f"nested on {where} questions, the folds chose: {dict(chosen)}")
    print("\n## Out of fold (caught/unanswerable, refused/answerable)\n")
    print(variants_table(rows, named, per_batch=args.per_batch))
    print()
    print("\n".join(notes))
    sets_idx = [i for i, r in enumerate(rows) if r.name in SETS]
    cut = choose_cut(
        [rows[i] for i in sets_idx],
        [values[FORM][i] for i in sets_idx],
        [states[i] for i in sets_idx],
        1,
    )
    print(f"\n{FORM.label()}: cut on every set question {cut}")
    if args.list:
        print("\n## Every miss out of fold\n")
        for r, s, b in zip(rows, states, values[FORM], strict=True):
            if (s != "answered") == r.answerable:
                shown = core_text(r.hits[0])[:160] if r.hits else ""
                ident = getattr(r, "id", "")
                print(f"{r.name} | {ident} | {cause(r, s, b)} | {s} | {b:.2f} | {r.question}")
                print(f"    shown: {shown!r}")
    if args.heldout:
        print()
        print("\n".join(heldout(args.index_root, args.heldout, args.heldout_cache, cut)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
