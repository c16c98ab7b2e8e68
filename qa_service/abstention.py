"""Whether the papers answer a question: "answered", "weak_match" or "not_in_papers".

A small logistic regression over general evidence, never over one question's words:

- ``cosine``: the question's best cosine to a returned passage or sentence;
- ``coverage``: the weighted share of the question's key terms the best passage names, with
  the words no passage of the index has counting against it: scaled by ``1 - lacking``;
- ``lacking``: the share of the key-term weight held by words no passage of the index has
  (an off-topic question's "dog fouling" or "swimming pool");
- ``council_named``: the question names a council, so only that council's papers were
  searched: the best of fewer papers is weaker evidence, and a question about a council's
  own figures is the likeliest to ask for one its papers never give;
- ``year_missed``: the question names a year that the top passage's highlighted answer
  does not write (0.5 when the passage around it writes it or comes from a meeting near
  it, 1 when neither);
- ``amount_missed``: the question asks for an amount of money (``amount_ask.asks_money``:
  ``answer_kind.asks_amount``, unless its "how much" measures a count, "How much have EHCP
  numbers gone up ...?") and the top passage states none: a near miss shows the measure
  without its value ("notes the Council's Use of Resources score"), or a plan
  (docs/quality.md, "Abstention, third pass", after the merge; the passage rather than its
  highlighted answer, which refused more answerable questions).  It replaced
  ``kind_missed`` (the highlight lacks the kind of answer asked for), which separated
  nothing once the highlight is chosen to hold that kind;
- ``agreeing``: for a question naming a year, the best cosine plus (scaled) coverage among
  the candidates that agree with that year (write it, or come from a meeting near
  it); otherwise the best confidence.  A question about a year the papers do not cover
  finds good matches only in other years;
- ``specific_shown``: the share of the weight of the question's ``SPECIFIC`` rarest key
  concepts that the top passage's highlighted answer names.  It is fitted with a small
  negative weight: once the passage's coverage is given, a shown sentence that repeats the
  question's rarest terms is a little likelier to be a near miss that restates the topic
  (docs/quality.md, "Abstention, third pass");
- ``value_missed``: the question asks for a grade or a count (or money by the verb "what
  did ... cost" that ``amount_missed`` does not read) and the shown sentence does not
  state one (0.5), nor does the top passage around it (1): a near miss that names the
  asked measure without its value (``abstention_value``; docs/quality.md, "Abstention,
  stop 20" and "Abstention, stop 22");
- ``other_period``, ``plan_only``, ``other_item``: the answer checks of stop 26
  (``asked_slot``): the question asks about a period and the shown sentence states only
  others; asks what happened and the shown sentence writes only a plan; names a numbered
  item of a series and the top passage names only its siblings.  Each 0 unless its
  reading is switched on (``Readings.period``, ``.plan``, ``.sibling``; docs/quality.md,
  "Answer checks for abstention, stop 26");
- ``intent_only``, ``count_unbound``: the answer checks of stop 27 (``asked_slot``): the
  plan read wider (an intention in the past, "aimed to recruit", or a mandate, "that the
  Portfolio Holder be asked to consider", shown where an outcome is asked); a count asked
  and neither the shown sentence nor the passage states a count of the thing counted.
  Each 0 unless ``Readings.intent`` / ``.counted`` is on (docs/quality.md, "Abstention
  checks, stop 27");
- ``kind_unshown``: the answer check of stop 32 (``asked_kind_shown``): a kind of answer
  asked (a person by a noun of one, "which councillor"; a date the meeting's own does not
  give; a figure; a grade) that neither the shown sentence nor its passage holds.  0 unless
  ``Readings.kind`` is on (docs/quality.md, "Abstention, stop 32: the asked kind not
  shown");
- ``outcome_planned``: the question asks for what happened (a figure or a date, in a past
  form, not yes or no) and the shown highlight's first sentence states the value only as a
  plan, an estimate or a quote (``abstention_value.outcome_planned``); 0 unless the stored
  readings switch it on (``Readings.planned``; docs/quality.md, "Abstention, stop 24" and
  "Abstention, stop 25").  A piece switched off is 0 on every row, so its fitted
  coefficient is 0 and the model is the one without it.

The coefficients and the two cut points are fitted by ``bench/fit_abstention.py`` with
cross-validation across councils over the three shared sets (the coefficients averaged over
bootstrap samples, so that one question's evidence moves them less: docs/quality.md,
"Abstention, stop 20, a steadier fit"), and stored as data in
``qa_service/abstention_fit.py``; here they are only applied, with numpy.  At or above
``answer_at`` the state is "answered"; from ``weak_at`` up, "weak_match"; below it,
"not_in_papers".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from qa_service import abstention_value, asked_kind_shown, asked_slot
from qa_service.abstention_value import outcome_planned, value_missed
from qa_service.amount_ask import asks_money
from qa_service.answer_kind import states_amount
from qa_service.rerank import named_weight

if TYPE_CHECKING:
    from qa_service.answers import Hit
    from qa_service.query import Understanding
    from qa_service.rerank import YearPreference

ANSWERED = "answered"
WEAK = "weak_match"
NOT_IN_PAPERS = "not_in_papers"
# how many of the rarest key concepts ``specific_shown`` looks for: chosen from 1, 2, 3 by
# out-of-fold figures over the three sets (docs/quality.md, "Abstention, third pass")
SPECIFIC = 2
# Whether concepts as rare as the last of the SPECIFIC rarest count too, rather than the
# first the question writes: kept in stop 23 by the mean over ten bootstrap seeds
# (docs/quality.md, "Abstention, stop 23")
TIES = True


@dataclass(frozen=True)
class Evidence:
    """What the classifier weighs for one answer."""

    cosine: float
    coverage: float
    lacking: float
    council_named: float
    year_missed: float
    amount_missed: float
    agreeing: float
    specific_shown: float
    value_missed: float
    # switchable pieces (0 when their reading is off; a default so that evidence captured
    # before a piece existed still reads)
    outcome_planned: float = 0.0
    # the answer checks of stop 26 (``qa_service.asked_slot``): another period shown, only a
    # plan shown where an outcome is asked, a sibling of the numbered item asked
    other_period: float = 0.0
    plan_only: float = 0.0
    other_item: float = 0.0
    # the answer checks of stop 27: the plan read wider (an intention in the past, a
    # mandate), a count asked and none of the thing counted stated
    intent_only: float = 0.0
    count_unbound: float = 0.0
    # the answer check of stop 32 (``qa_service.asked_kind_shown``): a kind of answer asked
    # (a person by a noun of one, a date, a figure, a grade) that neither the shown answer
    # nor its passage holds
    kind_unshown: float = 0.0

    def vector(self) -> np.ndarray:
        """The features in the order the model stores its coefficients."""
        return np.asarray([getattr(self, name) for name in FEATURES], dtype=np.float64)


FEATURES = tuple(f.name for f in fields(Evidence))
# The answer checks of stops 26 and 27: each ``Readings`` switch and the piece it reads
CHECK_PIECES = {
    "period": "other_period",
    "plan": "plan_only",
    "sibling": "other_item",
    "intent": "intent_only",
    "counted": "count_unbound",
    "kind": "kind_unshown",
}
# The pieces every fit weighs; those after them are switched by ``Readings`` and are 0 when off
# (bench/fit_abstention.py draws its bootstrap bags keyed on these alone, so a piece
# switched off leaves every fit as it was without it)
BASE_FEATURES = FEATURES[: FEATURES.index("outcome_planned")]


@dataclass(frozen=True)
class Model:
    """Standardisation, coefficients and the two cut points on the probability.

    ``bags``, when given, are the (coefficients, intercept) of bootstrap fits whose
    probabilities are averaged (``coef`` and ``intercept`` then hold their mean, for
    reading only); without them the probability is the one line's.

    ``caps`` name pieces read as a rule rather than weighed: where one of them fires (above
    0), the state is at best a weak match, whatever the probability (an answer check of
    stop 26 whose fires are too few on the shared sets to be weighed, ``CHECK_PIECES``;
    bench/fit_abstention.py fits the model without them, docs/quality.md, "Answer checks for
    abstention, stop 26")."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    answer_at: float
    weak_at: float
    bags: tuple[tuple[tuple[float, ...], float], ...] = ()
    caps: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Model:
        """The model stored by bench/fit_abstention.py."""
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the stored abstention model was fitted on other features")
        if not set(data.get("caps", ())) <= set(FEATURES):
            raise ValueError("the stored abstention model caps an unknown piece")
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["coef"]),
            float(data["intercept"]),
            float(data["answer_at"]),
            float(data["weak_at"]),
            tuple((tuple(w), float(b)) for w, b in data.get("bags", ())),
            tuple(str(c) for c in data.get("caps", ())),
        )

    def probability(self, evidence: Evidence) -> float:
        """The fitted probability that the papers answer (averaged over the bags, if any)."""
        z = (evidence.vector() - np.asarray(self.mean)) / np.asarray(self.scale)
        if not self.bags:
            return _logistic(float(z @ np.asarray(self.coef)) + self.intercept)
        return sum(_logistic(float(z @ np.asarray(w)) + b) for w, b in self.bags) / len(self.bags)

    def state(self, evidence: Evidence, checks: bool = True) -> str:
        """ "answered", "weak_match" or "not_in_papers".  Without ``checks`` the caps are not
        read: for a text that is not a question (a commitment's own words, whose date is when
        it is due, not a period asked about)."""
        p = self.probability(evidence)
        if p >= self.answer_at:
            capped = checks and any(getattr(evidence, piece) > 0 for piece in self.caps)
            return WEAK if capped else ANSWERED
        return WEAK if p >= self.weak_at else NOT_IN_PAPERS


