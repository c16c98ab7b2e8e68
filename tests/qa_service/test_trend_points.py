"""The trend point scorer's candidates and features (``qa_service.trend_points``)."""

from __future__ import annotations

from types import SimpleNamespace

from qa_service.trend import MAX_ALIKE, MIN_CONFIDENCE, alike, confident, select
from qa_service.trend_points import FEATURES, candidates
from qa_service.trend_sentence import Asked


def hit(text: str, date: str, rowid: int = 1, confidence: float = 0.4) -> SimpleNamespace:
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


def test_a_point_is_plotted_only_from_a_passage_answering_with_confidence() -> None:
    asked = Asked.of("agency social worker rate")
    sure = hit(TEXT, "2024-03-01", 1, MIN_CONFIDENCE + 0.1)
    unsure = hit(TEXT.replace("21%", "24%"), "2024-06-01", 2, MIN_CONFIDENCE - 0.1)
    points = select([sure, unsure], asked)  # type: ignore[list-item]
    assert [p.figure.value for p in points] == [21.0, 24.0]  # the rules read both
    assert [p.figure.value for p in confident(points, asked)] == [21.0]
    # a point in another unit than the trend's is left flagged, as the rules left it
    flagged = [points[0], type(points[1])(**{**vars(points[1]), "flagged": True})]
    assert confident(flagged, asked) == flagged


def test_a_point_chosen_among_many_figures_of_its_kind_in_a_sentence_is_not_plotted() -> None:
    asked = Asked.of("highways maintenance budget")
    many = (
        "The highways maintenance budget was £5.1 million, after £1.2 million, £2.3 million,"
        " £3.4 million and £4.5 million in the four years before."
    )
    few = "The highways maintenance budget was £5.1 million."
    sure = MIN_CONFIDENCE + 0.1
    [listed] = select([hit(many, "2024-03-01", 1, sure)], asked)  # type: ignore[list-item]
    [alone] = select([hit(few, "2024-03-01", 1, sure)], asked)  # type: ignore[list-item]
    assert alike(listed, asked) == 5 > MAX_ALIKE and alike(alone, asked) == 1
    assert confident([listed], asked) == []
    assert confident([alone], asked) == [alone]
    assert confident([listed], asked, most=5) == [listed]
