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
