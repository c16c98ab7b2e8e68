"""Fit the abstention classifier (qa_service/abstention.py) across councils, and store it.

    python bench/fit_abstention.py [--index-root DIR] [--write] [--misses] [--smooth-cv]
        [--readings NAME=on|off,...] [--caps CHECK,...] [--batches [FILE ...]] [--cache FILE]
        [--model-out FILE]

Runs every question of the three shared sets once, keeps each answer's ``Evidence`` (and,
for each answerable question, its evidence when asked again with the passages that answer
it withheld: a near miss made from it, an unanswerable training row weighing ``SHARE``
together; bench/abstention_borrowed.py, docs/quality.md "Abstention, stop 19"), and
fits a logistic regression (balanced classes; its L2 strength chosen by council
cross-validation on the questions it is fitted on, ``choose_c``, docs/quality.md
"Abstention, stop 21: the fit"; bagged: its coefficients averaged over ``BAGS`` bootstrap
samples, docs/quality.md "Abstention, stop 20, a steadier fit") with two cut points on its
probability: ``answer_at``, the fewest expected mistakes with at most 5% of answerable
questions refused (bench/calibrate_abstention.py's rule), and
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
``--readings`` switches readings of ``abstention_value.Readings`` for the run ("planned=on",
"measure=on": docs/quality.md, "Abstention, stop 25"); with ``--write`` the stored fit names
them and the service reads with them.  ``--caps`` reads answer checks of stops 26 and 27 as
caps (``Model.caps``: fitted without them, and where one fires at best a weak match),
switching their readings on ("plan", "period,plan,sibling", "period,plan,intent,counted":
docs/quality.md, "Answer checks for abstention, stop 26" and "Abstention checks, stop 27");
``--readings period=on`` instead weighs a check as a fitted piece.
``--batches`` fits on the consumed blind ask batches too (bench/abstention_pool.py; no file
named: ``CONSUMED``), each council's set and batch questions left out together, and prints
per set, per batch and on the batches pooled the figures out of fold with them and, beside,
out of fold by the folds' fits on the sets alone (the rule before): measured and not kept,
docs/quality.md, "Abstention, stop 29: the consumed batches as training questions"; it is
not for ``--write`` (``--model-out FILE`` writes the fit as JSON instead, which
bench/ask_heldout.py ``--fit FILE`` scores).  ``--cache`` keeps the capture in a pickle
(reused while its readings and batches are the same).
``--smooth-cv`` also prints, per kernel width of the
cut-point rule (``SMOOTHS``), its out-of-fold mistakes, and the figures out of fold when
each fold picks the width by the same cross-validation on its own councils (nested; a few
minutes more).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pprint
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache, partial
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_pool import load_or_capture  # noqa: E402
from bench.calibrate_abstention import MAX_FALSE, SMOOTH, SMOOTHS, threshold  # noqa: E402
from bench.quality_all import SETS, run_set  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import QuestionResult  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa_service import abstention_value  # noqa: E402
from qa_service.abstention import (  # noqa: E402
    ANSWERED,
    BASE_FEATURES,
    CHECK_PIECES,
    FEATURES,
    WEAK,
    Evidence,
    Model,
)
from qa_service.abstention_value import Readings  # noqa: E402
from qa_service.answers import Answer  # noqa: E402
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
# How the bags are combined ("coefficients" averaged, one line; or "probability": every bag
# kept and the probabilities averaged), the inverse L2 strength (None: chosen by council
# cross-validation from CS in each fit, ``choose_c``; it was 1.0 until stop 21) and whether
# the SIGNS are imposed.  Kept by the mean pooled out-of-fold mistakes over five seeds, a
# criterion set before the variants were run: C chosen per fit (30.8 against 31.8 for C 1;
# probabilities averaged 32.4, signs imposed 38.2 and refusing too many): docs/quality.md,
# "Abstention, stop 21: the fit"
AVERAGE = "coefficients"
C: float | None = None
SIGNED = False
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# The side each coefficient is known to lie on, where it is known (the evidence's meaning,
# qa_service/abstention.py's docstring): more of it, likelier answered (1) or less likely
# (-1).  A feature not named here is left free.
SIGNS = {
    "cosine": 1,
    "coverage": 1,
    "lacking": -1,
    "council_named": -1,
    "year_missed": -1,
    "amount_missed": -1,
    "agreeing": 1,
    "value_missed": -1,
}
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
    councils: tuple[str, ...] = ()  # the councils it touches (its fold's first), for ``choose_c``


def fit(
    cases: Sequence[Case],
    smooth: float = SMOOTH,
    share: float = SHARE,
    bags: int = BAGS,
    seed: int = SEED,
    average: str = AVERAGE,
    c: float | None = C,
    signed: bool = SIGNED,
    max_false: float = MAX_FALSE,
) -> Model:
    """Logistic regression on standardised evidence, with the cases' ``withheld`` evidence
    as unanswerable rows weighing ``share`` (``fit_rows``), then the two cut points (their
    mistakes spread by ``smooth`` times Silverman's width: bench/calibrate_abstention.py;
    the answer cut refusing at most ``max_false`` of answerable questions).

    With ``bags`` above 0 the regression is bagged: refitted on ``bags`` bootstrap samples
    of the cases (``_draws``; each drawn case bringing its withheld row) and either its
    coefficients averaged (``average`` "coefficients") or every bag kept and their
    probabilities averaged ("probability"), so that no one question's evidence moves the
    fitted line, and with it the cut, as much (docs/quality.md, "Abstention, stop 20, a
    steadier fit" and "Abstention, stop 21: the fit").  The cut points are then chosen on
    the bagged model's probabilities over every case, as for a single fit.

    ``c`` is the inverse L2 strength (None: chosen from ``CS`` by council cross-validation
    on the cases' own councils, ``choose_c``); ``signed`` keeps each coefficient of a
    feature in ``SIGNS`` on its known side (0 allowed)."""
    if c is None:
        c = choose_c(cases, share, signed)
    if bags <= 0:
        extra = [x.withheld for x in cases if x.withheld is not None]
        return fit_rows(cases, extra, share, smooth, c, signed, max_false)
    usable = [x for x in cases if x.evidence is not None]
    mean, scale = _standard(usable)
    counts = _draws(usable, bags, seed)
    fits = []
    for bag in range(bags):
        drawn = [x for x, n in zip(usable, counts[:, bag], strict=True) for _ in range(n)]
        if len({x.answerable for x in drawn}) < 2:  # one class only: nothing to fit
            continue
        held = [x.withheld for x in drawn if x.withheld is not None]
        fits.append(_regress(drawn, held, share, mean, scale, c, signed))
    if not fits:
        return fit(cases, smooth, share, 0, seed, average, c, signed, max_false)
    coef = np.mean([w for w, _ in fits], axis=0)
    intercept = float(np.mean([i for _, i in fits]))
    members = tuple(fits) if average == "probability" else ()
    return _with_cuts(usable, mean, scale, coef, intercept, smooth, members, max_false)


def _draws(usable: Sequence[Case], bags: int, seed: int) -> np.ndarray:
    """How often each case is drawn into each bag: Poisson(1) counts (the bootstrap's, for
    many cases), drawn from the seed and the case's own evidence and label.  A case's
    counts thus do not depend on the other cases: a change to one question's evidence, or
    a question added, leaves every other question's draws as they were, where a bootstrap
    drawn by position would reshuffle every bag."""
    rows = []
    for case in usable:
        vector = _vector(case.evidence) if case.evidence is not None else np.zeros(0)
        # keyed on the pieces every fit weighs: a switchable piece (0 when off) leaves the
        # draws, and so the fit without it, as they were
        vector = np.ascontiguousarray(vector[: len(BASE_FEATURES)])
        digest = hashlib.blake2b(vector.tobytes() + bytes([case.answerable]), digest_size=8)
        key = int.from_bytes(digest.digest(), "little")
        rows.append(np.random.default_rng([seed, key]).poisson(1.0, bags))
    return np.stack(rows) if rows else np.zeros((0, bags), dtype=np.int64)


def fit_rows(
    cases: Sequence[Case],
    extra: Sequence[Evidence],
    share: float,
    smooth: float = SMOOTH,
    c: float = 1.0,
    signed: bool = False,
    max_false: float = MAX_FALSE,
) -> Model:
    """``fit`` on ``cases`` with ``extra`` rows labelled unanswerable, one regression (no
    bagging): together they weigh ``share`` times the cases' unanswerable ones, and the
    classes are then balanced as scikit-learn's ``balanced`` does (``share`` 0 or no rows:
    exactly that).  The evidence is standardised, and the cut points chosen, on ``cases``
    alone."""
    usable = [x for x in cases if x.evidence is not None]
    mean, scale = _standard(usable)
    coef, intercept = _regress(usable, extra, share, mean, scale, c, signed)
    return _with_cuts(usable, mean, scale, coef, intercept, smooth, (), max_false)


def _standard(usable: Sequence[Case]) -> tuple[np.ndarray, np.ndarray]:
    """The mean and spread of each feature over the cases (a constant one: spread 1)."""
    x_real = np.stack([_vector(c.evidence) for c in usable if c.evidence is not None])
    scale = x_real.std(axis=0)
    scale[scale == 0] = 1.0
    return x_real.mean(axis=0), scale


def _regress(
    usable: Sequence[Case],
    extra: Sequence[Evidence],
    share: float,
    mean: np.ndarray,
    scale: np.ndarray,
    c: float = 1.0,
    signed: bool = False,
) -> tuple[np.ndarray, float]:
    """The weighted, class-balanced logistic regression of ``fit_rows``: its coefficients
    and intercept on the evidence standardised by ``mean`` and ``scale``."""
    x, y, weight = _rows(usable, extra, share)
    x = (x - mean) / scale
    if signed:
        return _signed_logistic(x, y, weight, c)
    return _logistic(x, y, weight, c)


def _rows(
    usable: Sequence[Case], extra: Sequence[Evidence], share: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The regression's rows, labels and weights: the withheld rows weigh ``share`` times
    the unanswerable cases together, then the classes are balanced."""
    added = list(extra) if share > 0 else []
    x = np.stack(
        [*(_vector(c.evidence) for c in usable if c.evidence), *(_vector(e) for e in added)]
    )
    y = np.asarray([c.answerable for c in usable] + [False] * len(added))
    weight = np.ones(len(y))
    if added:
        weight[len(usable) :] = share * sum(not c.answerable for c in usable) / len(added)
    total = weight.sum()
    for label in (True, False):
        weight[y == label] *= (total / 2) / weight[y == label].sum()
    return x, y, weight


def _logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float
) -> tuple[np.ndarray, float]:
    """scikit-learn's L2 logistic regression (``C`` ``c``: half the squared coefficients
    plus ``c`` times the weighted log loss, the intercept unpenalised), solved by Newton's
    method to its optimum: the same fit as scikit-learn's lbfgs to its tolerance, fifty
    times faster on a few hundred rows, which the bagged out-of-fold runs need."""
    from scipy.special import expit

    d = x.shape[1]
    design = np.hstack([x, np.ones((len(x), 1))])
    ridge = np.eye(d + 1)
    ridge[d, d] = 0.0
    theta = np.zeros(d + 1)
    target = y.astype(np.float64)
    for _ in range(100):
        p = expit(design @ theta)
        grad = ridge @ theta + c * design.T @ (weight * (p - target))
        hess = ridge + c * (design.T * (weight * p * (1 - p))) @ design
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return theta[:d], float(theta[d])


