"""The web pages with the fake embedder: every page, its states, its links and its headers."""

from __future__ import annotations

import csv
import io
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
from qa_service.answer_card import AnswerCard, Figure, answer_card
from qa_service.answers import Answer
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.retriever import Engine


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


def test_the_answer_card_comes_first_and_links_to_the_sentence(client: TestClient) -> None:
    r = client.get("/", params={"q": "contacts awaiting a MASH decision", "top_k": "3"})
    page = soup(r.text)
    card = page.select_one("#answer")
    assert card is not None
    # the card is the first thing after the form: no filter notes or links come before it
    assert (
        card.find_previous(id="more-views") is None
        and card.find_previous(class_="cqa-result") is None
    )
    sentence = card.select_one("mark").text
    assert sentence and "Answered" in card.select_one(".cqa-state").text
    assert "Northmoor County Council" in card.select_one(".cqa-cite").text
    link = card.find("a", string="Read the sentence in the paper")["href"]
    target = urlsplit(link)
    query = parse_qs(target.query)
    assert target.fragment == "cited-sentence" and query["back"] == [
        "/?q=contacts+awaiting+a+MASH+decision&top_k=3"
    ]
    viewer = soup(client.get(target.path + "?" + target.query).text)
    marked = viewer.select_one("mark#cited-sentence")
    assert " ".join(marked.text.split()) in " ".join(sentence.split())
    assert "cqa-passage--cited" in marked.find_parent(class_="cqa-passage")["class"]
    assert viewer.select_one("#doc-header a.govuk-back-link")["href"] == query["back"][0]
    assert "Northmoor County Council" in viewer.select_one("#doc-header").text
    citation = card.select_one("textarea").text
    assert "Northmoor County Council" in citation and "/documents/" in citation
    # the other results: a snippet, the whole passage folded under it
    results = page.select(".cqa-result")
    assert len(results) == 2
    for result in results:
        snippet = result.select_one(".cqa-snippet").text
        whole = result.select_one("details.cqa-whole blockquote").text
        assert snippet.strip(" \u2026") in whole and len(snippet) <= len(whole) + 4
        hop = result.select_one("a[href^='/documents/']")["href"]
        assert urlsplit(hop).path.startswith("/documents/")
    assert page.select_one("#share-link")["value"].endswith(
        "?q=contacts+awaiting+a+MASH+decision&top_k=3"
    )


def test_source_links_open_the_pdf_at_the_page(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "missing from care return interviews"}).text)
    links = [a["href"] for a in page.select("a[rel=noreferrer]") if "#page=" in a["href"]]
    assert links and all(h.split("#page=")[1].isdigit() for h in links)


def test_the_viewer_ignores_a_sentence_outside_the_passage_and_a_foreign_back_link(
    client: TestClient,
) -> None:
    doc = client.get("/api/documents").json()["documents"][0]
    detail = client.get(f"/api/documents/{doc['document_id']}").json()
    first = detail["passages"][0]
    r = client.get(
        f"/documents/{doc['document_id']}",
        params={
            "passage": first["passage_id"],
            "sentence": f"{first['char_end']}-{first['char_end'] + 50}",
            "back": "//evil.example/?q=x",
        },
    )
    page = soup(r.text)
    assert not page.select("mark") and page.select_one(".cqa-passage--cited")
    assert page.select_one("#doc-header a.govuk-back-link")["href"] == "/documents"


def test_the_honest_no_answer_state_still_lists_the_nearest(small_index: Path) -> None:
    settings = Settings(index=small_index, abstention="threshold", answer_threshold=2.0)
    with TestClient(create_app(settings, HashingEmbedder())) as c:
        page = soup(c.get("/", params={"q": "swimming pool opening hours"}).text)
    assert "The papers don't answer this." in page.select_one("#no-answer").text
    assert "Not in the papers" in page.select_one("#answer .cqa-state").text
    assert not page.select("#answer mark")
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
        ({"q": "ok", "date_from": "2020-13-45"}, "real date, for example 27 3 2017", "date_from"),
        ({"q": "ok", "date_from": "2021-01-01", "date_to": "2020-01-01"}, "after", "date_from"),
        # a count edited in a shared link is named as its menu is, not in pydantic's words
        ({"q": "ok", "top_k": "999"}, "Passages to show must be a whole number from 1 to 50", "q"),
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


