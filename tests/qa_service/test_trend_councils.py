"""``POST /api/trend`` and ``/trend`` for the councils a researcher chose: a series each, in
the order asked, one whose papers state no figure empty; one council as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from tests.conftest import build_index

# Northwold's paper is about agency social workers but states no rate.
MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
a.txt,Eastwold Council,Scrutiny,2019-03-01,Workforce 2019,report,,
b.txt,Eastwold Council,Scrutiny,2020-03-01,Workforce 2020,report,,
c.txt,Eastwold Council,Scrutiny,2021-03-01,Workforce 2021,report,,
d.txt,Westwold Council,Scrutiny,2021-06-01,Workforce 2021,report,,
e.txt,Southwold Council,Scrutiny,2020-09-01,Workforce 2020,report,,
n.txt,Northwold Council,Scrutiny,2021-01-01,Workforce 2021,report,,
"""
DOCS = {
    "a.txt": "Agency social workers\n\nThe agency social worker rate was 41% at 31 March 2019.",
    "b.txt": "Agency social workers\n\nThe agency social worker rate was 33% at 31 March 2020.",
    "c.txt": "Agency social workers\n\nThe agency social worker rate was 24% at 31 March 2021.",
    "d.txt": "Agency social workers\n\nThe agency social worker rate was 19% at 31 May 2021.",
    "e.txt": "Agency social workers\n\nThe agency social worker rate was 28% in August 2020.",
    "n.txt": "Agency social workers\n\nThe panel discussed the use of agency social workers.",
}
QUESTION = "agency social worker rate"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("trend_councils")
    papers = root / "papers"
    papers.mkdir()
    (papers / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    for name, text in DOCS.items():
        (papers / name).write_text(text + "\n", encoding="utf-8")
    index = build_index(root / "index", [papers], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        yield c


def _trend(client: TestClient, **body: object) -> dict:
    r = client.post("/api/trend", json={"question": QUESTION, **body})
    assert r.status_code == 200, r.text
    return r.json()


def _series(out: dict) -> list[tuple[str, list[str]]]:
    return [(s["council"], [p["value_text"] for p in s["points"]]) for s in out["series"]]


def test_a_list_of_councils_gives_a_series_each_in_the_order_asked(client: TestClient) -> None:
    asked = ["Westwold Council", "northwold council", "Eastwold Council"]
    out = _trend(client, council=asked)
    # as the index spells them; Northwold's papers state no rate: an empty series, not none
    assert _series(out) == [
        ("Westwold Council", ["19%"]),
        ("Northwold Council", []),
        ("Eastwold Council", ["41%", "33%", "24%"]),
    ]
    assert [p["value_text"] for p in out["points"]] == ["41%", "33%", "24%", "19%"]
    assert out["notes"] == [] and out["unit"] == "%"
    # Southwold, not asked for, is left out; the same list under filters says the same
    assert _trend(client, filters={"council": asked}) == out


def test_a_council_no_paper_holds_is_an_empty_series_and_a_note(client: TestClient) -> None:
    out = _trend(client, council=["Eastwold Council", "Atlantis"])
    assert _series(out) == [("Eastwold Council", ["41%", "33%", "24%"]), ("Atlantis", [])]
    assert len(out["notes"]) == 1
    assert out["notes"][0].startswith("No paper in the index has the council \u201cAtlantis\u201d")


def test_one_council_is_answered_as_before(client: TestClient) -> None:
    one = _trend(client, council="Eastwold Council")
    assert one["series"] is None
    assert [p["value_text"] for p in one["points"]] == ["41%", "33%", "24%"]
    # a list of one, or one council twice in another case, is that council
    assert _trend(client, council=["Eastwold Council"]) == one
    assert _trend(client, council=["Eastwold Council", " eastwold council "]) == one
    # the forms of request taken before answer as they did: filters.council of one is a
    # series of the councils holding a point, no council a series for each, by name
    only = _trend(client, filters={"council": "Eastwold Council"})
    assert _series(only) == [("Eastwold Council", ["41%", "33%", "24%"])]
    every = _trend(client)
    assert [s["council"] for s in every["series"]] == [
        "Eastwold Council",
        "Southwold Council",
        "Westwold Council",
    ]
    # `council` takes the place of filters.council, as it did
    west = {"council": "Westwold Council"}
    assert _trend(client, council="Eastwold Council", filters=west) == one


def test_a_list_of_councils_is_bounded_and_checked_as_a_filter_is(client: TestClient) -> None:
    assert client.post("/api/trend", json={"question": QUESTION, "council": [1]}).status_code == 422
    limit = client.app.state.settings.max_filter_values  # type: ignore[attr-defined]
    many = {"question": QUESTION, "council": [f"C{i}" for i in range(limit + 1)]}
    assert client.post("/api/trend", json=many).status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TrendRequest"]
    council = schema["properties"]["council"]
    assert [k.get("type") for k in council["anyOf"]] == ["string", "array", "null"]
    assert "list of councils" in council["description"]


def test_the_page_draws_the_councils_chosen_as_the_api_gives_them(client: TestClient) -> None:
    params = [("q", QUESTION)] + [
        ("council", c) for c in ("Westwold Council", "Northwold Council", "Eastwold Council")
    ]
    page = BeautifulSoup(client.get("/trend", params=params).text, "html.parser")
    svg = page.svg
    assert svg is not None and len(svg.select("polyline")) == 2
    key = [t.text for t in svg.find_all("text")][-2:]
    assert key == ["Westwold Council", "Eastwold Council"]  # the order chosen, not by name
    assert page.select_one("#no-figure").text == (
        "No figure for this in the papers of Northwold Council."
    )
    assert len(page.select("tr.cqa-trend-point")) == 4  # Southwold's not chosen
