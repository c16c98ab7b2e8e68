"""Fit one second-stage weight (qa_service/rerank.py ``Weights``) across councils, alone or
together with one setting that changes the candidates themselves.

    python bench/fit_rerank.py --weight year --values 0 0.1 0.2 0.3 0.5 [--index-root DIR]
    python bench/fit_rerank.py --weight count --values 0 0.1 0.2 0.25 0.3 0.5 --ties middle
    python bench/fit_rerank.py --weight sentence --values 0.5 0.75 1 \
        --setting topic_share --setting-values 0 0.5 0.75 1

Runs every question of the three shared sets once with the weight at 0 (once per value of
``--setting``, which may change the question's vector and so the candidates), keeping the
30 re-scored candidates of each (their ``Features``), then re-sorts those candidates
offline for each value of the weight.  The value (or pair of values) with the best MRR@10
is chosen on the whole pool (in-sample) and, for each council, on the other councils'
questions only (out of fold, ``evaluation.crossval``).  Prints R@1 and MRR@10 per set for
the weight at 0, for the shipped settings, the in-sample choice and the out-of-fold
choices.  (Near-duplicate folding, which runs after the scoring, is not redone offline; the
figures of docs/quality.md come from full runs.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
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


Choice = tuple[float | None, float]  # (the setting's value, or None without one; the weight)


def capture(
    index_root: Path, changes: dict[str, float]
) -> tuple[list[Case], list[tuple[str, ...]]]:
    """Every answerable question's candidates under the settings ``changes``, and the
    councils each question touches (its fold)."""
    embedder = SentenceTransformerEmbedder(lazy=True)
    cases: list[Case] = []
    groups: list[tuple[str, ...]] = []
    for name in SETS:
        run = run_set(name, index_root, embedder, POOL, changes)
        for result, answer, group in zip(run.results, run.answers, run.groups, strict=True):
            if not result.question.answerable:
                continue
            feats = [h.features or Features(0.0, 0.0, 0.0) for h in answer.hits]
            hits = [first_hit_rank(result.question, [r]) == 1 for r in result.ranked]
            cases.append(Case(name, feats, hits))
            groups.append(group)
    return cases, groups


def fit_choices(
    runs: Mapping[float | None, list[Case]],
    groups: Sequence[tuple[str, ...]],
    choices: Sequence[Choice],
    base: Weights,
    weight: str,
    ties: str = "smallest",
) -> tuple[Choice, list[int | None], list[Choice]]:
    """The choice of best MRR@10 over every question, and per question the rank under, and
    the choice of, the fit made without its councils.  ``runs`` holds each setting value's
    captured cases, aligned.  Among choices of equal MRR, ``ties`` "smallest" takes the
    smallest weight (then the first listed); "middle" the middle one in the order listed
    (the lower of two), as the smallest sits where the last training question only just
    turned, so a held-out question of the same kind that needs a little more misses."""
    ranks: dict[tuple[Choice, int], int | None] = {}

    def rank(choice: Choice, i: int) -> int | None:
        if (choice, i) not in ranks:
            ranks[choice, i] = runs[choice[0]][i].rank(replace(base, **{weight: choice[1]}))
        return ranks[choice, i]

    def best(training: list[int]) -> Choice:
        scored = [(mrr([rank(c, i) for i in training]), c) for c in choices]
        top = max(s for s, _ in scored)
        tied = [c for s, c in scored if s >= top - 1e-9]
        if ties == "middle":
            return tied[(len(tied) - 1) // 2]
        return min(tied, key=lambda c: abs(c[1]))

    every = list(range(len(groups)))
    oof = out_of_fold(every, list(groups), best, rank)
    picked = out_of_fold(every, list(groups), best, lambda c, i: c)
    return best(every), oof, picked


def main(argv: Sequence[str] | None = None) -> int:
    """Capture, fit, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weight", required=True, choices=list(Weights.__dataclass_fields__))
    parser.add_argument("--values", type=float, nargs="+", required=True)
    parser.add_argument(
        "--setting", choices=["topic_share"], help="a setting fitted with the weight"
    )
    parser.add_argument("--setting-values", type=float, nargs="+", default=[])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument(
        "--ties",
        choices=["smallest", "middle"],
        default="smallest",
        help="among values of equal MRR@10, the smallest or the middle one (fit_choices)",
    )
    args = parser.parse_args(argv)
    args.values = sorted(args.values)
    if args.setting and not args.setting_values:
        parser.error("--setting needs --setting-values")
    settings = Settings()
    base = Weights.from_settings(settings)
    # the weight at 0 for the run (it moves only which near-duplicates fold; the candidates
    # are the same fused ones), where Settings has a field for it
    field = "fusion_weight" if args.weight == "fused" else f"{args.weight}_weight"
    changes = {field: 0.0} if field in Settings.model_fields else {}
    shipped = getattr(settings, args.setting) if args.setting else None
    setting_values: list[float | None] = list(args.setting_values) if args.setting else [None]
    if args.setting and shipped not in setting_values:
        setting_values.append(shipped)
    runs: dict[float | None, list[Case]] = {}
    groups: list[tuple[str, ...]] = []
    for value in setting_values:
        extra = {args.setting: value} if args.setting else {}
        runs[value], groups = capture(args.index_root, {**changes, **extra})
    now: Choice = (shipped, getattr(base, args.weight))
    choices = [(s, v) for s in setting_values for v in args.values]
    chosen, oof, picked = fit_choices(runs, groups, choices, base, args.weight, args.ties)
    print(f"{args.setting or ''} {args.weight}: in-sample {chosen}, shipped {now}")
    print(f"out-of-fold choices: {sorted(set(picked), key=str)}")
    print(
        "| set | answerable | R@1 at 0 | MRR at 0 | R@1 shipped | MRR shipped "
        "| R@1 in-sample | MRR in-sample | R@1 out of fold | MRR out of fold |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    cases = runs[shipped]
    for name in SETS:
        idx = [i for i, c in enumerate(cases) if c.set_name == name]
        n = len(idx)

        def ranks_of(choice: Choice, idx: list[int] = idx) -> list[int | None]:
            return [runs[choice[0]][i].rank(replace(base, **{args.weight: choice[1]})) for i in idx]

        cells = []
        for ranks in (
            ranks_of((shipped, 0.0)),
            ranks_of(now),
            ranks_of(chosen),
            [oof[i] for i in idx],
        ):
            cells += [f"{sum(r == 1 for r in ranks) / n:.2f}", f"{mrr(ranks) / n:.3f}"]
        print(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
