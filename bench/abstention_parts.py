"""Which part of the abstention refuses: the classifier, its weak band, or a cap.

    python bench/abstention_parts.py --index-root DIR --cache FILE [--batches FILE ...]
        [--seeds 0,1,2] [--variants] [--list]

The service refuses a question (``qa_service/abstention.py``, ``Engine.ask``) when

- **no passage**: nothing is retrieved, or the question names a council no paper is from;
- **the classifier**: its probability is under ``answer_at``; under ``weak_at`` too, the
  state is "not in the papers", between the two a weak match (the two *bands*);
- **a cap** (``Model.caps``: the answer checks ``period``, ``plan``, ``intent``,
  ``counted``, ``CHECK_PIECES``): the check fires, and the state is at best a weak match
  whatever the probability.

Every question of the three shared sets and of the consumed blind ask batches (no file
named: ``BATCHES``, the batches consumed by stop 31) is captured as bench/fit_abstention.py
captures it (``--cache`` shares its pickle), and judged out of fold by main's rule: each
council's set and batch questions by the fit on the other councils' *set* questions,
capped as stored.  For every refusal the parts that made it are listed; a part is *sole*
when no other part refuses the question.  Per part, on each set and on the batches pooled:
its fires on unanswerable questions (catches) and on answerable ones (false refusals), all
and sole, and its precision (catches over fires); then every refusal under the parts that
made it together.  The batches are split too into those the answer checks were written from
(``READ_BY_CHECKS``: their precision there is in-sample) and those written after.  The
batches are also judged by the
stored fit (``qa_service/abstention_fit.py``, fitted on the sets alone, as
bench/ask_heldout.py scores them).  Inside the classifier, a piece of evidence is
*decisive* for a refusal when its pull below the fit's mean alone keeps the question under
``answer_at`` (its standardised contribution set to 0 answers it).

``--variants`` runs the changes to the set of parts (``VARIANTS``) and decides by the
criterion written before they were run (``CRITERION``; docs/quality.md, "Abstention, stop
31: which part refuses").
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_pool import LABELS, load_or_capture  # noqa: E402
from bench.calibrate_abstention import MAX_FALSE, SMOOTH, threshold  # noqa: E402
from bench.fit_abstention import (  # noqa: E402
    SEED,
    SETS,
    STRICT,
    Case,
    as_cases,
    capture_cases,
    fit,
    on_sets,
    switched,
    unweighed,
)
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service import abstention_value  # noqa: E402
from qa_service.abstention import CHECK_PIECES, FEATURES, Model  # noqa: E402
from qa_service.abstention_fit import FITTED  # noqa: E402

# The consumed batches at stop 31 (the sixth pair was lost with stop 28's machine; the
# eighth is held out by the stop's helpers)
BATCHES = tuple(
    LABELS / f"ask_heldout_{kind}{n}.jsonl" for n in (1, 2, 3, 4, 5, 7) for kind in ("real", "fict")
)
# The caps as stored: the readings' names, in ``CHECK_PIECES``' order
STORED_CAPS = tuple(n for n, p in CHECK_PIECES.items() if p in Model.from_data(FITTED).caps)
# The parts a variant may read as a veto or weigh: the answer checks (by their readings'
# names) and the classifier's own checks of the shown answer against what is asked (a year,
# an amount, a value asked and not stated), each firing above 0 as ``Model.caps`` reads it
WEIGHED_CHECKS = ("year_missed", "amount_missed", "value_missed")
PIECES = {**CHECK_PIECES, **{p: p for p in WEIGHED_CHECKS}}
# What decides among the variants, written before any was run (stop 31): the out-of-fold
# mistakes (unanswerable answered plus answerable refused) over every question of the three
# sets and the consumed batches, council folds leaving a council's set and batch questions
# out together, the classifier fitted on the other councils' set questions, averaged over
# the bag seeds; a variant passes only with fewer mistakes than main's rule and, on each
# set, no fewer caught than main's and at most 5% of answerable questions refused
CRITERION = (
    "fewer mean out-of-fold mistakes over all set and batch questions than main's rule; "
    "on each set caught no lower than main's, false at most 5%"
)


@dataclass(frozen=True)
class Verdict:
    """What each part says of one question: ``band`` is the classifier's ("answered",
    "weak", "not"; "none" without a passage), ``caps`` the checks that fire (their
    readings' names, whether or not they are vetoes), ``decisive`` the pieces whose pull
    alone keeps it under the answer cut."""

    answerable: bool
    band: str
    caps: tuple[str, ...]
    decisive: tuple[str, ...] = ()
    probability: float = 0.0

    def refused(self, vetoes: Sequence[str]) -> bool:
        """Whether the question is refused with ``vetoes`` as the caps."""
        return self.band != "answered" or any(c in vetoes for c in self.caps)

    def makers(self, vetoes: Sequence[str]) -> tuple[str, ...]:
        """The parts that refuse it: "no passage", "classifier (weak)", "classifier (not)",
        and each veto that fires."""
        if self.band == "none":
            return ("no passage",)
        own = () if self.band == "answered" else (f"classifier ({self.band})",)
        return own + tuple(c for c in self.caps if c in vetoes)


def verdict(model: Model, case: Case) -> Verdict:
    """``case`` judged by ``model`` part by part."""
    ev = case.evidence
    if ev is None:
        return Verdict(case.answerable, "none", ())
    caps = tuple(n for n, p in PIECES.items() if getattr(ev, p) > 0)
    p = model.probability(ev)
    band = "answered" if p >= model.answer_at else "weak" if p >= model.weak_at else "not"
    decisive: tuple[str, ...] = ()
    if band != "answered" and not model.bags:
        z = (ev.vector() - np.asarray(model.mean)) / np.asarray(model.scale)
        pull = z * np.asarray(model.coef)
        logit = float(pull.sum()) + model.intercept
        decisive = tuple(
            name
            for name, c in zip(FEATURES, pull, strict=True)
            if c < 0 and _logistic(logit - c) >= model.answer_at
        )
    return Verdict(case.answerable, band, caps, decisive, p)


def _logistic(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def fit_parts(
    training: Sequence[Case],
    vetoes: Sequence[str] = STORED_CAPS,
    weighed: Sequence[str] = (),
    seed: int = SEED,
    cut_after: bool = False,
    weak_answers: bool = False,
    **kwargs: Any,
) -> Model:
    """Main's fit with another set of parts: fitted on the *set* questions of ``training``
    with every answer check not ``weighed`` and every veto left out of the regression,
    capped by ``vetoes`` (``PIECES``' names); with ``cut_after`` the two cut points are
    chosen on the questions no veto fires on (the caps first, the cut on what they leave),
    not on all; with ``weak_answers`` the weak band answers (the answer cut is the weak
    one: only "not in the papers" refuses).  ``kwargs`` go to ``fit``."""
    pieces = [PIECES[n] for n in vetoes]
    left_out = [p for n, p in CHECK_PIECES.items() if n not in weighed]
    left_out += [PIECES[n] for n in vetoes if n in WEIGHED_CHECKS]
    cases = [unweighed(c, left_out) for c in on_sets(training)]
    model = replace(fit(cases, seed=seed, **kwargs), caps=tuple(pieces))
    if weak_answers:
        model = replace(model, answer_at=model.weak_at)
    if not cut_after:
        return model
    kept = [
        (c.answerable, model.probability(c.evidence))
        for c, raw in zip(cases, on_sets(training), strict=True)
        if c.evidence is not None
        and raw.evidence is not None
        and not any(getattr(raw.evidence, p) > 0 for p in pieces)
    ]
    answer_at = threshold(kept, MAX_FALSE, SMOOTH)
    return replace(model, answer_at=answer_at, weak_at=min(threshold(kept, STRICT), answer_at))


def judged(
    cases: Sequence[Case], fitting: Callable[[list[Case]], Model] = fit_parts
) -> list[Verdict]:
    """Each case's verdict out of fold over council folds (a council's set and batch
    questions left out together)."""
    return out_of_fold(cases, [c.councils for c in cases], fitting, verdict)


def group_of(case: Case) -> str:
    """The case's set, or "batches"."""
    return case.set_name if case.set_name in SETS else "batches"


def tally(verdicts: Sequence[Verdict], vetoes: Sequence[str]) -> tuple[int, int, int, int]:
    """(caught, unanswerable, refused, answerable) with ``vetoes`` as the caps."""
    un = [v.refused(vetoes) for v in verdicts if not v.answerable]
    an = [v.refused(vetoes) for v in verdicts if v.answerable]
    return sum(un), len(un), sum(an), len(an)


def mistakes(verdicts: Sequence[Verdict], vetoes: Sequence[str]) -> int:
    """Unanswerable answered plus answerable refused."""
    caught, unans, refused, _ = tally(verdicts, vetoes)
    return unans - caught + refused


PARTS = ("no passage", "classifier (not)", "classifier (weak)", *PIECES)


def parts_table(
    named: Sequence[tuple[str, Sequence[Verdict]]], vetoes: Sequence[str] = STORED_CAPS
) -> str:
    """Per part and group: fires on unanswerable / answerable (every fire of a check,
    whether or not it is a veto, and whether or not the question is refused anyway), the
    refusals the part alone makes, and its precision over all fires."""
    head = "| part | " + " | ".join(
        f"{n}: fires (unans / ans) | {n}: alone | {n}: precision" for n, _ in named
    )
    lines = [head + " |", "| --- |" + " ---: | ---: | ---: |" * len(named)]
    for part in PARTS:
        cells = []
        for _, verdicts in named:
            fire = [v for v in verdicts if _fires(v, part)]
            alone = [v for v in fire if _alone(v, part, vetoes)]
            u = sum(not v.answerable for v in fire)
            a = len(fire) - u
            su = sum(not v.answerable for v in alone)
            prec = f"{u / len(fire):.2f}" if fire else "–"
            cells += [f"{u} / {a}", f"{su} / {len(alone) - su}", prec]
        lines.append(f"| {part} | " + " | ".join(cells) + " |")
    totals = []
    for _, verdicts in named:
        caught, unans, refused, ans = tally(verdicts, vetoes)
        totals += [f"{caught}/{unans} / {refused}/{ans}", "", ""]
    lines.append("| **refused** (caught / false) | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def _fires(v: Verdict, part: str) -> bool:
    if part == "no passage":
        return v.band == "none"
    if part.startswith("classifier"):
        return v.band == part.split("(")[1].rstrip(")")
    return part in v.caps


def _alone(v: Verdict, part: str, vetoes: Sequence[str]) -> bool:
    """Whether ``part`` fires and no other part refuses: without it the question would be
    answered (a check that is no veto never refuses alone)."""
    makers = v.makers(vetoes)
    return makers == (part,)


def makers_table(
    named: Sequence[tuple[str, Sequence[Verdict]]], vetoes: Sequence[str] = STORED_CAPS
) -> str:
    """Every refusal by the parts that made it together (one row per combination, the
    commonest first): caught / refused answerable, per group."""
    combos: dict[tuple[str, ...], int] = {}
    for _, verdicts in named:
        for v in verdicts:
            if v.refused(vetoes):
                key = v.makers(vetoes)
                combos[key] = combos.get(key, 0) + 1
    lines = [
        "| refused by | " + " | ".join(n for n, _ in named) + " |",
        "| --- |" + " ---: |" * len(named),
    ]
    for key in sorted(combos, key=lambda k: (-combos[k], k)):
        cells = []
        for _, verdicts in named:
            hit = [v for v in verdicts if v.refused(vetoes) and v.makers(vetoes) == key]
            u = sum(not v.answerable for v in hit)
            cells.append(f"{u} / {len(hit) - u}")
        lines.append(f"| {' + '.join(key)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def decisive_table(named: Sequence[tuple[str, Sequence[Verdict]]]) -> str:
    """Per piece of evidence: the classifier's refusals it is decisive for, unanswerable /
    answerable, per group."""
    lines = [
        "| piece | " + " | ".join(n for n, _ in named) + " |",
        "| --- |" + " ---: |" * len(named),
    ]
    for name in FEATURES:
        cells = []
        for _, verdicts in named:
            hit = [v for v in verdicts if name in v.decisive]
            if not hit and all(name not in v.decisive for v in verdicts):
                cells.append("0 / 0")
                continue
            u = sum(not v.answerable for v in hit)
            cells.append(f"{u} / {len(hit) - u}")
        if any(c != "0 / 0" for c in cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    counts = []
    for _, verdicts in named:
        refusals = [v for v in verdicts if v.band in ("weak", "not")]
        none = [v for v in refusals if not v.decisive]
        u = sum(not v.answerable for v in none)
        counts.append(f"{u} / {len(none) - u}")
    lines.append("| (no single piece) | " + " | ".join(counts) + " |")
    return "\n".join(lines)


# (label, vetoes, weighed answer checks, cut after the caps, weak band answers): the
# changes to the set of parts, listed before any was run.  Dropping a veto refits nothing
# (a cap is left out of the regression either way), so those rows reuse main's verdicts.
Variant = tuple[str, tuple[str, ...], tuple[str, ...], bool, bool]
VARIANTS: list[Variant] = [
    (f"main: vetoes {', '.join(STORED_CAPS)}", STORED_CAPS, (), False, False),
    *(
        (f"without the {n} veto", tuple(c for c in STORED_CAPS if c != n), (), False, False)
        for n in STORED_CAPS
    ),
    ("no vetoes", (), (), False, False),
    *(
        (f"{n} weighed, not a veto", tuple(c for c in STORED_CAPS if c != n), (n,), False, False)
        for n in STORED_CAPS
    ),
    ("all four weighed, no vetoes", (), STORED_CAPS, False, False),
    *((f"{n} a veto, not weighed", (*STORED_CAPS, n), (), False, False) for n in WEIGHED_CHECKS),
    ("vetoes first, the cut fitted on what they leave", STORED_CAPS, (), True, False),
    ("the weak band answers (only 'not in the papers' refuses)", STORED_CAPS, (), False, True),
]


def run_variants(cases: Sequence[Case], seeds: Sequence[int]) -> list[str]:
    """The variants' rows: caught / unanswerable, refused / answerable per set and on the
    batches (seed ``seeds[0]``), mean mistakes over the seeds and the criterion's verdict."""
    groups = [*SETS, "batches"]
    out = [
        "| variant | " + " | ".join(groups) + " | mistakes (mean) | passes |",
        "| --- |" + " --- |" * len(groups) + " ---: | --- |",
    ]
    refits: dict[tuple[Any, ...], list[list[Verdict]]] = {}
    base: tuple[float, dict[str, tuple[int, int, int, int]]] | None = None
    for label, vetoes, weighed, after, weak in VARIANTS:
        # a refit is needed where the regression or the cut differs: what is weighed, what
        # is left out as a weighed check made a veto, and the cut's rule
        key = (weighed, tuple(v for v in vetoes if v in WEIGHED_CHECKS), after, weak)
        if key not in refits:
            refits[key] = [
                judged(
                    cases,
                    partial(
                        fit_parts,
                        vetoes=vetoes,
                        weighed=weighed,
                        seed=s,
                        cut_after=after,
                        weak_answers=weak,
                    ),
                )
                for s in seeds
            ]
        runs = refits[key]
        mean = sum(mistakes(r, vetoes) for r in runs) / len(runs)
        per = {
            g: tally([v for v, c in zip(runs[0], cases, strict=True) if group_of(c) == g], vetoes)
            for g in groups
        }
        if base is None:
            base = (mean, per)
            verdict_ = "(main)"
        else:
            ok = mean < base[0] and all(
                per[g][0] >= base[1][g][0] and per[g][2] <= MAX_FALSE * per[g][3] for g in SETS
            )
            verdict_ = "yes" if ok else "no"
        cells = [f"{c}/{u}, {r}/{a}" for c, u, r, a in per.values()]
        out.append(f"| {label} | " + " | ".join(cells) + f" | {mean:.1f} | {verdict_} |")
    return out


# The batches the answer checks were written from (stop 26 read the first two pairs, stop
# 27 the first three): the caps' precision there is in-sample, on the later ones it is not
READ_BY_CHECKS = tuple(f"ask_heldout_{k}{n}" for n in (1, 2, 3) for k in ("real", "fict"))


def _by_reading(cases: Sequence[Case]) -> list[tuple[str, set[str]]]:
    """The batches the checks were written from and those written after, by name."""
    names = {c.set_name for c in cases if group_of(c) == "batches"}
    read = names & set(READ_BY_CHECKS)
    return [("batches read by the checks", read), ("batches after the checks", names - read)]


def stored_model() -> Model:
    """The stored fit, as the service reads it."""
    return Model.from_data(FITTED)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--batches", nargs="*", type=Path, default=None)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--list", action="store_true", help="list every refusal and its parts")
    args = parser.parse_args(argv)
    batches = tuple(args.batches) if args.batches else BATCHES
    on = ",".join(f"{n}=on" for n in CHECK_PIECES if n in STORED_CAPS)
    abstention_value.STORED = switched(abstention_value.STORED, on)
    key = (abstention_value.STORED, [p.name for p in batches])
    rows = load_or_capture(args.cache, key, partial(capture_cases, args.index_root, batches))
    cases, questions = as_cases(rows)
    seeds = [int(s) for s in args.seeds.split(",")]
    folded = judged(cases, partial(fit_parts, seed=seeds[0]))
    stored = stored_model()
    # the stored fit's own cut, with the linear pull read from its coefficients
    on_batches = [verdict(stored, c) for c in cases if group_of(c) == "batches"]
    named = [
        *((g, [v for v, c in zip(folded, cases, strict=True) if c.set_name == g]) for g in SETS),
        ("sets", [v for v, c in zip(folded, cases, strict=True) if c.set_name in SETS]),
        ("batches", [v for v, c in zip(folded, cases, strict=True) if group_of(c) == "batches"]),
        *(
            (name, [v for v, c in zip(folded, cases, strict=True) if c.set_name in within])
            for name, within in _by_reading(cases)
        ),
        ("batches, stored fit", on_batches),
    ]
    print(f"caps (vetoes): {list(STORED_CAPS)}; batches: {[p.stem for p in batches]}")
    print("\n## The parts, out of fold (batches also by the stored fit)\n")
    print(parts_table(named))
    print("\n## Every refusal by the parts that made it (caught / refused answerable)\n")
    print(makers_table(named))
    print("\n## Inside the classifier: the decisive pieces (unanswerable / answerable)\n")
    print(decisive_table(named))
    if args.list:
        print("\n## Every refusal and wrong answer, out of fold\n")
        for v, c, q in zip(folded, cases, questions, strict=True):
            if v.refused(STORED_CAPS) or not c.answerable:
                label = "answerable" if c.answerable else "unanswerable"
                makers = ", ".join(v.makers(STORED_CAPS)) or "answered"
                fired = ",".join(v.caps)
                print(
                    f"{c.set_name} | {label} | {makers} | p={v.probability:.3f} "
                    f"| checks {fired or '-'} | decisive {','.join(v.decisive) or '-'} | {q}"
                )
    if args.variants:
        print(f"\n## Variants (criterion: {CRITERION}; seeds {seeds})\n")
        for line in run_variants(cases, seeds):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
