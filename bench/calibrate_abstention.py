"""Choose the threshold rule of abstention (``CQA_ABSTENTION=threshold``): for each weight of
key-term coverage in the confidence, the threshold that makes the fewest mistakes
(answerable questions refused plus unanswerable ones answered) while false abstentions stay
at or under 5%, placed in the middle of the widest gap between confidences that does so.

    python bench/calibrate_abstention.py [--index-root DIR]

The confidence of an answer is ``max(passage cosine, best-sentence cosine) + w * coverage``
of its best passage (qa_service/second_stage.py).  For each ``w`` this prints the threshold
chosen on the questions of all three shared sets, how many unanswerable questions it
catches and answerable ones it refuses, and the same out of fold: each council's questions
judged by a threshold chosen without any question touching that council
(``evaluation.crossval``), the figure to expect on papers the rule was not tuned on.  The
service's default rule is the classifier (bench/fit_abstention.py), which this threshold
rule is measured against.

Fewest mistakes and the widest gap, rather than the highest threshold the 5% allows: a
threshold pushed up to the last answerable question that allowance permits spends it on
the tuning questions, and a question of other papers that sits a little lower is then
refused.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.embedder import SentenceTransformerEmbedder  # noqa: E402

MAX_FALSE = 0.05
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)


def threshold(conf: list[tuple[bool, float]], max_false: float = MAX_FALSE) -> float:
    """The threshold for confidences ``(answerable, confidence)``: fewest mistakes with at
    most 5% of answerable questions abstaining, then the widest gap between neighbouring
    confidences (the threshold sits in its middle)."""
    values = sorted(c for _, c in conf)
    answerable = sum(1 for ans, _ in conf if ans)
    allowed = int(max_false * answerable)
    cuts = [values[0] - 0.02] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    gaps = [0.04] + [b - a for a, b in itertools.pairwise(values)]
    best: tuple[int, float] | None = None
    chosen = cuts[0]
    for cut, gap in zip(cuts, gaps, strict=True):
        false = sum(1 for ans, c in conf if ans and c < cut)
        if false > allowed:
            continue
        answered = sum(1 for ans, c in conf if not ans and c >= cut)
        key = (-(false + answered), gap)
        if best is None or key > best:
            best, chosen = key, cut
    return chosen


def main() -> None:
    """Run the three sets once, then fit and report each coverage weight."""
    from bench.quality_all import SETS, run_set
    from evaluation.crossval import out_of_fold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder(lazy=True)
    # per question: answerable, and (best cosine, coverage) of each returned passage
    rows: list[tuple[bool, list[tuple[float, float]]]] = []
    groups: list[tuple[str, ...]] = []
    for name in SETS:
        run = run_set(name, args.index_root, embedder, settings_changes={"abstention": "threshold"})
        for result, answer, group in zip(run.results, run.answers, run.groups, strict=True):
            evidence = [
                (max(h.dense, h.sentence), h.features.coverage if h.features else 0.0)
                for h in answer.hits
            ]
            rows.append((result.question.answerable, evidence))
            groups.append(group)
    print(
        "| coverage weight | threshold | unanswerable caught | false abstentions | "
        "out of fold caught | out of fold false |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for w in WEIGHTS:
        conf = [(ans, max((c + w * v for c, v in ev), default=-1.0)) for ans, ev in rows]
        t = threshold(conf)
        caught = [c < t for ans, c in conf if not ans]
        false = [c < t for ans, c in conf if ans]
        refused = out_of_fold(conf, groups, threshold, lambda cut, item: item[1] < cut)
        oof_caught = [r for r, (ans, _) in zip(refused, conf, strict=True) if not ans]
        oof_false = [r for r, (ans, _) in zip(refused, conf, strict=True) if ans]
        print(
            f"| {w:.2f} | {t:.3f} | {sum(caught)}/{len(caught)} | {sum(false)}/{len(false)} | "
            f"{sum(oof_caught)}/{len(oof_caught)} | {sum(oof_false)}/{len(oof_false)} |"
        )


if __name__ == "__main__":
    main()
