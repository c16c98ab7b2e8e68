"""Rank 1 within the paper (stop 28): what tells the answering passage of a paper from the
passage of the same paper ranked above it, on a bench/rank1_capture.py pickle.

    python bench/rank1_within.py CAPTURE.pkl [--margin 0.5] [--fit]

Re-ranks each answerable question's captured candidates as the service does (their
``Features`` at the shipped weights, tables demoted unless figures are asked for) and
sorts the rank-1 misses by what ranked first: a passage of the gold passage's paper, or
another paper's.  Then compares two populations of pairs of passages of one paper:

- misses: the passage ranked first against the first gold passage below it (same paper);
- near hits: the gold passage ranked first against the best passage of its paper below it
  within ``--margin`` of its score (where a within-paper signal could break a right answer).

For each cue (the second stage's own signals, and cues of the passage's best sentence:
the share of the things asked about it names, the share of the question's words it holds,
how concentrated the question's words are in it, its words not in the question, a figure,
a list-like passage, the best sentence's lead over the passage, the sentence's length, and
whether the passage comes earlier in the paper) it prints how often the gold passage is
higher, tied, or lower in each population.  A cue that separates would point to the gold
passage in most misses and most near hits alike.

With ``--fit`` each best-sentence cue is also tried as a ranking signal (added to the
score at a weight picked leaving one council out, ``evaluation.crossval``), once as it is
and once relative to the best of its paper's candidates; R@1 at 0, in-sample and out of
fold is printed with the questions the in-sample weight gains and loses.
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rank1_capture import Cand, Row  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service.figures import asks_for_figures  # noqa: E402
from qa_service.rerank import Weights, named_weight  # noqa: E402

# common function words and the words every question about a council uses
_STOP_WORDS = (
    "the a an of to in on for and or was were is are be been by at with what which who "
    "whom when where why how did does do that this from as it its their they has have had "
    "would will could should about any all into than then there these those after before "
    "council councils committee"
)
_STOP = frozenset(_STOP_WORDS.split())
SIGNALS = ("sentence", "passage", "coverage", "fused", "answer")
CUES = ("named", "held", "concentrated", "new_words", "figure", "list", "lead", "length")
WEIGHTS = (0.0, -1.0, -0.5, -0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2]


def best_sentence(cand: Cand) -> str:
    """The passage's sentence closest to the question (the whole passage if none kept)."""
    if not cand.sentences:
        return cand.text
    start, end, _ = max(cand.sentences, key=lambda s: s[2])
    return cand.text[start:end]


def cues(row: Row, cand: Cand) -> dict[str, float]:
    """The cues of a candidate's best sentence (see the module's docstring)."""
    sentence = best_sentence(cand)
    closest = max((s for _, _, s in cand.sentences), default=cand.features.sentence)
    asked = {w[:5] for w in _words(row.question)}
    in_sentence = _words(sentence)
    held = len(asked & {w[:5] for w in in_sentence}) / max(1, len(asked))
    in_passage = len(asked & {w[:5] for w in _words(cand.text)}) / max(1, len(asked))
    lines = [line for line in cand.text.split("\n") if line.strip()]
    total = sum(row.concepts.values()) or 1.0
    return {
        "named": named_weight(sentence, row.concepts) / total,
        "held": held,
        "concentrated": held / in_passage if in_passage else 0.0,
        "new_words": sum(w[:5] not in asked for w in in_sentence) / max(1, len(in_sentence)),
        "figure": float(bool(re.search(r"\d", sentence))),
        "list": sum(len(line) < 60 for line in lines) / max(1, len(lines)),
        "lead": closest - cand.features.passage,
        "length": min(len(in_sentence), 40) / 40,
    }


def order(row: Row, extra: Sequence[float] | None = None, weight: float = 0.0) -> list[int]:
    """The candidates' indices best first, as the service orders them (plus ``weight``
    times ``extra``)."""
    w = Weights()
    add = extra if extra is not None else [0.0] * len(row.cands)
    scores = [
        round(c.features.score(w) + weight * a, 6) for c, a in zip(row.cands, add, strict=True)
    ]
    ranked = sorted(range(len(row.cands)), key=lambda i: -scores[i])
    if not asks_for_figures(row.question):
        tables = [i for i in ranked if row.cands[i].is_table]
        ranked = [i for i in ranked if not row.cands[i].is_table] + tables
    return ranked


def first_hit(row: Row, ranked: Sequence[int]) -> int | None:
    """1-based rank of the first candidate hitting a gold entry."""
    return next((k for k, i in enumerate(ranked, start=1) if row.cands[i].hit), None)


