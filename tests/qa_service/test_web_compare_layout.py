"""The compare page's layouts: a column per council for a few, a row each for more, and the
reader's choice (``layout=columns|rows``) kept in the form and its links."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.compare_grid import MOST_COLUMNS, layout
from qa_service.config import Settings
from tests.conftest import DEV_CORPUS, build_index
from tests.qa_service.test_web import labelled, soup

QUESTION = "agency social workers"
THREE = [
    "Northmoor County Council",
    "Quarrington Metropolitan Borough Council",
    "Ravensholt City Council",
]
OAKHAVEN = "oakhaven-overview-scrutiny-panel-2019-11-05-minutes.txt"


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    """The small corpus: three councils."""
    with TestClient(create_app(Settings(index=small_index), HashingEmbedder())) as c:
        yield c


@pytest.fixture
def four_councils(small_corpus: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The small corpus and one Oakhaven paper: four councils, more than go side by side."""
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    row = next(
        line
        for line in (DEV_CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith(OAKHAVEN + ",")
    )
    with (corpus / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write(row + "\n")
    shutil.copy(DEV_CORPUS / OAKHAVEN, corpus / OAKHAVEN)
    index = build_index(tmp_path / "index", [corpus], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        yield c


def _compare(client: TestClient, *extra: tuple[str, str]) -> BeautifulSoup:
    r = client.get("/compare", params=[("q", QUESTION), *extra])
    assert r.status_code == 200
    return soup(r.text)


def _names(page: BeautifulSoup, selector: str) -> list[str]:
    return [el.text for el in page.select(selector)]


def test_three_ticked_councils_are_columns_side_by_side(client: TestClient) -> None:
    page = _compare(client, *[("council", c) for c in THREE])
    assert not page.select("table.cqa-grid")  # no rows
    columns = page.select("#council-columns > section.cqa-column")
    assert sorted(_names(page, "#council-columns h3.cqa-column__name")) == THREE
    api = client.post("/api/compare", json={"question": QUESTION, "councils": THREE}).json()
    # best-answering council first (leftmost), as the rows and the API order them
    assert _names(page, ".cqa-column__name") == [c["council"] for c in api["councils"]]
    assert "3 councils side by side" in page.select_one("#results").text
    for column, council in zip(columns, api["councils"], strict=True):
        # every column has its six parts in the same order, so a subgrid lines them up
        parts = [child.get("class", [""])[-1] for child in column.find_all(recursive=False)]
        assert parts == [
            "cqa-council__name",
            "cqa-column__state",
            "cqa-council__sentence",
            "cqa-column__date",
            "cqa-column__cite",
            "cqa-column__more",
        ]
        assert column["aria-labelledby"] == column.h3["id"]
        state = column.select_one(".cqa-state").text
        sentence = column.select_one(".cqa-council__sentence")
        if state == "Not in the papers":
            assert sentence.text.startswith("No answer. Nearest sentence: “")
            assert not sentence.select("mark")
        else:
            assert sentence.find("mark", recursive=False).text
        top = council["passages"][0]["citation"]
        assert column.select_one(".cqa-column__date").text.startswith("Meeting: ")
        cite = column.select_one(".cqa-column__cite")
        assert (top["title"] or top["source"]) in cite.text
        viewer = cite.select_one("a.cqa-grid__read")["href"]
        assert urlsplit(viewer).path == f"/documents/{top['document_id']}"
        folded = column.select_one(".cqa-column__more > details.cqa-grid__more")
        assert "open" not in folded.attrs and folded.select(".cqa-result h4")
    labelled(page)


def test_more_councils_than_fit_side_by_side_are_rows(four_councils: TestClient) -> None:
    page = _compare(four_councils)
    assert len(page.select("table.cqa-grid tr.cqa-grid__row")) == 4 > MOST_COLUMNS
    assert not page.select(".cqa-column")
    assert page.select_one("#layout-switch").text == "Show side by side"
    # three of the four ticked: side by side again
    ticked = _compare(four_councils, *[("council", c) for c in THREE])
    assert len(ticked.select(".cqa-column")) == 3 and not ticked.select(".cqa-grid__row")


def test_the_reader_can_switch_and_the_form_keeps_the_choice(
    four_councils: TestClient,
) -> None:
    page = _compare(four_councils)
    assert page.select_one("input[name=layout][checked]")["value"] == "auto"
    switch = page.select_one("#layout-switch")["href"]
    assert parse_qs(urlsplit(switch).query) == {"q": [QUESTION], "layout": ["columns"]}

    columns = soup(four_councils.get(switch).text)
    assert len(columns.select(".cqa-column")) == 4 and not columns.select(".cqa-grid__row")
    assert columns.select_one("input[name=layout][checked]")["value"] == "columns"
    share = columns.select_one("#share-link")["value"]
    assert "layout=columns" in share
    back = parse_qs(urlsplit(columns.select_one("a.cqa-grid__read")["href"]).query)["back"]
    assert "layout=columns" in back[0]  # back from the viewer to the same layout
    # the downloads ignore the layout
    exports = {a.text: a["href"] for a in columns.select("#exports a")}
    assert (
        four_councils.get(exports["as JSON"]).json()
        == four_councils.get("/compare", params={"q": QUESTION, "format": "grid-json"}).json()
    )

    again = soup(four_councils.get(columns.select_one("#layout-switch")["href"]).text)
    assert len(again.select(".cqa-grid__row")) == 4
    assert again.select_one("input[name=layout][checked]")["value"] == "rows"
    assert parse_qs(urlsplit(again.select_one("#layout-switch")["href"]).query)["layout"] == [
        "columns"
    ]


def test_rows_for_a_few_councils_when_asked(client: TestClient) -> None:
    page = _compare(client, ("layout", "rows"))
    assert sorted(_names(page, ".cqa-grid__row th[scope=row]")) == THREE
    assert page.select_one("input[name=layout][checked]")["value"] == "rows"
    assert page.select_one("#layout-switch").text == "Show side by side"


@pytest.mark.parametrize("value", ["", "grid", "COLUMNS", "<b>"])
def test_an_unknown_layout_is_the_automatic_one(client: TestClient, value: str) -> None:
    page = _compare(client, ("layout", value))
    assert len(page.select(".cqa-column")) == 3
    assert page.select_one("input[name=layout][checked]")["value"] == "auto"


@pytest.mark.parametrize(
    ("asked", "councils", "shown"),
    [
        ("auto", 1, "columns"),
        ("auto", MOST_COLUMNS, "columns"),
        ("auto", MOST_COLUMNS + 1, "rows"),
        ("auto", 25, "rows"),
        ("columns", 25, "columns"),
        ("rows", 2, "rows"),
    ],
)
def test_layout_rule(asked: str, councils: int, shown: str) -> None:
    assert layout(asked, councils) == shown