def test_a_long_question_is_cut_in_the_page_title(client: TestClient) -> None:
    # a 2,000-character question (refused) or a long one (answered) would fill the tab
    for q in ("x" * 2100, "agency social workers " * 20):
        title = soup(client.get("/", params={"q": q}).text).title.text
        assert len(title) <= 110 and title.endswith("… – Committee Papers QA")


def test_compare_names_a_count_out_of_range_as_its_menu(client: TestClient) -> None:
    r = client.get("/compare", params={"q": "agency social workers", "per_council": "99"})
    assert r.status_code == 422
    link = soup(r.text).select_one(".govuk-error-summary a")
    assert link.text.strip() == "Passages for each council must be a whole number from 1 to 20"


def test_a_filter_value_no_paper_holds_is_said_on_the_page(client: TestClient) -> None:
    r = client.get("/", params={"q": "agency social workers", "council": "Nowhere"})
    assert r.status_code == 200
    notes = soup(r.text).select_one("#answer-notes")
    assert notes is not None and "No paper in the index has the council" in notes.text


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
    # what is shown here must not hang on the fake embedder's side of the stored abstention fit
    answer.answered, answer.state = True, "answered"
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
    # only the question's own asks are counted here, not the card's look for a newer figure
    monkeypatch.setattr("qa_service.api.web.card_for", lambda _e, r, *_: answer_card(r))
    page = soup(client.get("/", params={"q": "CSE in Ravensholt in 2023"}).text)
    inferred = page.select_one("#inferred").text
    assert "Council: Ravensholt City Council" in inferred
    assert "1 January 2023" in inferred and "“in 2023”" in inferred
    assert "CSE = child sexual exploitation" in page.select_one("#expansions").text
    first = page.select_one("#answer")
    assert "superseded by" in first.text and first.select_one("a[href='/documents/rev-id']")
    assert "Also considered at:" in first.text

    remove = page.select_one("#inferred a")["href"]
    assert parse_qs(urlsplit(remove).query)["infer"] == ["0"]
    again = soup(client.get(remove).text)
    assert seen == [True, False]
    assert not again.select_one("#inferred")
    assert "CSE = child sexual exploitation" in again.select_one("#expansions").text
    assert again.select_one("input[name=infer][value='0']")  # kept when the form is resent


@pytest.mark.parametrize("layout", ["rows", "columns"])
def test_compare_gives_each_council_its_best_sentence(client: TestClient, layout: str) -> None:
    params = {"q": "agency social workers", "layout": layout}
    page = soup(client.get("/compare", params=params).text)
    councils = page.select(".cqa-council")
    shape = ".cqa-grid__row" if layout == "rows" else ".cqa-column"
    assert len(councils) == len(page.select(shape))
    names = [council.select_one(".cqa-council__name").text for council in councils]
    assert sorted(names) == [
        "Northmoor County Council",
        "Quarrington Metropolitan Borough Council",
        "Ravensholt City Council",
    ]
    for council in councils:
        state = council.select_one(".cqa-state").text
        sentence = council.select_one(".cqa-council__sentence")
        assert state in {"Answered", "Weak match", "Not in the papers"}
        if state == "Not in the papers":  # its nearest sentence is quoted, not marked
            assert not council.select("mark") and sentence.select_one(".cqa-grid__nearest").text
        else:
            assert sentence.find("mark", recursive=False).text  # the best sentence
        link = council.select_one("a.cqa-grid__read")["href"]
        back = f"/compare?q=agency+social+workers&layout={layout}"
        assert parse_qs(urlsplit(link).query)["back"] == [back]
        folded = council.select_one("details.cqa-grid__more")
        assert folded.select(".cqa-result") and "open" not in folded.attrs
    two = soup(
        client.get(
            "/compare",
            params=[("q", "agency"), ("council", "Northmoor County Council"), ("per_council", "1")],
        ).text
    )
    assert [n.text for n in two.select(".cqa-council__name")] == ["Northmoor County Council"]
    assert len(two.select(".cqa-result")) == 1
    assert two.select_one("input[value='Northmoor County Council']").has_attr("checked")