def _signed_logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float
) -> tuple[np.ndarray, float]:
    """``_logistic`` with each coefficient of a feature in ``SIGNS`` kept on its side (or
    0): an active set, a coefficient that crosses to the wrong side fixed at 0 and one fixed
    whose slope pulls it to its own side freed, one at a time, until neither is left (the
    optimum of a convex loss under the bounds)."""
    from scipy.special import expit

    d = x.shape[1]
    side = np.asarray([SIGNS.get(name, 0) for name in FEATURES], dtype=np.float64)
    fixed: set[int] = set()
    coef, intercept = np.zeros(d), 0.0
    for _ in range(4 * d):
        free = [j for j in range(d) if j not in fixed]
        part, intercept = _logistic(x[:, free], y, weight, c)
        coef = np.zeros(d)
        coef[free] = part
        wrong = {j: -side[j] * coef[j] for j in free if side[j] * coef[j] < 0}
        if wrong:
            fixed.add(max(wrong, key=lambda j: wrong[j]))
            continue
        p = expit(x @ coef + intercept)
        slope = -c * x.T @ (weight * (p - y))  # the loss falls as coef moves this way
        pulled = {j: side[j] * slope[j] for j in fixed if side[j] * slope[j] > 1e-9}
        if not pulled:
            break
        fixed.remove(max(pulled, key=lambda j: pulled[j]))
    return coef, intercept


