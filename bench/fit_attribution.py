"""The attribution evidence (bench/abstention_attribution.py, the stop 22 value readings) measured
out of fold against the stored evidence, refitted in the same run.

    python bench/fit_attribution.py --cache PICKLE [--index-root DIR] [--catalogue]

The rows are bench/abstention_modes.py's capture with the withheld-answer rows
(``--withheld``; captured once and kept in ``--cache``).  Every form is fitted as
bench/fit_abstention.py fits the stored evidence (``fit``: bagged, C chosen by council
cross-validation, the withheld rows at ``SHARE``), in-sample and leaving one council out,
each case carrying its councils.  Prints per set the unanswerable questions caught and the
answerable ones refused, the pooled mistakes, and the questions whose out-of-fold state
differs from the stored evidence's.  ``--catalogue`` prints real-dev-set's unanswerable
questions with their out-of-fold state, evidence, shown sentence and top passage, and the
dev-set-2 unanswerable questions caught out of fold (the docs' table was read off it).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.abstention_attribution import other_named, plan_for_outcome  # noqa: E402
from bench.abstention_modes import Row, capture  # noqa: E402
from bench.abstention_modes import figures as set_figures  # noqa: E402
from bench.fit_abstention import SEED, Case, fit, state  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service.abstention import ANSWERED, FEATURES, specific_share  # noqa: E402
from qa_service.abstention_value import (  # noqa: E402
    Readings,
    outcome_as_plan,
    outcome_planned,
    value_missed,
)
from qa_service.answer_kind import Kind  # noqa: E402
from qa_service.highlight import split_sentences  # noqa: E402

VALUE = FEATURES.index("value_missed")


class _Vector:
    """Evidence as a bare vector, for bench/fit_abstention.py's fit."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = np.asarray(values, dtype=np.float64)

    def vector(self) -> np.ndarray:
        return self.values


def _top(row: Row) -> str:
    return row.passages[0] if row.passages else ""


def _value(
    named: bool,
    cost: bool,
    decision: bool = False,
    score: bool = False,
    words: bool = False,
    outcome: bool = False,
    measure: bool = False,
) -> Callable[[Row], float]:
    readings = Readings(named, cost, decision, score, words, outcome, measure=measure)
    return lambda r: value_missed(r.question, r.shown, _top(r), readings)


def _outcome(row: Row) -> float:
    """An outcome asked and its value shown only as a plan (stop 24), as a piece of its own."""
    return 1.0 if outcome_as_plan(row.question, row.shown) else 0.0


# A yes-or-no question: an auxiliary first and no question word after it.
_POLAR = re.compile(
    r"^\s*(?:did|does|do|has|have|had|is|are|was|were|will|would|can|could)\b", re.I
)
_WH = re.compile(r"\b(?:when|what|how|which|who|whose)\b", re.IGNORECASE)


def _outcome_narrow(row: Row) -> float:
    """``_outcome`` read after the stop 24 decision, for the next pass (not judged for keeping):
    a yes-or-no question asks for no value ("Did ... decide ... before they are signed off?"
    is read by ``answer_kinds`` as asking a date), and only the shown highlight's first
    sentence is read (a modal in a second sentence, "the same solicitor could not act", is
    not the answering sentence's)."""
    if _POLAR.match(row.question) and not _WH.search(row.question):
        return 0.0
    spans = split_sentences(row.shown)
    first = row.shown[spans[0].start : spans[0].end] if spans else ""
    return 1.0 if outcome_as_plan(row.question, first) else 0.0


def _unbound(row: Row) -> float:
    """The bound count's reading where it differs from the stored one: its value_missed less
    the stored value_missed (the rows the measure's binding adds, 0.5 or 1)."""
    bound = value_missed(row.question, row.shown, _top(row), Readings(measure=True))
    return max(0.0, bound - value_missed(row.question, row.shown, _top(row)))


def _specific_ties(row: Row) -> float:
    return specific_share(row.shown, row.weights, ties=True)


def _plan(row: Row) -> float:
    return plan_for_outcome(row.question, row.shown)


def _plan_figure(row: Row) -> float:
    return plan_for_outcome(row.question, row.shown, (Kind.NUMBER,))


def _other(row: Row) -> float:
    return other_named(row.question, row.shown, _top(row))


def _either(row: Row) -> float:
    return max(_plan(row), _other(row))


