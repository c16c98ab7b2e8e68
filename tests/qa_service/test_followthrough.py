"""Follow-through: which later paper brings a commitment back (fake embedder)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.followthrough import Made, _discharge
from tests.conftest import build_index

# a parish council's papers name the same body differently from meeting to meeting
PARISH = (
    "file,council,committee,meeting_date,title,doc_type,source_url,supersedes\n"
    "oct.txt,Eastwold Parish Council,Full council (monthly meeting),2018-10-29,Minutes,minutes,,\n"
    "may.txt,Eastwold Parish Council,Full council (Annual General Meeting and monthly meeting),"
    "2019-05-20,Minutes,minutes,,\n"
)
OCT = """EASTWOLD PARISH COUNCIL

Minutes of the meeting held on 29 October 2018.

2597. Any Other Business: Cllr Reed reported that the war memorial plaque is damaged.
Cllr Reed offered to get costings for repairing the war memorial plaque and report back
to the council.
"""
MAY = """EASTWOLD PARISH COUNCIL

Minutes of the meeting held on 20 May 2019.

2704. War memorial plaque: Cllr Reed reported the costings for repairing the war memorial
plaque. Councillors agreed to pay for repairing the war memorial plaque.
"""


def test_a_body_named_differently_at_a_later_meeting_still_brings_it_back(
    tmp_path: Path,
) -> None:
    """ "Full council (monthly meeting)" and "Full council (Annual General Meeting and monthly
    meeting)" are one body: its May minutes bring back what its October minutes asked for."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(PARISH, encoding="utf-8")
    (folder / "oct.txt").write_text(OCT, encoding="utf-8")
    (folder / "may.txt").write_text(MAY, encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as client:
        body = client.get("/api/commitments", params={"as_of": "2019-12-01"}).json()
    [plaque] = body["commitments"]
    assert plaque["committee"] == "Full council (monthly meeting)"
    assert plaque["status"] == "discharged" and plaque["discharged_on"] == "2019-05-20"


def _hit(meeting_date: str, confidence: float, doc_type: str = "minutes") -> SimpleNamespace:
    meta = SimpleNamespace(meeting_date=meeting_date, doc_type=doc_type)
    document = SimpleNamespace(meta=meta, document_id=meeting_date)
    return SimpleNamespace(passage=SimpleNamespace(document=document), confidence=confidence)


def _engine(hits: list[SimpleNamespace]) -> Any:
    answer = SimpleNamespace(answered=True, hits=hits)
    store = SimpleNamespace(document_text=lambda _id: ("nothing about the request", None))
    return SimpleNamespace(ask=lambda *a, **k: answer, store=store)


def _commitment(made: str) -> Any:
    meta = SimpleNamespace(meeting_date=made)
    document = SimpleNamespace(meta=meta, document_id="c")
    return SimpleNamespace(
        text="Cllr Webb will ask him and report back.", passage=SimpleNamespace(document=document)
    )


def test_with_no_due_date_a_paper_a_year_after_the_meeting_is_late() -> None:
    """ "Will ask him and report back" gives no date: a paper two years on is not the report
    back (it was counted, as nothing bounded it); one four months on is."""
    args = ("Eastwold Parish Council", "Full council", None, date(2026, 1, 1))
    at = Made(date(2018, 10, 29))
    c = _commitment("2018-10-29")
    assert _discharge(_engine([_hit("2021-03-29", 1.7)]), c, *args, at) is None
    soon = _hit("2019-02-25", 1.65)
    assert _discharge(_engine([_hit("2021-03-29", 1.7), soon]), c, *args, at) is soon


def test_an_inspectorates_letter_does_not_bring_a_commitment_back() -> None:
    """An Ofsted monitoring letter tabled at the Board is not the report its officers
    promised, however near its words: the Board's own later paper is."""
    args = ("Eastwold Council", "Improvement Board", "2022-05-31", date(2026, 1, 1))
    at = Made(date(2022, 3, 15))
    c = _commitment("2022-03-15")
    letter = _hit("2022-07-19", 0.8, "monitoring-letter")
    assert _discharge(_engine([letter]), c, *args, at) is None
    own = _hit("2022-07-19", 0.75, "report")
    assert _discharge(_engine([letter, own]), c, *args, at) is own


def test_a_commitment_with_no_date_set_does_not_read_as_pending_on_the_page(
    tmp_path: Path,
) -> None:
    # a request of 2018 that never came back and had no date set is not "due, not yet
    # seen" years later: the page says no date was set and no later paper brings it back
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(PARISH.rsplit("may.txt", 1)[0], encoding="utf-8")
    (folder / "oct.txt").write_text(OCT, encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as client:
        [plaque] = client.get("/api/commitments").json()["commitments"]
        page = client.get("/commitments").text
    assert plaque["status"] == "due" and plaque["due"] is None
    assert "no date was set, and no later paper brings it back" in page
    assert page.count("not yet seen") == 1  # the status filter's label only
