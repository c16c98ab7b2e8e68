"""bench.scale: a copied-up index is an ordinary one, with every id and name where it belongs."""

from __future__ import annotations

from pathlib import Path

import faiss
import pytest

from bench import scale
from index.embedder import HashingEmbedder
from index.lexical_tantivy import TantivyIndex
from index.store import Store
from qa_service.retriever import Engine


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scale, "DIRECT_MAX", 60)
    monkeypatch.setattr(scale, "BASE_SAMPLE", 20)


def _counts(index: Path) -> tuple[int, int, int, int]:
    store = Store.open(index)
    try:
        db = store.conn
        passages = int(db.execute("SELECT count(DISTINCT passage_id) FROM passages").fetchone()[0])
        fts = TantivyIndex.load(index, store).count()
        sentences = int(db.execute("SELECT count(*) FROM sentences").fetchone()[0])
        councils = len(store.facet_values("council"))
        assert store.stats().passages == passages  # passage ids are unique
        return passages, fts, sentences, councils
    finally:
        store.close()


def test_copy_up_gives_an_index_the_engine_opens(small: None, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    base = scale.build(60, tmp_path, base_embedder=embedder, log=False)
    passages, fts, sentences, councils = _counts(base)
    assert passages > 0 and fts == passages

    big = scale.build(180, tmp_path, base_embedder=embedder, log=False)
    got = _counts(big)
    assert got[:3] == (3 * passages, 3 * fts, 3 * sentences)
    assert got[3] == 3 * councils  # each copy is other councils
    engine = Engine(big, embedder)
    try:
        assert engine.dense.count() == 3 * passages
        assert engine.lexical.usable(engine.store.generation())  # current
        assert engine.lexical.count() == 3 * passages
        answer = engine.ask("the committee noted the report", top_k=5)
        assert answer.hits
        council = engine.store.facet_values("council")[-1]
        answer = engine.ask("budget", top_k=3, infer_filters=False, filters=_council(council))
        assert all(h.passage.document.meta.council == council for h in answer.hits)
    finally:
        engine.close()
    assert scale.build(180, tmp_path, base_embedder=embedder, log=False) == big  # kept


def test_copy_up_builds_an_inverted_file_past_exact_max(small: None, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    index = scale.build(60, tmp_path, base_embedder=embedder, log=False)
    passages = _counts(index)[0]
    scale.copy_up(index, 40, log=False, exact_max=100)
    engine = Engine(index, embedder)
    try:
        assert isinstance(engine.dense.index, faiss.IndexIVF)
        assert engine.dense.count() == 40 * passages
        assert engine.ask("the committee noted the report").hits
    finally:
        engine.close()


def _council(name: str):  # type: ignore[no-untyped-def]
    from index.store import Filters

    return Filters(council=(name,))