BASELINE = "stored 9 (refitted)"
# name -> (replacement of value_missed, or of the features a dict names, or None; extra
# features)
Reading = Callable[[Row], float]
FORMS: dict[str, tuple[Reading | dict[str, Reading] | None, tuple[Reading, ...]]] = {
    BASELINE: (None, ()),
    "value_missed, named figures and pronoun one": (_value(True, False), ()),
    "value_missed, money asked by the verb": (_value(False, True), ()),
    "value_missed, both (stop 22 reading)": (_value(True, True), ()),
    "+ plan_for_outcome": (None, (_plan,)),
    "+ other_named": (None, (_other,)),
    "+ plan_for_outcome or other_named (one piece)": (None, (_either,)),
    "stop 22 reading + plan_for_outcome": (_value(True, True), (_plan,)),
    "stop 22 reading + other_named": (_value(True, True), (_other,)),
    "stop 22 reading + plan_for_outcome + other_named": (_value(True, True), (_plan, _other)),
    "stop 22 reading + plan or other (one piece)": (_value(True, True), (_either,)),
    "+ plan_for_outcome (figures only)": (None, (_plan_figure,)),
    "value_missed, money by the verb and a decision": (_value(False, True, True), ()),
    "money by the verb + plan_for_outcome (figures only)": (_value(False, True), (_plan_figure,)),
    "stop 22 reading + plan_for_outcome (figures only)": (_value(True, True), (_plan_figure,)),
    "specific_shown, concepts tied at the edge (stop 23)": (
        {"specific_shown": _specific_ties},
        (),
    ),
    "value_missed, money by the verb and a grade asked by its measure (stop 23)": (
        _value(False, True, score=True),
        (),
    ),
    "stop 22 reading + a grade asked by its measure (stop 23)": (
        _value(True, True, score=True),
        (),
    ),
    "stop 22 reading + grade by its measure + specific_shown ties (stop 23)": (
        {"value_missed": _value(True, True, score=True), "specific_shown": _specific_ties},
        (),
    ),
    "stop 23 kept + number words in names (stop 23)": (
        {
            "value_missed": _value(True, True, score=True, words=True),
            "specific_shown": _specific_ties,
        },
        (),
    ),
    "stop 22 reading + specific_shown ties (stop 23)": (
        {"value_missed": _value(True, True), "specific_shown": _specific_ties},
        (),
    ),
    # stop 24: the stored evidence (stop 23's readings, the capture's specific_shown) with an
    # outcome asked and its value shown only as a plan, (a) in value_missed, (b) its own piece
    "stored + outcome as a plan in value_missed (stop 24)": (
        _value(True, True, score=True, outcome=True),
        (),
    ),
    "stored + outcome as a plan, own piece (stop 24)": (None, (_outcome,)),
    "stored + outcome as a plan, narrowed after the decision, own piece (stop 24)": (
        None,
        (_outcome_narrow,),
    ),
    # stop 25: the narrowed reading as the service weighs it when ``Readings.planned`` is on
    # (``Evidence.outcome_planned``, bench/fit_abstention.py's draws as the service's)
    "stored + outcome planned, its switch on (stop 25)": (
        {"outcome_planned": lambda r: outcome_planned(r.question, r.shown)},
        (),
    ),
    "stored + a count bound to the measure asked (stop 25)": (
        _value(True, True, score=True, measure=True),
        (),
    ),
    # measured after the stop 25 decision, for the next pass: the same reading as a piece of
    # its own (1 where the bound reading misses a count the stored reading finds), so that
    # value_missed's weight is not refitted by it
    "stored + a count bound to the measure asked, own piece (after stop 25)": (
        None,
        (_unbound,),
    ),
}
# The stop 23 rule (docs/quality.md, "Abstention, stop 23", written before its figures): a
# form's mean caught may fall by at most this many questions on any set, against the
# baseline's, over the seeds; its mean refused stays at most MAX_REFUSED of each set's
# answerable questions.
MAX_LOSS = 0.5
MAX_REFUSED = 0.05


@dataclass(frozen=True)
class Tally:
    """One fit's out-of-fold (or in-sample) counts: per set the unanswerable questions caught
    and the answerable ones refused, with each class's size."""

    caught: dict[str, float]
    unanswerable: dict[str, int]
    refused: dict[str, float]
    answerable: dict[str, int]

    @property
    def mistakes(self) -> float:
        """Unanswerable answered plus answerable refused, pooled over the sets."""
        return sum(
            self.unanswerable[s] - self.caught[s] + self.refused[s] for s in self.unanswerable
        )


def tally(rows: Sequence[Row], got: Sequence[str]) -> Tally:
    """The counts of one fit's states."""
    caught: dict[str, float] = {}
    unans: dict[str, int] = {}
    refused: dict[str, float] = {}
    ans: dict[str, int] = {}
    for name in SETS:
        part = [(r, s) for r, s in zip(rows, got, strict=True) if r.set_name == name]
        caught[name] = sum(s != ANSWERED for r, s in part if not r.answerable)
        unans[name] = sum(not r.answerable for r, _ in part)
        refused[name] = sum(s != ANSWERED for r, s in part if r.answerable)
        ans[name] = sum(r.answerable for r, _ in part)
    return Tally(caught, unans, refused, ans)


