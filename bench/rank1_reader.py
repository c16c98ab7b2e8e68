"""A trained question-sentence reader as a rank-1 signal (stop 31), on a
bench/rank1_capture.py pickle.

    python bench/rank1_reader.py CAPTURE.pkl --cache DIR [--epochs 2] [--folds 5]
        [--reuse LOWER.pkl]

Every analysis of rank 1 since stop 26 ends on the same sentence: the passage that restates
the question's item outranks the passage holding the detail asked, by every shallow cue, and
telling them apart needs a reader of question and sentence.  This measures one: stop 30's
cross-encoder (``bench/fit_cross_reader.py``: the bundled MiniLM reading the pair, low-rank
adapters on its top layer and a pair head) trained *for ranking*: its pairs are the
sentences of each answerable question's top ``TOPK`` passages as the service orders them,
positive when the sentence shows a gold evidence (``metrics.highlight_answers``) of a gold
passage.  The councils are dealt into ``--folds`` folds of whole councils over the sets' and
the batches' questions together (``fit_cross_reader.council_folds``), and each question's
sentences are scored by a reader trained on the other folds' questions.

Then each of the top ``TOPK`` candidates gets the reader's best score over its sentences
(``max``), or its score of the sentence closest to the question by cosine (``closest``),
added to its score at a weight fitted by MRR@10 leaving one council out; the top ``TOPK``
are re-ordered by it, the rest keep their places.  Printed: R@1 at 0, in-sample and out of
fold, all / real / fictional, and each weight's gains and losses.  The lower layers' outputs
are cached in ``--cache`` (``--reuse`` seeds it from fit_cross_reader's cache, whose pairs
overlap), and so are the out-of-fold scores, fold by fold: a second run only refits.
Measured and left out of the service (docs/quality.md, "Rank 1 on new real questions,
stop 31").
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import fit_cross_reader as fcr  # noqa: E402
from bench.rank1_capture import Cand, Row  # noqa: E402, F401 (the capture pickles both)
from bench.rank1_new import is_real  # noqa: E402
from bench.rank1_within import order  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import highlight_answers  # noqa: E402
from evaluation.questions import GoldEntry  # noqa: E402
from qa_service.rerank import Weights  # noqa: E402

TOPK = 3  # candidates read and re-ordered
WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0)
FORMS = ("max", "closest")


# one question's read candidates: (candidate index, its sentences, each a positive or not)
Read = list[tuple[int, list[str], list[bool]]]


def read_candidates(row: Row, top: int = TOPK) -> Read:
    """The top candidates' sentences as the service orders them, labelled."""
    out: Read = []
    for i in order(row)[:top]:
        c = row.cands[i]
        texts = [c.text[s:e] for s, e, _ in c.sentences] or [c.text]
        golds = [GoldEntry(file=f, evidence=e) for f, e in row.gold if f == c.source]
        labels = [c.hit and any(highlight_answers(g, t) for g in golds) for t in texts]
        out.append((i, texts, labels))
    return out


def train(
    rows: Sequence[Row], reads: Sequence[Read], chosen: Sequence[int], cache: Any, epochs: int
) -> dict[str, np.ndarray]:
    """A fresh one-layer reader trained on the ``chosen`` questions' pairs (balanced
    classes), as ``fit_cross_reader`` trains its own."""

    def pairs() -> list[fcr.Pair]:
        return [
            fcr.Pair(fcr.pair_key(rows[q].question, t), label)
            for q in chosen
            for _, texts, labels in reads[q]
            for t, label in zip(texts, labels, strict=True)
        ]

    return fcr.train_pairs(pairs, cache, epochs, layers=1)


def signal(row: Row, scores: np.ndarray, index: int, form: str) -> float:
    """A candidate's reader signal: its best sentence score, or its closest sentence's."""
    if not len(scores):
        return 0.0
    cosines = [x for _, _, x in row.cands[index].sentences]
    if form == "closest" and len(cosines) == len(scores):
        return float(scores[int(np.argmax(cosines))])
    return float(scores.max())


def rank_with(row: Row, values: dict[int, float], weight: float) -> int | None:
    """1-based rank of the first hit with the top candidates re-ordered by their score plus
    ``weight`` times their reader signal."""
    ranked = order(row)
    top = ranked[:TOPK]
    w = Weights()
    scored = {i: row.cands[i].features.score(w) + weight * values.get(i, 0.0) for i in top}
    new = sorted(top, key=lambda i: -scored[i]) + ranked[TOPK:]
    return next((k for k, i in enumerate(new, start=1) if row.cands[i].hit), None)