@cache
def _vector(evidence: Evidence) -> np.ndarray:
    """``evidence.vector()``, kept: the bagged out-of-fold runs stack each case's thousands
    of times (not to be written to)."""
    return evidence.vector()


def _probabilities(model: Model, x: np.ndarray) -> np.ndarray:
    """``model.probability`` of each row of ``x`` at once."""
    from scipy.special import expit

    z = (x - np.asarray(model.mean)) / np.asarray(model.scale)
    if not model.bags:
        return expit(z @ np.asarray(model.coef) + model.intercept)
    coefs = np.asarray([w for w, _ in model.bags])
    intercepts = np.asarray([b for _, b in model.bags])
    return expit(z @ coefs.T + intercepts).mean(axis=1)


def choose_c(cases: Sequence[Case], share: float = SHARE, signed: bool = False) -> float:
    """The inverse L2 strength from ``CS`` with the smallest class-balanced log loss out of
    fold across the cases' own councils (``Case.councils``; one regression per fold, no
    bagging; ties: the smaller)."""
    usable = [x for x in cases if x.evidence is not None]
    groups = [x.councils or (x.set_name,) for x in usable]
    if len({g[0] for g in groups}) < 2:
        return 1.0
    loss = {}
    for c in CS:

        def one(training: list[Case], c: float = c) -> Model:
            extra = [x.withheld for x in training if x.withheld is not None]
            mean, scale = _standard(training)
            coef, intercept = _regress(training, extra, share, mean, scale, c, signed)
            floats = [tuple(float(v) for v in a) for a in (mean, scale, coef)]
            return Model(floats[0], floats[1], floats[2], intercept, 0.5, 0.5)  # no cuts

        probs = np.asarray(out_of_fold(usable, groups, one, _probability))
        y = np.asarray([x.answerable for x in usable])
        p = np.clip(probs, 1e-9, 1 - 1e-9)
        loss[c] = -0.5 * (np.log(p[y]).mean() + np.log(1 - p[~y]).mean())
    return min(loss, key=lambda c: (loss[c], c))