def mean_tally(tallies: Sequence[Tally]) -> Tally:
    """The counts averaged over several fits (the seeds) of the same rows."""
    first = tallies[0]
    return Tally(
        {s: float(np.mean([t.caught[s] for t in tallies])) for s in first.caught},
        dict(first.unanswerable),
        {s: float(np.mean([t.refused[s] for t in tallies])) for s in first.refused},
        dict(first.answerable),
    )


def judge(base: Tally, form: Tally, gain: str = "real-dev-set") -> list[str]:
    """The clauses of the stop 23 rule that ``form`` fails against ``base`` (both means over
    the same seeds; empty: kept): the mean caught rises on ``gain``; the mean refused stays
    at most ``MAX_REFUSED`` on every set; no set's mean caught falls by more than
    ``MAX_LOSS``; the pooled mean mistakes fall."""
    failed = []
    if form.caught[gain] <= base.caught[gain]:
        failed.append(f"caught on {gain} does not rise")
    for name, n in form.answerable.items():
        if form.refused[name] > MAX_REFUSED * n + 1e-9:
            failed.append(f"refuses {form.refused[name]:.1f}/{n} on {name}")
    for name, got in form.caught.items():
        if got < base.caught[name] - MAX_LOSS - 1e-9:
            failed.append(f"caught on {name} falls by {base.caught[name] - got:.1f}")
    if form.mistakes >= base.mistakes:
        failed.append("pooled mistakes do not fall")
    return failed


def cells(t: Tally) -> str:
    """A table row's cells: per set caught / unanswerable, refused / answerable; mistakes."""
    out = [f"{t.caught[s]:g}/{t.unanswerable[s]}, {t.refused[s]:g}/{t.answerable[s]}" for s in SETS]
    return " | ".join(out) + f" | {t.mistakes:g}"


def vector(row: Row | None, form: tuple[Any, tuple[Any, ...]]) -> Any:
    """The row's stored evidence with ``value_missed`` (or the features a dict names)
    replaced and features added."""
    if row is None or row.evidence is None:
        return None
    values = list(row.evidence.vector())
    replace, extra = form
    if isinstance(replace, dict):  # feature name -> its new reading
        for name, reading in replace.items():
            values[FEATURES.index(name)] = reading(row)
    elif replace is not None:
        values[VALUE] = replace(row)
    return _Vector([*values, *(f(row) for f in extra)])


def states(
    rows: Sequence[Row], form: tuple[Any, tuple[Any, ...]], seed: int = SEED
) -> tuple[list[str], list[str]]:
    """In-sample and out-of-fold states of the form, fitted as the stored rule is (the
    bootstrap drawn from ``seed``)."""
    cases = [
        Case(r.set_name, r.answerable, vector(r, form), 0.0, vector(r.withheld, form), r.group)
        for r in rows
    ]
    fitting = partial(fit, seed=seed)
    model = fitting(cases)
    inside = [state(model, c) for c in cases]
    folded = out_of_fold(cases, [r.group for r in rows], fitting, state)
    return inside, folded


def figures(rows: Sequence[Row], got: Sequence[str]) -> str:
    """Per set: unanswerable caught / all, answerable refused / all (``abstention_modes``'
    table cells); then pooled mistakes."""
    wrong = sum((s == ANSWERED) != r.answerable for r, s in zip(rows, got, strict=True))
    return set_figures(rows, got) + f" | {wrong}"


def fired(rows: Sequence[Row], feature: Callable[[Row], float]) -> str:
    """Per set: how many unanswerable and answerable rows (and withheld rows) it fires on."""
    cells = []
    for name in SETS:
        part = [r for r in rows if r.set_name == name and r.evidence is not None]
        u = sum(feature(r) > 0 for r in part if not r.answerable)
        a = sum(feature(r) > 0 for r in part if r.answerable)
        w = sum(feature(r.withheld) > 0 for r in part if r.withheld and r.withheld.evidence)
        cells.append(f"u{u} a{a} w{w}")
    return " / ".join(cells)


def catalogue(rows: Sequence[Row], folded: Sequence[str]) -> str:
    """real-dev-set's unanswerable questions, and dev-set-2's caught, with what was shown."""
    out = []
    for row, got in zip(rows, folded, strict=True):
        if row.answerable or row.set_name == "dev-set":
            continue
        if row.set_name == "dev-set-2" and got == ANSWERED:
            continue
        ev = row.evidence
        values = (
            " ".join(f"{k}={v:.2f}" for k, v in zip(FEATURES, ev.vector(), strict=True))
            if ev is not None
            else "no passage"
        )
        out.append(
            f"{row.set_name} {row.qid} | {got} | {row.question}\n    {values}\n"
            f"    shown: {row.shown[:240]!r}\n    top: {_top(row)[:300]!r}"
        )
    return "\n".join(out)


