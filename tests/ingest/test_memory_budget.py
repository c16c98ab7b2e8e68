"""One memory budget for every format, proved with a bomb of each kind and the largest
files the limits still let through.

The budget (docs/reliability.md, "The memory budget"): the peak RSS of ``cqa ingest FILE``
is at most ``B + 20 × size + MARGIN_MB``, where ``B`` is the peak of the same command
ingesting a one-line text file (the interpreter, the libraries and the model; here the
fake model) and ``MARGIN_MB`` the working set one parser may hold at its limits (one PDF
stream inflated to 64 MiB: about 120 MB).  Each file is ingested by a
real process, measured with ``wait4``; memory, not time, is asserted.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import hostile
from tests.procs import Run, run_measured

pytestmark = pytest.mark.processes

FACTOR = 20
# one PDF stream inflated to its 64 MiB limit costs about 120 MB, the most of any parser
MARGIN_MB = 160
TIMEOUT = 300  # seconds: on the code before these bounds, a paragraph bomb never finished


def _good_docx() -> bytes:
    return hostile.make_docx(["The committee met."], "Report")


def _pdf_operators(inflated: int) -> bytes:
    """A PDF whose one page draws ``inflated`` bytes of tiny text operators."""
    unit = b"BT (ab) Tj ET\n"
    content = zlib.compress(unit * (inflated // len(unit)), 9)
    return hostile.make_pdf([content]).replace(b"/Length", b"/Filter /FlateDecode /Length", 1)


def _html_elements(count: int) -> bytes:
    rng = random.Random(3)
    paras = "".join(
        f"<p>{i} " + " ".join(rng.choice(hostile._WORDS) for _ in range(6)) + "</p>"
        for i in range(count)
    )
    return f"<html><body><h1>Agenda</h1>{paras}</body></html>".encode()


# name, bytes, the reason it is refused ("" for a file that is indexed)
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("image-1gib.docx", lambda: hostile.docx_image_bomb(_good_docx(), 1024**3), "inflates"),
    ("empty-paras.docx", lambda: hostile.docx_empty_paragraphs(_good_docx(), 10**7), "bomb"),
    ("40k-paras.docx",
     lambda: hostile.docx_many_paragraphs(_good_docx(), 40_000, random.Random(1)), "paragraphs"),
    ("29k-paras.docx",
     lambda: hostile.docx_many_paragraphs(_good_docx(), 29_000, random.Random(1)), ""),
    ("5000-parts.docx", lambda: hostile.docx_many_parts(_good_docx(), 5000), "parts"),
    ("bare-p.html", lambda: hostile.html_bare_paragraphs(5 * 1024 * 1024 - 1024), "elements"),
    ("49k-elements.html", lambda: _html_elements(49_000), ""),
    ("stream-256mib.pdf", lambda: hostile.bomb_pdf(256 * 1024 * 1024), "inflates"),
]  # fmt: skip


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """``cqa ingest`` of one line of text: everything but the file's own cost."""
    folder = tmp_path_factory.mktemp("one-line")
    (folder / "one.txt").write_text("The quokka budget was agreed by the committee today.")
    run = run_measured("ingest", folder / "one.txt", "--index", folder / "idx")
    assert run.returncode == 0 and run.max_rss_mb > 0, run.stderr
    return run


def _ingest(tmp_path: Path, name: str, data: bytes) -> tuple[Run, float]:
    path = tmp_path / name
    path.write_bytes(data)
    run = run_measured("ingest", path, "--index", tmp_path / "idx", timeout=TIMEOUT)
    return run, len(data) / 2**20


@pytest.mark.parametrize(("name", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_peak_memory_stays_in_the_budget(
    tmp_path: Path, baseline: Run, name: str, make: Callable[[], bytes], reason: str
) -> None:
    run, size_mb = _ingest(tmp_path, name, make())
    budget = baseline.max_rss_mb + FACTOR * size_mb + MARGIN_MB
    print(f"{name}: {size_mb:.2f} MB, peak {run.max_rss_mb:.0f} MB (base "
          f"{baseline.max_rss_mb:.0f}, budget {budget:.0f})")  # fmt: skip
    assert "Traceback" not in run.stderr
    failed = [ln for ln in run.stderr.splitlines() if ln.startswith(f"failed: {name}: ")]
    if reason:
        assert len(failed) == 1 and reason in failed[0], run.stderr[-2000:]
    else:
        assert failed == [] and "1 added" in run.stdout, run.stderr[-2000:]
    assert run.max_rss_mb <= budget


def test_a_pdf_of_dense_text_operators_stays_in_the_budget(tmp_path: Path, baseline: Run) -> None:
    """Before the page content bound, this 8.7 KB file peaked ~190 MB over the base."""
    run, size_mb = _ingest(tmp_path, "operators.pdf", _pdf_operators(4 * 2**20))
    budget = baseline.max_rss_mb + FACTOR * size_mb + MARGIN_MB
    print(f"operators.pdf: {size_mb:.3f} MB, peak {run.max_rss_mb:.0f} MB (base "
          f"{baseline.max_rss_mb:.0f}, budget {budget:.0f})")  # fmt: skip
    failed = [ln for ln in run.stderr.splitlines() if ln.startswith("failed: operators.pdf: ")]
    assert len(failed) == 1 and "CQA_MAX_PDF_PAGE_CONTENT_BYTES" in failed[0], run.stderr[-2000:]
    assert run.max_rss_mb <= budget


def test_the_densest_pdf_page_let_through_stays_in_the_budget(
    tmp_path: Path, baseline: Run
) -> None:
    """A page of text operators just under the 2 MiB page limit is indexed, in the budget."""
    run, size_mb = _ingest(tmp_path, "operators-2mib.pdf", _pdf_operators(2 * 2**20 - 64))
    budget = baseline.max_rss_mb + FACTOR * size_mb + MARGIN_MB
    print(f"operators-2mib.pdf: {size_mb:.3f} MB, peak {run.max_rss_mb:.0f} MB (base "
          f"{baseline.max_rss_mb:.0f}, budget {budget:.0f})")  # fmt: skip
    assert "Traceback" not in run.stderr and "1 added" in run.stdout, run.stderr[-2000:]
    assert run.max_rss_mb <= budget