def _probability(model: Model, case: Case) -> float:
    """The model's probability for one case (0 without evidence)."""
    return model.probability(case.evidence) if case.evidence is not None else 0.0


def _with_cuts(
    usable: Sequence[Case],
    mean: np.ndarray,
    scale: np.ndarray,
    coef: np.ndarray,
    intercept: float,
    smooth: float,
    members: tuple[tuple[np.ndarray, float], ...] = (),
    max_false: float = MAX_FALSE,
) -> Model:
    """The model with its two cut points chosen on its probabilities over ``usable``
    (``members``: the bags whose probabilities it averages, if any)."""
    floats = [tuple(float(v) for v in a) for a in (mean, scale, coef)]
    bags = tuple((tuple(float(v) for v in w), float(b)) for w, b in members)
    draft = Model(floats[0], floats[1], floats[2], float(intercept), 0.5, 0.5, bags)
    x = np.stack([_vector(c.evidence) for c in usable if c.evidence is not None])
    labels = [c.answerable for c in usable if c.evidence is not None]
    probs = list(zip(labels, _probabilities(draft, x).tolist(), strict=True))
    answer_at = threshold(probs, max_false, smooth=smooth)
    weak_at = min(threshold(probs, STRICT, smooth), answer_at)
    return replace(draft, answer_at=answer_at, weak_at=weak_at)


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
        # the readings the evidence was gathered with: the service reads with them
        # (``abstention_value.stored_readings``)
        "readings": {
            f.name: getattr(abstention_value.STORED, f.name)
            for f in fields(Readings)
            if getattr(abstention_value.STORED, f.name) != getattr(Readings(), f.name)
        },
        # the pieces read as a rule, not weighed (``Model.caps``)
        "caps": list(model.caps),
        **(
            {"bags": [[[round(v, 6) for v in w], round(b, 6)] for w, b in model.bags]}
            if model.bags
            else {}
        ),
    }


