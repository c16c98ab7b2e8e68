"""The API docs render offline: every request to another host is refused, and still /docs
shows the API's operations (Swagger UI) and /redoc its reference (ReDoc)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def _offline(page: Any, live_server: str) -> list[str]:
    """Abort every request that is not to the live server; the list of those refused."""
    refused: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(live_server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_swagger_ui_lists_the_operations_offline(page: Any, live_server: str) -> None:
    refused = _offline(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/ask" in " ".join(paths) and "/api/compare" in " ".join(paths)
    assert page.locator(".opblock").count() >= 8
    assert refused == []


def test_redoc_renders_offline(page: Any, live_server: str, screenshots: Path) -> None:
    refused = _offline(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/redoc")
    page.get_by_text("/api/ask").first.wait_for(timeout=20_000)
    assert page.locator("h1").first.inner_text().startswith("Committee Papers QA")
    page.screenshot(path=str(screenshots / "api-redoc-1280.png"))
    # ReDoc's bundle links its "API docs by Redocly" badge image from its own site; the
    # page is complete without it
    assert [url for url in refused if not url.endswith("/logo-mini.svg")] == []
