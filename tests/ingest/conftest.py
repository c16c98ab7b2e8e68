"""Fixtures for the ingest tests: the shared dev set and seeds, ingested once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the project is not pip-installed in the dev virtualenv
    sys.path.insert(0, str(REPO))

from ingest.models import Document  # noqa: E402
from ingest.pipeline import discover, process_file  # noqa: E402

SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` next to the repository; the test is skipped when it is absent."""
    if not (SHARED / "dev-set" / "corpus").is_dir():
        pytest.skip(f"shared dev set not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def ingested(shared_dir: Path) -> dict[str, Document]:
    """Every dev-set and seed document, by file name."""
    docs: dict[str, Document] = {}
    for folder in (shared_dir / "dev-set" / "corpus", shared_dir / "seeds"):
        files, _ = discover([folder])
        for path, meta in files:
            docs[path.name] = process_file(path, meta)
    return docs
