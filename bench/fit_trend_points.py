"""Trend points chosen by a fitted scorer (issue 16), measured out of fold against the rules.

For every labelled trend question, the passages the reader reads are gathered once
(``trend.candidates``), the rules' points are taken from them (``trend.select``, the reader
as it is) and every figure of every sentence and table row of those passages becomes a
candidate point with general features (``qa_service.trend_points``). A candidate is right
when its paper and value are a gold point of the question. A logistic regression (L2,
Newton's method on standardised features, as ``bench/fit_abstention.py``) scores the
candidates; each meeting's best-scored candidate is plotted when it scores at least a
threshold chosen on the training folds (the best F1 of points there).

Cross-validation: leave one label file out (each batch was labelled blind, so a held-out
file is a new batch) and leave one council out. Out-of-fold point precision and recall per
file and pooled are printed beside the rules' own figures in the same run (in-sample for
every file the rules were fixed on; the sixteenth batch, ``trend_heldout14.json``, had no
fixes after it, so the rules are blind there).

The choice rule, fixed before the first run (docs/quality.md, "Issue 16, trend points by a
fitted scorer, stop 22"): the scorer replaces the rules only if (1) on the sixteenth batch,
the one file the rules are blind on, out of fold it has more right points than the rules
with precision no lower, and (2) pooled over the fifteen files, both leave one file out and
leave one council out, its precision and recall are each no more than 0.02 under the rules'
(in-sample) figures.

A second model, tried after the first run (``--choice``), chooses each meeting's candidate by
a conditional logit over the meeting's own candidates and plots it by the pointwise model's
probability; ``--general`` leaves out the rules' own verdicts (``RULES_FEATURES``).

Run ``python -m bench.fit_trend_points INDEX`` over an index of the three sets (bundled
model); ``--cache FILE`` keeps the gathered candidates (a pickle) for the next run;
``--write`` stores the four fits over all fifteen files in ``qa_service/trend_points_fit.py``;
``--score LABELS`` scores a later blind file with the stored fits, beside the rules.
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

LABELS = Path(__file__).resolve().parents[1] / "tests" / "labels"
# the fifteen label files the rules were written and fixed on (every batch labelled blind);
# named one by one: a later blind batch is scored with ``--score``, never fitted on
LABEL_FILES = tuple(
    LABELS / name
    for name in (
        "trend_gold.json",
        "trend_heldout.json",
        *(f"trend_heldout{i}.json" for i in range(2, 15)),
    )
)
BLIND = "trend_heldout14.json"  # the one file the current rules had no fixes after
FIT_FILE = Path(__file__).resolve().parents[1] / "qa_service" / "trend_points_fit.py"
C = 1.0  # the inverse L2 strength (standardised features)


@dataclass
class Question:
    """One labelled question: its file, council, gold points, the rules' points and the
    candidates' features, labels and meetings."""

    file: str
    council: str
    gold: set[tuple[str, float]]
    rules: set[tuple[str, float]]
    x: np.ndarray
    y: np.ndarray
    meeting: list[tuple[str | None, str | None]]
    keys: list[tuple[str, float]]


def read(index_dir: Path, files: Sequence[Path]) -> Iterator[tuple[str, dict, list, object]]:
    """Each labelled question with the passages the reader reads for it and what it asks."""
    from index.store import Filters
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder
    from qa_service.trend import candidates

    settings = Settings(index=index_dir)
    engine = Engine(index_dir, make_query_embedder(settings), settings)
    for path in files:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            hits, asked = candidates(engine, q["question"], Filters(council=(q["council"],)))
            yield path.name, q, hits, asked


def gather(read: Iterable[tuple[str, dict, list, Any]]) -> list[Question]:
    """Each question's candidates and the rules' points (``trend.select``) from its hits."""
    from qa_service.trend import select
    from qa_service.trend_points import FEATURES
    from qa_service.trend_points import candidates as points

    out = []
    for name, q, hits, asked in read:
        rules = select(hits, asked)
        found = points(hits, asked, rules)
        gold = {(g["file"], float(g["value"])) for g in q["points"]}
        out.append(
            Question(
                name,
                q["council"],
                gold,
                {(p.hit.passage.document.source, p.figure.value) for p in rules if not p.flagged},
                np.array([c.x for c in found], dtype=float).reshape(-1, len(FEATURES)),
                np.array([c.key in gold for c in found], dtype=float),
                [c.meeting for c in found],
                [c.key for c in found],
            )
        )
    return out


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> dict[str, object]:
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
    return {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in w[1:]],
        "intercept": round(float(w[0]), 6),
    }


def _columns(names: Sequence[str]) -> list[int]:
    from qa_service.trend_points import FEATURES

    return [FEATURES.index(n) for n in names]


