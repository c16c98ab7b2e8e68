"""Choose the threshold rule of abstention (``CQA_ABSTENTION=threshold``): for each weight of
key-term coverage in the confidence, the threshold that makes the fewest expected mistakes
(answerable questions refused plus unanswerable ones answered, each class's confidences
spread by a kernel: ``threshold``) while false abstentions stay at or under 5%, placed in
the middle of a gap between neighbouring confidences.  The classifier's cut points
(bench/fit_abstention.py) are chosen by the same function.

    python bench/calibrate_abstention.py [--index-root DIR] [--write]

``--write`` stores the threshold chosen for the service's coverage weight
(``CQA_CONFIDENCE_COVERAGE_WEIGHT``) on the questions of all three sets as
``qa_service/abstention_threshold.py``, the default of ``CQA_ANSWER_THRESHOLD``.

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

Expected mistakes, rather than mistakes counted: with near-equal counts at cuts far apart
(a flat mistake curve), the counted minimum jumps from one to the other when a single
question moves, and every out-of-fold figure with it.  Spreading each confidence by a
normal kernel (``smooth`` times Silverman's rule-of-thumb width of its class) scores a cut
by its neighbourhood, so a narrow dip between refused answerable questions loses to a broad
basin, and one question moves the cut a little.  ``SMOOTH`` is set a priori (below).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from index.embedder import SentenceTransformerEmbedder  # noqa: E402

TARGET = REPO / "qa_service" / "abstention_threshold.py"

MAX_FALSE = 0.05
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
# the kernel's width in Silverman's widths, set a priori: his rule of thumb is the standard
# width for a sample's distribution, so no number here is fitted to the questions (a width
# chosen by council cross-validation from SMOOTHS jumped from fold to fold: bench/
# fit_abstention.py --smooth-cv; docs/quality.md, "A steadier abstention cut")
SMOOTH = 1.0
SMOOTHS = (0.0, 0.5, 1.0, 2.0)  # 0: mistakes counted, the rule before


def spread(values: Sequence[float] | np.ndarray) -> float:
    """Silverman's rule-of-thumb kernel width for ``values``: 0.9 times the smaller of the
    standard deviation and the interquartile range over 1.34, times ``n ** -0.2`` (0.0 for
    fewer than two values or none spread)."""
    x = np.asarray(values, dtype=np.float64)
    if len(x) < 2:
        return 0.0
    sd = float(x.std(ddof=1))
    q75, q25 = np.percentile(x, [75, 25])
    iqr = float(q75 - q25) / 1.34
    s = min(sd, iqr) if iqr > 0 else sd
    return 0.9 * s * len(x) ** -0.2


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _below(cuts: np.ndarray, values: np.ndarray, width: float) -> np.ndarray:
    """Per cut, how many of ``values`` lie under it: counted (``width`` 0), or expected
    when each value is spread by a normal kernel of that width."""
    if len(values) == 0:
        return np.zeros(len(cuts))
    diff = cuts[:, None] - values[None, :]
    if width <= 0:
        return (diff > 0).sum(axis=1).astype(np.float64)
    return (0.5 * (1.0 + _erf(diff / (width * math.sqrt(2.0))))).sum(axis=1)


def threshold(
    conf: Sequence[tuple[bool, float]], max_false: float = MAX_FALSE, smooth: float = SMOOTH
) -> float:
    """The threshold for confidences ``(answerable, confidence)``: among the cuts between
    neighbouring confidences that leave at most ``max_false`` of answerable questions
    under them (counted), the one with the fewest *expected* mistakes when each class's
    confidences are spread by a normal kernel ``smooth`` times Silverman's width
    (``smooth`` 0: the mistakes counted); ties go to the widest gap between neighbours."""
    values = np.sort(np.asarray([c for _, c in conf], dtype=np.float64))
    ans = np.asarray([c for a, c in conf if a], dtype=np.float64)
    unans = np.asarray([c for a, c in conf if not a], dtype=np.float64)
    allowed = int(max_false * len(ans))
    cuts = np.concatenate([[values[0] - 0.02], (values[1:] + values[:-1]) / 2])
    gaps = np.concatenate([[0.04], values[1:] - values[:-1]])
    false = _below(cuts, ans, 0.0)
    mistakes = (
        _below(cuts, ans, smooth * spread(ans))
        + len(unans)
        - _below(cuts, unans, smooth * spread(unans))
    )
    best: tuple[float, float] | None = None
    chosen = float(cuts[0])
    for cut, gap, made, under in zip(cuts, gaps, mistakes, false, strict=True):
        if under > allowed:
            continue
        key = (-float(made), float(gap))
        if best is None or key > best:
            best, chosen = key, float(cut)
    return chosen


def main() -> None:
    """Run the three sets once, then fit and report each coverage weight."""
    from bench.quality_all import SETS, run_set
    from evaluation.crossval import out_of_fold
    from qa_service.config import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument(
        "--write", action="store_true", help="store the threshold of the service's weight"
    )
    args = parser.parse_args()
    shipped = Settings().confidence_coverage_weight
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
    chosen = None
    for w in sorted({*WEIGHTS, shipped}):
        conf = [(ans, max((c + w * v for c, v in ev), default=-1.0)) for ans, ev in rows]
        t = threshold(conf)
        if w == shipped:
            chosen = t
        caught = [c < t for ans, c in conf if not ans]
        false = [c < t for ans, c in conf if ans]
        refused = out_of_fold(conf, groups, threshold, lambda cut, item: item[1] < cut)
        oof_caught = [r for r, (ans, _) in zip(refused, conf, strict=True) if not ans]
        oof_false = [r for r, (ans, _) in zip(refused, conf, strict=True) if ans]
        print(
            f"| {w:.2f} | {t:.3f} | {sum(caught)}/{len(caught)} | {sum(false)}/{len(false)} | "
            f"{sum(oof_caught)}/{len(oof_caught)} | {sum(oof_false)}/{len(oof_false)} |"
        )
    if args.write and chosen is not None:
        write(shipped, chosen)
        print(f"wrote {TARGET}: threshold {chosen:.3f} at coverage weight {shipped}")


def write(weight: float, cut: float) -> None:
    """Store the threshold (and the coverage weight it was chosen for) as
    qa_service/abstention_threshold.py."""
    TARGET.write_text(
        '"""The confidence threshold of ``CQA_ABSTENTION=threshold`` (written by\n'
        "bench/calibrate_abstention.py --write: the fewest expected mistakes with at most 5% "
        "of\nanswerable questions refused, on the three shared sets; out of fold across "
        'councils in\ndocs/quality.md)."""\n\n'
        f"COVERAGE_WEIGHT = {weight!r}  # the confidence's coverage weight it was chosen for\n"
        f"THRESHOLD = {round(cut, 3)!r}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
