"""Fit a few of the trend reader's numbers together, leaving one council out and leaving one
label file out, over replayed answers.

    python -m bench.fit_trend_knobs INDEX --cache FILE [--out JSON] \
        --knob MODULE.NAME=V1,V2,... [--knob ...] LABELS ...

Every combination of the knobs' values (the reader's own value of each first: it is kept
on a tie) is scored on every question of the label files (named one by one: never a batch
held out), as ``bench.trend_replay`` scores them, the engine's answers kept in ``FILE``.
Then, for each fold (a council; a label file), the combination of best F1 of points
(twice right over gold plus plotted) on the other folds is chosen and the fold is scored
with it: the out-of-fold totals are what the fitted numbers are worth on questions they
were not chosen on. Each combination's in-sample totals are printed too, with the reader's
own first. ``--out`` keeps the per-question counts (to pool runs, or to read again).

Numbers the reader reads at run time: ``qa_service.trend_sentence.ABOUT_SHARE`` (the share
of the key words' weight a sentence about the question names; fitted by this bench,
docs/quality.md "Issue 16, trend reader, stop 29"), ``qa_service.trend_sentence.WINDOW``,
``qa_service.trend.CANDIDATES`` and ``qa_service.trend.PER_MEETING`` (how deep the searches
read). ``--set MODULE.NAME=V`` fixes another for the run (a switch off: ``NAME=0``), to
score a batch with the rules written from it switched off.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.trend_replay import Replayed
from bench.trend_switches import _clear

Counts = tuple[int, int, int]  # gold, plotted, right
Combo = tuple[float, ...]


def f1(c: Counts) -> float:
    """F1 of points."""
    gold, plotted, right = c
    return 2 * right / (gold + plotted) if gold + plotted else 0.0


def add(a: Counts, b: Counts) -> Counts:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2]


def parse_knob(spec: str) -> tuple[str, str, list[float]]:
    """``module.NAME=1,2,3`` as (module, name, values), the reader's own value first."""
    target, values = spec.split("=")
    module, name = target.rsplit(".", 1)
    own = getattr(importlib.import_module(module), name)
    grid = [float(v) for v in values.split(",")]
    return module, name, [own, *[v for v in grid if v != own]]


def question_counts(engine: Any, q: dict[str, Any]) -> Counts:
    """Gold, plotted and right points of one question (``records_quality``'s reckoning)."""
    from index.store import Filters
    from qa_service.trend import trend

    points = [
        p for p in trend(engine, q["question"], Filters(council=(q["council"],))) if not p.flagged
    ]
    gold = {(g["file"], float(g["value"])) for g in q["points"]}
    got = {(p.hit.passage.document.source, p.figure.value) for p in points}
    return len(gold), len(got), len(gold & got)


def choose(table: dict[Combo, dict[str, Counts]], keys: list[str], combos: list[Combo]) -> Combo:
    """The combination of best F1 over ``keys`` (questions), the earliest on a tie."""
    best, score = combos[0], -1.0
    for combo in combos:
        total: Counts = (0, 0, 0)
        for k in keys:
            total = add(total, table[combo][k])
        if f1(total) > score + 1e-12:
            best, score = combo, f1(total)
    return best


def out_of_fold(
    table: dict[Combo, dict[str, Counts]],
    folds: dict[str, list[str]],
    combos: list[Combo],
) -> tuple[Counts, dict[str, Combo]]:
    """Each fold scored with the combination chosen on the others; the totals and choices."""
    every = [k for keys in folds.values() for k in keys]
    total: Counts = (0, 0, 0)
    picked: dict[str, Combo] = {}
    for fold, keys in folds.items():
        inside = set(keys)
        combo = choose(table, [k for k in every if k not in inside], combos)
        picked[fold] = combo
        for k in keys:
            total = add(total, table[combo][k])
    return total, picked


def line(c: Counts) -> str:
    gold, plotted, right = c
    p = right / plotted if plotted else 0.0
    r = right / gold if gold else 0.0
    return f"{gold} / {plotted} / {right}, {p:.3f} / {r:.3f} (F1 {f1(c):.4f})"


def main(argv: list[str]) -> None:
    """Score every combination, then fit it out of fold."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    ap = argparse.ArgumentParser()
    ap.add_argument("index", type=Path)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--knob", action="append", required=True)
    ap.add_argument("--set", action="append", default=[], help="MODULE.NAME=V for the run")
    ap.add_argument("labels", nargs="+", type=Path)
    args = ap.parse_args(argv)
    for spec in args.set:  # a reader's rule fixed for the run (a switch off: NAME=0)
        target, value = spec.split("=")
        module, name = target.rsplit(".", 1)
        mod = importlib.import_module(module)
        setattr(mod, name, type(getattr(mod, name))(float(value)))
    knobs = [parse_knob(k) for k in args.knob]
    answers = pickle.loads(args.cache.read_bytes()) if args.cache.exists() else {}
    settings = Settings(index=args.index)
    engine = Replayed(Engine(args.index, make_query_embedder(settings), settings), answers)
    questions = []
    by_council: dict[str, list[str]] = defaultdict(list)
    by_file: dict[str, list[str]] = defaultdict(list)
    for path in args.labels:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            key = f"{path.stem}:{q['id']}"
            questions.append((key, q))
            by_council[q["council"]].append(key)
            by_file[path.stem].append(key)
    combos: list[Combo] = list(itertools.product(*[values for _, _, values in knobs]))
    owns = [getattr(importlib.import_module(m), n) for m, n, _ in knobs]
    table: dict[Combo, dict[str, Counts]] = {}
    try:
        for combo in combos:
            for (module, name, _), value in zip(knobs, combo, strict=True):
                kind = type(getattr(importlib.import_module(module), name))
                setattr(importlib.import_module(module), name, kind(value))
            _clear()
            table[combo] = {key: question_counts(engine, q) for key, q in questions}
            total: Counts = (0, 0, 0)
            for c in table[combo].values():
                total = add(total, c)
            print(f"in-sample {combo}: {line(total)}", flush=True)
    finally:
        for (module, name, _), saved in zip(knobs, owns, strict=True):
            setattr(importlib.import_module(module), name, saved)
        if engine.asked:
            args.cache.write_bytes(pickle.dumps(engine.answers))
    names = ", ".join(f"{m.rsplit('.', 1)[-1]}.{n}" for m, n, _ in knobs)
    print(f"\nknobs: {names}; the reader's own: {combos[0]}")
    for label, folds in (("council", by_council), ("label file", by_file)):
        total, picked = out_of_fold(table, folds, combos)
        chosen: dict[Combo, int] = defaultdict(int)
        for combo in picked.values():
            chosen[combo] += 1
        reader: Counts = (0, 0, 0)
        for c in table[combos[0]].values():
            reader = add(reader, c)
        print(f"\nleave one {label} out ({len(folds)} folds): {line(total)}")
        print(f"  the reader's own, same questions: {line(reader)}")
        print("  chosen: " + "; ".join(f"{c} in {n}" for c, n in sorted(chosen.items())))
    best = choose(table, [k for k, _ in questions], combos)
    print(f"\nchosen on every question (in-sample): {best}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "knobs": [f"{m}.{n}" for m, n, _ in knobs],
                    "table": {str(c): v for c, v in table.items()},
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