def probabilities(q: Question, model: dict[str, object]) -> np.ndarray:
    """The fitted probability of each of a question's candidates."""
    mean, scale, coef = (np.array(model[k]) for k in ("mean", "scale", "coef"))
    intercept, names = model["intercept"], model["features"]
    assert isinstance(intercept, float) and isinstance(names, list)
    if not len(q.x):
        return np.zeros(0)
    x = q.x[:, _columns(names)]
    return 1.0 / (1.0 + np.exp(-(intercept + ((x - mean) / scale) @ coef)))


def _meetings(q: Question) -> list[list[int]]:
    """A question's candidates grouped by meeting (their indexes)."""
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for i, meeting in enumerate(q.meeting):
        groups.setdefault(meeting, []).append(i)
    return list(groups.values())


def choice_scores(q: Question, model: dict[str, object]) -> np.ndarray:
    """The within-meeting choice score of each candidate: the conditional logit's when the
    model has one ("choose"), else the pointwise probability."""
    if "choose" not in model:
        return probabilities(q, model)
    mean, scale, w = (np.array(model[k]) for k in ("mean", "scale", "choose"))
    names = model["features"]
    assert isinstance(names, list)
    if not len(q.x):
        return np.zeros(0)
    return ((q.x[:, _columns(names)] - mean) / scale) @ w


def picks(q: Question, model: dict[str, object]) -> list[tuple[float, tuple[str, float]]]:
    """Each meeting's chosen candidate (best choice score), with its pointwise probability
    (whether it is plotted)."""
    p, s = probabilities(q, model), choice_scores(q, model)
    out = []
    for group in _meetings(q):
        i = group[int(np.argmax(s[group]))]
        out.append((float(p[i]), q.keys[i]))
    return out


def fit_choice(blocks: list[tuple[np.ndarray, np.ndarray]], c: float = C) -> list[float]:
    """A conditional logit over each meeting's candidates (standardised features): the
    weights that make a meeting's right candidates likeliest among its own (L2, L-BFGS)."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * float(w @ w) / c, w / c
        for z, right in blocks:
            s = z @ w
            e = np.exp(s - s.max())
            p = e / e.sum()
            mass = p[right].sum()
            total -= float(np.log(mass))
            grad = grad + p @ z - (p[right] / mass) @ z[right]
        return total, grad

    dims = blocks[0][0].shape[1] if blocks else 0
    w = minimize(loss, np.zeros(dims), jac=True, method="L-BFGS-B").x
    return [round(float(v), 6) for v in w]


def counts(
    q: Question, chosen: list[tuple[float, tuple[str, float]]], at: float
) -> tuple[int, int, int]:
    """Gold, plotted, right of the points scoring at least ``at``."""
    got = {key for prob, key in chosen if prob >= at}
    return len(q.gold), len(got), len(got & q.gold)


def threshold(questions: list[Question], model: dict[str, object]) -> float:
    """The threshold of best F1 of points over ``questions`` (their own fit)."""
    chosen = [(q, picks(q, model)) for q in questions]
    grid = sorted({round(prob, 3) for _, c in chosen for prob, _ in c})
    best, at = -1.0, 0.5
    for t in grid:
        g, p, r = _total(counts(q, c, t) for q, c in chosen)
        f1 = 2 * r / (g + p) if g + p else 0.0
        if f1 > best:
            best, at = f1, t
    return at


def train(
    questions: list[Question], names: Sequence[str] = (), choice: bool = False
) -> dict[str, object]:
    """The scorer fitted on ``questions`` over the features ``names`` (all by default),
    with its threshold; with ``choice``, a meeting's candidate is chosen by a conditional
    logit (``fit_choice``) and plotted by the pointwise model's probability."""
    from qa_service.trend_points import FEATURES

    names = list(names or FEATURES)
    x = np.vstack([q.x for q in questions if len(q.x)])[:, _columns(names)]
    y = np.concatenate([q.y for q in questions if len(q.x)])
    model: dict[str, object] = {"features": names, **fit(x, y)}
    if choice:
        mean, scale = np.array(model["mean"]), np.array(model["scale"])
        blocks = []
        for q in questions:
            if not len(q.x):
                continue
            z = (q.x[:, _columns(names)] - mean) / scale
            for group in _meetings(q):
                right = q.y[group].astype(bool)
                if right.any() and not right.all():
                    blocks.append((z[group], right))
        model["choose"] = fit_choice(blocks)
    model["threshold"] = float(threshold(questions, model))
    return model


def out_of_fold(
    questions: list[Question], group: str, names: Sequence[str] = (), choice: bool = False
) -> dict[str, tuple[int, int, int]]:
    """Per ``group`` ("file" or "council") held out: the scorer's gold, plotted, right."""
    out = {}
    for held in sorted({getattr(q, group) for q in questions}):
        model = train([q for q in questions if getattr(q, group) != held], names, choice)
        test = [q for q in questions if getattr(q, group) == held]
        at = model["threshold"]
        assert isinstance(at, float)
        rows = [counts(q, picks(q, model), at) for q in test]
        out[held] = _total(rows)
    return out


