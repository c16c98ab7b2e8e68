"""Shared fixtures: a fake embedder, small fixture corpora and indexes built in tmp folders.

Nothing here touches the network.  The real model is loaded once per session, and only
by the tests marked ``integration``; each real-model index (the shipped corpus, each
../shared set) is built once per session and shared by every test that reads it.

Every test runs with its settings and caches in temporary folders, as simonw/llm's tests
do with ``LLM_USER_PATH``: no ``CQA_*`` setting of the caller's shell reaches a test, the
default index is a folder of the test's own, and the question encoder's ONNX export goes
to one folder per session.  A run that leaves new files in the checkout fails at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
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


@pytest.fixture(scope="session", autouse=True)
def _session_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No caller's ``CQA_*`` setting, and the ONNX export cache in a session temp folder.

    Session-wide because session fixtures (the question encoder) read settings too, and
    the export takes seconds; children started with ``child_env`` inherit the cache.
    """
    cache = tmp_path_factory.mktemp("cqa-models")
    with pytest.MonkeyPatch.context() as patch:
        for name in Settings.model_fields:
            patch.delenv(f"CQA_{name.upper()}", raising=False)
        patch.setenv("CQA_MODEL_CACHE", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def _isolated_index(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default index (and so its uploads and ``cqa eval``'s indexes) in a test's own
    folder, never ``.cqa-index`` in the checkout."""
    monkeypatch.setenv("CQA_INDEX", str(tmp_path_factory.mktemp("cqa-home") / ".cqa-index"))


# Written into a checkout by the tools themselves, not by the code under test.
_TOOL_CACHES = (".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", ".venv")
_BEFORE = pytest.StashKey[set[str] | None]()


def _checkout_files() -> set[str] | None:
    """Untracked and ignored paths of the checkout (folders once), or None outside git."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=normal"],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    # new files only (untracked or ignored): a tracked file may be edited during a run, and
    # CQA_SCREENSHOTS=docs/screenshots remakes the README's pictures on purpose
    paths = {line[3:] for line in out.splitlines() if line[:2] in ("??", "!!")}
    return {
        p for p in paths
        if "__pycache__" not in p and ".egg-info" not in p and not p.startswith(_TOOL_CACHES)
    }  # fmt: skip


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note what the checkout holds beyond git's files before any test runs."""
    session.config.stash[_BEFORE] = _checkout_files()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a test (or a process it started) left new files in the checkout."""
    before = session.config.stash.get(_BEFORE, None)
    after = _checkout_files()
    if before is None or after is None or not after - before:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "tests left new files in the checkout: " + ", ".join(sorted(after - before))
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture
def fake_cli_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake in place of the model wherever the CLI makes one (``qa_service.runtime``)."""
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda settings, **_: HashingEmbedder())
    monkeypatch.setattr(
        "qa_service.runtime.make_query_embedder", lambda settings, model=None: HashingEmbedder()
    )


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
def corpus_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index of the shipped ``corpus/`` built with the real model once per session, for
    the integration tests, the browser tests' server and the load test (all read only)."""
    return build_index(tmp_path_factory.mktemp("corpus-idx"), [REPO / "corpus"], real_embedder)


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


@pytest.fixture
def one_faiss_thread() -> Iterator[None]:
    """FAISS on one OpenMP thread for the test: training on two threads is several times
    slower on a busy 2-core machine."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(before)
