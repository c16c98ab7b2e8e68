"""Trend points on new questions, precision first (issue 16, stop 23).

The rules' points (``trend.select``) are kept or dropped by a *gate* whose threshold is chosen
out of fold: leave one label file out (each file a batch labelled blind) and leave one
council out. The threshold is the one of best F0.5 of points (precision weighted twice as
recall) on the training folds. Gates:

- ``confidence``: the engine's answer confidence of the passage the point is read from
  (the calibrated score ``/api/ask`` abstains by; the reader already needs the answer
  threshold, this asks more);
- ``alike``: the confidence gate and at most N figures in the asked unit in the point's
  sentence, the pair chosen together (``--fit`` prints the pair over all sixteen files;
  stored in the reader for a stop, then taken out at the merge when the blind eighteenth
  batch lost 7 right points to it: docs/quality.md, "Stop 23, all together");
- ``fit``: the probability of the point by a logistic regression over
  ``qa_service.trend_points.FEATURES`` fitted on the training folds' candidates (every
  figure of every passage read, as ``bench/fit_trend_points.py``);
- ``general``: the same without the rules' own verdicts.

Each file's and each council's out-of-fold figure is printed beside the rules' (same run),
then the two newest files pooled (``NEWEST``: the batches no fix was made on after their
first run, or only the general fixes of stop 22: the nearest thing to new questions), the
older fourteen pooled and all sixteen pooled.

Run ``python -m bench.fit_trend_precision INDEX --cache FILE`` (bundled model; the first
run gathers the passages read for every question, about two minutes, into FILE).
"""

from __future__ import annotations

import json
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

LABELS = Path(__file__).resolve().parents[1] / "tests" / "labels"
# every file of labelled trend questions the reader has been fixed on, named one by one: a
# batch still being labelled blind (``trend_heldout16.json``) is never read here
LABEL_FILES = tuple(
    LABELS / name
    for name in (
        "trend_gold.json",
        "trend_heldout.json",
        *(f"trend_heldout{i}.json" for i in range(2, 16)),
    )
)
NEWEST = ("trend_heldout14.json", "trend_heldout15.json")
BETA = 0.5  # F-beta of the threshold's choice: precision counts twice as much as recall

Key = tuple[str, float]  # paper, value: what a gold point is matched on


@dataclass
class Point:
    """One point the rules plot for a question, with what a gate reads."""

    key: Key
    right: bool
    confidence: float
    x: np.ndarray | None  # its candidate's features (``trend_points.FEATURES``), if listed
    alike: int = 1  # figures in the asked unit its sentence states (itself included)


@dataclass
class Question:
    """A labelled question: its file, council, gold count, the rules' points and every
    candidate's features and labels (for the fitted gates)."""

    file: str
    council: str
    gold: int
    points: list[Point]
    x: np.ndarray
    y: np.ndarray


def gather(index_dir: Path, files: Sequence[Path] = LABEL_FILES) -> list[Question]:
    """Each labelled question's rules' points and candidates, read once."""
    from bench.trend_candidates import FEATURES
    from bench.trend_candidates import candidates as listed
    from index.store import Filters
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder
    from qa_service.trend import candidates, select

    settings = Settings(index=index_dir)
    engine = Engine(index_dir, make_query_embedder(settings), settings)
    out = []
    for path in files:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            hits, asked = candidates(engine, q["question"], Filters(council=(q["council"],)))
            rules = select(hits, asked)
            found = listed(hits, asked, rules)
            gold = {(g["file"], float(g["value"])) for g in q["points"]}
            ruled = {c.key: c for c in found if c.x[0] == 1.0}  # rules_point
            in_unit = FEATURES.index("in_unit")
            alike = Counter(
                (c.point.hit.passage.rowid, c.point.sentence) for c in found if c.x[in_unit]
            )
            points: dict[Key, Point] = {}
            for p in rules:
                if p.flagged:
                    continue
                key = (p.hit.passage.document.source, p.figure.value)
                c = ruled.get(key)
                got = Point(
                    key,
                    key in gold,
                    p.hit.confidence,
                    None if c is None else np.array(c.x),
                    max(1, alike[(p.hit.passage.rowid, p.sentence)]),
                )
                if key not in points or got.confidence > points[key].confidence:
                    points[key] = got
            out.append(
                Question(
                    path.name,
                    q["council"],
                    len(gold),
                    list(points.values()),
                    np.array([c.x for c in found], dtype=float).reshape(-1, len(FEATURES)),
                    np.array([c.key in gold for c in found], dtype=float),
                )
            )
    return out