def write(model: Model, target: Path | None = None) -> None:
    """Store the model as qa_service/abstention_fit.py (Python literals: a reading switched
    on is ``True``, not JSON's ``true``)."""
    target = target or TARGET
    body = pprint.pformat(to_data(model), indent=4, sort_dicts=False, width=96)
    target.write_text(
        '"""The abstention classifier\'s fitted numbers (written by bench/fit_abstention.py '
        '--write;\nfitted on the three shared sets, checked out of fold across councils)."""\n\n'
        f"FITTED = {body}\n",
        encoding="utf-8",
    )
    # in the project's style (a missing ruff leaves it as written, still valid)
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(target)], check=False)


def row(name: str, label: str, states: Sequence[str], cases: Sequence[Case]) -> str:
    """One table row: abstains on unanswerable, false abstentions, weak matches."""
    unans = [s for s, c in zip(states, cases, strict=True) if not c.answerable]
    ans = [s for s, c in zip(states, cases, strict=True) if c.answerable]
    caught = sum(s != ANSWERED for s in unans)
    false = sum(s != ANSWERED for s in ans)
    weak = sum(s == WEAK for s in ans) / max(len(ans), 1)
    weak_u = sum(s == WEAK for s in unans) / max(len(unans), 1)
    return (
        f"| {name} | {label} | {caught / max(len(unans), 1):.2f} ({caught}/{len(unans)}) "
        f"| {false / max(len(ans), 1):.2f} ({false}/{len(ans)}) | {weak:.2f} | {weak_u:.2f} |"
    )