def rules(questions: list[Question], group: str) -> dict[str, tuple[int, int, int]]:
    """The rules' gold, plotted, right per ``group``."""
    out: dict[str, tuple[int, int, int]] = {}
    for q in questions:
        g, p, r = out.get(getattr(q, group), (0, 0, 0))
        out[getattr(q, group)] = (g + len(q.gold), p + len(q.rules), r + len(q.rules & q.gold))
    return out


def _total(rows: Iterable[tuple[int, int, int]]) -> tuple[int, int, int]:
    g, p, r = (sum(v) for v in zip(*rows, strict=True))
    return g, p, r


def _pr(t: tuple[int, int, int]) -> str:
    g, p, r = t
    return f"{r} of {p} for {g}: {r / max(p, 1):.2f} / {r / max(g, 1):.2f}"


def report(questions: list[Question], names: Sequence[str] = (), choice: bool = False) -> None:
    """Out-of-fold figures per file and council, pooled, beside the rules'."""
    ceiling = sum(len(q.gold & set(q.keys)) for q in questions)
    print(f"gold points {sum(len(q.gold) for q in questions)}, among the candidates {ceiling}")
    right = int(sum(q.y.sum() for q in questions))
    print(f"candidates {sum(len(q.y) for q in questions)}, right {right}")
    for group in ("file", "council"):
        fitted, ruled = out_of_fold(questions, group, names, choice), rules(questions, group)
        print(f"\nleave one {group} out | scorer (out of fold) | rules (same run)")
        for k in fitted:
            print(f"{k} | {_pr(fitted[k])} | {_pr(ruled[k])}")
        pool = [_total(d.values()) for d in (fitted, ruled)]
        print(f"pooled | {_pr(pool[0])} | {_pr(pool[1])}")
    model = train(questions, names, choice)
    print("\nfit over all files, threshold", model["threshold"])
    coefs = model["coef"]
    features = model["features"]
    assert isinstance(coefs, list) and isinstance(features, list)
    for name, coef in sorted(zip(features, coefs, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name}: {coef:+.3f}")


# the scorer's two fits: every feature ("as run", the one the choice rule judged) and the
# general features only, without the rules' own verdicts (their choices were fitted on
# these files in-sample)
RULES_FEATURES = ("rules_point", "rules_sentence", "rules_figure", "trend_unit")


def general() -> list[str]:
    """The features less the rules' own verdicts."""
    from qa_service.trend_points import FEATURES

    return [n for n in FEATURES if n not in RULES_FEATURES]


def write(questions: list[Question]) -> None:
    """Store both fits over all fifteen files as data (``FIT_FILE``)."""
    fits = {
        "all": train(questions),
        "general": train(questions, general()),
        "choice": train(questions, choice=True),
        "general_choice": train(questions, general(), choice=True),
    }
    FIT_FILE.write_text(
        '"""The trend point scorer\'s fits (written by bench/fit_trend_points.py --write over\n'
        "the fifteen label files; measured out of fold there; the reader uses one only when\n"
        "USE names it: see\n"
        'docs/quality.md, "Issue 16, trend points by a fitted scorer, stop 22")."""\n\n'
        "# the fit the reader uses (``trend.scored``); None: the rules, as the choice rule\n"
        "# left them (a fit is switched on only after a blind batch shows it better)\n"
        "USE: str | None = None\n\n"
        f"FITS: dict[str, dict[str, object]] = {json.dumps(fits, indent=4)}\n",
        encoding="utf-8",
    )


def score_blind(questions: list[Question]) -> None:
    """A later blind file, with the stored fits, beside the rules."""
    from qa_service.trend_points_fit import FITS

    print(f"rules | {_pr(_total(rules(questions, 'file').values()))}")
    for name, model in FITS.items():
        at = model["threshold"]
        assert isinstance(at, float)
        rows = [counts(q, picks(q, model), at) for q in questions]
        print(f"scorer ({name}) | {_pr(_total(rows))}")


def main(argv: list[str]) -> None:
    """``INDEX [--cache FILE] [--general] [--write] [--score LABELS]``."""
    if "--score" in argv:
        score_blind(gather(read(Path(argv[0]), [Path(argv[argv.index("--score") + 1])])))
        return
    cache = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else None
    if cache is not None and cache.exists():
        questions = pickle.loads(cache.read_bytes())
    else:
        questions = gather(read(Path(argv[0]), LABEL_FILES))
        if cache is not None:
            cache.write_bytes(pickle.dumps(questions))
    if "--write" in argv:
        write(questions)
        return
    report(questions, general() if "--general" in argv else (), "--choice" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
