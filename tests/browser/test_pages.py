"""The web pages end to end in headless Chromium against a live ``cqa serve`` (real model).

Each page is checked with axe-core (0 violations) and photographed.  The flow is the mission's:
type the example question, see the Worcestershire passage highlighted first, follow it to the
viewer, run a comparison.  Keyboard use is driven with key presses only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTION = "what did Ofsted say about thresholds"


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """These flows' pictures stay in a temporary folder; docs/screenshots comes from
    test_every_page.py (one picture per page and width)."""
    return tmp_path_factory.mktemp("flow-screenshots")


def check_page(page: Any, screenshots: Path, name: str, full_page: bool = True) -> None:
    """No axe violations, and a screenshot of the page."""
    violations = axe_violations(page)
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=full_page)
    assert violations == [], violations


def test_ask_highlight_and_follow_to_the_viewer(page: Any, screenshots: Path) -> None:
    page.goto("/")
    assert page.title() == "Ask the committee papers – Committee Papers QA"
    check_page(page, screenshots, "ask")

    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Search the papers").click()
    page.wait_for_url("**/?q=*")
    card = page.locator("#answer")
    assert "Worcestershire County Council" in card.locator(".cqa-cite").first.inner_text()
    marked = " ".join(card.locator("mark").all_inner_texts())
    assert "thresholds" in marked
    assert page.locator("#no-answer").count() == 0
    citation = card.locator("textarea").input_value()
    assert "Worcestershire County Council" in citation and "/documents/" in citation
    check_page(page, screenshots, "results")

    card.get_by_role("link", name="Read the sentence in the paper").click()
    page.wait_for_url("**/documents/*?passage=*#cited-sentence")
    cited = page.locator(".cqa-passage--cited")
    assert "application of thresholds had improved" in cited.inner_text()
    assert page.locator("mark#cited-sentence").is_visible()
    assert page.locator("h1").inner_text().startswith("Update of the Children")
    check_page(page, screenshots, "viewer-passage", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    assert page.locator("#cited-note").is_visible()
    page.screenshot(path=str(screenshots / "viewer.png"))


def test_nearest_passages_when_the_papers_do_not_answer(page: Any, screenshots: Path) -> None:
    page.goto("/?q=" + "opening hours of the municipal swimming pool on bank holidays")
    # never presented as answered; the abstention classifier (fitted out of fold) may call an
    # off-topic question a weak match rather than "not in the papers" (docs/quality.md)
    state = page.locator("#answer .cqa-state").inner_text()
    assert state in ("Not in the papers", "Weak match")
    if state == "Not in the papers":
        assert "The papers don't answer this." in page.locator("#no-answer").inner_text()
    assert page.locator(".cqa-result").count() >= 1  # the nearest passages, still shown
    check_page(page, screenshots, "no-answer")


def test_compare_rows_stack_on_a_phone(page: Any, screenshots: Path) -> None:
    page.goto("/compare")
    check_page(page, screenshots, "compare-form")
    page.get_by_label("Your question").fill("Ofsted monitoring visit findings")
    page.get_by_label("Passages for each council").select_option("1")  # open before a question
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?q=*")
    rows = page.locator(".cqa-grid__row")
    assert rows.count() == 5
    assert page.locator(".cqa-grid__more[open]").count() == 0  # passages folded
    check_page(page, screenshots, "compare")
    rows.first.locator(".cqa-grid__more > summary").click()
    assert rows.first.locator(".cqa-result").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.evaluate("document.getElementById('results').scrollIntoView()")
    check_page(page, screenshots, "compare-phone", full_page=False)
    page.set_viewport_size({"width": 1100, "height": 900})

    page.get_by_text("Councils, passages and layout").click()
    page.get_by_role("checkbox", name="Wirral Council").check()
    page.get_by_role("checkbox", name="Surrey County Council").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    names = page.locator(".cqa-column .cqa-council__name").all_inner_texts()  # side by side
    assert sorted(names) == ["Surrey County Council", "Wirral Council"]


def test_browse_documents_and_errors(page: Any, screenshots: Path) -> None:
    page.goto("/documents")
    assert page.locator("tbody tr").count() == 5
    check_page(page, screenshots, "documents")
    page.get_by_label("Council").select_option("Wirral Council")
    page.get_by_role("button", name="Show documents").click()
    page.wait_for_url("**/documents?council=*")
    assert page.locator("tbody tr").count() == 1
    page.get_by_label("Document type").select_option("minutes")
    page.get_by_role("button", name="Show documents").click()
    page.wait_for_url("**/documents?*doc_type=minutes*")
    assert page.locator("tbody tr").count() == 1  # the council kept, the type added
    assert page.get_by_label("Document type").input_value() == "minutes"

    page.goto("/?q=")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, screenshots, "error", full_page=False)
    response = page.goto("/documents/no-such-document")
    assert response is not None and response.status == 404
    check_page(page, screenshots, "not-found", full_page=False)


def test_keyboard_only(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Tab on to the question box, type, and submit with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator(".cqa-result").count() >= 1
    # The "Copy citation" details opens from the keyboard.
    summary = page.locator(".cqa-result summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".cqa-result details").first.get_attribute("open") is not None


def test_precedent_pages_from_the_results(page: Any, screenshots: Path) -> None:
    """Results -> similar passages, decisions and timeline, each with no axe violations."""
    page.goto("/?q=" + QUESTION.replace(" ", "+"))
    first = page.locator(".cqa-result").first
    first.locator("a.cqa-similar").click()
    page.wait_for_url("**/passages/*/similar")
    assert page.locator("h1").inner_text().startswith("Similar passages")
    assert page.locator(".cqa-result").count() >= 1
    check_page(page, screenshots, "similar")

    page.go_back()
    page.get_by_role("link", name="Decisions on this topic, newest first").click()
    page.wait_for_url("**/decisions?q=*")
    assert page.get_by_label("Topic").input_value() == QUESTION
    check_page(page, screenshots, "decisions")

    page.go_back()
    page.get_by_role("link", name="Timeline: how this topic developed, year by year").click()
    page.wait_for_url("**/timeline?q=*")
    assert page.locator("h2[id^=year-]").count() >= 1
    check_page(page, screenshots, "timeline")
