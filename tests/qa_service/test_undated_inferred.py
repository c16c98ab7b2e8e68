"""The undated-papers note for a date bound read from the question ("since 2019") and for
the documents list's date filters, as for one the user sets (tests/qa_service/
test_undated_note.py): a bound read from the question left the same papers out and said
nothing, and so did /api/documents and the /documents page's meeting year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from tests.conftest import build_index

# Eastwold has one dated paper and two undated ones (one holding a decision); Westwold's one
# paper is dated.
MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
e-minutes.txt,Eastwold Council,Roads Panel,2020-05-01,Minutes,minutes,,
e-report.txt,Eastwold Council,Roads Panel,,Pothole repairs,report,,
e-notes.txt,Eastwold Council,Roads Panel,,Minutes,minutes,,
west.txt,Westwold Council,Roads Panel,2021-02-01,Minutes,minutes,,
"""
PAPERS = {
    "e-minutes.txt": "EASTWOLD COUNCIL\n\n5. POTHOLE REPAIRS\n\nThe Panel discussed pothole "
    "repair times on rural roads.\n\nRESOLVED - That the pothole repair plan be approved.\n",
    "e-report.txt": "Pothole repairs\n\n1.1 Pothole repair times have risen over the winter.\n",
    "e-notes.txt": "EASTWOLD COUNCIL\n\n3. POTHOLE REPAIRS\n\nThe Panel noted pothole repair "
    "times.\n\nRESOLVED - That a pothole repair crew be hired for the winter.\n",
    "west.txt": "WESTWOLD COUNCIL\n\n7. POTHOLE REPAIRS\n\nThe Panel noted that pothole "
    "repair times had fallen.\n\nRESOLVED - That the pothole repair budget be increased.\n",
}
TWO = "2 papers have no meeting date, so the date filter leaves them out."
ONE = "1 paper has no meeting date, so the date filter leaves it out."
SINCE = "pothole repair times since 2019"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("undated_inferred")
    papers = root / "papers"
    papers.mkdir()
    (papers / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    for name, text in PAPERS.items():
        (papers / name).write_text(text, encoding="utf-8")
    index = build_index(root / "index", [papers], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        yield c


def _ask(client: TestClient, question: str, **body: object) -> dict:
    r = client.post("/api/ask", json={"question": question, **body})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_date_bound_read_from_the_question_says_what_it_leaves_out(client: TestClient) -> None:
    body = _ask(client, SINCE)
    assert body["inferred_filters"]["date_from"] == "2019-01-01"
    assert body["passages"] and all(p["citation"]["meeting_date"] for p in body["passages"])
    assert body["notes"][-1] == TWO and body["note"] == body["notes"][0]
    # as a bound the user sets says it
    assert _ask(client, "pothole repair times", filters={"date_from": "2019-01-01"})["note"] == TWO


def test_no_date_note_when_no_bound_is_applied(client: TestClient) -> None:
    # no inference asked for: no bound, no note
    assert TWO not in _ask(client, SINCE, infer_filters=False)["notes"]
    # a year is a preference, not a cut
    assert TWO not in _ask(client, "pothole repair times in 2019")["notes"]
    # Westwold's papers are all dated (its name is read from the question too)
    body = _ask(client, "Westwold pothole repair times since 2019")
    assert body["inferred_filters"]["council"] == ["Westwold Council"]
    assert not any("no meeting date" in n for n in body["notes"])
    # a bound that leaves nothing is dropped, and its own note says so, not this one
    body = _ask(client, "Eastwold pothole repair times since 2024")
    assert body["inferred_filters"]["date_from"] is None
    assert not any("no meeting date" in n for n in body["notes"])
    assert any("was not applied as a date limit" in n for n in body["notes"])


def test_compare_counts_for_a_bound_read_from_the_question(client: TestClient) -> None:
    body = client.post("/api/compare", json={"question": SINCE}).json()
    assert body["notes"] == [TWO]
    assert (
        client.post("/api/compare", json={"question": "pothole repair times"}).json()["notes"] == []
    )


def test_decisions_count_for_a_bound_read_from_the_question(client: TestClient) -> None:
    # one undated paper holds a decision
    assert client.get("/api/decisions", params={"q": "pothole repair since 2019"}).json()[
        "notes"
    ] == [ONE]
    assert client.get("/api/decisions", params={"q": "pothole repair"}).json()["notes"] == []
    page = BeautifulSoup(
        client.get("/decisions", params={"q": "pothole repair since 2019"}).text, "html.parser"
    )
    assert ONE in page.select_one("#filter-notes").text


def test_the_documents_list_counts_the_undated_papers_its_date_filter_leaves_out(
    client: TestClient,
) -> None:
    def listed(**params: str) -> dict:
        r = client.get("/api/documents", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    body = listed(date_from="2019-01-01")
    assert len(body["documents"]) == 2 and body["notes"] == [TWO]
    assert listed(date_from="2019-01-01", council="Westwold Council")["notes"] == []
    assert listed(date_to="2030-01-01", doc_type="report")["notes"] == [ONE]
    assert listed()["notes"] == [] and len(listed()["documents"]) == 4
    # nothing listed: the note says why, before the misspelt council
    body = listed(date_to="2000-01-01", council=["Eastwold Council", "Nowhere"])
    assert body["documents"] == [] and body["notes"][0] == TWO
    assert body["notes"][1].startswith("No paper in the index has the council \u201cNowhere\u201d")


def test_the_documents_page_s_meeting_year_says_so_too(client: TestClient) -> None:
    def notes(**params: str) -> str:
        page = BeautifulSoup(client.get("/documents", params=params).text, "html.parser")
        inset = page.select_one("#filter-notes")
        return inset.text if inset else ""

    assert TWO in notes(year="2020")
    assert ONE in notes(year="2020", doc_type="report")
    assert notes(year="2021", council="Westwold Council") == ""
    assert "no meeting date" not in notes() and "no meeting date" not in notes(
        council="Eastwold Council"
    )
