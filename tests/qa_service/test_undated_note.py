"""A date filter names the papers it leaves out for having no meeting date.

On the shipped corpus (its manifest gives no dates) INTERFACE.md's own example, ``filters.
date_from = "2017-01-01"``, found nothing and said nothing: an empty answer with no reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.store import Filters, Store
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings
from tests.conftest import build_index

# Eastwold's papers have no meeting date (report-v2 replaces report, so only two of its three
# are searched); Westwold's have one.
MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
minutes.txt,Eastwold Council,Roads Panel,,Minutes,minutes,,
report.txt,Eastwold Council,Roads Panel,,Pothole repairs,report,,
report-v2.txt,Eastwold Council,Roads Panel,,Pothole repairs (revised),report,,report.txt
west.txt,Westwold Council,Roads Panel,2021-02-01,Minutes,minutes,,
"""
PAPERS = {
    "minutes.txt": "EASTWOLD COUNCIL\n\n5. POTHOLE REPAIRS\n\nThe Panel discussed pothole "
    "repair times on rural roads.\n\nRESOLVED - That the pothole repair plan be approved.\n",
    "report.txt": "Pothole repairs\n\n1.1 Pothole repair times have risen over the winter.\n",
    "report-v2.txt": "Pothole repairs\n\n1.1 Pothole repair times have risen this winter.\n",
    "west.txt": "WESTWOLD COUNCIL\n\n7. POTHOLE REPAIRS\n\nThe Panel noted that pothole "
    "repair times had fallen.\n\nRESOLVED - That the pothole repair budget be increased.\n",
}
TWO = "2 papers have no meeting date, so the date filter leaves them out."
ONE = "1 paper has no meeting date, so the date filter leaves it out."
QUESTION = "pothole repair times"


def _write(folder: Path, names: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in names.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    papers = _write(tmp_path / "papers", {"manifest.csv": MANIFEST, **PAPERS})
    return build_index(tmp_path / "index", [papers], HashingEmbedder())


@pytest.fixture
def client(index_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index=index_dir), HashingEmbedder())) as c:
        yield c


def _ask(client: TestClient, **filters: object) -> dict:
    r = client.post("/api/ask", json={"question": QUESTION, "filters": filters})
    assert r.status_code == 200, r.text
    return r.json()


def test_ask_says_how_many_undated_papers_a_date_filter_leaves_out(client: TestClient) -> None:
    body = _ask(client, date_from="2017-01-01")
    assert {p["citation"]["council"] for p in body["passages"]} == {"Westwold Council"}
    assert body["note"] == TWO and body["notes"] == [TWO]  # not the superseded report
    # the same with an upper bound only, and the council read from the question counts
    body = client.post(
        "/api/ask",
        json={"question": "Eastwold pothole repair times", "filters": {"date_to": "2030-01-01"}},
    ).json()
    assert body["inferred_filters"]["council"] == ["Eastwold Council"]
    assert body["passages"] == [] and body["note"] == TWO


def test_the_date_note_counts_only_the_papers_passing_the_other_filters(
    client: TestClient,
) -> None:
    # Westwold's papers are all dated: the date filter leaves none of them out for that
    assert _ask(client, council="Westwold Council", date_from="2017-01-01")["notes"] == []
    assert _ask(client, doc_type="report", date_from="2017-01-01")["note"] == ONE
    assert _ask(client, kind="decision", date_from="2017-01-01")["note"] == ONE
    assert _ask(client)["notes"] == [] and _ask(client, council="Eastwold Council")["notes"] == []


def test_with_nothing_found_the_date_note_comes_first(client: TestClient) -> None:
    body = _ask(client, council=["Eastwold Council", "Nowhere"], date_from="2017-01-01")
    assert body["passages"] == []
    assert body["note"] == TWO  # why nothing was found, before the misspelt council
    assert body["notes"][1].startswith("No paper in the index has the council \u201cNowhere\u201d")


def test_compare_and_decisions_say_it_too(client: TestClient) -> None:
    dated = {"date_from": "2017-01-01"}
    body = client.post("/api/compare", json={"question": QUESTION, "filters": dated}).json()
    assert body["notes"] == [TWO]
    only_west = {"question": QUESTION, "councils": ["Westwold Council"], "filters": dated}
    assert client.post("/api/compare", json=only_west).json()["notes"] == []
    # only one undated paper holds a decision
    assert client.get("/api/decisions", params=dated).json()["notes"] == [ONE]
    assert client.get("/api/decisions").json()["notes"] == []


def test_the_pages_show_the_date_note(client: TestClient) -> None:
    # (the /compare page takes no date filter)
    page = BeautifulSoup(
        client.get("/", params={"q": QUESTION, "date_from": "2017-01-01"}).text, "html.parser"
    )
    notes = page.select_one("#answer-notes")
    assert notes is not None and TWO in notes.text
    page = BeautifulSoup(
        client.get("/decisions", params={"date_from": "2017-01-01"}).text, "html.parser"
    )
    assert ONE in page.select_one("#filter-notes").text
    plain = client.get("/", params={"q": QUESTION}).text
    assert "no meeting date" not in plain


@pytest.mark.usefixtures("fake_cli_model")
def test_cqa_ask_prints_the_date_note(index_dir: Path) -> None:
    args = ["ask", QUESTION, "--council", "Eastwold Council", "--date-from", "2017-01-01"]
    r = CliRunner().invoke(main, [*args, "--index", str(index_dir)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:2] == [f"Note: {TWO}", "No passage matches these filters."]
    r = CliRunner().invoke(main, [*args, "--json", "--index", str(index_dir)])
    assert json.loads(r.output)["note"] == TWO


def test_the_store_counts_undated_documents_again_after_a_commit(
    tmp_path: Path, index_dir: Path
) -> None:
    store = Store.open(index_dir)  # a reader kept open while a writer commits
    try:
        dated = Filters(date_from="2017-01-01")
        assert store.undated_documents(dated) == 2
        assert store.undated_documents(Filters(council=("westwold council",))) == 0
        assert store.undated_documents(Filters(include_superseded=True)) == 3
        assert store.undated_documents(Filters(has_decision=True)) == 1
        more = _write(tmp_path / "more", {"late.txt": "Pothole repair times were reported.\n"})
        build_index(index_dir, [more], HashingEmbedder())
        assert store.undated_documents(dated) == 3  # not the count remembered before
    finally:
        store.close()
