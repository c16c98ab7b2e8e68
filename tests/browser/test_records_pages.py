"""The follow-through, trend and timeline pages in headless Chromium (real model), with axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_pages import check_page

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def test_follow_through_from_the_decisions_page(page: Any, screenshots: Path) -> None:
    page.goto("/decisions")
    assert page.locator(".cqa-decision h3").count() >= 1
    page.get_by_role("link", name="Show procedural decisions too").click()
    page.wait_for_url("**/decisions?*procedural=true*")
    page.get_by_role("link", name="Follow-through: what committees asked to come back").click()
    page.wait_for_url("**/commitments")
    assert page.locator(".cqa-commitment").count() >= 1
    check_page(page, screenshots, "commitments")


def test_trend_page(page: Any, screenshots: Path) -> None:
    """The bundled papers have no meeting dates, so no point can be dated: the page says so."""
    page.goto("/trend?q=health+visitor+attendance")
    assert page.locator("h2#results").count() == 1
    assert page.locator("svg.cqa-trend").count() == 0
    check_page(page, screenshots, "trend")


def test_timeline_folds_the_passages_under_what_changed(page: Any, screenshots: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/timeline?q=children+missing+from+care")
    assert page.locator("h2[id^=year-]").count() >= 1
    assert not page.locator(".cqa-result").first.is_visible()  # folded in <details>
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * 800 + 100  # about three screens (docs/quality.md)
    check_page(page, screenshots, "timeline-folded")


def test_older_decisions_page_by_page(page: Any, screenshots: Path) -> None:
    # the bundled papers hold two decisions: one a page
    page.goto("/decisions?procedural=true&limit=1")
    assert page.locator("#results").inner_text() == "Decisions 1–1 of 2, newest first"
    first = page.locator(".cqa-decision blockquote").all_inner_texts()
    page.get_by_role("link", name="Older decisions").click()
    page.wait_for_url("**/decisions?*page=2*")
    assert page.locator("#results").inner_text() == "Decisions 2–2 of 2, newest first"
    assert "limit=1" in page.url and "procedural=true" in page.url
    assert not set(first) & set(page.locator(".cqa-decision blockquote").all_inner_texts())
    check_page(page, screenshots, "decisions-older")
    page.get_by_role("link", name="Newer decisions").click()
    page.wait_for_url("**/decisions?*page=1*")
    assert page.locator(".cqa-decision blockquote").all_inner_texts() == first
