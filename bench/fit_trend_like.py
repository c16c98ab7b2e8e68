"""Whether the bundled model's likeness of a sentence to the question helps the trend
reader tell whether the sentence is about it: two cuts fitted leaving one council out and
leaving one label file out, over replayed answers (docs/quality.md "Issue 16, trend reader,
stop 28": measured, not kept; the reader does not read the likeness).

    python -m bench.fit_trend_like INDEX --cache FILE LABELS ...

Every question of the label files (named one by one) is gathered once (``trend.candidates``
over ``bench.trend_replay``'s kept answers); then, for every pair of cuts of the grids
(``ABOVE``: a sentence the key words do not make about the question is about it when its
cosine to the question is at least this; ``BELOW``: one they do make about it is not when
its cosine is under this), the reader's points are scored per question. For each fold (a
council, or a label file) the pair with the best F1 of points on the other folds (then
fewer points plotted, then the cuts nearest "off") is chosen and the fold is scored with
it: the out-of-fold figures are what the cuts are worth on questions they were not chosen
on. The pair chosen over every question is printed last, with every pair's F1 in-sample.
The likeness is the engine's cosine of the question to the sentence (``Hit.sentence_scores``);
the reader's ``trend._is_about`` is wrapped for the run (``cuts_set``).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

# The grids: "off" first (inf / -inf: the key words alone decide).
ABOVE = (math.inf, 0.76, 0.72, 0.70, 0.68, 0.66, 0.64, 0.62, 0.60)
BELOW = (-math.inf, 0.30, 0.35, 0.40, 0.45, 0.50)

Counts = tuple[int, int, int]  # gold, plotted, right
Cuts = tuple[float, float]


@dataclass
class Question:
    """One labelled question, gathered once."""

    file: str
    council: str
    qid: str
    gold: set[tuple[str, float]]
    hits: list[Any]
    asked: Any


def f1(c: Counts) -> float:
    """F1 of points: twice right over gold plus plotted."""
    gold, plotted, right = c
    return 2 * right / (gold + plotted) if gold + plotted else 0.0


def add(a: Counts, b: Counts) -> Counts:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def total(counts: list[Counts]) -> Counts:
    out: Counts = (0, 0, 0)
    for c in counts:
        out = add(out, c)
    return out


def best(cuts: list[Cuts], scored: Callable[[Cuts], Counts]) -> Cuts:
    """The cuts of best F1, then fewest plotted, then nearest off (the grids' order)."""
    return max(
        cuts,
        key=lambda c: (
            round(f1(scored(c)), 9),
            -scored(c)[1],
            -ABOVE.index(c[0]) if c[0] in ABOVE else 0,
            -BELOW.index(c[1]) if c[1] in BELOW else 0,
        ),
    )


def _pooled(scores: dict[Cuts, list[Counts]], among: list[int], cut: Cuts) -> Counts:
    """The counts at ``cut`` pooled over the questions ``among``."""
    return total([scores[cut][i] for i in among])


def out_of_fold(
    questions: list[Question], scores: dict[Cuts, list[Counts]], fold: Callable[[Question], str]
) -> tuple[Counts, dict[str, tuple[Cuts, Counts]]]:
    """Each fold scored at the cuts chosen on the others; the pooled counts."""
    folds = sorted({fold(q) for q in questions})
    chosen: dict[str, tuple[Cuts, Counts]] = {}
    for name in folds:
        inside = [i for i, q in enumerate(questions) if fold(q) != name]
        outside = [i for i, q in enumerate(questions) if fold(q) == name]
        cut = best(list(scores), partial(_pooled, scores, inside))
        chosen[name] = (cut, total([scores[cut][i] for i in outside]))
    return total([c for _, c in chosen.values()]), chosen


def likeness(hit: Any, span: tuple[int, int]) -> float | None:
    """The question's cosine to the stored sentence ``span`` overlaps most (``Hit.
    sentence_scores``, over the sentence vectors the index stores; a table row inside a
    longer stored "sentence" is read at that one). None: the hit has none."""
    scores = getattr(hit, "sentence_scores", None)
    spans = getattr(hit, "sentence_spans", None) or []
    if scores is None or not len(scores) or len(spans) != len(scores):
        return None
    found: tuple[int, float] | None = None
    for s, score in zip(spans, scores, strict=True):
        overlap = min(s.end, span[1]) - max(s.start, span[0])
        if overlap > 0 and (found is None or (overlap, float(score)) > found):
            found = (overlap, float(score))
    return None if found is None else found[1]


def turned(words: bool, like: float | None, above: float, below: float) -> bool:
    """The key words' verdict (``words``), turned by the model's cosine (``like``) past a cut:
    about when the words fall short but the cosine is at least ``above``, not about when they
    suffice but it is under ``below``."""
    if like is None:
        return words
    return like >= below if words else like >= above


@contextmanager
def cuts_set(above: float, below: float) -> Iterator[None]:
    """``trend._is_about`` turned by the likeness at these cuts for the block (another of
    its kind, ``NAMES_WHOLE`` and ``OTHER_MODIFIER``, is never about it), restored after."""
    from qa_service import trend

    is_about = trend._is_about

    def _is_about(hit: Any, asked: Any, span: tuple[int, int]) -> bool:
        words = is_about(hit, asked, span)
        if not words:
            sentence = hit.passage.text[span[0] : span[1]]
            if (trend.NAMES_WHOLE and trend._names_partly(asked, sentence)) or (
                trend.OTHER_MODIFIER and trend._modified_otherwise(asked, sentence)
            ):
                return False
        return turned(words, likeness(hit, span), above, below)

    trend._is_about = _is_about
    try:
        yield
    finally:
        trend._is_about = is_about


@contextmanager
def remembered() -> Iterator[None]:
    """``trend``'s sentence choice and reading kept per hit while the cuts vary (they read
    neither)."""
    from qa_service import trend

    sentence, read = trend._sentence, trend._read
    memo: dict[tuple[Any, ...], Any] = {}

    # a hit is read with its question's ``Asked``, or that in any unit (``trend.chosen``)
    def _sentence(hit: Any, asked: Any) -> Any:
        key = ("s", id(hit), asked.any_unit)
        if key not in memo:
            memo[key] = sentence(hit, asked)
        return memo[key]

    def _read(hit: Any, asked: Any, span: tuple[int, int], window: int = 8) -> Any:
        key = ("r", id(hit), asked.any_unit, span, window)
        if key not in memo:
            memo[key] = read(hit, asked, span, window)
        return memo[key]

    trend._sentence, trend._read = _sentence, _read
    try:
        yield
    finally:
        trend._sentence, trend._read = sentence, read


def counts(q: Question) -> Counts:
    """The question's gold, plotted and right points as the reader reads its hits now."""
    from qa_service.trend import chosen

    points = [p for p in chosen(q.hits, q.asked) if not p.flagged]
    got = {(p.hit.passage.document.source, p.figure.value) for p in points}
    return len(q.gold), len(got), len(got & q.gold)


def gather(engine: Any, files: list[Path]) -> list[Question]:
    """Every question of ``files`` with its candidates."""
    from index.store import Filters
    from qa_service.trend import candidates

    out = []
    for path in files:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            hits, asked = candidates(engine, q["question"], Filters(council=(q["council"],)))
            gold = {(g["file"], float(g["value"])) for g in q["points"]}
            out.append(Question(path.stem, q["council"], q["id"], gold, hits, asked))
    return out


def grid(questions: list[Question]) -> dict[Cuts, list[Counts]]:
    """Every question's counts at every pair of cuts."""
    scores: dict[Cuts, list[Counts]] = {}
    with remembered():
        for above in ABOVE:
            for below in BELOW:
                with cuts_set(above, below):
                    scores[(above, below)] = [counts(q) for q in questions]
    return scores


def line(name: str, c: Counts) -> str:
    gold, plotted, right = c
    p = right / plotted if plotted else 0.0
    r = right / gold if gold else 0.0
    return f"{name}: {gold} / {plotted} / {right}, {p:.3f} / {r:.3f}"


def report(questions: list[Question], scores: dict[Cuts, list[Counts]], newest: str) -> None:
    """The pooled and newest file's figures at "off", out of fold and in-sample."""
    off = (ABOVE[0], BELOW[0])

    def of(cut: Cuts, name: str | None = None) -> Counts:
        return total(
            [c for q, c in zip(questions, scores[cut], strict=True) if name in (None, q.file)]
        )

    print(line("off, all files", of(off)))
    print(line(f"off, {newest}", of(off, newest)))
    for label, fold in (("council", lambda q: q.council), ("file", lambda q: q.file)):
        pooled, chosen = out_of_fold(questions, scores, fold)
        print(line(f"leave one {label} out, all files", pooled))
        for name, (cut, c) in chosen.items():
            print(f"  {name}: cuts {cut[0]:g} / {cut[1]:g}; " + line("out of fold", c))
    everything = best(list(scores), lambda c: of(c))
    print(f"chosen on every question: {everything[0]:g} / {everything[1]:g}")
    print(line("  in-sample, all files", of(everything)))
    print(line(f"  in-sample, {newest}", of(everything, newest)))
    for above in ABOVE:
        print(" ".join(f"{above:g}/{below:g} {f1(of((above, below))):.4f}" for below in BELOW))


def main(argv: list[str]) -> None:
    """``INDEX --cache FILE LABELS ...``."""
    from bench.trend_replay import Replayed
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    parser = argparse.ArgumentParser(prog="python -m bench.fit_trend_like")
    parser.add_argument("index", type=Path)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("labels", type=Path, nargs="+")
    args = parser.parse_intermixed_args(argv)
    answers = pickle.loads(args.cache.read_bytes()) if args.cache.exists() else {}
    settings = Settings(index=args.index)
    engine = Replayed(Engine(args.index, make_query_embedder(settings), settings), answers)
    questions = gather(engine, args.labels)
    if engine.asked:
        args.cache.write_bytes(pickle.dumps(engine.answers))
    scores = grid(questions)
    report(questions, scores, args.labels[-1].stem)


if __name__ == "__main__":
    main(sys.argv[1:])
