"""Why the abstention classifier does not transfer from the shared sets to blind batches.

    python bench/abstention_transfer.py --index-root DIR [--cache FILE] [--variants]

Captures each question's ``Evidence`` for the three shared sets (bench/fit_abstention.py's
capture: ``quality_all.run_set`` with the withheld near misses, into its ``Case``) and for
the four stop-25 blind ask batches (``BATCHES``, each question asked of its
set's index as bench/ask_heldout.py asks it), keeps them in ``--cache`` (a pickle; reused
when present), and prints, per feature, its medians on answerable and unanswerable
questions and its ROC AUC alone (answerable positive) on the shared sets and on the blind
batches; the classifier's score AUC (stored fit, in-sample and out of fold on the shared
sets, and on the blind batches, which it never saw); and the blind unanswerables' kinds
(``KINDS``, tagged by hand from the batch text) against which are caught.  ``--variants``
also fits a few simple general changes out of fold on the shared sets (council folds) and
prints their blind figure, a diagnostic only: the blind batches are consumed (docs/quality.md,
"Why abstention does not transfer, stop 25").
"""

from __future__ import annotations

import argparse
import os
import pickle
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

from bench.quality_all import SETS  # noqa: E402
from qa_service.abstention import BASE_FEATURES, FEATURES, Evidence  # noqa: E402

# The four batches this analysis read and tagged (stop 25); later batches are judges of their
# own stop and are not tagged here
BATCHES = tuple(f"ask_heldout_{name}.jsonl" for name in ("fict1", "fict2", "real1", "real2"))
# agreeing at or above this (the blind unanswerables' lower quartile, about) marks a near miss
NEAR = 1.2
# The pieces that measure how well the best passage matches the question's words or meaning
# (the rest check the answer shown against what is asked: a year, an amount, a value)
SIMILARITY = ("cosine", "coverage", "agreeing", "specific_shown")
# The simple general changes ``--variants`` fits (label, pieces dropped, ``fit`` arguments)
VARIANTS: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
    ("all ten (the stored fit's rule)", (), {}),
    *((f"without {name}", (name,), {}) for name in BASE_FEATURES),
    ("only the answer checks (no cosine, coverage, agreeing, specific_shown)", SIMILARITY, {}),
    ("only the similarity four", tuple(f for f in FEATURES if f not in SIMILARITY), {}),
    ("C 0.01 (stronger L2)", (), {"c": 0.01}),
    (f"fitted on near misses only (unanswerables with agreeing >= {NEAR})", (), {"near": NEAR}),
    ("no withheld rows (share 0)", (), {"share": 0.0}),
]
# The blind unanswerables' kinds, tagged by hand from each question's text (the writers'
# kinds, docs/quality.md "Abstention, stop 22"): "measure" a measure named whose value the
# papers never give, "plan" a plan or proposal where the outcome is asked, "event" another
# event than the papers hold, "year" another year, "thing" another named thing (place,
# scheme, firm, body) than the papers hold.
KINDS: dict[str, str] = {
    "fq04": "thing",
    "fq05": "year",
    "fq06": "plan",
    "fq10": "year",
    "fq11": "year",
    "fq15": "event",
    "fq16": "year",
    "fq17": "measure",
    "fq21": "year",
    "fq22": "measure",
    "fq26": "plan",
    "fq27": "year",
    "fq28": "plan",
    "fq32": "measure",
    "fq33": "plan",
    "fq37": "measure",
    "fq38": "plan",
    "fq39": "measure",
    "fq42": "plan",
    "fq43": "plan",
    "fs12": "plan",
    "fs13": "year",
    "fs14": "event",
    "fs15": "measure",
    "fs16": "plan",
    "fs17": "plan",
    "fs18": "measure",
    "fs19": "year",
    "fs20": "measure",
    "fs32": "plan",
    "fs33": "measure",
    "fs34": "year",
    "fs35": "event",
    "fs36": "measure",
    "fs37": "plan",
    "fs38": "measure",
    "fs39": "event",
    "fs40": "measure",
    "fs41": "year",
    "rq24": "measure",
    "rq25": "measure",
    "rq26": "measure",
    "rq27": "year",
    "rq28": "measure",
    "rq29": "plan",
    "rq30": "plan",
    "rq31": "plan",
    "rq32": "plan",
    "rq33": "plan",
    "rq34": "event",
    "rq35": "plan",
    "rq36": "event",
    "rq37": "plan",
    "rq38": "measure",
    "rq39": "year",
    "rq40": "event",
    "rq41": "plan",
    "rs24": "event",
    "rs25": "measure",
    "rs26": "measure",
    "rs27": "measure",
    "rs28": "plan",
    "rs29": "plan",
    "rs30": "plan",
    "rs31": "plan",
    "rs32": "plan",
    "rs33": "event",
    "rs34": "event",
    "rs35": "year",
    "rs36": "year",
    "rs37": "measure",
    "rs38": "measure",
    "rs39": "plan",
    "rs40": "plan",
    "rs41": "thing",
}