Counts = tuple[int, int, int]  # gold, plotted, right
Gate = Callable[[Point], float]  # a point's score; plotted when at least the threshold


def counts(questions: Sequence[Question], gate: Gate | None, at: float) -> Counts:
    """Gold, plotted, right of the rules' points scoring at least ``at`` (all: no gate)."""
    g = p = r = 0
    for q in questions:
        g += q.gold
        for point in q.points:
            if gate is None or gate(point) >= at:
                p += 1
                r += point.right
    return g, p, r


def f_beta(t: Counts, beta: float = BETA) -> float:
    g, p, r = t
    if not r:
        return 0.0
    precision, recall = r / p, r / g
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def threshold(questions: Sequence[Question], gate: Gate) -> float:
    """The threshold of best F-beta over ``questions``; on a tie the lowest (most kept)."""
    grid = sorted({gate(p) for q in questions for p in q.points})
    best, at = -1.0, -np.inf
    for t in grid:
        got = f_beta(counts(questions, gate, t))
        if got > best + 1e-12:
            best, at = got, t
    return float(at)


C = 1.0  # the inverse L2 strength of the fitted gates (standardised features)
# the rules' own verdicts among ``trend_points.FEATURES`` (left out by the "general" gate)
RULES_FEATURES = ("rules_point", "rules_sentence", "rules_figure", "trend_unit")


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> dict[str, Any]:
    """L2 logistic regression on standardised features by Newton's method."""
    if not len(x):
        raise ValueError("nothing to fit")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    ridge = np.eye(z.shape[1]) / c
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) + ridge @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + ridge
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"mean": mean, "scale": scale, "coef": w[1:], "intercept": float(w[0])}


def confidence_gate(train: Sequence[Question]) -> Gate:
    """The point's passage's answer confidence (nothing fitted but the threshold)."""
    del train
    return lambda p: p.confidence


ALIKE = (1, 2, 3, 4, 6, 1_000_000)  # the "alike" gate's most figures (1,000,000: no limit)


def alike_gate(train: Sequence[Question]) -> Gate:
    """The confidence gate, and at most N figures in the asked unit in the point's sentence
    (a figure chosen among many of its kind in one sentence is the rules' guess): the pair
    of best F-beta on ``train``, as one score (a point is kept when it scores at least 0:
    the returned gate is already thresholded)."""
    best, chosen = -1.0, (0.0, ALIKE[-1])
    grid = sorted({p.confidence for q in train for p in q.points})
    for n in ALIKE:
        for t in grid:
            got = f_beta(
                counts(train, lambda p, t=t, n=n: float(p.confidence >= t and p.alike <= n), 1.0)
            )
            if got > best + 1e-12:
                best, chosen = got, (t, n)
    t, n = chosen
    print(f"  (alike gate: confidence {t:.3f}, at most {n} figures)")
    return lambda p: 1.0 if p.confidence >= t and p.alike <= n else 0.0


def fitted_gate(names: Sequence[str] = ()) -> Callable[[Sequence[Question]], Gate]:
    """A logistic regression over the training candidates' features ``names`` (all by
    default); a point not among the candidates is kept (scores 1)."""
    from bench.trend_candidates import FEATURES

    columns = [FEATURES.index(n) for n in (names or FEATURES)]

    def make(train: Sequence[Question]) -> Gate:
        x = np.vstack([q.x for q in train if len(q.x)])[:, columns]
        y = np.concatenate([q.y for q in train if len(q.x)])
        m = fit(x, y)
        mean, scale, coef, b = m["mean"], m["scale"], m["coef"], m["intercept"]

        def gate(p: Point) -> float:
            if p.x is None:
                return 1.0
            z = b + ((p.x[columns] - mean) / scale) @ coef
            return float(1.0 / (1.0 + np.exp(-z)))

        return gate

    return make


