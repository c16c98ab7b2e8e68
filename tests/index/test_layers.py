"""The stores never import the ingest run, and the read path never loads the write path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (at any depth of its code)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", sorted((REPO / "index").glob("*.py")), ids=lambda p: p.name)
def test_the_stores_import_neither_the_run_nor_the_service(path: Path) -> None:
    assert not _imports(path) & {"indexing", "qa_service"}


def test_the_read_path_loads_nothing_of_the_write_path() -> None:
    code = (
        "import sys, qa_service.retriever, qa_service.runtime, qa_service.precedent\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'indexing'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