def test_compare_rows_export_as_csv_and_json(client: TestClient) -> None:
    page = soup(client.get("/compare", params={"q": "agency social workers"}).text)
    exports = {a.text: a["href"] for a in page.select("#exports a")}
    as_json = client.get(exports["as JSON"]).json()
    shown = [name.text for name in page.select(".cqa-council__name")]
    assert as_json["question"] == "agency social workers"
    assert [row["council"] for row in as_json["rows"]] == shown
    first = as_json["rows"][0]
    assert first["sentence"] and first["link"].startswith("http://testserver/documents/")
    r = client.get(exports["Download these councils as CSV"])  # 3 councils: side by side
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert [row["council"] for row in rows] == shown
    assert {row["question"] for row in rows} == {"agency social workers"}
    assert rows[0]["sentence"] == first["sentence"]
    # the layout is the page's alone: the downloads of the rows are the same, byte for byte
    params = {"q": "agency social workers", "layout": "rows"}
    as_rows = soup(client.get("/compare", params=params).text)
    links = {a.text: a["href"] for a in as_rows.select("#exports a")}
    assert client.get(links["Download these rows as CSV"]).content == r.content
    assert client.get(links["as JSON"]).json() == as_json


@pytest.mark.parametrize("threshold", [0.0, 2.0])  # every column answered / none answered
def test_compare_downloads_name_the_answer_states_as_the_api_does(
    small_index: Path, threshold: float
) -> None:
    # shared/INTERFACE.md: answered | weak | none; the downloads once said weak_match /
    # not_in_papers, so a researcher joining them to /api/compare found no match
    settings = Settings(index=small_index, abstention="threshold", answer_threshold=threshold)
    with TestClient(create_app(settings, HashingEmbedder())) as client:
        _downloads_agree_with_the_api(client)


def _downloads_agree_with_the_api(client: TestClient) -> None:
    api = client.post("/api/compare", json={"question": "agency social workers"}).json()
    states = {c["council"]: c["answer_state"] for c in api["councils"]}
    params = {"q": "agency social workers"}
    as_json = client.get("/compare", params={**params, "format": "grid-json"}).json()
    assert {r["council"]: r["answer_state"] for r in as_json["rows"]} == states
    text = client.get("/compare", params={**params, "format": "grid-csv"}).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["council"]: r["answer_state"] for r in rows} == states
    page = soup(client.get("/compare", params=params).text)
    labels = {"answered": "Answered", "weak": "Weak match", "none": "Not in the papers"}
    shown = {
        council.select_one(".cqa-council__name").text: council.select_one(".cqa-state").text
        for council in page.select(".cqa-council")
    }
    assert shown == {council: labels[state] for council, state in states.items()}


@pytest.mark.parametrize("layout", ["rows", "columns"])
@pytest.mark.parametrize("threshold", [0.0, 2.0])  # every column answered / none answered
def test_compare_marks_a_sentence_only_where_it_answers(
    small_index: Path, threshold: float, layout: str
) -> None:
    # a "Not in the papers" row showed its nearest sentence marked, under "Best answering
    # sentence", as if it answered
    settings = Settings(index=small_index, abstention="threshold", answer_threshold=threshold)
    with TestClient(create_app(settings, HashingEmbedder())) as client:
        params = {"q": "agency social workers", "layout": layout}
        page = soup(client.get("/compare", params=params).text)
    councils = page.select(".cqa-council")
    assert councils
    longest = 0
    for council in councils:
        sentence = council.select_one(".cqa-council__sentence")
        nearest = sentence.select_one(".cqa-grid__nearest")
        if threshold > 1:
            assert council.select_one(".cqa-state").text == "Not in the papers"
            assert not sentence.find("mark", recursive=False)
            assert nearest.text.startswith("No answer. Nearest sentence: “")
            # no longer than an answered one (the 25-council rows fit on 3 screens): the
            # words before the quote cost a long sentence a line
            assert len(nearest.text) <= 170
            longest = max(longest, len(sentence.text))
        else:
            assert sentence.find("mark", recursive=False).text and nearest is None
    if threshold > 1:
        assert longest >= 160  # a quote was shortened to make room


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


