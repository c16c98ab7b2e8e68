"""Shared fixtures: a fake embedder, small fixture corpora and indexes built in tmp folders.

Nothing here touches the network.  The real model is loaded once per session, and only
by the tests marked ``integration``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from qa_service.config import Settings

# CI explores the same examples on every run, so a red build always reproduces; a local
# run draws new ones each time and so keeps finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "dev-set" / "corpus"

# One text file, one HTML page and one PDF from the dev set, with their manifest rows.
SMALL_FILES = (
    "northmoor-cyp-scrutiny-2015-06-23-minutes.txt",
    "ravensholt-cyp-scrutiny-2023-11-28-minutes.html",
    "ravensholt-cyp-scrutiny-2018-06-19-missing-exploitation-report.pdf",
    "quarrington-cyp-scrutiny-2023-03-07-performance-report.pdf",
    "quarrington-cyp-scrutiny-2023-03-07-performance-report_v2.pdf",
)


def _need_shared() -> None:
    if not DEV_CORPUS.is_dir():
        pytest.skip("../shared/dev-set is not beside the repository")


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a few dev-set documents (txt, html, pdf, a revised pdf) + manifest."""
    _need_shared()
    folder = tmp_path_factory.mktemp("corpus")
    lines = (DEV_CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(",", 1)[0] in SMALL_FILES]
    (folder / "manifest.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for name in SMALL_FILES:
        shutil.copy(DEV_CORPUS / name, folder / name)
    return folder


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    """The deterministic stand-in for the model."""
    return HashingEmbedder()


def build_index(index_dir: Path, paths: list[Path], embedder: object) -> Path:
    """Ingest ``paths`` into ``index_dir`` and return it."""
    writer = IndexWriter(index_dir, embedder)  # type: ignore[arg-type]
    with writer.open():
        writer.ingest(paths)
    return index_dir


@pytest.fixture
def small_index(tmp_path: Path, small_corpus: Path, fake_embedder: HashingEmbedder) -> Path:
    """An index of the small corpus built with the fake embedder."""
    return build_index(tmp_path / "index", [small_corpus], fake_embedder)


@pytest.fixture
def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings pointing at a given index folder (and no admin token unless given)."""

    def make(index_dir: Path, **extra: object) -> Settings:
        return Settings(index=index_dir, **extra)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The bundled all-MiniLM-L6-v2, loaded once per session, offline."""
    from index.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def query_embedder(real_embedder):  # type: ignore[no-untyped-def]
    """The question encoder the service uses by default (the model's int8 ONNX export)."""
    from qa_service.runtime import make_query_embedder

    return make_query_embedder(Settings(), real_embedder)


@pytest.fixture(scope="session")
def shared_set_index(tmp_path_factory: pytest.TempPathFactory, real_embedder):  # type: ignore[no-untyped-def]
    """An index of one ../shared set's corpus ("dev-set", "dev-set-2", "real-dev-set"),
    built with the real model once per session, whichever test asks first."""
    built: dict[str, Path] = {}

    def index_of(name: str) -> Path:
        corpus = SHARED / name / "corpus"
        if not corpus.is_dir():
            pytest.skip(f"../shared/{name} is not beside the repository")
        if name not in built:
            built[name] = build_index(
                tmp_path_factory.mktemp(f"{name}-idx"), [corpus], real_embedder
            )
        return built[name]

    return index_of