@dataclass(frozen=True)
class Row:
    """One question's evidence: ``source`` "shared" or "blind", ``batch`` its set or batch."""

    source: str
    batch: str
    qid: str
    question: str
    answerable: bool
    evidence: Evidence | None
    withheld: Evidence | None = None
    councils: tuple[str, ...] = ()


def capture_shared(index_root: Path) -> list[Row]:
    """The three shared sets' questions, captured as bench/fit_abstention.py captures them."""
    from bench.fit_abstention import captured

    rows = []
    for name, result, answer, group, held in captured(index_root):
        q = result.question
        rows.append(
            Row("shared", name, q.id, q.question, q.answerable, answer.evidence, held, tuple(group))
        )
    return rows


def capture_blind(index_root: Path, batches: Sequence[Path]) -> list[Row]:
    """Every blind batch question asked of its set's index (bench/ask_heldout.py's choice of
    set, engine and runner)."""
    from bench.ask_heldout import SHARED, assign, declared_sets, read_manifests
    from evaluation.questions import load_questions
    from evaluation.runner import run_questions
    from qa_service.cli_common import load_settings, open_engine

    where = read_manifests(SHARED)
    rows = []
    engines = {}
    for path in batches:
        questions = load_questions(path)
        sets = assign(questions, where, declared_sets(path))
        for name in dict.fromkeys(sets[q.id] for q in questions):
            if name not in engines:
                engines[name] = open_engine(load_settings(index_root / name))
            group = [q for q in questions if sets[q.id] == name]
            for result, answer in run_questions(engines[name], group):
                q = result.question
                rows.append(
                    Row("blind", path.stem, q.id, q.question, q.answerable, answer.evidence)
                )
    for engine in engines.values():
        engine.close()
    return rows


def load_rows(index_root: Path, cache: Path) -> list[Row]:
    """The captured rows, from ``cache`` when it exists, else captured and stored there."""
    if cache.exists():
        with cache.open("rb") as fh:
            return list(pickle.load(fh))
    batches = [REPO / "tests" / "labels" / name for name in BATCHES]
    rows = capture_shared(index_root) + capture_blind(index_root, batches)
    with cache.open("wb") as fh:
        pickle.dump(rows, fh)
    return rows


def auc(labels: Sequence[bool], values: Sequence[float]) -> float:
    """ROC AUC of ``values`` with ``labels`` True as the positive class (ties count half;
    nan when a class is empty)."""
    pos = np.asarray([v for v, y in zip(values, labels, strict=True) if y], dtype=np.float64)
    neg = np.asarray([v for v, y in zip(values, labels, strict=True) if not y], dtype=np.float64)
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


@dataclass(frozen=True)
class Separation:
    """One feature on one group of questions: its medians by class and its AUC alone."""

    median_answerable: float
    median_unanswerable: float
    auc: float


def separation(rows: Sequence[Row], value: Callable[[Row], float]) -> Separation:
    """``value`` over the rows with evidence: medians on each class and the AUC alone."""
    usable = [r for r in rows if r.evidence is not None]
    labels = [r.answerable for r in usable]
    values = [value(r) for r in usable]
    ans = [v for v, y in zip(values, labels, strict=True) if y]
    una = [v for v, y in zip(values, labels, strict=True) if not y]
    return Separation(
        float(np.median(ans)) if ans else float("nan"),
        float(np.median(una)) if una else float("nan"),
        auc(labels, values),
    )


