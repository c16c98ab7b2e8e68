"""How tall a topic's timeline page is at 1280×800, in screens (issue 16: at most 3).

Run against a running service: ``python -m bench.timeline_height http://127.0.0.1:8000``
(it uses the Chromium that the browser tests use).
"""

from __future__ import annotations

import sys
from urllib.parse import quote_plus

from playwright.sync_api import sync_playwright

TOPICS = (
    "children missing from care",
    "agency social workers",
    "foster carer recruitment",
    "Ofsted inspection outcome",
    "EHC plans within 20 weeks",
    "temporary accommodation",
)
WIDTH, HEIGHT = 1280, 800


def heights(base: str, topics: tuple[str, ...] = TOPICS) -> list[tuple[str, int]]:
    """Each topic's timeline page height in CSS pixels."""
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for topic in topics:
            page.goto(f"{base.rstrip('/')}/timeline?q={quote_plus(topic)}")
            out.append((topic, int(page.evaluate("document.documentElement.scrollHeight"))))
        browser.close()
    return out


if __name__ == "__main__":
    print("| topic | height (px) | screens of 800 px |\n| --- | --- | --- |")
    for topic, px in heights(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"):
        print(f"| {topic} | {px} | {px / HEIGHT:.1f} |")