def out_of_fold(
    questions: Sequence[Question], group: str, make: Callable[[Sequence[Question]], Gate]
) -> dict[str, tuple[Counts, float]]:
    """Per ``group`` ("file" or "council") held out: its gated counts and the threshold
    chosen on the others."""
    out = {}
    for held in sorted({getattr(q, group) for q in questions}):
        train = [q for q in questions if getattr(q, group) != held]
        gate = make(train)
        at = threshold(train, gate)
        test = [q for q in questions if getattr(q, group) == held]
        out[held] = (counts(test, gate, at), at)
    return out


def pooled(rows: Sequence[Counts]) -> Counts:
    g, p, r = (sum(t[i] for t in rows) for i in range(3))
    return g, p, r


def pr(t: Counts) -> str:
    g, p, r = t
    return f"{r} of {p} for {g}: {r / max(p, 1):.3f} / {r / max(g, 1):.3f}"


def report(questions: Sequence[Question], name: str, make: Callable[..., Gate]) -> None:
    """A gate's out-of-fold figures beside the rules'."""
    print(f"\n## gate: {name}")
    for group in ("file", "council"):
        gated = out_of_fold(questions, group, make)
        print(f"\nleave one {group} out | gated (out of fold) | threshold | rules")
        for k, (t, at) in gated.items():
            ruled = counts([q for q in questions if getattr(q, group) == k], None, 0.0)
            print(f"{k} | {pr(t)} | {at:.3f} | {pr(ruled)}")
        if group == "file":
            for label, files in (
                ("newest two", set(NEWEST)),
                ("older fourteen", {k for k in gated if k not in NEWEST}),
            ):
                part = [q for q in questions if q.file in files]
                print(
                    f"{label} | {pr(pooled([gated[k][0] for k in files]))} | | "
                    f"{pr(counts(part, None, 0.0))}"
                )
        print(
            f"pooled | {pr(pooled([t for t, _ in gated.values()]))} | | "
            f"{pr(counts(questions, None, 0.0))}"
        )


def general() -> list[str]:
    """The features less the rules' own verdicts."""
    from bench.trend_candidates import FEATURES

    return [n for n in FEATURES if n not in RULES_FEATURES]


GATES: dict[str, Callable[[], Callable[[Sequence[Question]], Gate]]] = {
    "confidence": lambda: confidence_gate,
    "alike": lambda: alike_gate,
    "fit": lambda: fitted_gate(),
    "general": lambda: fitted_gate(general()),
}


def load(index_dir: Path, cache: Path | None) -> list[Question]:
    if cache is not None and cache.exists():
        questions: list[Question] = pickle.loads(cache.read_bytes())
        return questions
    questions = gather(index_dir)
    if cache is not None:
        cache.write_bytes(pickle.dumps(questions))
    return questions


def main(argv: list[str]) -> None:
    """``INDEX [--cache FILE] [--fit] [--gate NAME ...]``."""
    cache = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else None
    questions = load(Path(argv[0]), cache)
    if "--fit" in argv:  # the confidence gate's threshold over every file
        gate = confidence_gate(questions)
        at = threshold(questions, gate)
        below = max(p.confidence for q in questions for p in q.points if p.confidence < at)
        print(f"threshold {at:.6f} (next below {below:.6f}): {pr(counts(questions, gate, at))}")
        both = alike_gate(questions)  # with the most figures alike (prints the pair)
        print(f"with the figures' limit: {pr(counts(questions, both, 1.0))}")
        return
    names = argv[argv.index("--gate") + 1 :] if "--gate" in argv else list(GATES)
    for name in names:
        report(questions, name, GATES[name]())


if __name__ == "__main__":
    main(sys.argv[1:])