def by_seed(
    rows: Sequence[Row],
    seeds: int,
    only: Sequence[str],
    gain: str,
    base_name: str = BASELINE,
    kept: Path | None = None,
) -> int:
    """The baseline form (``base_name``) and the forms whose name holds one of ``only`` (all,
    if none), each at seeds 0..``seeds``-1, in-sample and out of fold; the means over the
    seeds and the stop 23 rule's verdict against the baseline.  ``kept``: a pickle of the
    tallies by form name and seed, read and added to (a form's reading changed: delete it)."""
    store: dict[tuple[str, int], tuple[Tally, Tally]] = (
        pickle.loads(kept.read_bytes()) if kept is not None and kept.exists() else {}
    )
    names = [base_name] + [
        n for n in FORMS if n != base_name and (not only or any(o in n for o in only))
    ]
    base: Tally | None = None
    for name in names:
        inside, folded = [], []
        for seed in range(seeds):
            if (name, seed) not in store:
                got_in, got_out = states(rows, FORMS[name], seed)
                store[name, seed] = (tally(rows, got_in), tally(rows, got_out))
                if kept is not None:
                    kept.write_bytes(pickle.dumps(store))
            inside.append(store[name, seed][0])
            folded.append(store[name, seed][1])
            print(f"| {name} | seed {seed} | out of fold | {cells(folded[-1])} |", flush=True)
        mean_in, mean_out = mean_tally(inside), mean_tally(folded)
        print(f"| {name} | mean | in-sample | {cells(mean_in)} |")
        print(f"| {name} | mean | out of fold | {cells(mean_out)} |", flush=True)
        if base is None:
            base = mean_out
            continue
        failed = judge(base, mean_out, gain)
        print(f"    rule: {'kept' if not failed else 'not kept: ' + '; '.join(failed)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or load), then print each form's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, required=True, help="pickle of the captured rows")
    parser.add_argument("--catalogue", action="store_true")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only the forms whose name holds this"
    )
    parser.add_argument("--base", default=BASELINE, help="the baseline form (--seeds)")
    parser.add_argument("--tallies", type=Path, help="pickle of the tallies by form and seed")
    parser.add_argument("--fired", action="store_true", help="list where each new piece fires")
    parser.add_argument(
        "--seeds",
        type=int,
        default=0,
        help="only print the forms' figures at seeds 0..N-1, their means and the stop 23 rule",
    )
    parser.add_argument(
        "--gain", default="real-dev-set", help="the set whose mean caught must rise (--seeds)"
    )
    args = parser.parse_args(argv)
    if args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = capture(args.index_root, withheld=True)
        args.cache.write_bytes(pickle.dumps(rows))
    if args.seeds:
        return by_seed(rows, args.seeds, args.only, args.gain, args.base, args.tallies)
    base_in, base = states(rows, FORMS[BASELINE])
    if args.catalogue:
        print(catalogue(rows, base) + "\n")
    for name, feature in {
        "value_missed (stop 22 reading) > 0": _value(True, True),
        "value_missed (stored reading) > 0": _value(False, False),
        "value_missed (money by the verb, decision) > 0": _value(False, True, True),
        "plan_for_outcome": _plan,
        "plan_for_outcome (figures only)": _plan_figure,
        "other_named": _other,
        "outcome as a plan (stop 24)": _outcome,
        "outcome planned, narrowed (stop 25's Readings.planned)": lambda r: outcome_planned(
            r.question, r.shown
        ),
        "a count bound to the measure, where value_missed rises (stop 25's Readings.measure)": (
            _unbound
        ),
    }.items():
        print(f"fires, {name}: {fired(rows, feature)}")
        if args.fired:
            for r in rows:
                if r.evidence is not None and feature(r) > 0:
                    label = "answerable" if r.answerable else "unanswerable"
                    print(f"    {r.set_name} {r.qid} {label} | {r.question}")
                    print(f"        shown: {r.shown[:160]!r}")
    print("\n| form | fit | " + " | ".join(SETS) + " | mistakes |")
    print("| --- | --- |" + " --- |" * len(SETS) + " ---: |")
    for name, form in FORMS.items():
        if args.only and not any(o in name for o in args.only) and name != BASELINE:
            continue
        inside, folded = (base_in, base) if name.startswith("stored") else states(rows, form)
        print(f"| {name} | in-sample | {figures(rows, inside)} |")
        print(f"| {name} | out of fold | {figures(rows, folded)} |", flush=True)
        moved = [
            f"{r.qid} {'A' if r.answerable else 'U'} {b}->{f}"
            for r, b, f in zip(rows, base, folded, strict=True)
            if (b == ANSWERED) != (f == ANSWERED)
        ]
        if moved and not name.startswith("stored"):
            print("    moved out of fold: " + ", ".join(moved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
