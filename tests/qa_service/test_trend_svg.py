"""The trend figure's SVG shows hostile council names, units and sentences as text."""

from __future__ import annotations

from bs4 import BeautifulSoup

from qa_service import trend_svg
from qa_service.schemas.precedent import (
    DecisionCitation,
    TrendPointOut,
    TrendResponse,
    TrendSeries,
)

HOSTILE = '</title></svg><script>alert(1)</script>"><svg onload=alert(2)> & co'


def _point(day: str, value: float) -> TrendPointOut:
    citation = DecisionCitation(
        council=HOSTILE,
        committee=None,
        meeting_date=day,
        document_id="doc1",
        source="a.html",
        title=None,
        doc_type=None,
        url="javascript:alert(3)",
        page=None,
        passage_id="p1",
        char_start=0,
        char_end=10,
    )
    return TrendPointOut(
        date=day,
        value=value,
        unit=HOSTILE,
        value_text=f"{value:g} {HOSTILE}",
        text=f"The rate was {value:g}. {HOSTILE}",
        citation=citation,
    )


def test_hostile_words_in_the_figure_are_text() -> None:
    points = [_point("2020-01-01", 1), _point("2021-01-01", 2)]
    response = TrendResponse(
        question="rate",
        unit=HOSTILE,
        agrees=True,
        points=points,
        series=[TrendSeries(council=HOSTILE, points=points)],
    )
    page = BeautifulSoup(trend_svg.figure(response, None), "html.parser")
    assert len(page.find_all("svg")) == 1 and not page.find_all(["script", "foreignobject"])
    for tag in page.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag
    assert [a["href"] for a in page.select("a")] == ["/documents/doc1/passages/p1"] * 2
    assert HOSTILE in page.title.text
    for a in page.select("a"):
        assert a["aria-label"].startswith(HOSTILE) and a["aria-label"].endswith(HOSTILE)
