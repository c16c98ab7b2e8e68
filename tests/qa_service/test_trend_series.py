"""A point whose sentence names much less of the question than its series' best names
another quantity worded like the question (``trend.below_series``, ``SERIES_SHARE``, stop 32).
Each test checks the reading with the rule off too (``SERIES_SHARE = 0``, stop 31's)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa_service import trend
from qa_service.trend import chosen
from qa_service.trend_sentence import Asked

QUESTION = "agency social worker rate"
# "agency" says most; a sentence naming "social worker" alone names 1.1 of 2.1: over half
# (about the question), under 0.6 of what a sentence naming all of it names
WEIGHTS = {"agenc": 1.0, "socia": 0.5, "work": 0.6}


def hit(text: str, date: str, council: str = "Eastwold Council") -> SimpleNamespace:
    """A hit as ``trend.select`` reads it."""
    meta = SimpleNamespace(council=council, meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    return SimpleNamespace(passage=passage, highlights=[], core=[])


def values(hits: list[SimpleNamespace]) -> list[tuple[str | None, float]]:
    return [
        (p.hit.passage.document.meta.council, p.figure.value)
        for p in chosen(hits, Asked.of(QUESTION, WEIGHTS))  # type: ignore[arg-type]
        if not p.flagged
    ]


def test_a_sentence_naming_much_less_than_the_series_best_gives_no_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The vacancy rate names "social worker" and a rate, half of the question: about it at
    the half bar, but under 0.6 of what the agency rate's sentences name."""
    hits = [
        hit("The agency social worker rate was 21% at the end of March.", "2023-03-07"),
        hit("The social worker vacancy rate was 17% at the end of June.", "2023-07-11"),
        hit("The agency social worker rate had fallen to 18%.", "2023-11-14"),
    ]
    assert values(hits) == [("Eastwold Council", 21.0), ("Eastwold Council", 18.0)]
    monkeypatch.setattr(trend, "SERIES_SHARE", 0.0)  # stop 31's reading
    assert values(hits) == [
        ("Eastwold Council", 21.0),
        ("Eastwold Council", 17.0),
        ("Eastwold Council", 18.0),
    ]


def test_a_series_of_sentences_naming_alike_keeps_every_point() -> None:
    """Alone, or beside sentences naming no more, the vacancy rate's sentence is the series'
    best: the bar is relative, not a higher share of the question."""
    hits = [
        hit("The social worker vacancy rate was 17% at the end of June.", "2023-07-11"),
        hit("The social worker vacancy rate was 15% at the end of December.", "2023-12-12"),
    ]
    assert values(hits) == [("Eastwold Council", 17.0), ("Eastwold Council", 15.0)]


def test_each_council_is_its_own_series() -> None:
    """Without a council asked, one council's full sentences do not raise another's bar."""
    hits = [
        hit("The agency social worker rate was 21% at the end of March.", "2023-03-07"),
        hit("The social worker vacancy rate was 17% at the end of June.", "2023-07-11", "Westby"),
    ]
    assert sorted(values(hits)) == [("Eastwold Council", 21.0), ("Westby", 17.0)]


def test_below_series_leaves_flagged_points_and_an_empty_series_alone() -> None:
    """A flagged point (another unit: not plotted) is neither a series' best nor dropped."""
    low = SimpleNamespace(flagged=True, weight=0.1, hit=hit("", "2020-01-01"))
    high = SimpleNamespace(flagged=False, weight=2.0, hit=hit("", "2021-01-01"))
    assert trend.below_series([]) == []
    assert trend.below_series([low, high], 0.6) == [low, high]  # type: ignore[list-item]
    assert trend.below_series([low], 0.6) == [low]  # type: ignore[list-item]
