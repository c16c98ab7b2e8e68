"""The precedent pages and links with the fake embedder: similar, decisions, timeline, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.web_views import long_date
from tests.qa_service.test_web import labelled, soup

QUESTION = "children missing from care"


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(index=small_index, answer_threshold=0.0, abstention="threshold"), HashingEmbedder()
    )
    with TestClient(app) as c:
        yield c


def _page(client: TestClient, url: str, status: int = 200):  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == status, url
    assert "default-src 'none'" in r.headers["content-security-policy"]
    page = soup(r.text)
    assert page.select_one("a.govuk-skip-link") and not page.find("script")
    labelled(page)
    return page


def test_results_link_to_similar_decisions_timeline_and_csv(client: TestClient) -> None:
    page = _page(client, f"/?q={QUESTION}&council=Ravensholt+City+Council&top_k=3")
    results = page.select("#answer, .cqa-result")  # the answer card, then the other results
    assert len(results) == 3
    for result in results:
        link = result.select_one("a.cqa-similar")["href"]
        assert link.startswith("/passages/") and link.endswith("/similar")
    views = {a.text: a["href"] for a in page.select("#more-views a")}
    decisions = next(h for t, h in views.items() if t.startswith("Decisions"))
    timeline = next(h for t, h in views.items() if t.startswith("Timeline"))
    download = next(h for t, h in views.items() if "CSV" in t)
    for href in (decisions, timeline):
        query = parse_qs(urlsplit(href).query)
        assert query == {"q": [QUESTION], "council": ["Ravensholt City Council"]}
    r = client.get(download)
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and {row["council"] for row in rows} == {"Ravensholt City Council"}


def test_similar_page_shows_the_passage_and_its_neighbours(client: TestClient) -> None:
    first = _page(client, f"/?q={QUESTION}").select_one("a.cqa-similar")["href"]
    page = _page(client, first)
    assert page.select_one("h1").text.startswith("Similar passages")
    assert page.select(".cqa-result")
    download = next(a["href"] for a in page.select("a") if "CSV" in a.text)
    assert download.startswith("/api/passages/") and "format=csv" in download
    assert client.get(download).status_code == 200
    _page(client, "/passages/no-such-passage/similar", status=404)


def test_decisions_page_lists_cited_decisions_newest_first(client: TestClient) -> None:
    page = _page(client, f"/decisions?q={QUESTION}")
    found = page.select(".cqa-decision")
    assert found
    api = client.get("/api/decisions", params={"q": QUESTION}).json()["decisions"]
    assert len(found) == len(api)
    assert api[0]["text"].split()[0] in found[0].select_one("blockquote").text
    download = next(a["href"] for a in page.select("a") if "CSV" in a.text)
    assert client.get(download).headers["content-type"].startswith("text/csv")
    assert _page(client, "/decisions").select(".cqa-decision")  # the latest, with no topic
    page = _page(client, "/decisions?date_from=2020-02-31", status=422)
    assert page.select_one(".govuk-error-summary")


def test_decisions_page_heads_each_decision_with_its_subject(client: TestClient) -> None:
    page = _page(client, "/decisions")
    api = client.get("/api/decisions").json()["decisions"]
    titles = [h.text.strip() for h in page.select(".cqa-decision h3")]
    assert titles[0] == (
        f"Item {api[0]['item']}: {api[0]['subject']}" if api[0]["item"] else api[0]["subject"]
    )
    assert all("(procedural)" not in a.text for a in page.select(".cqa-decision"))
    for line, d in zip(page.select(".cqa-decision .cqa-cite"), api, strict=False):
        if d["citation"]["meeting_date"]:  # the date once, in the citation line
            date = long_date(d["citation"]["meeting_date"])
            assert line.text.count(date) == 1, line.text
    toggle = next(a["href"] for a in page.select("#procedural-note a"))
    assert "procedural=true" in toggle
    more = _page(client, toggle)
    assert len(more.select(".cqa-decision")) >= len(titles)
    assert any("(procedural)" in a.text for a in more.select(".cqa-decision"))
    assert "procedural=true" not in next(a["href"] for a in more.select("#procedural-note a"))


def test_timeline_page_groups_by_year(client: TestClient) -> None:
    page = _page(client, f"/timeline?q={QUESTION}")
    years = [h.text for h in page.select("h2[id^=year-]")]
    assert years and years == sorted(years)
    assert page.select(".cqa-result")
    # what changed leads each year; the passages are folded away under it
    assert all(r.find_parent("details") for r in page.select(".cqa-result"))
    assert page.select(".cqa-year-decisions li") or page.select(".cqa-year-figures li")
    _page(client, "/timeline")
    assert _page(client, "/timeline?q=", status=422).select_one(".govuk-error-summary")


def test_timeline_links_the_figures_of_the_same_topic_and_councils(client: TestClient) -> None:
    # the "Figures over time" link kept the topic and dropped the councils
    councils = [("council", "Northmoor County Council"), ("council", "Ravensholt City Council")]
    page = _page(client, "/timeline?" + urlencode([("q", QUESTION), *councils]))
    link = next(a["href"] for a in page.select("a") if a.text == "Figures over time")
    assert urlsplit(link).path == "/trend"
    assert parse_qs(urlsplit(link).query) == {
        "q": [QUESTION],
        "council": ["Northmoor County Council", "Ravensholt City Council"],
    }


def test_compare_page_shows_latest_decisions_dates_and_csv(client: TestClient) -> None:
    page = _page(client, f"/compare?q={QUESTION}")
    columns = page.select(".cqa-council")  # one per council, passages folded
    assert columns
    assert any(c.select_one(".cqa-latest-decision") for c in columns)
    assert all("Meetings:" in c.text for c in columns)
    download = next(a["href"] for a in page.select("a") if "every passage as CSV" in a.text)
    r = client.get(download)
    assert r.headers["content-disposition"] == 'attachment; filename="compare.csv"'


@pytest.mark.parametrize(("value", "shown"), [("maybe", False), ("TRUE", True), ("1", True)])
def test_a_hand_edited_procedural_flag_gets_the_page_not_json(
    client: TestClient, value: str, shown: bool
) -> None:
    r = client.get("/decisions", params={"procedural": value})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    note = soup(r.text).select_one("#procedural-note")
    assert note is not None and ("are included" in note.text) is shown


def test_a_decisions_list_pages_through_every_decision_with_its_total(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at most CQA_MAX_TOP_K (50) decisions could be shown: the 49 of real-dev-set fitted, a
    # larger index's older ones were out of reach; now "Older" pages through all of them
    monkeypatch.setattr("qa_service.precedent.DECISIONS_SHOWN", 2)
    every = client.get("/api/decisions", params={"limit": 50, "procedural": "true"}).json()
    total = len(every["decisions"])
    assert total == every["total"] and total > 4
    page = _page(client, "/decisions?procedural=true")
    assert page.select_one("#results").text == f"Decisions 1–2 of {total}, newest first"
    assert page.select_one(".govuk-pagination__item--current a").text == "1"
    assert not page.select_one(".govuk-pagination__prev")
    seen, shown = [], page
    for number in range(2, -(-total // 2) + 1):
        older = shown.select_one(".govuk-pagination__next a")
        assert older.text == "Older decisions"
        query = parse_qs(urlsplit(older["href"]).query)
        assert query == {"procedural": ["true"], "page": [str(number)]}  # the filters kept
        seen += [li.select_one("blockquote").text for li in shown.select("ol.cqa-results > li")]
        shown = _page(client, older["href"])
        first = 2 * number - 1
        heading = f"Decisions {first}–{min(first + 1, total)} of {total}, newest first"
        assert shown.select_one("#results").text == heading
        assert shown.select_one("ol.cqa-results > li")["value"] == str(first)
        assert shown.select_one(".govuk-pagination__prev a").text == "Newer decisions"
    seen += [li.select_one("blockquote").text for li in shown.select("ol.cqa-results > li")]
    assert not shown.select_one(".govuk-pagination__next")
    # every decision once, newest first, as the API lists them on one page
    assert seen == [d["text"] for d in every["decisions"]]
    # a page past the end is the last page; a page that is not a number the first
    beyond = _page(client, "/decisions?procedural=true&page=99")
    assert beyond.select_one("#results").text == shown.select_one("#results").text
    assert (
        _page(client, "/decisions?procedural=true&page=x")
        .select_one(".govuk-pagination__item--current a")
        .text
        == "1"
    )
    # showing or hiding procedural decisions is another list: from its first page
    toggle = _page(client, "/decisions?procedural=true&page=2").select_one("#procedural-note a")
    assert "page" not in parse_qs(urlsplit(toggle["href"]).query)


def test_a_later_page_downloads_its_own_decisions(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qa_service.precedent.DECISIONS_SHOWN", 2)
    page = _page(client, "/decisions?procedural=true&page=2")
    link = next(a["href"] for a in page.select("a") if "as CSV" in a.text)
    assert parse_qs(urlsplit(link).query)["offset"] == ["2"]
    rows = list(csv.DictReader(io.StringIO(client.get(link).text)))
    shown = [li.select_one("blockquote").text for li in page.select("ol.cqa-results > li")]
    assert [r["text"] for r in rows] == shown
    assert [r["rank"] for r in rows] == ["3", "4"]  # ranks run on from the first page


def test_a_paged_decisions_list_offers_the_most_a_page_may_show(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qa_service.precedent.DECISIONS_SHOWN", 2)
    total = client.get("/api/decisions", params={"limit": 50}).json()["total"]
    assert total > 2
    page = _page(client, "/decisions?page=2")
    more = page.select_one("#more-decisions a")
    assert more.text == "Show 50 decisions a page"
    assert parse_qs(urlsplit(more["href"]).query) == {"limit": ["50"]}  # from the first page
    page = _page(client, more["href"])
    assert len(page.select(".cqa-decision")) == total
    assert page.select_one("#results").text == f"{total} decisions, newest first"
    assert not page.select_one("#more-decisions") and not page.select_one(".govuk-pagination")


@pytest.mark.parametrize(
    "url",
    [
        "/decisions?council=Atlantis",
        "/commitments?council=Atlantis",
        f"/timeline?q={QUESTION}&council=Atlantis",
        f"/trend?q={QUESTION}&council=Atlantis",
    ],
)
def test_precedent_pages_name_a_council_no_paper_holds(client: TestClient, url: str) -> None:
    # a hand-edited or old link's council listed nothing, read as "nothing was decided"
    notes = _page(client, url).select_one("#filter-notes")
    assert notes is not None, url
    assert "No paper in the index has the council \u201cAtlantis\u201d" in notes.get_text()
    held = _page(client, url.replace("Atlantis", "Ravensholt+City+Council"))
    assert held.select_one("#filter-notes") is None


def test_the_similar_page_names_a_council_no_paper_holds(client: TestClient) -> None:
    pid = client.post("/api/ask", json={"question": QUESTION}).json()["passages"][0]["passage_id"]
    page = _page(client, f"/passages/{pid}/similar?council=Atlantis")
    notes = page.select_one("#filter-notes")
    assert notes is not None and "the council \u201cAtlantis\u201d" in notes.get_text()


# A page's own parameters, what a browser or a shared link adds, and values the page reads
# leniently: none of them may reach the API endpoint its download link calls.
_EXTRA = "&page=2&layout=rows&utm_source=newsletter&sort=newest"


@pytest.mark.parametrize(
    "url",
    [
        "/decisions",
        "/decisions?procedural=maybe&limit=500&date_from=&date_to=" + _EXTRA,
        "/decisions?q=&council=&limit=abc&page=x",
        "/decisions?date_from=2015-01-01&date_to=2030-01-01&procedural=on&limit=2&page=2",
        f"/decisions?q={QUESTION}&council=Ravensholt+City+Council&council=&limit=1" + _EXTRA,
        f"/timeline?q={QUESTION}",
        f"/timeline?q={QUESTION}&council=Ravensholt+City+Council&council=&limit=1"
        "&date_from=2015-01-01" + _EXTRA,
        "/passages/{pid}/similar",
        "/passages/{pid}/similar?q=budget&council=&top_k=1&date_from=x" + _EXTRA,
    ],
)
def test_every_download_link_a_page_builds_is_taken_by_its_endpoint(
    client: TestClient, url: str
) -> None:
    # the CSV links passed the page's whole query string on: "page", "layout" or a tracking
    # parameter, and a "procedural=maybe" or "limit=500" the page reads leniently, reached
    # /api/decisions, /api/timeline or /api/passages/{id}/similar, which refuse them
    pid = client.post("/api/ask", json={"question": QUESTION}).json()["passages"][0]["passage_id"]
    page = _page(client, url.replace("{pid}", pid))
    links = [a["href"] for a in page.select("a[href^='/api/']")]
    assert links, url
    for link in links:
        r = client.get(link)
        assert r.status_code == 200, (link, r.text)
        assert r.headers["content-type"] == "text/csv; charset=utf-8"


def test_only_the_precedent_pages_link_to_the_api(client: TestClient) -> None:
    """Every other page's downloads go through the page itself (``/?format=csv``,
    ``/compare?format=grid-csv``), which reads its own parameters: the test above covers
    every page that builds a link to ``/api/``."""
    document = client.get("/api/documents").json()["documents"][0]["document_id"]
    for url in (
        f"/?q={QUESTION}" + _EXTRA,
        f"/compare?q={QUESTION}" + _EXTRA,
        "/documents?page=2",
        f"/documents/{document}",
        "/commitments?status=due" + _EXTRA,
        f"/trend?q={QUESTION}" + _EXTRA,
    ):
        assert not _page(client, url).select("a[href^='/api/']"), url


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (f"/timeline?q={QUESTION}&limit=1", "timeline"),
        ("/passages/{pid}/similar?top_k=1", "similar"),
    ],
)
def test_a_download_holds_the_passages_the_page_shows(
    client: TestClient, url: str, name: str
) -> None:
    # the page does not read "limit" or "top_k", but its download passed them on: the page
    # showed every passage and the CSV held one
    pid = client.post("/api/ask", json={"question": QUESTION}).json()["passages"][0]["passage_id"]
    page = _page(client, url.replace("{pid}", pid))
    shown = page.select(".cqa-result")
    assert len(shown) > 1
    link = next(a["href"] for a in page.select("a[href^='/api/']"))
    rows = list(csv.DictReader(io.StringIO(client.get(link).text)))
    assert len(rows) == len(shown), name
