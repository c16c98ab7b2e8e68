"""Tables compete with prose only when the question asks for figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from qa_service.figures import asks_for_figures, demote_tables
from qa_service.presenters import passage_out
from qa_service.retriever import Engine

REPORT = """Children's services budget monitoring

1. Forecast position
The forecast overspend on children's services arises from placements for children in
care, where more children are placed with independent fostering agencies.

2. Forecast by service
Service Budget Forecast Variance
Placements for children in care 19.6 23.5 3.9
Children's social care staffing 12.4 13.6 1.2
Legal and court costs 1.5 2.1 0.6
Total 48.2 55.0 6.8
"""


@pytest.mark.parametrize(
    ("question", "figures"),
    [
        ("How many children are in care?", True),
        ("How much is the overspend on placements?", True),
        ("What percentage of reviews were on time?", True),
        ("What proportion of families were referred again?", True),
        ("What is the cost of legal proceedings?", True),
        ("What did the precept rise to in 2020/21?", True),
        ("Was the budget set at £4,500?", True),
        ("Why are placements for children in care overspending?", False),
        ("Who chaired the scrutiny committee in 2019?", False),  # a year is not a figure
        ("When did the council agree the placement strategy?", False),
    ],
)
def test_asks_for_figures(question: str, figures: bool) -> None:
    assert asks_for_figures(question) is figures


def test_demote_tables_keeps_order_within_each_kind() -> None:
    items = [("t1", True), ("p1", False), ("t2", True), ("p2", False)]
    demoted = demote_tables(items, lambda i: i[1], "Why did it happen?")
    assert [i[0] for i in demoted] == ["p1", "p2", "t1", "t2"]
    asked = demote_tables(items, lambda i: i[1], "How much did it cost?")
    assert [i[0] for i in asked] == ["t1", "p1", "t2", "p2"]


def _ingest(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(REPORT, encoding="utf-8")
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([corpus])
    return index_dir


def test_table_flag_is_stored_and_tables_rank_below_prose(tmp_path: Path) -> None:
    index_dir = _ingest(tmp_path)
    engine = Engine(index_dir, HashingEmbedder())
    try:
        prose = engine.ask("Why are placements for children in care overspending?", 5).hits
        figures = engine.ask("How much is the variance for placements of children in care?", 5)
    finally:
        engine.close()
    flags = [h.passage.is_table for h in prose]
    assert True in flags and flags == sorted(flags)  # every table after every prose passage
    table = next(h.passage for h in prose if h.passage.is_table)
    assert table.text.splitlines()[-1] == "Total 48.2 55.0 6.8"
    assert any(h.passage.is_table for h in figures.hits)
    shown = [passage_out(h, i) for i, h in enumerate(prose, start=1)]
    assert [o.is_table for o in shown] == flags  # the API says which passages are tables