def _logistic(logit: float) -> float:
    """1 / (1 + exp(-logit)), the logit clipped to +-50."""
    return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


def lacking_share(
    concept_weights: Mapping[tuple[str, ...], float], lacking: Sequence[str], passages: int
) -> float:
    """Share of the key-term weight held by words the index lacks; each such word weighs
    as the rarest word could (``log(1 + N)``)."""
    missing = len(lacking) * math.log(1 + passages)
    total = sum(concept_weights.values()) + missing
    return missing / total if total > 0 else 0.0


def gather(
    hits: Sequence[Hit],
    understood: Understanding,
    weights: Mapping[tuple[str, ...], float],
    passages: int,
    preferred: YearPreference | None,
    agreeing: Sequence[tuple[float, float]],
) -> Evidence:
    """The evidence of an answer's hits (best first, at least one): ``weights`` are the
    question's key concepts' weights, ``agreeing`` the (cosine, coverage) of the candidates
    agreeing with the year asked about."""
    top = hits[0]
    readings = abstention_value.STORED
    asked = {c[0] for c in understood.key_concepts}
    lack = lacking_share(weights, [t for t in understood.key_terms if t not in asked], passages)
    # the core answer, not the span shown: the display's neighbour margin leaves the evidence
    # as the model was fitted on it (``highlight.CORE_MARGIN``)
    shown = " ".join(top.passage.text[s.start : s.end] for s in top.core)
    best = [(max(h.dense, h.sentence), h.features.coverage if h.features else 0.0) for h in hits]
    pairs = agreeing if preferred is not None else best
    return Evidence(
        cosine=max(c for c, _ in best),
        # words the index lacks count against the match: coverage is scaled by what is left
        coverage=(1 - lack) * max(v for _, v in best),
        lacking=lack,
        council_named=1.0 if understood.councils else 0.0,
        year_missed=_year_missed(preferred, top, shown),
        amount_missed=(
            1.0 if asks_money(understood.question) and not states_amount(top.passage.text) else 0.0
        ),
        agreeing=max((c + (1 - lack) * v for c, v in pairs), default=0.0),
        specific_shown=specific_share(shown, weights),
        value_missed=value_missed(understood.question, shown, top.passage.text),
        outcome_planned=(outcome_planned(understood.question, shown) if readings.planned else 0.0),
        other_period=(
            asked_slot.other_period(
                understood.question, shown, top.passage.text, top.passage.document.meta.meeting_date
            )
            if readings.period
            else 0.0
        ),
        plan_only=asked_slot.plan_only(understood.question, shown) if readings.plan else 0.0,
        other_item=(
            asked_slot.other_item(understood.question, top.passage.text)
            if readings.sibling
            else 0.0
        ),
        intent_only=(
            asked_slot.intent_only(understood.question, shown) if readings.intent else 0.0
        ),
        count_unbound=(
            asked_slot.count_unbound(understood.question, shown, top.passage.text)
            if readings.counted
            else 0.0
        ),
        kind_unshown=(
            asked_kind_shown.kind_unshown(understood.question, shown, top.passage.text)
            if readings.kind
            else 0.0
        ),
    )