def test_dates_use_the_three_field_input(client: TestClient) -> None:
    page = soup(client.get("/").text)
    for name in ("date_from", "date_to"):
        names = [i["name"] for i in page.select(f"input[name^='{name}-']")]
        assert names == [f"{name}-day", f"{name}-month", f"{name}-year"]
    params = {"q": "inspection", "date_from-day": "1", "date_from-month": "1"}
    r = client.get("/", params={**params, "date_from-year": "2023"})
    page = soup(r.text)
    assert r.status_code == 200
    dates = [r.select_one(".cqa-cite").text for r in page.select("#answer, .cqa-result")]
    assert dates and all("2023" in line for line in dates)
    removal = page.select_one(".cqa-active-filters li")
    assert "Meetings on or after: 1 January 2023" in removal.text  # as the page writes dates
    assert "date_from" not in urlsplit(removal.select_one("a")["href"]).query
    assert page.select_one("#date_from-year")["value"] == "2023"
    bad = client.get("/", params={**params, "date_from-day": "31", "date_from-month": "2",
                                  "date_from-year": "2023"})  # fmt: skip
    assert bad.status_code == 422
    link = soup(bad.text).select_one(".govuk-error-summary a")
    assert link["href"] == "#date_from" and "real date" in link.text
    assert soup(bad.text).select_one("#date_from")["name"] == "date_from-day"