def separation(cases: Sequence[Case]) -> str:
    """Per feature and set (and on the batches pooled, if any): the ROC AUC of the feature
    alone (answerable as positive)."""
    from sklearn.metrics import roc_auc_score

    names = [*SETS, *(["batches"] if any(_pooled(c) == "batches" for c in cases) else [])]
    lines = ["| evidence | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for at, feature in enumerate(FEATURES):
        cells = []
        for name in names:
            part = [c for c in cases if _pooled(c) == name and c.evidence is not None]
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


def unweighed(case: Case, pieces: Sequence[str]) -> Case:
    """``case`` with the ``pieces`` of its evidence (and withheld evidence) set to 0: what a
    fit that reads them as caps, not as weights, sees."""
    if not pieces:
        return case
    zero = dict.fromkeys(pieces, 0.0)
    return replace(
        case,
        evidence=replace(case.evidence, **zero) if case.evidence is not None else None,
        withheld=replace(case.withheld, **zero) if case.withheld is not None else None,
    )


def fit_capped(cases: Sequence[Case], pieces: Sequence[str] = (), **kwargs: Any) -> Model:
    """``fit`` on the cases with the ``pieces`` unweighed (``unweighed``), the model then
    capping them (``Model.caps``: where one fires, at best a weak match)."""
    model = fit([unweighed(c, pieces) for c in cases], **kwargs)
    return replace(model, caps=tuple(pieces))


def capped_pieces(spec: str) -> tuple[str, ...]:
    """The pieces of the answer checks ``spec`` names ("period,plan": ``CHECK_PIECES``)."""
    names = [p.strip() for p in spec.split(",") if p.strip()]
    unknown = [n for n in names if n not in CHECK_PIECES]
    if unknown:
        raise SystemExit(f"--caps: {unknown} not in {sorted(CHECK_PIECES)}")
    return tuple(CHECK_PIECES[n] for n in names)


def switched(readings: Readings, spec: str) -> Readings:
    """``readings`` with the switches ``spec`` names ("planned=on,measure=off") set."""
    changes: dict[str, bool] = {}
    names = {f.name for f in fields(Readings)}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, value = part.partition("=")
        if name not in names or value not in ("on", "off"):
            raise SystemExit(
                f"--readings: {part!r} is not NAME=on|off with NAME in {sorted(names)}"
            )
        changes[name] = value == "on"
    return replace(readings, **changes)


def captured(
    index_root: Path,
) -> Iterator[tuple[str, QuestionResult, Answer, tuple[str, ...], Evidence | None]]:
    """Every question of the three sets as the fit sees it (threshold abstention, and its
    evidence with the answering passages withheld): its set, result, answer, the councils
    it touches (fold first) and its withheld evidence. The capture of this fit and of the
    benches that study it (bench/abstention_fit_variants.py, bench/abstention_transfer.py)."""
    embedder = SentenceTransformerEmbedder(lazy=True)
    for name in SETS:
        run = run_set(
            name, index_root, embedder, settings_changes={"abstention": "threshold"}, withheld=True
        )
        yield from zip(
            [name] * len(run.results),
            run.results,
            run.answers,
            run.groups,
            run.withheld,
            strict=True,
        )


def capture_cases(index_root: Path, batches: Sequence[Path] = ()) -> list[tuple[Any, ...]]:
    """Every question of the three sets (``captured``) and of ``batches``
    (``abstention_pool.captured_batches``) as the fields of its fit ``Case`` and its text
    (plain tuples: a pickle of them reads back whichever script wrote it)."""
    from bench.abstention_pool import captured_batches

    out = []
    for name, result, answer, group, held in chain(
        captured(index_root), captured_batches(index_root, batches)
    ):
        q = result.question
        fields_ = (name, q.answerable, answer.evidence, answer.confidence, held, tuple(group))
        out.append((*fields_, q.question))
    return out


def as_cases(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Case], list[str]]:
    """``capture_cases``' rows as fit cases and their questions' text."""
    return [Case(*r[:-1]) for r in rows], [r[-1] for r in rows]


def on_sets(cases: Sequence[Case]) -> list[Case]:
    """The cases of the three shared sets (not of a batch)."""
    return [c for c in cases if c.set_name in SETS]


def _pooled(case: Case) -> str:
    """ "batches" for a batch's case (the pooled rows of the table), else its set."""
    return case.set_name if case.set_name in SETS else "batches"


