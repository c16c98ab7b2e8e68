"""Compare side by side in headless Chromium, over the shipped corpus (five councils).

Three ticked councils are three columns on one line at 1280×800, their best sentences
lined up and on the first screen; on a 390×844 phone the columns stack, one under another,
without sideways scrolling.  The reader can switch to rows, and the form keeps the choice.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTION = "Ofsted monitoring visit findings"
COUNCILS = [
    "Bath and North East Somerset Council",  # the longest name the corpus holds
    "Surrey County Council",
    "Worcestershire County Council",
]
URL = "/compare?" + urlencode([("q", QUESTION), *[("council", c) for c in COUNCILS]])


def _boxes(page: Any, selector: str) -> list[dict[str, float]]:
    """The bounding boxes of ``selector``'s matches, in the page's coordinates."""
    found = page.locator(selector)
    scrolled = page.evaluate("window.scrollY")
    boxes = [found.nth(i).bounding_box() for i in range(found.count())]
    assert all(boxes)
    return [{**b, "y": b["y"] + scrolled} for b in boxes]


def test_three_councils_sit_side_by_side_and_stack_on_a_phone(page: Any, screenshots: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(URL)
    assert page.locator(".cqa-grid__row").count() == 0
    names = page.locator(".cqa-column .cqa-council__name").all_inner_texts()
    assert sorted(names) == COUNCILS

    columns = _boxes(page, ".cqa-column")
    assert len(columns) == 3
    assert len({round(b["y"]) for b in columns}) == 1  # one line
    for left, right in pairwise(columns):
        assert left["x"] + left["width"] <= right["x"]  # left to right, apart
    assert all(b["width"] >= 300 for b in columns)  # about 45 characters a line
    assert columns[-1]["x"] + columns[-1]["width"] <= 1280
    # each column's parts line up with the others': the states and sentences start level
    for part in (".cqa-column__state", ".cqa-council__sentence", ".cqa-column__date"):
        assert len({round(b["y"]) for b in _boxes(page, ".cqa-column " + part)}) == 1, part
    # the three best sentences are on the first screen
    assert all(b["y"] + b["height"] <= 800 for b in _boxes(page, ".cqa-council__sentence"))
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / "compare-columns-1280.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    stacked = _boxes(page, ".cqa-column")
    assert len({round(b["x"]) for b in stacked}) == 1  # one under another
    for above, below in pairwise(stacked):
        assert above["y"] + above["height"] <= below["y"]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in stacked)
    assert axe_violations(page) == []
    page.evaluate("document.getElementById('results').scrollIntoView()")
    page.screenshot(path=str(screenshots / "compare-columns-390.png"))


def test_the_reader_switches_to_rows_and_the_form_keeps_it(page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(URL)
    page.get_by_role("link", name="Show a row per council").click()
    page.wait_for_url("**layout=rows*")
    assert page.locator(".cqa-grid__row").count() == 3
    assert page.locator(".cqa-column").count() == 0

    page.get_by_text("Councils, passages and layout").click()
    assert page.get_by_label("A row per council").is_checked()
    page.get_by_label("Side by side, a column per council").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**layout=columns*")
    assert page.locator(".cqa-column").count() == 3
    page.get_by_text("Councils, passages and layout").click()
    assert page.get_by_label("Side by side, a column per council").is_checked()
