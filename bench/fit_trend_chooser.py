"""A fitted chooser at the meetings a trend plots (issue 16, stop 33): measured out of fold.

    python -m bench.fit_trend_chooser INDEX --cache ANSWERS --data DATA --gather LABELS ...
    python -m bench.fit_trend_chooser INDEX --cache ANSWERS --data DATA [--lam L ...]
        [--features A,B,...] [--margin M] [--drop STEM,...] [--held-out DATA2]

At a meeting the reader plots, it keeps one figure of one sentence (``trend.chosen``); on the
newest consumed batches most of its wrong points and half its missed ones are that choice
(docs/quality.md, "Trends, stop 33"). This bench lists, for each such meeting, every figure
of every sentence and table row of the meeting's passages read (``bench.trend_candidates``)
in the unit of the reader's point, with a handful of general features (``FEATURES``: the
reader's own pick, how much of the question the sentence, the figure's item and its words
name, the model's cosine, the distance to the rarest key word, first figure, table row,
compared or dated, distance from the series' median, the passage's rank and confidence), and
fits a pairwise logistic model (each gold candidate of a meeting against each other one, a
meeting weighing one; L2 ``--lam`` on standardised features) leaving one council out and
leaving one label file out. Each fold's model picks a test meeting's figure when its score
passes the reader's own figure's by more than a margin chosen on the fold's training
questions (``MARGINS``; ``--margin`` fixes it, ``-inf`` is the model alone); the points are
scored as ``records_quality`` scores them (paper and value against the gold set), beside the
reader's own in the same run, with how many test folds the chooser gains, loses or ties in.

``--gather`` reads the questions (answers replayed from ANSWERS, ``bench.trend_replay``) and
writes DATA, nothing else. ``--held-out DATA2`` fits on all of DATA and prints only the
totals on DATA2 (a held-out batch's, gathered alike). Nothing of the reader changes:
docs/quality.md, "A fitted chooser, stop 33".
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

# the chooser's features, by name (each a column of ``Meeting.x``)
FEATURES = (
    "reader",  # the reader's own point at this meeting
    "reader_sentence",  # the reader's sentence (another figure of it)
    "sentence_named",  # share of the question's key-word weight its sentence names
    "own_named",  # ... its own item names
    "around_named",  # ... the words either side of it name
    "cosine",  # the engine's cosine of the question to its sentence
    "log_distance",  # characters to the question's rarest key word, log-scaled
    "first",  # the first figure of its sentence
    "table_row",
    "unit_named",  # its unit is one the question's own words name
    "compared",  # a compared value, target, forecast
    "dated",  # dated figure
    "off_median",  # |log(value / median of the series' other plotted points)|
    "hit_rank",  # 1 / (1 + rank of its passage)
    "confidence",  # the hit's answer confidence
    "stated",  # the reader's own reading: in the asked unit, not another thing's
    "measure_own",  # share of the question's measure (opening noun phrase) its own item names
    "head_own",  # its own item names the measure's head noun
    "before_named",  # share of the question's key-word weight the 40 characters before name
    "after_named",  # ... the 40 characters after it (its noun)
)
# the chooser measured first (and on the held-out batch): the sixteen before the noun's four
DEFAULT = FEATURES[:16]


def gather(index: Path, cache: Path, labels: list[Path]) -> list[dict[str, Any]]:
    """Every question's plotted meetings, each with its candidates' features and keys."""
    from bench.trend_candidates import FEATURES as CF
    from bench.trend_candidates import candidates as all_candidates
    from bench.trend_replay import Replayed
    from index.store import Filters
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder
    from qa_service.trend import _measure, _meeting, candidates, chosen
    from qa_service.trend_head import measure_head
    from qa_service.trend_items import labelled
    from qa_service.trend_words import named, stems

    answers = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    settings = Settings(index=index)
    engine: Any = Replayed(Engine(index, make_query_embedder(settings), settings), answers)
    col = {n: i for i, n in enumerate(CF)}
    out: list[dict[str, Any]] = []
    for path in labels:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            hits, asked = candidates(engine, q["question"], Filters(council=(q["council"],)))
            rules = chosen(hits, asked)
            gold = {(g["file"], float(g["value"])) for g in q["points"]}
            plotted = [p for p in rules if not p.flagged]
            cands = all_candidates(hits, asked, rules)
            whole = sum(asked.weights.values()) or 1.0
            measure = _measure(asked)
            head = stems(measure_head(asked.question))
            found_at: dict[Any, list[Any]] = defaultdict(list)
            for c in cands:
                found_at[(c.point.hit.passage.rowid, c.point.sentence)].append(c.point.figure)
            by_meeting: dict[Any, list[Any]] = defaultdict(list)
            for c in cands:
                by_meeting[c.meeting].append(c)
            meetings = []
            for p in plotted:
                m = _meeting(p)
                unit = p.figure.unit
                here = [c for c in by_meeting.get(m, []) if c.point.figure.unit == unit]
                others = sorted(
                    math.log(o.figure.value)
                    for o in plotted
                    if _meeting(o) != m and o.figure.unit == unit and o.figure.value > 0
                )
                median = float(np.median(others)) if len(others) >= 2 else None
                reader_key = (p.hit.passage.document.source, p.figure.value)
                firsts: dict[Any, float] = {}
                for c in here:
                    s = (c.point.hit.passage.rowid, c.point.sentence)
                    firsts[s] = min(firsts.get(s, math.inf), c.point.figure.start)
                rows = []
                for c in here:
                    x = c.x
                    v = c.point.figure.value
                    off = abs(math.log(v) - median) if (median is not None and v > 0) else 0.0
                    same_sentence = (
                        c.point.hit.passage.rowid == p.hit.passage.rowid
                        and c.point.sentence == p.sentence
                    )
                    s = (c.point.hit.passage.rowid, c.point.sentence)
                    text, f, span = c.point.hit.passage.text, c.point.figure, c.point.sentence
                    found = sorted(found_at[s], key=lambda g: g.start)
                    own = named(labelled(text, f, found, *span), asked.alts)
                    before = text[max(span[0], f.start - 40) : f.start]
                    after = text[f.end : min(span[1], f.end + 40)]
                    rows.append(
                        {
                            "key": c.key,
                            "x": [
                                float(c.key == reader_key),
                                float(same_sentence),
                                x[col["sentence_named"]],
                                x[col["own_named"]],
                                x[col["around_named"]],
                                x[col["sentence_cosine"]],
                                x[col["distance"]],
                                float(c.point.figure.start == firsts[s]),
                                x[col["table_row"]],
                                x[col["unit_named"]],
                                x[col["compared"]],
                                x[col["dated"]],
                                min(off, 5.0),
                                x[col["hit_rank"]],
                                x[col["confidence"]],
                                x[col["stated"]],
                                len(measure & own) / max(1, len(measure)),
                                float(bool(head) and head <= own),
                                asked.named(before) / whole,
                                asked.named(after) / whole,
                            ],
                        }
                    )
                meetings.append({"meeting": m, "reader": reader_key, "cands": rows})
            out.append(
                {
                    "file": path.stem,
                    "id": q["id"],
                    "council": q["council"],
                    "gold": sorted(gold),
                    "plotted": sorted(
                        {(p.hit.passage.document.source, p.figure.value) for p in plotted}
                    ),
                    "meetings": meetings,
                }
            )
        print(f"gathered {path.stem}", flush=True)
    if engine.asked:
        cache.write_bytes(pickle.dumps(engine.answers))
    return out


def _train(groups: list[tuple[np.ndarray, np.ndarray]], cols: list[int], lam: float) -> np.ndarray:
    """A pairwise logistic model (each gold candidate of a meeting against each other one,
    a meeting's pairs weighing one in all; no intercept: a convex fit), L2 ``lam`` on
    standardised columns, by Newton's method; the weights on the raw columns' scale."""
    if not groups:
        return np.zeros(len(cols))
    allx = np.vstack([g[0][:, cols] for g in groups])
    mu, sd = allx.mean(0), allx.std(0) + 1e-9
    diffs, weights = [], []
    for x, y in groups:
        z = (x[:, cols] - mu) / sd
        good, bad = z[y > 0], z[y == 0]
        d = (good[:, None, :] - bad[None, :, :]).reshape(-1, len(cols))
        diffs.append(d)
        weights.append(np.full(len(d), 1.0 / len(d)))
    dx, dw = np.vstack(diffs), np.concatenate(weights)
    w = np.zeros(len(cols))
    for _ in range(50):
        s = dx @ w
        p = 1.0 / (1.0 + np.exp(-s))  # probability the gold one wins
        grad = dx.T @ (dw * (1 - p)) - lam * w
        hess = -(dx * (dw * p * (1 - p))[:, None]).T @ dx - lam * np.eye(len(cols))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w / sd


def groups_of(data: list[dict[str, Any]]) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """Per question key, the training groups: meetings with two or more candidates of which
    one or more (not all) are a gold point."""
    out: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for q in data:
        gold = {tuple(g) for g in q["gold"]}
        gs = []
        for m in q["meetings"]:
            keys = [tuple(c["key"]) for c in m["cands"]]
            hit = [i for i, k in enumerate(keys) if k in gold]
            if len(keys) < 2 or not hit:
                continue
            y = np.array([float(k in gold) for k in keys])
            if y.all():
                continue  # nothing to choose
            gs.append((np.array([c["x"] for c in m["cands"]], dtype=float), y))
        out[f"{q['file']}:{q['id']}"] = gs
    return out


def counts(
    q: dict[str, Any], w: np.ndarray | None, cols: list[int], margin: float = 0.0
) -> tuple[int, int, int]:
    """Gold / plotted / right of a question with each plotted meeting's figure chosen by ``w``
    when its score passes the reader's own figure's by more than ``margin`` (None: the
    reader's own everywhere)."""
    gold = {tuple(g) for g in q["gold"]}
    got = set()
    for m in q["meetings"]:
        own = [i for i, c in enumerate(m["cands"]) if c["x"][0]]
        if w is None or not own or margin == math.inf:
            got.add(tuple(m["reader"]))  # (the reader's point not among the candidates: kept)
            continue
        scores = np.array([c["x"] for c in m["cands"]], dtype=float)[:, cols] @ w
        best = int(np.argmax(scores))
        if scores[best] > scores[own[0]] + margin:
            got.add(tuple(m["cands"][best]["key"]))
        else:
            got.add(tuple(m["reader"]))
    return len(gold), len(got), len(gold & got)


def line(c: tuple[int, int, int]) -> str:
    g, p, r = c
    pr, rc = (r / p if p else 0.0), (r / g if g else 0.0)
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return f"{g} / {p} / {r}, {pr:.3f} / {rc:.3f} (F1 {f1:.4f})"


def add(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[int, int, int]:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


MARGINS = (0.0, 0.5, 1.0, 2.0, 4.0, math.inf)  # inf: the reader's own
FORCED: float | None = None  # a margin fixed for every fold (``--margin``)


def evaluate(
    data: list[dict[str, Any]], fold_of: str, cols: list[int], lam: float, only: set[str] | None
) -> tuple[tuple[int, int, int], tuple[int, int, int], dict[float, int]]:
    """Out of fold (folds by ``fold_of``: "council" or "file"): totals of the reader and of the
    chooser over the questions whose file is in ``only`` (all: None), the chooser's margin
    over the reader's figure chosen on each fold's training questions (most right points; on
    a tie the larger margin), and how many folds chose each margin."""
    groups = groups_of(data)
    folds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in data:
        folds[q[fold_of]].append(q)
    reader = chooser = (0, 0, 0)
    picked: dict[float, int] = defaultdict(int)
    won: dict[str, int] = defaultdict(int)  # test folds the chooser gains / loses / ties in
    for fold, test in folds.items():
        train = [q for q in data if q[fold_of] != fold]
        w = _train([g for q in train for g in groups[f"{q['file']}:{q['id']}"]], cols, lam)
        right = {}
        for margin in MARGINS:
            total = (0, 0, 0)
            for q in train:
                total = add(total, counts(q, w, cols, margin))
            right[margin] = total[2]
        margin = max(MARGINS, key=lambda m: (right[m], m)) if FORCED is None else FORCED
        picked[margin] += 1
        before, after = reader[2], chooser[2]
        for q in test:
            if only is not None and q["file"] not in only:
                continue
            reader = add(reader, counts(q, None, cols))
            chooser = add(chooser, counts(q, w, cols, margin))
        gain = (chooser[2] - after) - (reader[2] - before)
        won["gains" if gain > 0 else "loses" if gain < 0 else "ties"] += 1
    picked_out: dict[Any, int] = {**picked, **{f"folds {k}": v for k, v in won.items()}}
    return reader, chooser, picked_out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("index", type=Path)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--gather", action="store_true")
    ap.add_argument("--lam", type=float, action="append")
    ap.add_argument("--features", default=",".join(DEFAULT))
    ap.add_argument(
        "--held-out",
        type=Path,
        help="a DATA file gathered from a held-out batch: the chooser fitted on all of DATA "
        "(its margin too) is scored on it, totals only",
    )
    ap.add_argument("--drop", default="", help="label files (stems) left out of every fold")
    ap.add_argument("--margin", type=float, help="fixed, not fitted (-inf: the chooser alone)")
    ap.add_argument("labels", nargs="*", type=Path)
    args = ap.parse_intermixed_args(argv)
    if args.gather:
        data = gather(args.index, args.cache, args.labels)
        args.data.write_bytes(pickle.dumps(data))
        return
    data = pickle.loads(args.data.read_bytes())
    data = [q for q in data if q["file"] not in set(args.drop.split(","))]
    cols = [FEATURES.index(n) for n in args.features.split(",")]
    global FORCED
    FORCED = args.margin
    if args.held_out is not None:
        held = pickle.loads(args.held_out.read_bytes())
        lam = (args.lam or [1.0])[0]
        groups = groups_of(data)
        w = _train([g for gs in groups.values() for g in gs], cols, lam)
        right = {m: sum(counts(q, w, cols, m)[2] for q in data) for m in MARGINS}
        margin = max(MARGINS, key=lambda m: (right[m], m)) if FORCED is None else FORCED
        reader = chooser = (0, 0, 0)
        for q in held:
            reader = add(reader, counts(q, None, cols))
            chooser = add(chooser, counts(q, w, cols, margin))
        print(f"held out, margin {margin}: reader {line(reader)}; chooser {line(chooser)}")
        return
    files = sorted({q["file"] for q in data})
    newest = {f for f in files if f in {f"trend_heldout{i}" for i in range(22, 27)}}
    older = set(files) - newest
    for lam in args.lam or [1.0]:
        for fold_of in ("council", "file"):
            for name, only in (("all", None), ("older", older), ("22-26", newest)):
                r, c, picked = evaluate(data, fold_of, cols, lam, only)
                print(
                    f"lam {lam} leave one {fold_of} out, {name}: reader {line(r)}; "
                    f"chooser {line(c)}; margins chosen {picked}",
                    flush=True,
                )
    groups = groups_of(data)
    w = _train([g for gs in groups.values() for g in gs], cols, (args.lam or [1.0])[0])
    print(
        "in-sample weights: "
        + ", ".join(f"{FEATURES[i]} {v:+.3f}" for i, v in zip(cols, w, strict=True))
    )


if __name__ == "__main__":
    main(sys.argv[1:])
