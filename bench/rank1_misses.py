"""The rank-1 misses with a hit in the top five, from a bench/rank1_capture.py pickle.

    python bench/rank1_misses.py CAPTURE.pkl

For each answerable question whose first hit is at rank 2 to 5: what ranked first (its
file, passage number, meeting date and opening words), whether it is of the gold passage's
paper, and which stage put it above the gold passage: the dense and the lexical first pass
(its rank in each list against the gold passage's), the fusion of the two, then the second
stage (``rerank.Features``: the weighted signals the gold passage lost by, largest first).
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import fields
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rank1_capture import Cand, Row  # noqa: E402
from qa_service.rerank import Weights  # noqa: E402


def _above(a: int | None, b: int | None) -> bool:
    """Whether rank ``a`` is better than rank ``b`` (absent counts as last)."""
    return (a if a is not None else 10**6) < (b if b is not None else 10**6)


def stage(top: Cand, gold: Cand) -> str:
    """Where the top passage got above the gold one."""
    first = [
        name
        for name, a, b in (
            ("dense", top.dense_rank, gold.dense_rank),
            ("lexical", top.lexical_rank, gold.lexical_rank),
        )
        if _above(a, b)
    ]
    if top.fused_rank < gold.fused_rank:
        return "first pass (" + "+".join(first) + "), kept by the second stage"
    return "second stage (gold first after fusion)"


def losses(top: Cand, gold: Cand, weights: Weights) -> str:
    """The weighted signals on which the gold passage is behind, largest first."""
    diffs = [
        (
            getattr(weights, f.name)
            * (getattr(top.features, f.name) - getattr(gold.features, f.name)),
            f.name,
        )
        for f in fields(weights)
    ]
    return ", ".join(f"{n} {d:+.2f}" for d, n in sorted(diffs, reverse=True) if d > 0.005)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    with Path(args[0]).open("rb") as fh:
        rows: list[Row] = pickle.load(fh)
    weights = Weights()
    for row in rows:
        if row.final_rank is None or not 2 <= row.final_rank <= 5:
            continue
        top = row.cands[0]
        gold = next(c for c in row.cands if c.hit)
        same = "same paper" if top.source == gold.source else "other paper"
        print(
            f"{row.qid} [{row.batch}] rank {row.final_rank}; {same}; gap "
            f"{top.score - gold.score:.2f}; {stage(top, gold)}\n"
            f"  Q: {row.question}\n"
            f"  top  {top.source} #{top.ordinal} {top.meeting_date}: "
            f"{' '.join(top.text.split())[:140]}\n"
            f"  gold {gold.source} #{gold.ordinal} {gold.meeting_date}\n"
            f"  gold behind on: {losses(top, gold, weights)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
