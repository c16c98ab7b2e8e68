"""The trend point scorer's candidates and features (``qa_service.trend_points``)."""

from __future__ import annotations

from types import SimpleNamespace

from bench.trend_candidates import FEATURES, candidates
from qa_service.trend import select
from qa_service.trend_sentence import Asked


def hit(text: str, date: str, rowid: int = 1, confidence: float = 0.4) -> SimpleNamespace:
    """A hit as ``trend_points.candidates`` reads it (no sentence cosines)."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=(), rowid=rowid)
    return SimpleNamespace(
        passage=passage,
        highlights=[],
        core=[],
        sentence=0.5,
        sentence_spans=[],
        sentence_scores=None,
        dense=0.6,
        confidence=confidence,
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
