"""The abstention fit with and without the consumed batches, and its choices, out of fold.

    python bench/abstention_pool_variants.py --index-root DIR --cache FILE
        [--caps period,plan,intent,counted] [--seeds 0,1,2] [--only LABEL] [--curve]

Captures (or reads from ``--cache``, bench/fit_abstention.py's ``--cache``) every question of
the three shared sets and of the consumed blind ask batches (bench/abstention_pool.py), and
for each variant of ``VARIANTS`` prints, out of fold over council folds that leave a
council's set and batch questions out together, caught / unanswerable and refused /
answerable per set and on the batches pooled, and the pooled mistakes (unanswerable
answered plus answerable refused, over every case) averaged over ``--seeds`` (the bags'
seed).  A variant fitted "on the sets" trains each fold on the shared sets' questions alone
(the rule before), and judges the batch questions of the held-out council too.  The
variants: the batches in the fit or not; the cut's allowance of answerable questions
refused (``max_false``); the weight of the withheld near misses (``share``); the L2
strength chosen per fit or fixed.  ``--curve`` prints instead what the best cut could
catch at each number of answerable questions refused (docs/quality.md, "Abstention, stop
29: the consumed batches as training questions").
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_pool import CONSUMED, load_or_capture  # noqa: E402
from bench.fit_abstention import (  # noqa: E402
    SETS,
    Case,
    as_cases,
    capped_pieces,
    capture_cases,
    fit_capped,
    on_sets,
    state,
    switched,
)
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service import abstention_value  # noqa: E402
from qa_service.abstention import ANSWERED, CHECK_PIECES  # noqa: E402

# (label, trained on the batches too, fit arguments)
VARIANTS: list[tuple[str, bool, dict[str, Any]]] = [
    ("sets only (main's rule)", False, {}),
    ("sets only, max_false 0.04", False, {"max_false": 0.04}),
    ("sets only, max_false 0.03", False, {"max_false": 0.03}),
    ("sets only, C 0.1", False, {"c": 0.1}),
    ("sets only, C 1", False, {"c": 1.0}),
    ("sets + batches", True, {}),
    ("sets + batches, max_false 0.04", True, {"max_false": 0.04}),
    ("sets + batches, max_false 0.03", True, {"max_false": 0.03}),
    ("sets + batches, share 0", True, {"share": 0.0}),
    ("sets + batches, share 0.5", True, {"share": 0.5}),
    ("sets + batches, C 0.1", True, {"c": 0.1}),
    ("sets + batches, C 1", True, {"c": 1.0}),
]


def judged(
    cases: Sequence[Case], pooled: bool, fitting: Callable[..., Any], **kwargs: Any
) -> list[str]:
    """Each case's state out of fold over council folds, fitted with the batches
    (``pooled``) or on the sets' cases alone."""
    chosen = (lambda t: list(t)) if pooled else on_sets
    return out_of_fold(
        cases,
        [c.councils for c in cases],
        lambda training: fitting(chosen(training), **kwargs),
        state,
    )


def tally(cases: Sequence[Case], states: Sequence[str], part: Callable[[Case], bool]) -> str:
    """Caught / unanswerable, refused / answerable, of the cases ``part`` keeps."""
    pairs = [(c, s) for c, s in zip(cases, states, strict=True) if part(c)]
    un = [s != ANSWERED for c, s in pairs if not c.answerable]
    an = [s != ANSWERED for c, s in pairs if c.answerable]
    return f"{sum(un)}/{len(un)}, {sum(an)}/{len(an)}"


def mistakes(cases: Sequence[Case], states: Sequence[str]) -> int:
    """Unanswerable answered plus answerable refused."""
    return sum((s == ANSWERED) != c.answerable for c, s in zip(cases, states, strict=True))


def curve(answerable: Sequence[bool], probs: Sequence[float], most: int = 6) -> list[str]:
    """Caught / unanswerable at the cut just above the k-th lowest answerable probability,
    for k from 1 to ``most`` ("caught/unanswerable@refused/answerable"; ties refuse
    together): what the best cut could do at each number refused."""
    y = np.asarray(answerable, dtype=bool)
    p = np.asarray(probs, dtype=np.float64)
    lows = np.sort(p[y])
    out = []
    for k in range(1, most + 1):
        cut = lows[min(k, len(lows)) - 1]
        out.append(
            f"{int((p[~y] <= cut).sum())}/{int((~y).sum())}@{int((p[y] <= cut).sum())}/{len(lows)}"
        )
    return out


def refused_probability(model: Any, case: Case) -> float:
    """The model's probability, or -1 where it cannot answer (no passage, or a cap fires)."""
    if case.evidence is None or any(getattr(case.evidence, p) > 0 for p in model.caps):
        return -1.0
    return float(model.probability(case.evidence))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--caps", default="period,plan,intent,counted")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--only", default="", help="run only the variants whose label has this")
    parser.add_argument(
        "--curve",
        action="store_true",
        help="print instead, per set and the batches, the catches at each count refused "
        "(out of fold, fitted on the sets and on sets + batches; bags 20)",
    )
    args = parser.parse_args(argv)
    caps = capped_pieces(args.caps)
    on = ",".join(f"{n}=on" for n, p in CHECK_PIECES.items() if p in caps)
    abstention_value.STORED = switched(abstention_value.STORED, on)
    key = (abstention_value.STORED, [p.name for p in CONSUMED])
    rows = load_or_capture(args.cache, key, partial(capture_cases, args.index_root, CONSUMED))
    cases, _ = as_cases(rows)
    seeds = [int(s) for s in args.seeds.split(",")]
    fitting = partial(fit_capped, pieces=caps)
    parts: list[tuple[str, Callable[[Case], bool]]] = [
        *((name, lambda c, name=name: c.set_name == name) for name in SETS),
        ("batches", lambda c: c.set_name not in SETS),
    ]
    if args.curve:
        for pooled in (False, True):
            chosen = (lambda t: list(t)) if pooled else on_sets
            probs = out_of_fold(
                cases,
                [c.councils for c in cases],
                lambda training, chosen=chosen: fitting(chosen(training), bags=20),
                refused_probability,
            )
            for name, keep in parts:
                idx = [i for i, c in enumerate(cases) if keep(c)]
                line = curve([cases[i].answerable for i in idx], [probs[i] for i in idx])
                print(f"{'sets + batches' if pooled else 'sets'} | {name} | " + " ".join(line))
        return 0
    print("| variant | " + " | ".join(n for n, _ in parts) + " | mistakes (mean over seeds) |")
    print("| --- |" + " --- |" * len(parts) + " ---: |")
    for label, pooled, kwargs in VARIANTS:
        if args.only and args.only not in label:
            continue
        runs = [judged(cases, pooled, fitting, seed=seed, **kwargs) for seed in seeds]
        cells = [tally(cases, runs[0], keep) for _, keep in parts]
        mean = sum(mistakes(cases, r) for r in runs) / len(runs)
        print(f"| {label} | " + " | ".join(cells) + f" | {mean:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
