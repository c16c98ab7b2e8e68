"""Fit one second-stage weight (qa_service/rerank.py ``Weights``) across councils.

    python bench/fit_rerank.py --weight year --values 0 0.1 0.2 0.3 0.5 [--index-root DIR]

Runs every question of the three shared sets once with the weight at 0, keeping the 30
re-scored candidates of each (their ``Features``), then re-sorts those candidates offline
for each value.  The value with the best MRR@10 is chosen on the whole pool (in-sample)
and, for each council, on the other councils' questions only (out of fold,
``evaluation.crossval``).  Prints R@1 and MRR@10 per set for the weight at 0, the
in-sample value and the out-of-fold values.  (Near-duplicate folding, which runs after the
scoring, is not redone offline; the figures of docs/quality.md come from full runs.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality_all import SETS, run_set  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import first_hit_rank  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.rerank import Features, Weights  # noqa: E402

POOL = 30


@dataclass
class Case:
    """One answerable question's candidates: their features and whether each hits."""

    set_name: str
    features: list[Features]
    hits: list[bool]

    def rank(self, weights: Weights) -> int | None:
        """1-based rank of the first hit once the candidates are re-scored."""
        order = sorted(
            range(len(self.features)), key=lambda i: -round(self.features[i].score(weights), 6)
        )
        for rank, i in enumerate(order, start=1):
            if self.hits[i]:
                return rank
        return None


def mrr(ranks: Sequence[int | None]) -> float:
    """Sum of reciprocal ranks within 10."""
    return sum(1.0 / r for r in ranks if r is not None and r <= 10)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture, fit, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weight", required=True, choices=list(Weights.__dataclass_fields__))
    parser.add_argument("--values", type=float, nargs="+", required=True)
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    args = parser.parse_args(argv)
    embedder = SentenceTransformerEmbedder(lazy=True)
    base = Weights.from_settings(Settings())
    cases: list[Case] = []
    groups: list[tuple[str, ...]] = []
    # the weight at 0 for the run (it moves only which near-duplicates fold; the candidates
    # are the same fused ones), where Settings has a field for it
    field = "fusion_weight" if args.weight == "fused" else f"{args.weight}_weight"
    changes = {field: 0.0} if field in Settings.model_fields else {}
    for name in SETS:
        run = run_set(name, args.index_root, embedder, POOL, changes)
        for result, answer, group in zip(run.results, run.answers, run.groups, strict=True):
            if not result.question.answerable:
                continue
            feats = [h.features or Features(0.0, 0.0, 0.0) for h in answer.hits]
            hits = [first_hit_rank(result.question, [r]) == 1 for r in result.ranked]
            cases.append(Case(name, feats, hits))
            groups.append(group)

    def weights(value: float) -> Weights:
        return replace(base, **{args.weight: value})

    def best(training: list[Case]) -> float:
        return max(
            args.values,
            key=lambda v: (mrr([c.rank(weights(v)) for c in training]), -abs(v)),
        )

    chosen = best(cases)
    oof = out_of_fold(cases, groups, best, lambda v, c: c.rank(weights(v)))
    print(f"{args.weight}: in-sample value {chosen}")
    folds = out_of_fold(cases, groups, best, lambda v, c: v)
    print(f"out-of-fold values: {sorted(set(folds))}")
    print(
        "| set | answerable | R@1 at 0 | MRR at 0 | R@1 in-sample | MRR in-sample "
        "| R@1 out of fold | MRR out of fold |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in SETS:
        idx = [i for i, c in enumerate(cases) if c.set_name == name]
        n = len(idx)
        zero = [cases[i].rank(weights(0.0)) for i in idx]
        inside = [cases[i].rank(weights(chosen)) for i in idx]
        folded = [oof[i] for i in idx]
        cells = []
        for ranks in (zero, inside, folded):
            cells += [f"{sum(r == 1 for r in ranks) / n:.2f}", f"{mrr(ranks) / n:.3f}"]
        print(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
