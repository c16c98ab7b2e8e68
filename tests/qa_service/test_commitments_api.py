"""GET /api/commitments and the /commitments page with the fake embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from tests.conftest import build_index

MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
minutes.txt,Eastwold Council,Roads Panel,2021-01-12,Minutes,minutes,,
potholes.txt,Eastwold Council,Roads Panel,2021-03-09,Pothole repair times,report,,
other.txt,Westwold Council,Roads Panel,2021-02-01,Minutes,minutes,,
shelters.txt,Eastwold Council,Roads Panel,2023-05-02,Bus shelters,report,,
library.txt,Eastwold Council,Roads Panel,2023-06-06,Libraries,report,,
"""
MINUTES = """EASTWOLD COUNCIL

ROADS PANEL

5. POTHOLE REPAIRS

The Head of Highways reported that pothole repair times had risen over the winter.

RESOLVED - That:

(a) the report be noted;

(b) the Panel receives a report on pothole repair times and the backlog of repairs at its
meeting in March 2021; and

(c) the Panel receives a report on bus shelter cleaning contracts in June 2021.

6. LIBRARIES

RESOLVED - That the Panel receives an update on library opening hours at its next meeting.
"""
POTHOLES = """Pothole repair times and the backlog of repairs

1. Purpose of the report

1.1 This report sets out pothole repair times and the backlog of repairs, as the Panel
asked in January 2021. Pothole repair times have fallen since January, and the backlog of
repairs stands at 412 potholes.
"""
# two years late, but it names the meeting that asked for it
SHELTERS = """Bus shelter cleaning contracts

1.1 This report on bus shelter cleaning contracts was asked for by the Panel in January 2021.
"""
# two years late, and it does not say it is the update that was asked for
LIBRARY = """Update on library opening hours

1.1 This report is an update for the Panel on library opening hours. Library opening hours
were extended at weekends, and the Panel receives this update on library opening hours.
"""
OTHER = """WESTWOLD COUNCIL

7. POTHOLE REPAIRS

RESOLVED - That the Panel receives a report on pothole repair times in May 2021.
"""


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    (folder / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "potholes.txt").write_text(POTHOLES, encoding="utf-8")
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    (folder / "shelters.txt").write_text(SHELTERS, encoding="utf-8")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    return build_index(tmp_path / "index", [folder], HashingEmbedder())


@pytest.fixture
def client(index_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index=index_dir), HashingEmbedder())) as c:
        yield c


def _by_words(body: dict) -> dict[str, dict]:
    out = {}
    for c in body["commitments"]:
        for words in ("pothole repair times and", "bus shelter", "library", "May 2021"):
            if words in c["text"]:
                out[words] = c
    return out


def test_commitments_carry_due_date_committee_status_and_discharge(client: TestClient) -> None:
    r = client.get("/api/commitments", params={"as_of": "2021-09-01"})  # before the late papers
    assert r.status_code == 200
    body = r.json()
    assert body["as_of"] == "2021-09-01"
    found = _by_words(body)
    assert set(found) == {"pothole repair times and", "bus shelter", "library", "May 2021"}
    potholes = found["pothole repair times and"]
    assert potholes["due"] == "2021-03-31" and potholes["committee"] == "Roads Panel"
    assert potholes["status"] == "discharged" and potholes["discharged_on"] == "2021-03-09"
    assert potholes["discharged_by"]["source"] == "potholes.txt"
    shelters = found["bus shelter"]
    assert shelters["status"] == "overdue" and shelters["due"] == "2021-06-30"
    # "its next meeting": the panel's next meeting in the index
    library = found["library"]
    assert library["due"] == "2021-03-09" and library["due_text"] == "next meeting"
    # another council's paper never discharges a commitment
    assert found["May 2021"]["status"] == "overdue"
    for c in body["commitments"]:
        doc = client.get(f"/api/documents/{c['citation']['document_id']}").json()
        assert doc["text"][c["citation"]["char_start"] : c["citation"]["char_end"]] == c["text"]


def test_a_late_paper_discharges_only_when_it_names_the_meeting_that_asked(
    client: TestClient,
) -> None:
    found = _by_words(client.get("/api/commitments", params={"as_of": "2024-01-01"}).json())
    shelters = found["bus shelter"]
    assert shelters["status"] == "discharged" and shelters["discharged_on"] == "2023-05-02"
    assert found["library"]["status"] == "overdue"


def test_commitments_filters_and_status_on_a_date(client: TestClient) -> None:
    early = client.get("/api/commitments", params={"as_of": "2021-05-01"}).json()
    assert _by_words(early)["bus shelter"]["status"] == "due"
    only = client.get(
        "/api/commitments", params={"council": "Westwold Council", "as_of": "2021-09-01"}
    ).json()["commitments"]
    assert [c["citation"]["council"] for c in only] == ["Westwold Council"]
    overdue = client.get(
        "/api/commitments", params={"status": "overdue", "as_of": "2021-09-01"}
    ).json()["commitments"]
    assert overdue and {c["status"] for c in overdue} == {"overdue"}
    none = client.get("/api/commitments", params={"committee": "Cabinet"}).json()
    assert none["commitments"] == []
    r = client.get("/api/commitments", params={"status": "lost"})
    assert r.status_code == 422 and "status" in r.json()["detail"]
    assert client.get("/api/commitments", params={"as_of": "2021-02-31"}).status_code == 422


