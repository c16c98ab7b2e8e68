"""A series agrees on its size: a meeting's point far from its series' others gives way to the
meeting's point near them (``trend.agreeing``, ``MAGNITUDE``, stop 32). Each test checks the
reading with the rule off too (``MAGNITUDE = 0``, stop 31's)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa_service import trend
from qa_service.trend import chosen
from qa_service.trend_sentence import Asked

QUESTION = "number of children in care"
WEIGHTS = {"child": 1.0, "care": 1.0}


def hit(text: str, date: str, council: str = "Eastwold Council") -> SimpleNamespace:
    """A hit as ``trend.select`` reads it."""
    meta = SimpleNamespace(council=council, meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}-{len(text)}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    return SimpleNamespace(passage=passage, highlights=[], core=[])


def values(hits: list[SimpleNamespace]) -> list[float]:
    return [
        p.figure.value
        for p in chosen(hits, Asked.of(QUESTION, WEIGHTS))  # type: ignore[arg-type]
        if not p.flagged
    ]


HITS = [
    hit("Missing episodes involved 57 children in care in the quarter.", "2023-01-10"),
    hit("There were 486 children in care at the end of December.", "2023-01-10"),
    hit("There were 470 children in care at the end of March.", "2023-04-11"),
    hit("There were 512 children in care at the end of June.", "2023-07-11"),
]


def test_a_point_far_from_its_series_gives_way_to_its_meetings_nearer_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trend, "MAGNITUDE", 0.0)  # stop 31's reading: the first ranked
    assert values(HITS) == [57.0, 470.0, 512.0]
    monkeypatch.setattr(trend, "MAGNITUDE", 5.0)
    assert values(HITS) == [486.0, 470.0, 512.0]


def test_without_a_nearer_point_it_is_kept_or_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trend, "MAGNITUDE", 5.0)
    alone = [HITS[0], *HITS[2:]]
    assert values(alone) == [57.0, 470.0, 512.0]
    monkeypatch.setattr(trend, "MAGNITUDE_DROP", True)
    assert values(alone) == [470.0, 512.0]


def test_a_series_of_two_is_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    """One other point is no series to measure a size against."""
    monkeypatch.setattr(trend, "MAGNITUDE", 5.0)
    monkeypatch.setattr(trend, "MAGNITUDE_DROP", True)
    assert values([HITS[0], HITS[2]]) == [57.0, 470.0]
