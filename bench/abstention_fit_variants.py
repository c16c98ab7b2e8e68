"""Compare fit procedures for the abstention classifier, out of fold across councils.

    python bench/abstention_fit_variants.py --index-root DIR [--cache FILE] [--seeds 0 1 2]

Captures every question's evidence once (as bench/fit_abstention.py does; ``--cache`` keeps
it in a pickle so later runs skip the capture), then, per variant of the fit procedure and
per seed of the bootstrap, prints the pooled out-of-fold mistakes (unanswerable answered
plus answerable not answered, over the three sets), the share of unanswerable questions
caught and of answerable ones refused per set, out of fold and in-sample, and ``flips``:
the questions whose out-of-fold state (answered or not) differs from the state the model
fitted on every question gives them, a measure of how much the folds' fits disagree.

The criterion (set before any variant was run, docs/quality.md "Abstention, stop 21: the
fit"): the fewest pooled out-of-fold mistakes, averaged over the seeds, among the variants
that refuse at most 5% of answerable questions on every set at every seed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fit_abstention import Case, captured, choose_c, fit, state  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service.abstention import ANSWERED, Model  # noqa: E402


@dataclass
class Captured:
    """Every question's case, its councils and its text."""

    cases: list[Case]
    groups: list[tuple[str, ...]]
    questions: list[str] = field(default_factory=list)


def capture(index_root: Path) -> Captured:
    """Every question's evidence on the three sets (as bench/fit_abstention.py's main)."""
    out = Captured([], [], [])
    for name, result, answer, group, held in captured(index_root):
        q = result.question
        out.cases.append(Case(name, q.answerable, answer.evidence, answer.confidence, held))
        out.groups.append(group)
        out.questions.append(q.question)
    return out


@dataclass
class Scored:
    """One variant at one seed: pooled mistakes, per-set caught and refused, flips."""

    oof_mistakes: int
    in_mistakes: int
    oof: dict[str, tuple[float, float]]
    inside: dict[str, tuple[float, float]]
    flips: int
    oof_states: list[str]


def per_set(cases: Sequence[Case], states: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Per set: (share of unanswerable not answered, share of answerable not answered)."""
    out = {}
    for name in SETS:
        part = [(c, s) for c, s in zip(cases, states, strict=True) if c.set_name == name]
        unans = [s != ANSWERED for c, s in part if not c.answerable]
        ans = [s != ANSWERED for c, s in part if c.answerable]
        out[name] = (sum(unans) / max(len(unans), 1), sum(ans) / max(len(ans), 1))
    return out


def mistakes(cases: Sequence[Case], states: Sequence[str]) -> int:
    """Unanswerable answered plus answerable not answered."""
    return sum((s == ANSWERED) != c.answerable for s, c in zip(states, cases, strict=True))


def score(data: Captured, fitter: Callable[[list[Case]], Model]) -> Scored:
    """The variant ``fitter`` out of fold and in-sample."""
    cases = data.cases
    folded = out_of_fold(cases, data.groups, fitter, state)
    model = fitter(list(cases))
    inside = [state(model, c) for c in cases]
    flips = sum((a == ANSWERED) != (b == ANSWERED) for a, b in zip(folded, inside, strict=True))
    return Scored(
        mistakes(cases, folded),
        mistakes(cases, inside),
        per_set(cases, folded),
        per_set(cases, inside),
        flips,
        folded,
    )


_CHOSEN: dict[tuple[int, ...], float] = {}


def nested_c(cases: list[Case]) -> float:
    """``choose_c`` on these training cases, once per training set (it draws no bags, so
    every seed shares it)."""
    key = tuple(id(c) for c in cases)
    if key not in _CHOSEN:
        _CHOSEN[key] = choose_c(cases)
        print(f"  C chosen: {_CHOSEN[key]}", file=sys.stderr, flush=True)
    return _CHOSEN[key]


def variants() -> dict[str, Callable[..., Model]]:
    """Every fit procedure compared, by name; each takes the training cases and a seed."""
    return {
        "single fit": lambda cs, seed: fit(cs, bags=0),
        "coef-avg (stored)": lambda cs, seed: fit(cs, seed=seed),
        "prob-avg": lambda cs, seed: fit(cs, seed=seed, average="probability"),
        "coef-avg, signs": lambda cs, seed: fit(cs, seed=seed, signed=True),
        "prob-avg, signs": lambda cs, seed: fit(cs, seed=seed, average="probability", signed=True),
        "coef-avg, C nested": lambda cs, seed: fit(cs, seed=seed, c=nested_c(cs)),
        "prob-avg, C nested": lambda cs, seed: fit(
            cs, seed=seed, average="probability", c=nested_c(cs)
        ),
        "coef-avg, false 0.04": lambda cs, seed: fit(cs, seed=seed, max_false=0.04),
        "prob-avg, false 0.04": lambda cs, seed: fit(
            cs, seed=seed, average="probability", max_false=0.04
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or load), score every variant at every seed, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--only", nargs="*", default=None, help="variant names to run")
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.exists():
        data = Captured(*pickle.loads(args.cache.read_bytes()))
    else:
        data = capture(args.index_root)
        if args.cache is not None:
            # plain lists, so that any module can read the cache back
            args.cache.write_bytes(pickle.dumps((data.cases, data.groups, data.questions)))
    # each case knows its councils, for the variants that choose C by council folds
    data.cases = [replace(c, councils=g) for c, g in zip(data.cases, data.groups, strict=True)]
    print(
        "| variant | seed | mistakes OOF / in | flips | caught OOF | refused OOF "
        "| caught in | refused in |"
    )
    print("| --- | ---: | ---: | ---: | --- | --- | --- | --- |")
    summary = {}
    for name, make in variants().items():
        if args.only and name not in args.only:
            continue
        runs = []
        for seed in args.seeds:
            got = score(data, partial(make, seed=seed))
            runs.append(got)
            cells = [
                " / ".join(f"{got.oof[s][0]:.2f}" for s in SETS),
                " / ".join(f"{got.oof[s][1]:.2f}" for s in SETS),
                " / ".join(f"{got.inside[s][0]:.2f}" for s in SETS),
                " / ".join(f"{got.inside[s][1]:.2f}" for s in SETS),
            ]
            print(
                f"| {name} | {seed} | {got.oof_mistakes} / {got.in_mistakes} | {got.flips} | "
                + " | ".join(cells)
                + " |",
                flush=True,
            )
        ok = all(r.oof[s][1] <= 0.05 for r in runs for s in SETS)
        summary[name] = (
            float(np.mean([r.oof_mistakes for r in runs])),
            float(np.mean([r.flips for r in runs])),
            ok,
        )
    print("\n| variant | mean mistakes OOF | mean flips | false <= 0.05 everywhere |")
    print("| --- | ---: | ---: | --- |")
    for name, (m, f, ok) in summary.items():
        print(f"| {name} | {m:.2f} | {f:.1f} | {'yes' if ok else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