def pairs(rows: Sequence[Row], margin: float) -> dict[str, list[tuple[Row, Cand, Cand]]]:
    """(row, gold passage, the other passage of its paper) for the misses and near hits."""
    w = Weights()
    out: dict[str, list[tuple[Row, Cand, Cand]]] = {"misses": [], "near hits": []}
    for row in rows:
        ranked = order(row)
        rank = first_hit(row, ranked)
        if rank is None:
            continue
        top = row.cands[ranked[0]]
        if rank == 1:
            rival = next(
                (
                    row.cands[i]
                    for i in ranked[1:]
                    if row.cands[i].source == top.source and not row.cands[i].hit
                ),
                None,
            )
            if rival is not None and top.features.score(w) - rival.features.score(w) <= margin:
                out["near hits"].append((row, top, rival))
            continue
        gold = next(row.cands[i] for i in ranked if row.cands[i].hit)
        if gold.source == top.source:
            out["misses"].append((row, gold, top))
    return out


def compare(row: Row, gold: Cand, other: Cand) -> dict[str, int]:
    """Per cue: 1 if the gold passage is higher, 0 tied, -1 lower."""
    values = {s: (getattr(gold.features, s), getattr(other.features, s)) for s in SIGNALS}
    g, o = cues(row, gold), cues(row, other)
    values.update({c: (g[c], o[c]) for c in CUES})
    values["earlier"] = (-gold.ordinal, -other.ordinal)
    return {k: (a > b + 1e-9) - (b > a + 1e-9) for k, (a, b) in values.items()}


def relative(row: Row, values: Sequence[float]) -> list[float]:
    """Each value less the best of its paper's candidates."""
    best: dict[str, float] = {}
    for c, v in zip(row.cands, values, strict=True):
        best[c.source] = max(best.get(c.source, v), v)
    return [v - best[c.source] for c, v in zip(row.cands, values, strict=True)]


def fit(rows: Sequence[Row], signal: Callable[[Row], list[float]]) -> tuple[int, int, int, float]:
    """R@1 at weight 0, in-sample and out of fold, and the in-sample weight (best MRR@10)."""
    every = list(range(len(rows)))
    added = [signal(r) for r in rows]
    ranks = {
        (w, i): first_hit(rows[i], order(rows[i], added[i], w)) for w in WEIGHTS for i in every
    }

    def mrr(items: Sequence[int], w: float) -> float:
        return sum(1 / r for i in items if (r := ranks[w, i]) is not None and r <= 10)

    def best(training: list[int]) -> float:
        return max((mrr(training, w), -abs(w), w) for w in WEIGHTS)[2]

    groups = [r.group or (f"{r.batch}: no council",) for r in rows]
    oof = out_of_fold(every, groups, best, lambda w, i: ranks[w, i])
    chosen = best(every)
    at = [sum(ranks[w, i] == 1 for i in every) for w in (0.0, chosen)]
    return at[0], at[1], sum(r == 1 for r in oof), chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("--margin", type=float, default=0.5)
    parser.add_argument("--fit", action="store_true")
    args = parser.parse_args(argv)
    with args.capture.open("rb") as fh:
        rows: list[Row] = pickle.load(fh)

    print("| set or batch | answerable | R@1 | misses | gold paper first |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for batch in dict.fromkeys(r.batch for r in rows):
        mine = [r for r in rows if r.batch == batch]
        hits = misses = same = 0
        for row in mine:
            ranked = order(row)
            rank = first_hit(row, ranked)
            hits += rank == 1
            if rank != 1:
                misses += 1
                papers = {c.source for c in row.cands if c.hit}
                same += bool(ranked) and row.cands[ranked[0]].source in papers
        print(f"| {batch} | {len(mine)} | {hits} | {misses} | {same} |")

    found = pairs(rows, args.margin)
    tallies = {k: {} for k in found}  # type: dict[str, dict[str, Counter[int]]]
    for kind, items in found.items():
        for row, gold, other in items:
            for cue, sign in compare(row, gold, other).items():
                tallies[kind].setdefault(cue, Counter())[sign] += 1
    n = {k: len(v) for k, v in found.items()}
    print(f"\nmisses of the gold paper: {n['misses']}; near hits: {n['near hits']}")
    print("| cue | misses: gold higher / tied / lower | near hits: gold higher / tied / lower |")
    print("| --- | --- | --- |")
    for cue in tallies["misses"]:
        m, h = tallies["misses"][cue], tallies["near hits"].get(cue, Counter())
        print(f"| {cue} | {m[1]} / {m[0]} / {m[-1]} | {h[1]} / {h[0]} / {h[-1]} |")
    print("misses:", " ".join(row.qid for row, _, _ in found["misses"]))

    if args.fit:
        print("\n| cue | form | R@1 at 0 | in-sample | out of fold | weight |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for cue in CUES:
            for form in ("as it is", "within the paper"):

                def signal(row: Row, cue: str = cue, form: str = form) -> list[float]:
                    values = [cues(row, c)[cue] for c in row.cands]
                    return values if form == "as it is" else relative(row, values)

                base, inside, oof, w = fit(rows, signal)
                print(f"| {cue} | {form} | {base} | {inside} | {oof} | {w} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
