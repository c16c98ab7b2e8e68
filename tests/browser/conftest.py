"""A live ``cqa serve`` on the shipped corpus (real model) and a headless Debian Chromium.

The browser tests skip, saying why, when ``/usr/bin/chromium`` or the ``playwright`` package is
missing; ``.ci/run`` installs Chromium so that CI always runs them.  Playwright's own browser
download is never used.  Screenshots go to ``$CQA_SCREENSHOTS`` when it is set (the README's
pictures are made with ``CQA_SCREENSHOTS=docs/screenshots``), else to a temporary folder.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(
    index: Path, logs: Path, extra: list[str], ready: Callable[[int], bool], wait: float
) -> Iterator[str]:
    """``cqa serve`` of ``index`` on 127.0.0.1 and a free port, until the block ends; ready
    once ``/health`` reports a document count ``ready`` accepts."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CQA_INDEX": str(index)}
    env.pop("CQA_ADMIN_TOKEN", None)
    cqa = Path(sys.executable).with_name("cqa")
    port = _free_port()
    log = (logs / "serve.log").open("w+")
    command = [str(cqa), "serve", "--host", "127.0.0.1", "--port", str(port), *extra]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"cqa serve exited: {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    if ready(json.load(r)["documents"]):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"cqa serve did not come up within {wait:.0f} s")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``cqa serve`` on 127.0.0.1 and a free port, building its index from ``corpus/``."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install -y chromium (.ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' for playwright")
    index = tmp_path_factory.mktemp("browser-index")
    logs = tmp_path_factory.mktemp("browser-log")
    corpus = ["--corpus", str(REPO / "corpus")]
    with _serving(index, logs, corpus, lambda documents: documents == 5, 180) as base:
        yield base


@pytest.fixture(scope="session")
def devset_server(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, shared_set_index
) -> Iterator[str]:
    """``cqa serve`` over the real dev set (the most councils: 25), for the compare grid."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    # the session's one real-model index of the set (tests/conftest.py), served read only
    index = shared_set_index("real-dev-set")
    logs = tmp_path_factory.mktemp("devset-log")
    with _serving(index, logs, [], lambda documents: documents > 0, 120) as base:
        yield base


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
