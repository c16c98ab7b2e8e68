"""Decision records in the store: written with their passages, removed and replaced with them."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.embedder import HashingEmbedder
from index.records import DECISIONS_VERSION
from index.store import Filters, Store
from indexing.writer import IndexWriter

MINUTES = "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"


def _decisions(index_dir: Path, filters: Filters | None = None) -> list[str]:
    store = Store.open(index_dir)
    try:
        return [d.text for d in store.decisions(filters)]
    finally:
        store.close()


def test_decisions_are_stored_cited_and_newest_first(small_index: Path) -> None:
    store = Store.open(small_index)
    try:
        found = store.decisions(Filters())
        assert found, "the minutes' RESOLVED blocks are stored"
        for d in found:
            text, _ = store.document_text(d.passage.document.document_id)
            assert text[d.char_start : d.char_end] == d.text
            assert d.passage.char_start <= d.char_start < d.passage.char_end
        dates = [d.passage.document.meta.meeting_date or "" for d in found]
        assert dates == sorted(dates, reverse=True)
        only = store.decisions(Filters(council=("Northmoor County Council",)))
        assert only and {d.passage.document.meta.council for d in only} == {
            "Northmoor County Council"
        }
        allowed = set(store.allowed_rowids(Filters(has_decision=True)).tolist())
        assert allowed == {d.passage.rowid for d in found}
        # the cached set (the documents' passages, then those with a decision) is the same
        for given in (
            Filters(has_decision=True),
            Filters(has_decision=True, council=("Northmoor County Council",)),
            Filters(has_decision=True, date_from="2019-01-01"),
        ):
            cached = set(store.allowed(given).ids().tolist())
            assert cached == set(store.allowed_rowids(given).tolist()), given
        assert set(store.allowed(Filters(has_decision=True)).ids().tolist()) == allowed
    finally:
        store.close()


def test_removal_and_replacement_keep_decisions_consistent(
    small_corpus: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(small_corpus, folder)
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([folder])
    before = _decisions(index_dir)
    assert "RESOLVED - That the Fostering Service Annual Report 2014/15 be noted." in before
    path = folder / MINUTES
    path.write_text(
        path.read_text(encoding="utf-8").replace("2014/15 be noted", "2014/15 be approved"),
        encoding="utf-8",
    )
    with writer.open():
        writer.ingest([folder])
    after = _decisions(index_dir)
    assert len(after) == len(before)
    assert "RESOLVED - That the Fostering Service Annual Report 2014/15 be approved." in after
    store = Store.open(index_dir)
    document_id = next(d.document_id for d in store.list_documents() if d.source == MINUTES)
    store.close()
    with writer.open():
        writer.remove(document_id)
    assert not any("Fostering Service Annual Report" in t for t in _decisions(index_dir))


def test_decisions_carry_their_subject_and_procedural_flag(small_index: Path) -> None:
    store = Store.open(small_index)
    try:
        found = store.decisions(Filters(council=("Northmoor County Council",)), limit=200)
        by_text = {d.text: d for d in found}
        noted = by_text["RESOLVED - That the Fostering Service Annual Report 2014/15 be noted."]
        assert (noted.item, noted.subject, noted.procedural) == (
            "20",
            "FOSTERING SERVICE ANNUAL REPORT 2014/15",
            True,
        )
        substantive = store.decisions(Filters(), limit=200, procedural=False)
        assert substantive and not any(d.procedural for d in substantive)
        assert noted.text not in {d.text for d in substantive}
    finally:
        store.close()


def test_decisions_are_read_again_when_the_rules_change(small_corpus: Path, tmp_path: Path) -> None:
    """An index whose decisions were read with older rules is read again when a writer opens."""
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([small_corpus])
    store = Store.open(index_dir)
    with store.transaction() as conn:
        conn.execute("DELETE FROM decisions")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'decisions_version'")
    assert store.decisions(Filters()) == []
    store.close()
    with writer.open():
        pass
    store = Store.open(index_dir)
    try:
        found = store.decisions(Filters(), limit=200)
        assert found and any(d.subject for d in found) and any(d.procedural for d in found)
        assert store.get_meta("decisions_version") == DECISIONS_VERSION
    finally:
        store.close()


def test_decisions_are_read_a_page_at_a_time_and_counted(small_index: Path) -> None:
    store = Store.open(small_index)
    try:
        every = store.decisions(Filters(), limit=500)
        assert store.decision_count(Filters()) == len(every) > 3
        pages = [store.decisions(Filters(), limit=2, offset=o) for o in range(0, len(every), 2)]
        assert [d for page in pages for d in page] == every
        substantive = store.decisions(Filters(), limit=500, procedural=False)
        assert store.decision_count(Filters(), procedural=False) == len(substantive)
        rowids = [every[0].passage.rowid]
        among = store.decisions(Filters(), rowids=rowids)
        assert store.decision_count(Filters(), rowids=rowids) == len(among)
        assert store.decision_count(Filters(), rowids=[]) == 0
        assert store.decision_count(Filters(council=("Nowhere",))) == 0
    finally:
        store.close()
