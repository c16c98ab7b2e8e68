"""Hostile document text and metadata are shown as text on every page, never run as markup."""

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

HOSTILE_HTML = """<html><head><title>t</title><script>alert('head')</script></head><body>
<h1>Item 1 &lt;script&gt;alert(1)&lt;/script&gt; Quokka safeguarding</h1>
<p>The committee noted the quokka report &lt;img src=x onerror=alert(2)&gt; and
&lt;script&gt;alert(3)&lt;/script&gt; with concern about quokka thresholds.</p>
<p><img src=x onerror="alert(4)"> <a href="javascript:alert(5)" onclick="alert(6)">link</a>
The quokka budget was agreed "&gt;&lt;svg onload=alert(7)&gt; after a long quokka debate.</p>
<script>alert(8)</script>
</body></html>
"""
MANIFEST = (
    "file,council,committee,meeting_date,title,doc_type,source_url,supersedes\n"
    'hostile.html,"Evil <script>alert(9)</script> Council",<b onmouseover=alert(10)>Board</b>,'
    '2024-01-02,"<img src=x onerror=alert(11)> Quokka title",minutes,javascript:alert(12),\n'
)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        yield c


def assert_inert(html: str) -> BeautifulSoup:
    """No script, no event handler, no javascript: URL, no injected element."""
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "img", "svg", "b", "iframe"])
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not text.strip().lower().startswith("javascript:"), tag
    return page


def test_hostile_text_is_escaped_on_every_page(client: TestClient) -> None:
    doc = client.get("/api/documents").json()["documents"][0]
    assert "<script>" in (doc["council"] or "")  # stored as given ...
    doc_id = doc["document_id"]
    passage = client.post("/api/ask", json={"question": "quokka"}).json()["passages"][0]
    urls = [
        "/?q=quokka+thresholds",
        "/?q=quokka&council=" + doc["council"],
        "/?q=<script>alert(13)</script>",
        "/compare?q=quokka",  # side by side: a column per council
        "/compare?q=quokka&layout=rows",
        "/documents",
        "/documents?council=" + doc["council"],
        f"/documents/{doc_id}",
        f"/documents/{doc_id}?passage={passage['passage_id']}",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        page = assert_inert(r.text)  # ... and never rendered as markup
        assert "<script>alert(9)</script>" in page.get_text(), url
    viewer = BeautifulSoup(client.get(f"/documents/{doc_id}").text, "html.parser").get_text()
    assert "<img src=x onerror=alert(2)>" in viewer and "<script>alert(3)</script>" in viewer
    results = client.get("/?q=quokka+report").text
    assert "Evil &lt;script&gt;alert(9)&lt;/script&gt; Council" in results
    assert "javascript:alert(12)" not in results  # the bad source URL is not offered as a link
