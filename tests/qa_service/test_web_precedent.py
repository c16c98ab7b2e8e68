"""The precedent pages and links with the fake embedder: similar, decisions, timeline, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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


def test_compare_page_shows_latest_decisions_dates_and_csv(client: TestClient) -> None:
    page = _page(client, f"/compare?q={QUESTION}")
    columns = page.select(".cqa-grid__row")  # one row per council, passages folded
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


def test_a_decisions_list_cut_at_its_limit_says_so_and_offers_more(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the page showed "20 decisions, newest first" over an index of 49: read as all there are
    monkeypatch.setattr("qa_service.precedent.DECISIONS_SHOWN", 2)
    total = len(client.get("/api/decisions", params={"limit": 50}).json()["decisions"])
    assert total > 2
    page = _page(client, "/decisions")
    assert page.select_one("#results").text == "The 2 newest decisions"
    assert len(page.select(".cqa-decision")) == 2
    more = page.select_one("#more-decisions a")["href"]
    assert parse_qs(urlsplit(more).query)["limit"] == ["50"]
    page = _page(client, more)
    assert len(page.select(".cqa-decision")) == total
    assert page.select_one("#results").text == f"{total} decisions, newest first"
    assert not page.select_one("#more-decisions")
