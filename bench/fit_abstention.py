"""Fit the abstention classifier (qa_service/abstention.py) across councils, and store it.

    python bench/fit_abstention.py [--index-root DIR] [--write] [--misses] [--smooth-cv]

Runs every question of the three shared sets once, keeps each answer's ``Evidence`` (and,
for each answerable question, its evidence when asked again with the passages that answer
it withheld: a near miss made from it, an unanswerable training row weighing ``SHARE``
together; bench/abstention_borrowed.py, docs/quality.md "Abstention, stop 19"), and
fits a logistic regression (scikit-learn, balanced classes; bagged: its coefficients
averaged over ``BAGS`` bootstrap samples, docs/quality.md "Abstention, stop 20, a steadier
fit") with two cut points on its probability: ``answer_at``, the fewest expected mistakes
with at most 5% of answerable questions refused (bench/calibrate_abstention.py's rule), and
``weak_at``, the same with at most 1%, below which the papers are said not to answer
(between the two: a weak match).

Out of fold (``evaluation.crossval``): each council's questions are judged by a model and
cut points fitted without any question touching that council.  Prints, per set, the share
of unanswerable questions not answered, of answerable ones not answered, and of answerable
ones called a weak match, for the old threshold rule, the classifier in-sample and out of
fold.  ``--write`` stores the model fitted on every question in qa_service/abstention_fit.py.
``--misses`` also prints how well each piece of evidence alone separates answerable from
unanswerable questions on each set (ROC AUC, 0.5 is chance), and every question the
classifier gets wrong out of fold with its evidence: what to read before adding evidence.
``--smooth-cv`` also prints, per kernel width of the cut-point rule (``SMOOTHS``), its
out-of-fold mistakes, and the figures out of fold when each fold picks the width by the
same cross-validation on its own councils (nested; a few minutes more).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.calibrate_abstention import SMOOTH, SMOOTHS, threshold  # noqa: E402
from bench.quality_all import SETS, run_set  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa_service.abstention import ANSWERED, FEATURES, WEAK, Evidence, Model  # noqa: E402
from qa_service.config import Settings  # noqa: E402

STRICT = 0.01  # answerable questions allowed below weak_at
# How much the withheld rows weigh, together, against the real unanswerable questions:
# chosen from bench/abstention_borrowed.py's SHARES by council cross-validation on every
# question (and 0.25 in 30 of the 35 folds when chosen inside each fold: docs/quality.md,
# "Abstention, stop 19")
SHARE = 0.25
# Bootstrap samples the regression is averaged over, and the seed that draws them: bagging
# was kept over a smaller C, weights balanced per set, cuts from inner council folds and
# bagging over council folds by the total out-of-fold mistakes over the three sets, at
# several seeds (docs/quality.md, "Abstention, stop 20, a steadier fit")
BAGS = 50
SEED = 0
TARGET = REPO / "qa_service" / "abstention_fit.py"


@dataclass
class Case:
    """One question's evidence and label; for an answerable question, also its evidence
    when the passages that answer it are withheld (``withheld``: a near miss made from it,
    bench/abstention_borrowed.py)."""

    set_name: str
    answerable: bool
    evidence: Evidence | None
    confidence: float
    withheld: Evidence | None = None


def fit(
    cases: Sequence[Case],
    smooth: float = SMOOTH,
    share: float = SHARE,
    bags: int = BAGS,
    seed: int = SEED,
) -> Model:
    """Logistic regression on standardised evidence, with the cases' ``withheld`` evidence
    as unanswerable rows weighing ``share`` (``fit_rows``), then the two cut points (their
    mistakes spread by ``smooth`` times Silverman's width: bench/calibrate_abstention.py).

    With ``bags`` above 0 the regression is bagged: refitted on ``bags`` bootstrap samples
    of the cases (``_draws``; each drawn case bringing its withheld row) and its
    coefficients averaged, so that no one question's evidence moves the fitted line, and
    with it the cut, as much (docs/quality.md, "Abstention, stop 20, a steadier fit").
    The cut points are then chosen on the averaged model's probabilities over every case,
    as for a single fit."""
    if bags <= 0:
        extra = [c.withheld for c in cases if c.withheld is not None]
        return fit_rows(cases, extra, share, smooth)
    usable = [c for c in cases if c.evidence is not None]
    mean, scale = _standard(usable)
    counts = _draws(usable, bags, seed)
    fits = []
    for bag in range(bags):
        drawn = [c for c, n in zip(usable, counts[:, bag], strict=True) for _ in range(n)]
        if len({c.answerable for c in drawn}) < 2:  # one class only: nothing to fit
            continue
        held = [c.withheld for c in drawn if c.withheld is not None]
        fits.append(_regress(drawn, held, share, mean, scale))
    if not fits:
        return fit(cases, smooth, share, bags=0)
    coef = np.mean([c for c, _ in fits], axis=0)
    intercept = float(np.mean([i for _, i in fits]))
    return _with_cuts(usable, mean, scale, coef, intercept, smooth)


def _draws(usable: Sequence[Case], bags: int, seed: int) -> np.ndarray:
    """How often each case is drawn into each bag: Poisson(1) counts (the bootstrap's, for
    many cases), drawn from the seed and the case's own evidence and label.  A case's
    counts thus do not depend on the other cases: a change to one question's evidence, or
    a question added, leaves every other question's draws as they were, where a bootstrap
    drawn by position would reshuffle every bag."""
    rows = []
    for case in usable:
        vector = case.evidence.vector() if case.evidence is not None else np.zeros(0)
        digest = hashlib.blake2b(vector.tobytes() + bytes([case.answerable]), digest_size=8)
        key = int.from_bytes(digest.digest(), "little")
        rows.append(np.random.default_rng([seed, key]).poisson(1.0, bags))
    return np.stack(rows) if rows else np.zeros((0, bags), dtype=np.int64)


def fit_rows(
    cases: Sequence[Case], extra: Sequence[Evidence], share: float, smooth: float = SMOOTH
) -> Model:
    """``fit`` on ``cases`` with ``extra`` rows labelled unanswerable, one regression (no
    bagging): together they weigh ``share`` times the cases' unanswerable ones, and the
    classes are then balanced as scikit-learn's ``balanced`` does (``share`` 0 or no rows:
    exactly that).  The evidence is standardised, and the cut points chosen, on ``cases``
    alone."""
    usable = [c for c in cases if c.evidence is not None]
    mean, scale = _standard(usable)
    coef, intercept = _regress(usable, extra, share, mean, scale)
    return _with_cuts(usable, mean, scale, coef, intercept, smooth)


def _standard(usable: Sequence[Case]) -> tuple[np.ndarray, np.ndarray]:
    """The mean and spread of each feature over the cases (a constant one: spread 1)."""
    x_real = np.stack([c.evidence.vector() for c in usable if c.evidence is not None])
    scale = x_real.std(axis=0)
    scale[scale == 0] = 1.0
    return x_real.mean(axis=0), scale


def _regress(
    usable: Sequence[Case],
    extra: Sequence[Evidence],
    share: float,
    mean: np.ndarray,
    scale: np.ndarray,
) -> tuple[np.ndarray, float]:
    """The weighted, class-balanced logistic regression of ``fit_rows``: its coefficients
    and intercept on the evidence standardised by ``mean`` and ``scale``."""
    from sklearn.linear_model import LogisticRegression

    added = list(extra) if share > 0 else []
    x = np.stack(
        [*(c.evidence.vector() for c in usable if c.evidence), *(e.vector() for e in added)]
    )
    y = np.asarray([c.answerable for c in usable] + [False] * len(added))
    weight = np.ones(len(y))
    if added:
        weight[len(usable) :] = share * sum(not c.answerable for c in usable) / len(added)
    total = weight.sum()
    for label in (True, False):
        weight[y == label] *= (total / 2) / weight[y == label].sum()
    lr = LogisticRegression(C=1.0, max_iter=1000)
    lr.fit((x - mean) / scale, y, sample_weight=weight)
    return lr.coef_[0], float(lr.intercept_[0])


def _with_cuts(
    usable: Sequence[Case],
    mean: np.ndarray,
    scale: np.ndarray,
    coef: np.ndarray,
    intercept: float,
    smooth: float,
) -> Model:
    """The model with its two cut points chosen on its probabilities over ``usable``."""
    floats = [tuple(float(v) for v in a) for a in (mean, scale, coef)]
    draft = Model(floats[0], floats[1], floats[2], float(intercept), 0.5, 0.5)
    probs = [(c.answerable, draft.probability(c.evidence)) for c in usable if c.evidence]
    answer_at = threshold(probs, smooth=smooth)
    weak_at = min(threshold(probs, STRICT, smooth), answer_at)
    return Model(draft.mean, draft.scale, draft.coef, draft.intercept, answer_at, weak_at)


def mistakes_by_smooth(
    cases: Sequence[Case], groups: Sequence[Sequence[str]], bags: int = BAGS
) -> dict[float, int]:
    """Per smoothing of the cut points (``SMOOTHS``): how many questions the classifier
    (bagged over ``bags``) judges wrongly out of fold across the councils of ``cases``."""
    out = {}
    for smooth in SMOOTHS:
        folded = out_of_fold(cases, groups, partial(fit, smooth=smooth, bags=bags), state)
        out[smooth] = sum(
            (s == ANSWERED) != c.answerable for s, c in zip(folded, cases, strict=True)
        )
    return out


def choose_smooth(
    cases: Sequence[Case], groups: Sequence[Sequence[str]], bags: int = BAGS
) -> float:
    """The smoothing with the fewest out-of-fold mistakes (ties: the smaller)."""
    return fewest(mistakes_by_smooth(cases, groups, bags))


def fewest(wrong: dict[float, int]) -> float:
    """The smoothing with the fewest mistakes in ``wrong`` (ties: the smaller)."""
    return min(wrong, key=lambda s: (wrong[s], s))


def nested(cases: Sequence[Case], groups: Sequence[Sequence[str]], bags: int = BAGS) -> list[str]:
    """Out of fold with the smoothing itself chosen inside each fold (``choose_smooth`` on
    the councils that fold trains on): the figure for the whole rule, smoothing included."""
    touched = {id(c): g for c, g in zip(cases, groups, strict=True)}

    def fit_nested(training: list[Case]) -> Model:
        chosen = choose_smooth(training, [touched[id(c)] for c in training], bags)
        return fit(training, chosen, bags=bags)

    return out_of_fold(cases, groups, fit_nested, state)


def state(model: Model, case: Case) -> str:
    """The state the model gives one case (no passages: not in the papers)."""
    return model.state(case.evidence) if case.evidence is not None else "not_in_papers"


def to_data(model: Model) -> dict[str, Any]:
    """The model as stored data."""
    return {
        "features": list(FEATURES),
        "mean": [round(v, 6) for v in model.mean],
        "scale": [round(v, 6) for v in model.scale],
        "coef": [round(v, 6) for v in model.coef],
        "intercept": round(model.intercept, 6),
        "answer_at": round(model.answer_at, 6),
        "weak_at": round(model.weak_at, 6),
    }


def write(model: Model) -> None:
    """Store the model as qa_service/abstention_fit.py."""
    body = json.dumps(to_data(model), indent=4)
    TARGET.write_text(
        '"""The abstention classifier\'s fitted numbers (written by bench/fit_abstention.py '
        '--write;\nfitted on the three shared sets, checked out of fold across councils)."""\n\n'
        f"FITTED = {body}\n",
        encoding="utf-8",
    )
    # in the project's style (a missing ruff leaves it as written, still valid)
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(TARGET)], check=False)


