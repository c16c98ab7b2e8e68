"""The web pages with the fake embedder: every page, its states, its links and its headers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.retriever import Answer, Engine


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    app = create_app(Settings(index=small_index), HashingEmbedder())
    with TestClient(app) as c:
        yield c


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def labelled(page: BeautifulSoup) -> None:
    """Every form field has a label naming it (or is hidden)."""
    for field in page.select("input, select, textarea"):
        if field.get("type") == "hidden":
            continue
        assert page.select_one(f'label[for="{field["id"]}"]'), field


@pytest.mark.parametrize("url", ["/", "/?q=MASH+decision", "/compare", "/documents"])
def test_pages_have_skip_link_labels_and_a_strict_csp(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    page = soup(r.text)
    assert page.select_one("a.govuk-skip-link")["href"] == "#main-content"
    assert page.select_one("main#main-content")
    assert page.find("html")["lang"] == "en-GB"
    assert not page.find("script")
    labelled(page)
    assert client.get("/static/govuk/govuk-frontend.min.css").status_code == 200


def test_results_are_highlighted_cited_and_linked(client: TestClient) -> None:
    r = client.get("/", params={"q": "contacts awaiting a MASH decision", "top_k": "3"})
    page = soup(r.text)
    results = page.select(".cqa-result")
    assert len(results) == 3
    first = results[0]
    assert first.select("mark")
    assert "Northmoor County Council" in first.select_one(".cqa-cite").text
    link = first.select_one("a[href^='/documents/']")["href"]
    hop = client.get(link, follow_redirects=False)
    assert hop.status_code == 303
    target = urlsplit(hop.headers["location"])
    assert target.fragment.startswith("p-")
    viewer = soup(client.get(target.path + "?" + target.query).text)
    cited = viewer.select_one(f"#{target.fragment}")
    assert "cqa-passage--cited" in cited["class"]
    citation = first.select_one("textarea").text
    assert "Northmoor County Council" in citation and "/documents/" in citation
    assert page.select_one("#share-link")["value"].endswith(
        "?q=contacts+awaiting+a+MASH+decision&top_k=3"
    )


def test_the_honest_no_answer_state_still_lists_the_nearest(small_index: Path) -> None:
    app = create_app(
        Settings(index=small_index, answer_threshold=2.0, abstention="threshold"), HashingEmbedder()
    )
    with TestClient(app) as c:
        page = soup(c.get("/", params={"q": "swimming pool opening hours"}).text)
    assert "The papers don't answer this." in page.select_one("#no-answer").text
    assert page.select(".cqa-result")


def test_filters_and_sort_reach_the_engine_and_can_be_removed(client: TestClient) -> None:
    r = client.get(
        "/",
        params={"q": "inspection", "council": "Ravensholt City Council", "sort": "oldest"},
    )
    page = soup(r.text)
    lines = [r.select_one(".cqa-cite").text for r in page.select(".cqa-result")]
    assert lines and all(line.startswith("Ravensholt City Council") for line in lines)
    removal = page.select_one(".cqa-active-filters a")["href"]
    assert parse_qs(urlsplit(removal).query) == {"q": ["inspection"], "sort": ["oldest"]}
    assert page.select_one("#council option[selected]")["value"] == "Ravensholt City Council"


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        ({"q": ""}, "Enter a question", "q"),
        ({"q": "x" * 2000}, "shorter than 2,000", "q"),
        ({"q": "ok", "date_from": "2020-13-45"}, "real date", "date_from"),
        ({"q": "ok", "date_from": "2021-01-01", "date_to": "2020-01-01"}, "after", "date_from"),
    ],
)
def test_bad_input_gets_an_error_summary_linked_to_the_field(
    client: TestClient, params: dict[str, str], message: str, field: str
) -> None:
    r = client.get("/", params=params)
    assert r.status_code == 422
    page = soup(r.text)
    link = page.select_one(".govuk-error-summary a")
    assert message in link.text and link["href"] == f"#{field}"
    assert page.select_one(f"#{field}")
    assert message in page.select_one(".govuk-error-message").text
    assert page.title.text.startswith("Error:")
    assert soup(client.get("/compare", params={"q": " "}).text).select_one(".govuk-error-summary")


def _answer_with_extras(real_ask: Any, question: str) -> Answer:
    """A real answer dressed with what the retriever will add: inferred filters, also-at."""
    answer: Answer = real_ask(question, 2, infer_filters=False)
    first, second = answer.hits
    first.passage = replace(
        first.passage, document=replace(first.passage.document, superseded_by="rev-id")
    )
    first.also_at = [second.passage]
    answer.inferred = Filters(council=("Ravensholt City Council",), date_from="2023-01-01")
    answer.inferred_phrases = ["Ravensholt", "in 2023"]
    answer.expansions = ["CSE = child sexual exploitation"]
    return answer


def test_inferred_filters_are_shown_and_can_be_removed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    real_ask = engine.ask
    seen: list[bool] = []

    def ask(question: str, *args: Any, infer_filters: bool = True, **kw: Any) -> Answer:
        seen.append(infer_filters)
        if infer_filters:
            return _answer_with_extras(real_ask, question)
        return real_ask(question, *args, infer_filters=False, **kw)

    monkeypatch.setattr(engine, "ask", ask)
    page = soup(client.get("/", params={"q": "CSE in Ravensholt in 2023"}).text)
    inferred = page.select_one("#inferred").text
    assert "Council: Ravensholt City Council" in inferred
    assert "1 January 2023" in inferred and "“in 2023”" in inferred
    assert "CSE = child sexual exploitation" in page.select_one("#expansions").text
    first = page.select_one(".cqa-result")
    assert "superseded by" in first.text and first.select_one("a[href='/documents/rev-id']")
    assert "Also considered at:" in first.text

    remove = page.select_one("#inferred a")["href"]
    assert parse_qs(urlsplit(remove).query)["infer"] == ["0"]
    again = soup(client.get(remove).text)
    assert seen == [True, False]
    assert not again.select_one("#inferred")
    assert "CSE = child sexual exploitation" in again.select_one("#expansions").text
    assert again.select_one("input[name=infer][value='0']")  # kept when the form is resent


def test_compare_gives_a_column_per_council(client: TestClient) -> None:
    page = soup(client.get("/compare", params={"q": "agency social workers"}).text)
    names = [h.text for h in page.select(".cqa-column h3")]
    assert sorted(names) == [
        "Northmoor County Council",
        "Quarrington Metropolitan Borough Council",
        "Ravensholt City Council",
    ]
    two = soup(
        client.get(
            "/compare",
            params=[("q", "agency"), ("council", "Northmoor County Council"), ("per_council", "1")],
        ).text
    )
    assert [h.text for h in two.select(".cqa-column h3")] == ["Northmoor County Council"]
    assert len(two.select(".cqa-result")) == 1
    assert two.select_one("input[value='Northmoor County Council']").has_attr("checked")


def test_browse_filters_by_council_committee_and_year(client: TestClient) -> None:
    page = soup(client.get("/documents").text)
    assert len(page.select("tbody tr")) == 5
    years = [o["value"] for o in page.select("#year option") if o["value"]]
    assert years == sorted(years, reverse=True) and "2023" in years
    page = soup(client.get("/documents", params={"year": "2023"}).text)
    rows = page.select("tbody tr")
    assert rows and all("2023" in row.text for row in rows)
    page = soup(client.get("/documents", params={"council": "Ravensholt City Council"}).text)
    assert {r.select("td")[1].text for r in page.select("tbody tr")} == {"Ravensholt City Council"}
    assert "Superseded" in soup(client.get("/documents").text).text


def test_viewer_anchors_every_passage_and_marks_pages(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    for doc in docs:
        detail = client.get(f"/api/documents/{doc['document_id']}").json()
        page = soup(client.get(f"/documents/{doc['document_id']}").text)
        anchors = [el["id"] for el in page.select(".cqa-passage")]
        assert anchors == [f"p-{n}" for n in range(1, len(detail["passages"]) + 1)]
        markers = page.select(".cqa-page")
        assert len(markers) == len(detail["page_starts"] or [])
    revised = next(d for d in docs if d["supersedes"])
    page = soup(client.get(f"/documents/{revised['document_id']}").text)
    assert "supersedes" in page.select_one(".govuk-inset-text").text
    old = next(d for d in docs if d["superseded_by"])
    page = soup(client.get(f"/documents/{old['document_id']}").text)
    warning = page.select_one(".govuk-warning-text").text
    assert "Superseded by" in warning
    assert page.select_one(f".govuk-warning-text a[href='/documents/{old['superseded_by']}']")


def test_unknown_document_is_a_404_page(client: TestClient) -> None:
    r = client.get("/documents/nope")
    assert r.status_code == 404 and "Page not found" in r.text
    hop = client.get("/documents/nope/passages/nope", follow_redirects=False)
    assert hop.status_code == 303