def specific_share(
    text: str,
    weights: Mapping[tuple[str, ...], float],
    rarest: int = SPECIFIC,
    ties: bool = TIES,
) -> float:
    """Share of the weight of the ``rarest`` highest-weighted concepts that ``text`` names
    (1 when the question has none).  A concept counts as ``rerank.coverage`` counts it: one
    of its forms, its plural or singular, a word with its first letters, or a phrase's
    words in order.  With ``ties``, every concept weighing as much as the last of the
    ``rarest`` counts too, rather than the first written (``rarest_concepts``)."""
    specific = rarest_concepts(weights, rarest, ties)
    total = sum(specific.values())
    if total <= 0:
        return 1.0
    return named_weight(text, specific) / total


def rarest_concepts(
    weights: Mapping[tuple[str, ...], float], rarest: int = SPECIFIC, ties: bool = TIES
) -> dict[tuple[str, ...], float]:
    """The ``rarest`` highest-weighted concepts; with ``ties``, also every concept that
    weighs as much as the last of them (words as rare as each other, often at the rarity's
    ceiling, "save", "closing", "library": which of them the question writes first does
    not make one more specific)."""
    ordered = sorted(weights.items(), key=lambda kv: -kv[1])
    if not ties or len(ordered) <= rarest or rarest <= 0:
        return dict(ordered[:rarest])
    edge = ordered[rarest - 1][1]
    return dict(kv for kv in ordered if kv[1] >= edge - 1e-9)


def _year_missed(preferred: YearPreference | None, top: Hit, shown: str) -> float:
    """0 when no year is asked for or the highlighted answer writes it; 0.5 when only the
    passage around it writes it or its meeting falls in the range; 1 otherwise."""
    if preferred is None or preferred.written(shown):
        return 0.0
    return 0.5 if preferred.match(top.passage) else 1.0
