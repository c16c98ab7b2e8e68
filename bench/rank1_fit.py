"""Fit the ``opening`` weight (qa_service/rerank.py) leaving one council out, on a
bench/rank1_capture.py pickle.

    python bench/rank1_fit.py CAPTURE.pkl [--values -1 -0.75 -0.5 ...]

Re-scores each answerable question's captured candidates offline (their ``Features``, tables
demoted as the service demotes them; near-duplicate folding not redone) with the opening of
a paper marked (``rerank.opening_mark``: ordinal 0, another passage of the paper a candidate,
not front matter already) at each weight, and picks the weight of best MRR@10 on all the
questions (in-sample) and, for each council, on the questions of the other councils only
(out of fold, ``evaluation.crossval``).  Prints R@1 per set or batch at 0, in-sample and out
of fold, each weight's R@1 with the questions it gains and loses, and the folds' choices.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rank1_capture import Cand, Row  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service.figures import asks_for_figures  # noqa: E402
from qa_service.rerank import Weights, opening_mark  # noqa: E402

VALUES = (0.0, -0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.75, -1.0)


def opening_of(row: Row) -> list[float]:
    """Each candidate's ``opening`` signal, from what the capture kept of it."""
    ordinals: dict[str, set[int]] = {}
    for c in row.cands:
        ordinals.setdefault(c.source, set()).add(c.ordinal)
    return [
        opening_mark(c, c.features.title_block, ordinals[c.source])  # type: ignore[arg-type]
        for c in row.cands
    ]


def rank(row: Row, opening: list[float], weight: float, base: Weights) -> int | None:
    """1-based rank of the first hit with the opening at ``weight``."""
    weights = replace(base, opening=0.0)

    def score(i: int) -> float:
        # a capture made before the signal existed reads ``opening`` as its default, 0
        c: Cand = row.cands[i]
        return round(c.features.score(weights) + weight * opening[i], 6)

    order = sorted(range(len(row.cands)), key=lambda i: -score(i))
    if not asks_for_figures(row.question):
        order = [i for i in order if not row.cands[i].is_table] + [
            i for i in order if row.cands[i].is_table
        ]
    return next((r for r, i in enumerate(order, start=1) if row.cands[i].hit), None)


def mrr(ranks: Sequence[int | None]) -> float:
    """Sum of reciprocal ranks within 10."""
    return sum(1.0 / r for r in ranks if r is not None and r <= 10)


def print_weights(
    rows: Sequence[Row],
    values: Sequence[float],
    ranks: dict[tuple[float, int], int],
    before: Sequence[int],
) -> None:
    """A line a weight: its R@1 and MRR over ``rows`` and the questions it brings to rank 1
    or takes from it against ``before`` (each row's rank without the signal)."""
    every = range(len(rows))
    for w in values:
        gained = [rows[i].qid for i in every if ranks[w, i] == 1 != before[i]]
        lost = [rows[i].qid for i in every if before[i] == 1 != ranks[w, i]]
        hits = sum(ranks[w, i] == 1 for i in every)
        print(
            f"  {w:+.2f}: R@1 {hits}, MRR {mrr([ranks[w, i] for i in every]):.2f}; "
            f"gains {gained}; loses {lost}"
        )


def fit_weight(
    rows: Sequence[Row], values: list[float], ranks: dict[tuple[float, int], int | None]
) -> tuple[float, list[int | None], list[float]]:
    """One weight chosen among ``values`` (sorted by size) by MRR@10 of ``ranks`` (the rank
    of row i's first hit at weight w): in-sample, and leaving one council out (a row's
    ``group``; a batch's rows of no council together): the choice on every row, each
    row's rank out of fold, and each row's fold's choice."""

    def best(training: list[int]) -> float:
        # the weight of best MRR@10; among ties the smallest (``values`` is sorted by size)
        scored = [(mrr([ranks[w, i] for i in training]), -k, w) for k, w in enumerate(values)]
        return max(scored)[2]

    every = list(range(len(rows)))
    groups = [r.group or (f"{r.batch}: no council",) for r in rows]
    oof = out_of_fold(every, groups, best, lambda w, i: ranks[w, i])
    picked = out_of_fold(every, groups, best, lambda w, i: w)
    return best(every), oof, picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("--values", type=float, nargs="+", default=list(VALUES))
    args = parser.parse_args(argv)
    with args.capture.open("rb") as fh:
        rows: list[Row] = pickle.load(fh)
    base = Weights()
    values = sorted(set(args.values) | {0.0}, key=abs)
    openings = [opening_of(r) for r in rows]
    ranks = {(w, i): rank(r, openings[i], w, base) for w in values for i, r in enumerate(rows)}

    every = list(range(len(rows)))
    chosen, oof, picked = fit_weight(rows, values, ranks)
    print(f"in-sample choice {chosen}; the folds' choices {Counter(picked).most_common()}")
    print("| set | answerable | R@1 at 0 | R@1 in-sample | R@1 out of fold |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for batch in dict.fromkeys(r.batch for r in rows):
        idx = [i for i in every if rows[i].batch == batch]
        cells = [
            sum(ranks[0.0, i] == 1 for i in idx),
            sum(ranks[chosen, i] == 1 for i in idx),
            sum(oof[i] == 1 for i in idx),
        ]
        print(f"| {batch} | {len(idx)} | " + " | ".join(str(c) for c in cells) + " |")
    total = [sum(ranks[0.0, i] == 1 for i in every), sum(oof[i] == 1 for i in every)]
    print(f"all: R@1 {total[0]} at 0, {total[1]} out of fold of {len(rows)}")
    print_weights(rows, values[1:], ranks, [ranks[0.0, i] for i in every])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
