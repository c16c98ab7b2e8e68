"""A live ``cqa serve`` on the shipped corpus (real model) and a headless Debian Chromium.

The browser tests skip, saying why, when ``/usr/bin/chromium`` or the ``playwright`` package is
missing; ``.ci/run`` installs Chromium so that CI always runs them.  Playwright's own browser
download is never used.  Screenshots go to ``$CQA_SCREENSHOTS`` when it is set (the README's
pictures are made with ``CQA_SCREENSHOTS=docs/screenshots``), else to a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa_service.serving import child_env, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent / "axe.min.js"


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """``cqa serve`` on 127.0.0.1 and a free port, over the shipped ``corpus/``."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install -y chromium (.ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' for playwright")
    # the session's one real-model index of corpus/ (tests/conftest.py), served read only
    index = request.getfixturevalue("corpus_index")
    logs = tmp_path_factory.mktemp("browser-log")
    # up to 3 minutes: the first server of a session may make the question encoder's export
    with serving(index, env=child_env(), log=logs / "serve.log", timeout=180) as server:
        yield server.url


@pytest.fixture(scope="session")
def devset_server(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, shared_set_index
) -> Iterator[str]:
    """``cqa serve`` over the real dev set (the most councils: 24), for the compare grid."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    # the session's one real-model index of the set (tests/conftest.py), served read only
    index = shared_set_index("real-dev-set")
    logs = tmp_path_factory.mktemp("devset-log")
    with serving(index, env=child_env(), log=logs / "serve.log", timeout=180) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser_context(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh Chromium profile; CSP is bypassed only so that the test can inject axe-core."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 900},
            base_url=live_server,
            bypass_csp=True,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A new tab that fails the test on any script error (there should be no script at all)."""
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    yield tab
    tab.close()
    assert not errors, errors


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$CQA_SCREENSHOTS`` or a temporary folder."""
    wanted = os.environ.get("CQA_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.2 A/AA and best practice) on the page; its violations, summarised."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: "tag", values:
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]}});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        }"""
    )
    return violations
