"""Every page at a desktop and a phone width: 0 axe-core violations, no sideways scrolling,
and a first-screen screenshot ``<page>-<width>.png`` (the README's pictures come from here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTION = "what did Ofsted say about thresholds"
VIEWPORTS = [(1280, 800), (390, 844)]
PAGES = {
    "ask": "/",
    "answer": "/?q=" + quote_plus(QUESTION),
    "no-answer": "/?q=" + quote_plus("opening hours of the municipal swimming pool"),
    "error": "/?q=&date_from-day=31&date_from-month=2&date_from-year=2020",
    "compare-form": "/compare",
    "compare": "/compare?q=" + quote_plus("Ofsted monitoring visit findings"),
    "documents": "/documents",
    "decisions": "/decisions?q=" + quote_plus(QUESTION),
    # a later page, so the pager is checked too (the bundled papers hold two decisions)
    "decisions-older": "/decisions?procedural=true&limit=1&page=2",
    "timeline": "/timeline?q=" + quote_plus(QUESTION),
    "commitments": "/commitments",
    "trend": "/trend?q=" + quote_plus("how many children are in care"),
    "not-found": "/no/such/page",
}


def _linked(page: Any, name: str) -> str:
    """The viewer and similar-passages pages, reached from the answer card's links."""
    page.goto(PAGES["answer"])
    selector = "#answer a[href*='#cited-sentence']" if name == "viewer" else "#answer a.cqa-similar"
    href: str = page.locator(selector).first.get_attribute("href")
    return href


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("name", [*PAGES, "viewer", "similar"])
def test_every_page_passes_axe_and_fits(
    page: Any, screenshots: Path, name: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    url = PAGES.get(name) or _linked(page, name)
    response = page.goto(url)
    assert response is not None
    assert response.status == {"not-found": 404, "error": 422}.get(name, 200)
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = axe_violations(page)
    page.screenshot(path=str(screenshots / f"{name}-{width}.png"))
    assert violations == [], violations


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_api_docs_screenshot(page: Any, screenshots: Path, width: int, height: int) -> None:
    """Swagger UI is a third-party page (not checked with axe); it fits and is photographed."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    page.screenshot(path=str(screenshots / f"api-docs-{width}.png"))
