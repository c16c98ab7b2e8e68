"""Compare as a grid in headless Chromium, over the real dev set's 24 councils.

Every council is one row; with the passages folded, all of them fit on at most three
screens at 1280×800, and the page does not overflow a 390 px phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTIONS = ["agency social workers", "housing allocations policy", "children missing from care"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_council_fits_on_three_screens(
    browser_context: Any, devset_server: str, screenshots: Path, question: str
) -> None:
    page = browser_context.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(devset_server + "/compare?q=" + quote_plus(question))
        rows = page.locator(".cqa-grid__row")
        councils = page.locator("#council-hint ~ .govuk-checkboxes input").count()
        assert councils >= 20 and rows.count() == councils
        last = rows.nth(rows.count() - 1).bounding_box()
        assert last is not None
        bottom = last["y"] + last["height"] + page.evaluate("window.scrollY")
        assert bottom <= 3 * 800, bottom
        if question == QUESTIONS[0]:
            assert axe_violations(page) == []
            page.screenshot(path=str(screenshots / "compare-grid-1280.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert axe_violations(page) == []
            page.screenshot(path=str(screenshots / "compare-grid-390.png"))
    finally:
        page.close()