def row(name: str, label: str, states: Sequence[str], cases: Sequence[Case]) -> str:
    """One table row: abstains on unanswerable, false abstentions, weak matches."""
    unans = [s for s, c in zip(states, cases, strict=True) if not c.answerable]
    ans = [s for s, c in zip(states, cases, strict=True) if c.answerable]
    caught = sum(s != ANSWERED for s in unans) / max(len(unans), 1)
    false = sum(s != ANSWERED for s in ans) / max(len(ans), 1)
    weak = sum(s == WEAK for s in ans) / max(len(ans), 1)
    weak_u = sum(s == WEAK for s in unans) / max(len(unans), 1)
    return f"| {name} | {label} | {caught:.2f} | {false:.2f} | {weak:.2f} | {weak_u:.2f} |"


def separation(cases: Sequence[Case]) -> str:
    """Per feature and set: the ROC AUC of the feature alone (answerable as positive)."""
    from sklearn.metrics import roc_auc_score

    lines = ["| evidence | " + " | ".join(SETS) + " |", "| --- |" + " ---: |" * len(SETS)]
    for at, feature in enumerate(FEATURES):
        cells = []
        for name in SETS:
            part = [c for c in cases if c.set_name == name and c.evidence is not None]
            labels = [c.answerable for c in part]
            values = [c.evidence.vector()[at] for c in part if c.evidence is not None]
            cells.append(f"{roc_auc_score(labels, values):.2f}" if len(set(labels)) == 2 else "–")
        lines.append(f"| {feature} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(cases: Sequence[Case], states: Sequence[str], questions: Sequence[str]) -> str:
    """The questions judged wrongly: unanswerable answered, answerable not answered."""
    out = []
    for case, got, question in zip(cases, states, questions, strict=True):
        if (got == ANSWERED) != case.answerable:
            ev = case.evidence
            values = (
                " ".join(f"{k}={v:.2f}" for k, v in zip(FEATURES, ev.vector(), strict=True))
                if ev is not None
                else "no passage"
            )
            label = "answerable" if case.answerable else "unanswerable"
            out.append(f"{case.set_name} | {label} -> {got} | {question}\n    {values}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture, fit, print, and with --write store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print separation and misses")
    parser.add_argument(
        "--smooth-cv",
        action="store_true",
        help="print each smoothing's out-of-fold mistakes and the nested out-of-fold figures",
    )
    args = parser.parse_args(argv)
    embedder = SentenceTransformerEmbedder(lazy=True)
    cases: list[Case] = []
    groups: list[tuple[str, ...]] = []
    questions: list[str] = []
    for name in SETS:
        run = run_set(
            name,
            args.index_root,
            embedder,
            settings_changes={"abstention": "threshold"},
            withheld=True,
        )
        for result, answer, group, held in zip(
            run.results, run.answers, run.groups, run.withheld, strict=True
        ):
            q = result.question
            cases.append(Case(name, q.answerable, answer.evidence, answer.confidence, held))
            groups.append(group)
            questions.append(result.question.question)
    model = fit(cases)
    inside = [state(model, c) for c in cases]
    folded = out_of_fold(cases, groups, fit, state)
    twice = nested(cases, groups) if args.smooth_cv else None
    old = Settings().answer_threshold
    rule = [ANSWERED if c.evidence and c.confidence >= old else "not_in_papers" for c in cases]
    print("model:", json.dumps(to_data(model)))
    print(
        "| set | rule | abstains on unanswerable | false abstentions "
        "| weak (answerable) | weak (unanswerable) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name in SETS:
        idx = [i for i, c in enumerate(cases) if c.set_name == name]
        part = [cases[i] for i in idx]
        print(row(name, f"threshold {old}", [rule[i] for i in idx], part))
        print(row(name, "classifier, in-sample", [inside[i] for i in idx], part))
        print(row(name, "classifier, out of fold", [folded[i] for i in idx], part))
        if twice is not None:
            print(row(name, "classifier, nested", [twice[i] for i in idx], part))
    if args.smooth_cv:
        wrong = mistakes_by_smooth(cases, groups)
        print(f"\nout-of-fold mistakes by smoothing: {wrong}; fewest: {fewest(wrong)}")
    if args.misses:
        print("\n" + separation(cases) + "\n\nout of fold, judged wrongly:")
        print(misses(cases, folded, questions))
    if args.write:
        write(model)
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