def test_unknown_pages_get_an_html_404_and_the_api_keeps_json(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    page = soup(r.text)
    assert page.select_one("h1").text == "Page not found" and page.select_one("#navigation")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    api = client.get("/api/no-such-route")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/api/documents/nope").json()["detail"]


def test_the_navigation_reaches_the_precedent_pages(client: TestClient) -> None:
    nav = soup(client.get("/documents").text).select("#navigation a")
    assert [a["href"] for a in nav] == [
        "/",
        "/compare",
        "/documents",
        "/decisions",
        "/commitments",
        "/timeline",
        "/trend",
    ]
    current = soup(client.get("/timeline").text).select_one("#navigation a[aria-current=page]")
    assert current["href"] == "/timeline"


def test_browse_pages_through_and_counts_the_options(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = soup(client.get("/documents").text)
    assert page.select_one("#showing").text.startswith("Showing 1–5 of 5")
    options = {o["value"]: o.text for o in page.select("#council option") if o["value"]}
    assert options["Ravensholt City Council"] == "Ravensholt City Council (2)"
    year = soup(client.get("/documents", params={"year": "2023"}).text)
    counted = {o["value"]: o.text for o in year.select("#council option") if o["value"]}
    rows = year.select("tbody tr")
    shown = sum(int(t.rsplit("(", 1)[1].rstrip(")")) for t in counted.values())
    assert shown == len(rows)

    monkeypatch.setattr("qa_service.browse.PER_PAGE", 2)
    first = soup(client.get("/documents").text)
    assert first.select_one("#showing").text.startswith("Showing 1–2 of 5")
    assert len(first.select("tbody tr")) == 2
    assert first.select_one(".govuk-pagination__item--current a").text == "1"
    third = first.select_one(".govuk-pagination__next a")["href"]
    third = soup(client.get(third.replace("page=2", "page=3")).text)
    assert third.select_one("#showing").text.startswith("Showing 5–5 of 5")
    assert not third.select_one(".govuk-pagination__next")
    beyond = soup(client.get("/documents", params={"page": "99"}).text)
    assert beyond.select_one("#showing").text.startswith("Showing 5–5 of 5")


def test_browse_filters_by_document_type_as_the_question_form_offers_it(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = soup(client.get("/").text)
    page = soup(client.get("/documents").text)
    offered = page.select("#doc_type option")
    # the question form's values, label and "Any type", each with what it would list
    assert [o["value"] for o in offered] == [o["value"] for o in form.select("#doc_type option")]
    label = page.select_one('label[for="doc_type"]').text
    assert label == form.select_one('label[for="doc_type"]').text == "Document type"
    assert [o.text for o in offered] == ["Any type", "minutes (2)", "report (3)"]

    reports = soup(client.get("/documents", params={"doc_type": "report"}).text)
    assert reports.select_one("#showing").text.startswith("Showing 1–3 of 3 (5 in the index)")
    assert {td.text for td in reports.select('td[data-label="Type"]')} == {"report"}
    assert reports.select_one("#doc_type option[selected]")["value"] == "report"
    councils = {o["value"]: o.text for o in reports.select("#council option") if o["value"]}
    assert councils["Ravensholt City Council"] == "Ravensholt City Council (1)"
    assert not reports.select_one("#filter-notes")
    # spelt otherwise, matched as the store's filters (and /api/documents) match it
    typed = soup(client.get("/documents", params={"doc_type": " REPORT "}).text)
    assert typed.select_one("#showing").text == reports.select_one("#showing").text
    assert typed.select_one("#doc_type option[selected]")["value"] == "report"
    api = client.get("/api/documents", params={"doc_type": "report"}).json()["documents"]
    assert len(api) == 3

    monkeypatch.setattr("qa_service.browse.PER_PAGE", 2)
    first = soup(client.get("/documents", params={"doc_type": "report"}).text)
    following = first.select_one(".govuk-pagination__next a")["href"]
    assert parse_qs(urlsplit(following).query) == {"doc_type": ["report"], "page": ["2"]}
    second = soup(client.get(following).text)
    assert second.select_one("#showing").text.startswith("Showing 3–3 of 3")


def test_browse_names_a_document_type_no_paper_has_as_the_question_form_does(
    client: TestClient,
) -> None:
    r = client.get("/documents", params={"doc_type": "agenda"})
    assert r.status_code == 200
    page = soup(r.text)
    note = page.select_one("#filter-notes").text.strip()
    assert (
        note == "No paper in the index has the type \u201cagenda\u201d (it has: minutes, report)."
    )
    asked = {"question": "MASH decision", "filters": {"doc_type": "agenda"}}
    assert note in client.post("/api/ask", json=asked).json()["notes"]
    assert page.select_one("#showing").text.startswith("Showing 0 of 0 (5 in the index)")
    assert "Clear the filters" in page.select_one("#showing").text


@pytest.mark.parametrize(
    ("url", "assets"),
    [
        ("/docs", ["/static/api-docs/swagger-ui-bundle.js", "/static/api-docs/swagger-ui.css"]),
        ("/redoc", ["/static/api-docs/redoc.standalone.js"]),
    ],
)
def test_api_docs_load_their_scripts_from_this_server(
    client: TestClient, url: str, assets: list[str]
) -> None:
    page = soup(client.get(url).text)
    sources = [s["src"] for s in page.select("script[src]")] + [
        link["href"] for link in page.select("link[rel=stylesheet]")
    ]
    assert sources and all(s.startswith("/") for s in sources), sources
    assert set(assets) <= set(sources)
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 100_000


def test_the_card_shows_a_figure_and_a_newer_figure(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def card_for(_engine: Engine, response: Any, *_: Any) -> Any:
        top, later = response.passages[0], response.passages[1]
        figure = Figure("42%", "as at 31 March 2023", True)
        newer = Figure("45%", "as at 31 March 2024", True)
        return AnswerCard("answered", top, "The sentence.", figure, later, "Later one.", newer)

    monkeypatch.setattr("qa_service.api.web.card_for", card_for)
    page = soup(client.get("/", params={"q": "agency social workers"}).text)
    card = page.select_one("#answer")
    assert "Figure: 42%, as at 31 March 2023" in " ".join(
        card.select_one(".cqa-figure").text.split()
    )
    newer = card.select_one("#newer")
    assert "A newer figure exists: 45%, as at 31 March 2024." in " ".join(newer.text.split())
    assert "“Later one.”" in newer.text
    assert newer.select_one("a")["href"].startswith("/documents/")


def test_a_weak_match_is_shown_as_one(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def card_for(_engine: Engine, response: Any, *_: Any) -> Any:
        return AnswerCard("weak_match", response.passages[0], "Close but not it.")

    monkeypatch.setattr("qa_service.api.web.card_for", card_for)
    card = soup(client.get("/", params={"q": "agency social workers"}).text).select_one("#answer")
    assert card.select_one(".cqa-state").text == "Weak match"
    assert "may not answer your question" in card.text
    assert card.select_one("mark").text == "Close but not it."


def test_in_date_order_the_card_is_the_surest_answer_and_not_listed_again(
    client: TestClient,
) -> None:
    page = soup(client.get("/", params={"q": "agency social workers", "sort": "newest"}).text)
    card = page.select_one("#answer")
    title = card.select_one("textarea").text
    listed = [r.select_one("textarea").text for r in page.select(".cqa-result")]
    assert title not in listed and len(listed) == 4


def test_what_was_done_with_the_question_s_filters_is_said_under_the_card(
    client: TestClient,
) -> None:
    page = soup(client.get("/", params={"q": "Ravensholt inspection findings since 2030"}).text)
    notes = page.select_one("#answer-notes")
    assert notes is not None and "2030" in notes.text and "not applied" in notes.text
    assert str(page).index('id="answer"') < str(page).index('id="answer-notes"')
    plain = soup(client.get("/", params={"q": "inspection findings"}).text)
    assert plain.select_one("#answer-notes") is None


def test_compare_page_says_why_a_council_has_no_row_of_answers(client: TestClient) -> None:
    page = soup(client.get("/compare", params=[("q", "inspection"), ("council", "Atlantis")]).text)
    council = page.select_one(".cqa-council")
    note = "No paper in the index has the council \u201cAtlantis\u201d"
    assert council.select_one(".cqa-grid__note").text.startswith(note)
    assert "Meeting" not in council.text and not council.select("a")  # no paper, no citation
    rows = client.get(
        "/compare", params=[("q", "inspection"), ("council", "Atlantis"), ("format", "grid-json")]
    ).json()["rows"]
    assert rows[0]["note"].startswith(note)


def test_the_viewer_cites_the_page_of_the_marked_sentence(client: TestClient) -> None:
    # the results cite the page of the sentence (a passage may start on the page before), but
    # the viewer they link to said "passage 7, page 3" and opened the original at page 3 for
    # a sentence on page 4 (Merton's agenda pack on real-dev-set)
    crossing = []
    for doc in client.get("/api/documents").json()["documents"]:
        detail = client.get(f"/api/documents/{doc['document_id']}").json()
        starts = detail.get("page_starts") or []
        for p in detail["passages"]:
            later = [s for s in starts if p["char_start"] < s < p["char_end"] - 5]
            if later and detail.get("url"):
                crossing.append((doc["document_id"], p, later[0], starts.index(later[0]) + 1))
    assert crossing, "the small corpus has a PDF passage running over a page break"
    document_id, p, start, page = crossing[0]
    assert page == p["page"] + 1
    r = client.get(
        f"/documents/{document_id}",
        params={"passage": p["passage_id"], "sentence": f"{start}-{start + 5}"},
    )
    note = soup(r.text).select_one("#cited-note")
    assert note is not None
    assert f"page {page}" in note.text and f"page {p['page']}" not in note.text
    links = [a["href"] for a in note.select("a[rel=noreferrer]")]
    assert links and all(h.endswith(f"#page={page}") for h in links)
    # with no sentence marked, the passage's own page
    r = client.get(f"/documents/{document_id}", params={"passage": p["passage_id"]})
    assert f"page {p['page']}" in soup(r.text).select_one("#cited-note").text


def test_the_api_and_the_page_mark_the_span_shown_and_the_verdict_stays(
    small_index: Path,
) -> None:
    """A wider neighbour margin (``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``) widens the highlight
    the API returns and the page marks; the answer state, read from the core answer, is
    the same."""
    question = "How many children went missing from care in Ravensholt?"
    bodies, marks = [], []
    for margin in (0.03, 10.0):  # 10: a neighbour is always shown
        settings = Settings(index=small_index, highlight_neighbour_margin=margin)
        with TestClient(create_app(settings, HashingEmbedder())) as c:
            bodies.append(c.post("/api/ask", json={"question": question}).json())
            page = soup(c.get("/", params={"q": question}).text)
            # each passage below the answer card, whole, with its highlight marked
            marks.append(
                [" ".join(m.get_text().split()) for m in page.select(".govuk-details__text mark")]
            )
    narrow, wide = (b["passages"][0] for b in bodies)
    [n], [w] = narrow["highlights"], wide["highlights"]
    assert w["start"] <= n["start"] and n["end"] <= w["end"] and w != n
    assert bodies[0]["answer_state"] == bodies[1]["answer_state"]
    for body, marked in zip(bodies, marks, strict=True):
        shown = [
            " ".join(p["text"][h["start"] : h["end"]].split())
            for p in body["passages"][1:]
            for h in p["highlights"]
        ]
        assert shown == marked
    assert marks[0] != marks[1]
