"""The forms after a search show what was chosen, so that asking again keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from cqa_core.errors import IndexBusyError
from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings

NORTHMOOR, RAVENSHOLT = "Northmoor County Council", "Ravensholt City Council"


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index=small_index), HashingEmbedder())) as c:
        yield c


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def chosen(page: BeautifulSoup, name: str) -> list[str]:
    """What a browser sends again for the select ``name``: a one-line select sends only the
    last option marked selected, a list box (``multiple``) every one."""
    select = page.select_one(f"select[name={name}]")
    values = [o["value"] for o in select.select("option[selected]")]
    return values if select.has_attr("multiple") else values[-1:]


@pytest.mark.parametrize("path", ["/", "/decisions", "/timeline", "/trend", "/commitments"])
def test_several_councils_stay_chosen(client: TestClient, path: str) -> None:
    # a link (or the compare page's ticks) may carry several councils; a one-line select
    # showed the last only, and asking again dropped the others
    page = soup(
        client.get(
            path, params=[("q", "agency"), ("council", NORTHMOOR), ("council", RAVENSHOLT)]
        ).text
    )
    assert sorted(chosen(page, "council")) == [NORTHMOOR, RAVENSHOLT]
    hint = page.select_one("#council-hint")
    assert NORTHMOOR in hint.text and RAVENSHOLT in hint.text
    assert page.select_one("select#council")["aria-describedby"] == "council-hint"
    one = soup(client.get(path, params={"q": "agency", "council": NORTHMOOR}).text)
    assert chosen(one, "council") == [NORTHMOOR]
    assert not one.select_one("select#council").has_attr("multiple")


def test_a_filter_typed_in_another_case_shows_as_chosen(client: TestClient) -> None:
    # the store matches "ravensholt city council" to the index's "Ravensholt City Council";
    # the form showed "Any council", so asking again silently dropped the filter
    page = soup(
        client.get(
            "/", params={"q": "agency", "council": RAVENSHOLT.lower(), "doc_type": "MINUTES"}
        ).text
    )
    assert chosen(page, "council") == [RAVENSHOLT]
    assert chosen(page, "doc_type") == ["minutes"]
    lines = [r.select_one(".cqa-cite").text for r in page.select(".cqa-result")]
    assert lines and all(line.startswith(RAVENSHOLT) for line in lines)  # the filter held
    for path in ("/decisions", "/timeline"):
        other = soup(
            client.get(path, params={"q": "agency", "council": f" {RAVENSHOLT.upper()} "}).text
        )
        assert chosen(other, "council") == [RAVENSHOLT], path
    compare = soup(
        client.get("/compare", params={"q": "agency", "council": NORTHMOOR.lower()}).text
    )
    assert [i["value"] for i in compare.select("input[name=council][checked]")] == [NORTHMOOR]


def test_a_refused_status_is_summarised_once(client: TestClient) -> None:
    r = client.get("/commitments", params={"status": "<script>"})
    assert r.status_code == 422
    page = soup(r.text)
    summaries = page.select(".govuk-error-summary")
    assert len(summaries) == 1  # the page once added its own beside the base page's
    assert summaries[0].select_one("a")["href"] == "#status" and page.select_one("#status")
    assert len(page.select("[role=alert]")) == 1


def test_the_results_say_their_limit_and_order_and_link_to_change_them(
    client: TestClient,
) -> None:
    # the count and order menus are folded away once there are results: a reader saw "4
    # passages" with nothing saying more were there, nor a way to have them newest first
    page = soup(client.get("/", params={"q": "agency social workers", "council": NORTHMOOR}).text)
    line = page.select_one("#results-count")
    assert "5 passages are shown" in line.text
    links = {a.get_text(" ", strip=True): a["href"] for a in line.select("a")}
    assert set(links) == {"10 passages", "20 passages", "newest first", "oldest first"}
    for href in links.values():
        assert parse_qs(urlsplit(href).query)["council"] == [NORTHMOOR]
    more = soup(client.get(links["20 passages"]).text)
    assert chosen(more, "top_k") == ["20"] and len(more.select(".cqa-result")) > 4
    newest = soup(client.get(links["newest first"]).text)
    assert chosen(newest, "sort") == ["newest"] and chosen(newest, "council") == [NORTHMOOR]
    dates = [t.text for t in newest.select(".cqa-result .cqa-cite")]
    assert "newest first" in newest.select_one("#results-count").text and dates
    order = {a.text for a in newest.select("#results-count a")}
    assert "most relevant first" in order and "newest first" not in order


def test_a_page_s_own_failure_is_a_page_and_the_api_keeps_json(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a councillor whose search hit a fault got the API's {"detail": "internal error"}
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail at /srv/app/retriever.py line 42")

    monkeypatch.setattr("qa_service.retriever.Engine.ask", boom)
    app = create_app(Settings(index=small_index), HashingEmbedder())
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/", params={"q": "agency"})
        assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
        page = soup(r.text)
        assert page.h1.text == "Sorry, there is a problem with the service"
        assert page.title.text.startswith("Sorry, there is a problem")
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "secret" not in r.text and "Traceback" not in r.text
        api = c.post("/api/ask", json={"question": "agency"})
        assert api.status_code == 500 and api.json() == {"detail": "internal error"}


def test_a_page_asked_while_the_index_is_busy_says_so(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise IndexBusyError("another write holds the index")

    monkeypatch.setattr("qa_service.retriever.Engine.ask", busy)
    with TestClient(create_app(Settings(index=small_index), HashingEmbedder())) as c:
        r = c.get("/", params={"q": "agency"})
        assert r.status_code == 409 and int(r.headers["retry-after"]) > 0
        assert soup(r.text).h1.text == "The papers are being updated"
        api = c.post("/api/ask", json={"question": "agency"})
        assert api.status_code == 409 and "detail" in api.json()
