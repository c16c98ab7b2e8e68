"""Answer first, in headless Chromium: the answering sentence is on the first screen.

At 1280×800 and at 390×844, for each seed question, the answer card's ``<mark>`` lies wholly
inside the viewport before any scrolling; the viewer scrolls to the cited sentence under its
sticky header and links back to the results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from tests.browser.test_pages import check_page
from tests.conftest import SHARED

pytestmark = [pytest.mark.integration, pytest.mark.browser]

SEED_QUESTIONS = SHARED / "dev-set" / "seed-questions.jsonl"
VIEWPORTS = [(1280, 800), (390, 844)]


def _questions() -> list[str]:
    if not SEED_QUESTIONS.is_file():
        pytest.skip("../shared/dev-set/seed-questions.jsonl is not beside the repository")
    lines = SEED_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _inside(box: dict[str, float] | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and box["y"] + box["height"] <= height
    )


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_answering_sentence_is_on_the_first_screen(
    page: Any, screenshots: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    for n, question in enumerate(_questions(), start=1):
        page.goto("/?q=" + quote_plus(question))
        assert page.evaluate("window.scrollY") == 0
        mark = page.locator("#answer mark")
        assert mark.count() == 1, question
        box = mark.bounding_box()
        assert _inside(box, width, height), (question, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if n == 1:
            check_page(page, screenshots, f"answer-{width}", full_page=False)


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_viewer_marks_the_sentence_under_its_sticky_header(
    page: Any, screenshots: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    question = _questions()[0]
    page.goto("/?q=" + quote_plus(question))
    sentence = page.locator("#answer mark").inner_text()
    page.locator("#answer").get_by_role("link", name="Read the sentence in the paper").click()
    page.wait_for_url("**/documents/*#cited-sentence")
    marked = page.locator("mark#cited-sentence")
    assert " ".join(marked.inner_text().split()) == " ".join(sentence.split())
    box = marked.bounding_box()
    header = page.locator("#doc-header").bounding_box()
    assert _inside(box, width, height) and page.evaluate("window.scrollY") > 0
    assert header is not None and header["y"] == 0  # stuck to the top while scrolled
    assert box is not None and box["y"] >= header["height"]  # not hidden under the header
    tint = page.locator(".cqa-passage--cited").evaluate("e => getComputedStyle(e).backgroundColor")
    assert tint not in ("rgba(0, 0, 0, 0)", "transparent")
    check_page(page, screenshots, f"viewer-{width}", full_page=False)
    page.locator("#doc-header").get_by_role("link", name="Back to your results").click()
    page.wait_for_url("**/?q=*")
    assert page.get_by_label("Your question").input_value() == question