def test_an_unknown_status_is_refused_at_its_query_parameter(client: TestClient) -> None:
    # "overdu" came back with loc [] (the engine's check, which knows no location), where
    # every other 422 names its field
    r = client.get("/api/commitments", params={"status": ["due", "overdu"]})
    assert r.status_code == 422
    body = r.json()
    assert [e["loc"] for e in body["errors"]] == [["query", "status"]]
    assert body["detail"] == "query.status: Input should be 'discharged', 'due' or 'overdue'"
    # blank values are still ignored, and a value with spaces around it still counts
    ok = client.get("/api/commitments", params={"status": ["", " overdue "], "as_of": "2021-09-01"})
    assert ok.status_code == 200 and {c["status"] for c in ok.json()["commitments"]} == {"overdue"}


def test_commitments_page_links_the_paper_that_brought_it_back(client: TestClient) -> None:
    r = client.get("/commitments")
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    items = page.select(".cqa-commitment")
    assert len(items) == 4
    came_back = page.select("a.cqa-discharged")  # today: the potholes and the shelters reports
    assert len(came_back) == 2 and came_back[0]["href"].startswith("/documents/")
    assert any("Overdue" in i.text for i in items)
    assert client.get("/commitments", params={"status": "lost"}).status_code == 422
    decisions = BeautifulSoup(client.get("/decisions").text, "html.parser")
    assert decisions.select_one('a[href="/commitments"]')


def test_one_paper_s_commitments_name_the_paper(client: TestClient) -> None:
    # "made in this paper" named no paper, and a stale link's empty list read as a paper
    # that asked for nothing
    doc = next(
        d for d in client.get("/api/documents").json()["documents"] if d["source"] == "minutes.txt"
    )
    page = BeautifulSoup(
        client.get("/commitments", params={"document": doc["document_id"]}).text, "html.parser"
    )
    assert "made in Minutes," in page.select_one("#results").text
    links = {a.text: a["href"] for a in page.select("main a")}
    assert links["Read the paper"] == f"/documents/{doc['document_id']}"
    assert links["Every paper's commitments"] == "/commitments"
    gone = BeautifulSoup(
        client.get("/commitments", params={"document": "no-such-paper"}).text, "html.parser"
    )
    assert "No paper in the index has that address." in gone.select_one("#filter-notes").text
    assert "made in the paper asked for" in gone.select_one("#results").text


def test_the_discharging_paper_is_the_first_in_time_of_the_best_answers() -> None:
    """A later paper on the same topic may outrank the one that was due; of the answers near
    the best, the first that comes in time is the one that brought the commitment back."""
    from datetime import date
    from types import SimpleNamespace
    from typing import Any, cast

    from qa_service.followthrough import Made, _discharge

    def hit(meeting_date: str, confidence: float) -> SimpleNamespace:
        meta = SimpleNamespace(meeting_date=meeting_date, doc_type="report")
        document = SimpleNamespace(meta=meta, document_id="d")
        return SimpleNamespace(passage=SimpleNamespace(document=document), confidence=confidence)

    late, due, weak = hit("2024-02-13", 1.27), hit("2020-03-10", 1.20), hit("2020-02-01", 0.9)
    answer = SimpleNamespace(answered=True, hits=[late, due, weak])
    engine = SimpleNamespace(
        ask=lambda *a, **k: answer,
        store=SimpleNamespace(document_text=lambda _id: ("nothing about the request", None)),
    )
    c = SimpleNamespace(
        text="asks the Cabinet to bring forward a plan within six months",
        passage=SimpleNamespace(
            document=SimpleNamespace(
                meta=SimpleNamespace(meeting_date="2019-07-17"), document_id="c"
            )
        ),
    )
    args = ("Eastwold Council", "Cabinet", "2020-01-17", date(2026, 1, 1), Made(date(2019, 7, 17)))
    found = _discharge(cast(Any, engine), cast(Any, c), *args)
    assert found is due  # not the 2024 paper, a year past due; not the weak match
    answer.answered = False  # the engine abstains: nothing came back
    assert _discharge(cast(Any, engine), cast(Any, c), *args) is None


PACK_MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
pack.txt,Eastwold Council,Roads Panel,2024-11-19,Agenda pack,agenda,,
"""
PACK = """Agenda Item 3

ROADS PANEL

Minutes of the meeting held on Tuesday 17 September 2024 at 10.00 am.

12. POTHOLE REPAIRS

RESOLVED - That:

(1) the Panel receives a report on pothole repair times at its next meeting; and

(2) a report on the gully cleaning contract be considered at the February meeting.

Agenda Item 5

Pothole repair times

5.1 This report sets out pothole repair times, as the Panel asked. Pothole repair times
have fallen since September, and 412 potholes were repaired in October.

Agenda Item 6

Gully cleaning contract

6.1 The gully cleaning contract ends in 2026. This report on the gully cleaning contract
sets out the options for a new contract.
"""


def test_a_request_in_printed_minutes_is_answered_by_a_later_item_of_the_pack(
    tmp_path: Path,
) -> None:
    """An agenda pack prints the previous meeting's minutes; a request there, due at this
    meeting, is brought back by a later report of the same pack (not by the minutes that
    record it); one due months later is not, though the pack has a report on its topic."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(PACK_MANIFEST, encoding="utf-8")
    (folder / "pack.txt").write_text(PACK, encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as client:
        body = client.get("/api/commitments", params={"as_of": "2024-12-01"}).json()
        found = {c["text"][:20]: c for c in body["commitments"]}
        potholes = found["(1) the Panel receiv"]
        assert potholes["due"] == "2024-11-19"  # the next meeting after September's: this one
        assert potholes["status"] == "discharged" and potholes["discharged_on"] == "2024-11-19"
        by = potholes["discharged_by"]
        text = client.get(f"/api/documents/{by['document_id']}").json()["text"]
        assert by["char_start"] >= text.index("Agenda Item 5")  # the report, not the minutes
    gullies = found["(2) a report on the "]
    assert gullies["due"] == "2025-02-28" and gullies["status"] == "due"