def fit_weight(
    rows: Sequence[Row], ranks: dict[float, list[int | None]]
) -> tuple[float, list[int | None], Counter[float]]:
    """The weight of best MRR@10 in-sample, the ranks out of fold (one council out) and the
    folds' choices."""

    def mrr(idx: Sequence[int], w: float) -> float:
        return sum(1 / r for i in idx if (r := ranks[w][i]) is not None and r <= 10)

    def best(idx: list[int]) -> float:
        return max(WEIGHTS, key=lambda w: (round(mrr(idx, w), 9), -WEIGHTS.index(w)))

    every = list(range(len(rows)))
    groups = [r.group or (f"{r.batch}: no council",) for r in rows]
    oof = out_of_fold(every, groups, best, lambda w, i: ranks[w][i])
    picks = Counter(out_of_fold(every, groups, best, lambda w, i: w))
    return best(every), oof, picks


def pair_auc(labels: Sequence[bool], values: Sequence[float]) -> float:
    """ROC AUC of ``values`` for the positive ``labels`` (ties count half)."""
    pos = [v for v, lab in zip(values, labels, strict=True) if lab]
    neg = np.sort([v for v, lab in zip(values, labels, strict=True) if not lab])
    if not pos or not len(neg):
        return float("nan")
    below = sum(float(np.searchsorted(neg, v, "left")) for v in pos)
    tied = sum(
        float(np.searchsorted(neg, v, "right") - np.searchsorted(neg, v, "left")) for v in pos
    )
    return (below + tied / 2) / (len(pos) * len(neg))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--reuse", type=Path, help="fit_cross_reader's lower-layer cache")
    args = parser.parse_args(argv)
    with args.capture.open("rb") as fh:
        rows: list[Row] = pickle.load(fh)
    reads = [read_candidates(r) for r in rows]
    pairs = sorted(
        {
            (r.question, t)
            for r, read in zip(rows, reads, strict=True)
            for _, ts, _ in read
            for t in ts
        }
    )
    args.cache.mkdir(parents=True, exist_ok=True)
    cache = fcr.LowerCache(args.cache / "lower.pkl")
    if not cache.data and args.reuse is not None and args.reuse.exists():
        wanted = {fcr.pair_key(q, s) for q, s in pairs}
        old = pickle.loads(args.reuse.read_bytes())
        cache.data = {k: v for k, v in old.items() if k in wanted}
    cache.fill(fcr.make_reader(1), pairs)
    groups = [r.group or (f"{r.batch}: no council",) for r in rows]
    of = fcr.council_folds(groups, args.folds)
    fold = [of[g[0]] for g in groups]
    stored = args.cache / f"scores-e{args.epochs}-k{args.folds}.pkl"
    scores: dict[tuple[int, int], np.ndarray] = (
        pickle.loads(stored.read_bytes()) if stored.exists() else {}
    )
    for f in range(args.folds):
        mine = [q for q in range(len(rows)) if fold[q] == f]
        if all((q, i) in scores for q in mine for i, _, _ in reads[q]):
            continue
        numbers = train(
            rows, reads, [q for q in range(len(rows)) if fold[q] != f], cache, args.epochs
        )
        scorer = fcr.Scorer(numbers, cache, 1)
        for q in mine:
            for i, texts, _ in reads[q]:
                scores[q, i] = scorer.score(rows[q].question, texts)
        stored.write_bytes(pickle.dumps(scores))
        print(f"fold {f} scored", file=sys.stderr, flush=True)
    labels = [lab for q in range(len(rows)) for i, _, ls in reads[q] for lab in ls]
    flat = [float(v) for q in range(len(rows)) for i, _, _ in reads[q] for v in scores[q, i]]
    print(
        f"pair AUC out of fold: {pair_auc(labels, flat):.3f} "
        f"({sum(labels)} positive of {len(labels)})"
    )
    for form in FORMS:
        values = [
            {i: signal(r, scores[q, i], i, form) for i, _, _ in reads[q]}
            for q, r in enumerate(rows)
        ]
        ranks = {w: [rank_with(r, values[q], w) for q, r in enumerate(rows)] for w in WEIGHTS}
        chosen, oof, picks = fit_weight(rows, ranks)
        print(f"\n{form}: in-sample weight {chosen}; the folds' choices {picks.most_common()}")
        print("| questions | answerable | R@1 at 0 | in-sample | out of fold |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, keep in (("all", None), ("real", True), ("fictional", False)):
            idx = [q for q in range(len(rows)) if keep in (None, is_real(rows[q]))]
            cells = [
                sum(ranks[0.0][q] == 1 for q in idx),
                sum(ranks[chosen][q] == 1 for q in idx),
                sum(oof[q] == 1 for q in idx),
            ]
            print(f"| {label} | {len(idx)} | " + " | ".join(map(str, cells)) + " |")
        alone = [rank_with(r, values[q], 1e6) for q, r in enumerate(rows)]
        print(f"  the reader alone re-ordering the top {TOPK}: R@1 {sum(r == 1 for r in alone)}")
        for w in WEIGHTS[1:]:
            gained = [rows[q].qid for q in range(len(rows)) if ranks[w][q] == 1 != ranks[0.0][q]]
            lost = [rows[q].qid for q in range(len(rows)) if ranks[0.0][q] == 1 != ranks[w][q]]
            print(f"  {w}: R@1 {sum(r == 1 for r in ranks[w])}; gains {gained}; loses {lost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