def _batches(given: Sequence[Path] | None) -> tuple[Path, ...]:
    """The batches ``--batches`` names (given with no file: the consumed ones)."""
    from bench.abstention_pool import CONSUMED

    if given is None:
        return ()
    return tuple(given) or CONSUMED


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
    parser.add_argument(
        "--readings",
        default="",
        help="switch readings for this run (and --write), e.g. 'planned=on' or "
        "'planned=on,measure=off' (qa_service.abstention_value.Readings' fields)",
    )
    parser.add_argument(
        "--caps",
        default="",
        help="answer checks read as caps, not weighed, e.g. 'plan' or 'period,plan,counted' "
        "(each switches its reading on; docs/quality.md, 'Answer checks for abstention, "
        "stop 26')",
    )
    parser.add_argument(
        "--batches",
        nargs="*",
        type=Path,
        default=None,
        help="fit on these blind ask batches beside the sets, leaving each council's set and "
        "batch questions out together (no file named: the consumed ones, "
        "bench/abstention_pool.py CONSUMED)",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep the capture in this pickle and reuse it"
    )
    parser.add_argument(
        "--model-out",
        type=Path,
        default=None,
        help="write the fit on every question as JSON (for bench/ask_heldout.py --fit)",
    )
    args = parser.parse_args(argv)
    if args.write and args.batches is not None:
        # measured, not kept (docs/quality.md, "Abstention, stop 29"); bench/quality_all.py
        # and the floors of tests/integration fold on the sets alone
        raise SystemExit("--write stores a fit on the shared sets alone: drop --batches")
    caps = capped_pieces(args.caps)
    on = ",".join(f"{n}=on" for n, p in CHECK_PIECES.items() if p in caps)
    abstention_value.STORED = switched(
        abstention_value.STORED, ",".join(filter(None, [args.readings, on]))
    )
    fitting = partial(fit_capped, pieces=caps)
    print(f"caps: {list(caps)}")
    print(f"readings: {abstention_value.STORED}")
    batches = _batches(args.batches)
    key = (abstention_value.STORED, [p.name for p in batches])
    rows = load_or_capture(args.cache, key, partial(capture_cases, args.index_root, batches))
    cases, questions = as_cases(rows)
    groups = [c.councils for c in cases]
    model = fitting(cases)
    inside = [state(model, c) for c in cases]
    folded = out_of_fold(cases, groups, fitting, state)
    # with batches: each question judged too by the fold's fit on the shared sets alone, the
    # rule before the batches were fitted on
    alone = (
        out_of_fold(cases, groups, lambda training: fitting(on_sets(training)), state)
        if batches
        else None
    )
    twice = nested(cases, groups) if args.smooth_cv else None
    old = Settings().answer_threshold
    rule = [ANSWERED if c.evidence and c.confidence >= old else "not_in_papers" for c in cases]
    print(f"C: {C if C is not None else choose_c([unweighed(c, caps) for c in cases])}")
    print("model:", json.dumps(to_data(model)))
    print(
        "| set | rule | abstains on unanswerable | false abstentions "
        "| weak (answerable) | weak (unanswerable) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    names = [*SETS, *(p.stem for p in batches), *(["batches"] if batches else [])]
    for name in names:
        idx = [i for i, c in enumerate(cases) if name in (c.set_name, _pooled(c))]
        part = [cases[i] for i in idx]
        print(row(name, f"threshold {old}", [rule[i] for i in idx], part))
        print(row(name, "classifier, in-sample", [inside[i] for i in idx], part))
        if alone is not None:
            print(row(name, "out of fold, fitted on the sets", [alone[i] for i in idx], part))
        print(row(name, "classifier, out of fold", [folded[i] for i in idx], part))
        if twice is not None:
            print(row(name, "classifier, nested", [twice[i] for i in idx], part))
    if args.smooth_cv:
        wrong = mistakes_by_smooth(cases, groups)
        print(f"\nout-of-fold mistakes by smoothing: {wrong}; fewest: {fewest(wrong)}")
    if args.misses:
        print("\n" + separation(cases) + "\n\nout of fold, judged wrongly:")
        print(misses(cases, folded, questions))
    if args.model_out is not None:
        args.model_out.write_text(json.dumps(to_data(model)), encoding="utf-8")
        print(f"wrote {args.model_out}")
    if args.write:
        write(model)
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