def feature(name: str) -> Callable[[Row], float]:
    """The named piece of a row's evidence."""
    return lambda r: float(getattr(r.evidence, name))


def kind_tally(
    rows: Sequence[Row], caught: Callable[[Row], bool], kinds: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """Per kind of the unanswerable rows (``kinds`` by id, "untagged" if absent): (caught,
    all)."""
    out: dict[str, tuple[int, int]] = {}
    for r in rows:
        if r.answerable:
            continue
        kind = kinds.get(r.qid, "untagged")
        got, total = out.get(kind, (0, 0))
        out[kind] = (got + int(caught(r)), total + 1)
    return dict(sorted(out.items()))


def masked(evidence: Evidence | None, drop: Sequence[str]) -> Evidence | None:
    """``evidence`` with the pieces ``drop`` names set to 0 (a constant piece standardises
    to 0 and takes no weight: the fit without it)."""
    if evidence is None or not drop:
        return evidence
    return replace(evidence, **{name: 0.0 for name in drop})


def _cases(rows: Sequence[Row], drop: Sequence[str] = ()) -> list[Any]:
    from bench.fit_abstention import Case

    return [
        Case(
            r.batch,
            r.answerable,
            masked(r.evidence, drop),
            0.0,
            masked(r.withheld, drop),
            r.councils,
        )
        for r in rows
    ]


def fires(rows: Sequence[Row], check: Callable[[Evidence], bool]) -> str:
    """How many of the rows with evidence ``check`` holds for, as "n/all"."""
    usable = [r.evidence for r in rows if r.evidence is not None]
    return f"{sum(check(e) for e in usable)}/{len(usable)}"


def near_misses(cases: Sequence[Any], near: float) -> list[Any]:
    """The answerable cases and the unanswerable ones whose ``agreeing`` is at least
    ``near`` (those without evidence dropped)."""
    return [
        c for c in cases if c.evidence is not None and (c.answerable or c.evidence.agreeing >= near)
    ]


def _fmt(x: float) -> str:
    return "–" if x != x else f"{x:.2f}"


def report_features(shared: Sequence[Row], blind: Sequence[Row]) -> str:
    """The per-feature table: medians and AUC alone, shared against blind."""
    lines = [
        "| feature | shared med ans | shared med unans | shared AUC | blind med ans "
        "| blind med unans | blind AUC |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in FEATURES:
        a, b = separation(shared, feature(name)), separation(blind, feature(name))
        cells = [
            a.median_answerable,
            a.median_unanswerable,
            a.auc,
            b.median_answerable,
            b.median_unanswerable,
            b.auc,
        ]
        lines.append(f"| {name} | " + " | ".join(_fmt(c) for c in cells) + " |")
    return "\n".join(lines)


def out_of_fold_probabilities(
    rows: Sequence[Row], drop: Sequence[str] = (), **fit_args: Any
) -> tuple[list[float], list[str], Any]:
    """Per shared row, the out-of-fold probability and state (council folds, the fit of
    bench/fit_abstention.py with ``fit_args``), and the model fitted on every row."""
    from bench.fit_abstention import fit, state
    from evaluation.crossval import out_of_fold

    cases = _cases(rows, drop)
    groups = [c.councils or (c.set_name,) for c in cases]
    fit_args = dict(fit_args)
    near = fit_args.pop("near", None)
    whole: Callable[[list[Any]], Any] = partial(fit, **fit_args)

    def fitter(training: list[Any]) -> Any:
        return whole(near_misses(training, near) if near is not None else training)

    def both(model: Any, case: Any) -> tuple[float, str]:
        p = model.probability(case.evidence) if case.evidence is not None else 0.0
        return p, state(model, case)

    folded = out_of_fold(cases, groups, fitter, both)
    return [p for p, _ in folded], [s for _, s in folded], fitter(cases)


def figures(rows: Sequence[Row], states: Sequence[str]) -> str:
    """Caught unanswerable and refused answerable, as counts."""
    from qa_service.abstention import ANSWERED

    una = [s for s, r in zip(states, rows, strict=True) if not r.answerable]
    ans = [s for s, r in zip(states, rows, strict=True) if r.answerable]
    return (
        f"caught {sum(s != ANSWERED for s in una)}/{len(una)}, "
        f"false {sum(s != ANSWERED for s in ans)}/{len(ans)}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or load) and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/abstention_transfer.pkl"))
    parser.add_argument("--variants", action="store_true")
    args = parser.parse_args(argv)
    rows = load_rows(args.index_root, args.cache)
    shared = [r for r in rows if r.source == "shared"]
    blind = [r for r in rows if r.source == "blind"]
    print(
        f"shared {len(shared)} ({sum(not r.answerable for r in shared)} unanswerable), "
        f"blind {len(blind)} ({sum(not r.answerable for r in blind)} unanswerable); "
        f"without evidence: {sum(r.evidence is None for r in rows)}"
    )
    print("\n" + report_features(shared, blind))
    groups = sorted({r.batch for r in rows}, key=lambda b: (b.startswith("ask"), b))
    print("\nAUC alone per set / batch:")
    print("| feature | " + " | ".join(groups) + " |")
    print("| --- |" + " ---: |" * len(groups))
    for name in FEATURES:
        cells = [separation([r for r in rows if r.batch == g], feature(name)).auc for g in groups]
        print(f"| {name} | " + " | ".join(_fmt(c) for c in cells) + " |")

    held = [
        Row("withheld", r.batch, r.qid, r.question, False, r.withheld)
        for r in shared
        if r.withheld is not None
    ]
    print(
        "\nmedians: shared answerable / shared unanswerable / withheld near misses / "
        "blind answerable / blind unanswerable; per shared set and blind batch (ans/unans)"
    )
    print(
        "| feature | sh ans | sh unans | withheld | bl ans | bl unans | "
        + " | ".join(groups)
        + " |"
    )
    print("| --- |" + " ---: |" * (5 + len(groups)))
    for name in FEATURES:
        a, b = separation(shared, feature(name)), separation(blind, feature(name))
        w = float(np.median([feature(name)(r) for r in held]))
        per = [separation([r for r in rows if r.batch == g], feature(name)) for g in groups]
        medians = [
            _fmt(a.median_answerable),
            _fmt(a.median_unanswerable),
            _fmt(w),
            _fmt(b.median_answerable),
            _fmt(b.median_unanswerable),
        ]
        medians += [f"{_fmt(x.median_answerable)}/{_fmt(x.median_unanswerable)}" for x in per]
        print(f"| {name} | " + " | ".join(medians) + " |")
    sh_ans = [r for r in shared if r.answerable]
    print("\nAUC alone, shared answerable against the withheld near misses:")
    for name in FEATURES:
        print(f"  {name}: {separation(sh_ans + held, feature(name)).auc:.2f}")

    checks: dict[str, Callable[[Evidence], bool]] = {
        "year_missed 1": lambda e: e.year_missed == 1,
        "year_missed > 0": lambda e: e.year_missed > 0,
        "amount_missed": lambda e: e.amount_missed > 0,
        "value_missed": lambda e: e.value_missed > 0,
        "lacking > 0": lambda e: e.lacking > 0,
        "any of year 1, amount, value": lambda e: bool(
            e.year_missed == 1 or e.amount_missed > 0 or e.value_missed > 0
        ),
    }
    print("\nanswer checks: fires on answerable / unanswerable (near misses: agreeing >= NEAR)")
    print(
        "| check | shared ans | shared unans | shared near unans | blind ans | blind unans "
        "| blind near unans |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, check in checks.items():
        fired: list[str] = []
        for part in (shared, blind):
            ans = [r for r in part if r.answerable]
            una = [r for r in part if not r.answerable]
            close = [r for r in una if r.evidence is not None and r.evidence.agreeing >= NEAR]
            fired += [fires(ans, check), fires(una, check), fires(close, check)]
        print(f"| {label} | " + " | ".join(fired) + " |")

    from qa_service.abstention import ANSWERED, Model
    from qa_service.abstention_fit import FITTED

    stored = Model.from_data(FITTED)

    def prob(model: Any) -> Callable[[Row], float]:
        return lambda r: model.probability(r.evidence) if r.evidence is not None else 0.0

    probs, states, _ = out_of_fold_probabilities(shared)
    folded = {r.qid: p for r, p in zip(shared, probs, strict=True)}
    print("\nclassifier score AUC (answerable positive):")
    print(f"  shared, stored fit (in-sample): {separation(shared, prob(stored)).auc:.3f}")
    print(
        f"  shared, out of fold: {separation(shared, lambda r: folded[r.qid]).auc:.3f}; "
        f"{figures(shared, states)}"
    )
    for g in groups:
        part = [r for r in rows if r.batch == g]
        oof = separation(part, lambda r: folded[r.qid]).auc if g in SETS else float("nan")
        print(f"  {g}: stored {separation(part, prob(stored)).auc:.3f}, out of fold {_fmt(oof)}")
    print(f"  blind, stored fit (never saw them): {separation(blind, prob(stored)).auc:.3f}")
    blind_states = [stored.state(r.evidence) if r.evidence else "not_in_papers" for r in blind]
    print(f"  blind with the stored fit: {figures(blind, blind_states)}")

    caught_ids = {r.qid for r, s in zip(blind, blind_states, strict=True) if s != ANSWERED}
    print("\nblind unanswerables by kind (caught / all), stored fit:")
    for kind, (got, total) in kind_tally(blind, lambda r: r.qid in caught_ids, KINDS).items():
        print(f"  {kind}: {got}/{total}")
    print("\nblind unanswerables (kind, p, evidence):")
    for r in blind:
        if not r.answerable:
            ev = r.evidence
            vals = (
                " ".join(f"{k}={v:.2f}" for k, v in zip(FEATURES, ev.vector(), strict=True))
                if ev
                else "none"
            )
            mark = "CAUGHT" if r.qid in caught_ids else "answered"
            print(f"  {r.qid} {KINDS.get(r.qid, '?')} {mark} p={prob(stored)(r):.3f} {vals}")
    print("\nblind answerables refused:")
    for r, s in zip(blind, blind_states, strict=True):
        if r.answerable and s != ANSWERED and r.evidence is not None:
            vals = " ".join(
                f"{k}={v:.2f}" for k, v in zip(FEATURES, r.evidence.vector(), strict=True)
            )
            print(f"  {r.qid} p={prob(stored)(r):.3f} {r.question}\n      {vals}")
    near = [
        r
        for r in shared
        if r.evidence is not None and (r.answerable or r.evidence.agreeing >= NEAR)
    ]
    print(
        f"\nshared unanswerables with agreeing >= {NEAR} (near misses by similarity): "
        f"{sum(not r.answerable for r in near)} of {sum(not r.answerable for r in shared)}; "
        f"stored score AUC on them against every answerable: "
        f"{separation(near, prob(stored)).auc:.3f}; out of fold: "
        f"{separation(near, lambda r: folded[r.qid]).auc:.3f}"
    )
    near_b = [
        r for r in blind if r.evidence is not None and (r.answerable or r.evidence.agreeing >= NEAR)
    ]
    print(
        f"blind unanswerables with agreeing >= {NEAR}: {sum(not r.answerable for r in near_b)} "
        f"of {sum(not r.answerable for r in blind)}; "
        f"stored AUC {separation(near_b, prob(stored)).auc:.3f}"
    )

    if args.variants:
        print("\nvariants: out of fold on the shared sets; blind = SEEN, a diagnostic only")
        print("| variant | shared OOF | shared OOF AUC | blind AUC (seen) | blind (seen) |")
        print("| --- | --- | ---: | ---: | --- |")
        for label, drop, fit_args in VARIANTS:
            probs, states, model = out_of_fold_probabilities(shared, drop, **fit_args)
            masked_blind = [replace(r, evidence=masked(r.evidence, drop)) for r in blind]
            b_states = [
                model.state(r.evidence) if r.evidence else "not_in_papers" for r in masked_blind
            ]
            shared_auc = auc([r.answerable for r in shared], probs)
            print(
                f"| {label} | {figures(shared, states)} | {shared_auc:.3f} | "
                f"{separation(masked_blind, prob(model)).auc:.3f} | "
                f"{figures(masked_blind, b_states)} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
