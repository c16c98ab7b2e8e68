"""The trend point scorer's candidates and features (``qa_service.trend_points``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa_service.trend import select
from qa_service.trend_points import FEATURES, candidates, choose, score
from qa_service.trend_points_fit import FITS
from qa_service.trend_sentence import Asked


def hit(text: str, date: str, rowid: int = 1) -> SimpleNamespace:
    """A hit as ``trend_points.candidates`` reads it (no sentence cosines)."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=(), rowid=rowid)
    return SimpleNamespace(
        passage=passage,
        highlights=[],
        sentence=0.5,
        sentence_spans=[],
        sentence_scores=None,
        dense=0.6,
        confidence=0.4,
    )


TEXT = (
    "The rate of agency social workers had fallen to 21%, against a target of 15%. "
    "The service employed 312 staff."
)


def _features(question: str) -> dict[float, dict[str, float]]:
    hits = [hit(TEXT, "2024-03-01")]
    asked = Asked.of(question)
    found = candidates(hits, asked, select(hits, asked))  # type: ignore[arg-type]
    return {c.point.figure.value: dict(zip(FEATURES, c.x, strict=True)) for c in found}


def test_every_figure_of_every_sentence_is_a_candidate_with_the_rules_verdicts() -> None:
    got = _features("agency social worker rate")
    assert set(got) == {21.0, 15.0, 312.0}
    assert got[21.0]["rules_point"] == 1.0 and got[21.0]["rules_figure"] == 1.0
    assert got[15.0]["rules_point"] == 0.0 and got[15.0]["compared"] == 1.0
    assert got[15.0]["target_near"] == 1.0
    assert got[312.0]["in_unit"] == 0.0  # a count, a share asked
    assert got[21.0]["sentence_named"] > got[312.0]["sentence_named"]
    assert got[21.0]["best_named_in_meeting"] == 1.0


def test_choose_keeps_a_meeting_s_best_scored_candidate_over_the_threshold() -> None:
    hits = [hit(TEXT, "2024-03-01")]
    asked = Asked.of("agency social worker rate")
    found = candidates(hits, asked, select(hits, asked))  # type: ignore[arg-type]
    only_rules = {
        "features": ["rules_point"],
        "mean": [0.0],
        "scale": [1.0],
        "coef": [4.0],
        "intercept": -2.0,
        "threshold": 0.5,
    }
    [point] = choose(found, only_rules)
    assert point.figure.value == 21.0
    assert choose(found, {**only_rules, "threshold": 0.99}) == []
    # the stored fits score every candidate over their own features
    for fit in FITS.values():
        assert all(0.0 <= score(c.x, fit) <= 1.0 for c in found)


def test_the_reader_takes_a_fitted_scorer_s_points_only_when_switched_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qa_service import trend
    from qa_service.trend_points_fit import USE

    hits = [hit(TEXT, "2024-03-01")]
    asked = Asked.of("agency social worker rate")
    assert USE is None  # the rules, as the choice rule left them
    [rules] = trend.scored(hits, asked, None)  # type: ignore[arg-type]
    assert rules.figure.value == 21.0
    targets = {
        "features": ["target_near"],
        "mean": [0.0],
        "scale": [1.0],
        "coef": [4.0],
        "intercept": -2.0,
        "choose": [1.0],
        "threshold": 0.5,
    }
    monkeypatch.setitem(FITS, "targets", targets)
    [fitted] = trend.scored(hits, asked, "targets")  # type: ignore[arg-type]
    assert fitted.figure.value == 15.0 and not fitted.flagged
    # every stored fit runs through the reader
    for name in ("all", "general", "choice", "general_choice"):
        assert all(p.figure.unit == "%" for p in trend.scored(hits, asked, name))  # type: ignore[arg-type]
