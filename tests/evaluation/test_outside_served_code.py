"""Evaluation stays outside the served code: a server never imports the ``evaluation`` package.

Each check runs in a fresh interpreter, since this test session has imported it already.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _loads_evaluation(module: str) -> list[str]:
    """The ``evaluation`` modules loaded by importing ``module`` in a new interpreter."""
    code = (
        f"import sys, {module}\n"
        "print(' '.join(m for m in sys.modules if m == 'evaluation' or "
        "m.startswith('evaluation.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("module", ["qa_service.api.main", "qa_service.runtime", "qa_service.cli"])
def test_served_modules_do_not_import_evaluation(module: str) -> None:
    assert _loads_evaluation(module) == []


def test_the_check_sees_an_import_of_evaluation() -> None:
    # The same check on a module that does import it, so the test above can fail.
    assert "evaluation.runner" in _loads_evaluation("evaluation.runner")


def _top_level_imports(path: Path) -> set[str]:
    """Modules a file imports outside any function (what importing it loads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_qa_service_module_imports_evaluation_at_the_top() -> None:
    """Only ``cqa eval`` may import it, and only inside the command."""
    importers = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "qa_service").rglob("*.py"))
        if any(
            name == "evaluation" or name.startswith("evaluation.")
            for name in _top_level_imports(path)
        )
    ]
    assert importers == []
