"""A passage that runs over a page break cites, for a sentence in it, that sentence's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from index.passages import PassageRecord
from index.store import Store
from indexing.writer import IndexWriter

LINES_ONE = [
    "Children's Services Recovery Plan",
    "1. Recovery plan",
    "The Director of Children's Services will report a recovery plan to the Cabinet in",
]
LINES_TWO = [
    "January, setting out how the service will bring spending back within its budget",
    "by the end of the next financial year. The plan will be monitored each quarter.",
]


def _pdf(tmp_path: Path) -> Path:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for lines in (LINES_ONE, LINES_TWO):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf.output(str(corpus / "plan.pdf"))
    return corpus


@pytest.fixture
def record(tmp_path: Path) -> PassageRecord:
    """The passage over the page break, from an index of the two-page PDF."""
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([_pdf(tmp_path)])
    store = Store.open(index_dir)
    try:
        return next(r for r in store.passages(list(range(1, 20))).values() if "January" in r.text)
    finally:
        store.close()


def test_page_of_a_sentence_past_the_page_break(record: PassageRecord) -> None:
    assert record.page == 1
    assert record.page_of(0) == 1
    assert record.page_of(record.text.index("recovery plan to")) == 1
    assert record.page_of(record.text.index("January")) == 2
    assert record.page_of(record.text.index("The plan will be monitored")) == 2
    assert record.document.page_starts[0] == 0 and len(record.document.page_starts) == 2


def test_the_api_cites_the_highlighted_sentences_page(record: PassageRecord) -> None:
    from qa_service.answers import Hit
    from qa_service.highlight import Span
    from qa_service.presenters import passage_out

    at = record.text.index("The plan will be monitored")
    out = passage_out(Hit(record, 1.0, 0.5, highlights=[Span(at, len(record.text))]), 1)
    assert out.citation.page == 1  # where the passage starts (the contract)
    assert out.citation.highlight_page == 2
    assert passage_out(Hit(record, 1.0, 0.5), 1).citation.highlight_page == 1
