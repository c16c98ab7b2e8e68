"""A commit batch is embedded in chunks, each reported, with the same vectors as in one call."""

from __future__ import annotations

from pathlib import Path

import pytest

import indexing.embed_batch
from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter, Progress
from tests.indexing.test_writer import CountingEmbedder


def test_a_batch_reports_each_chunk_and_its_vectors_do_not_depend_on_the_chunks(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Progress] = []

    def vectors(index_dir: Path) -> dict[str, bytes]:
        with IndexWriter(index_dir, HashingEmbedder()).open() as writer:
            rows = writer.store.conn.execute("SELECT passage_id, embedding FROM passages")
            return {str(pid): bytes(vec) for pid, vec in rows}

    with IndexWriter(tmp_path / "one", HashingEmbedder()).open() as writer:
        writer.ingest([small_corpus])
    monkeypatch.setattr(indexing.embed_batch, "EMBED_CHUNK", 3)
    with IndexWriter(tmp_path / "many", HashingEmbedder()).open() as writer:
        summary = writer.ingest([small_corpus], seen.append)
    steps = [p.passages_embedded for p in seen if p.status == "embedded"]
    assert steps == sorted(steps) and steps[-1] == summary.passages_added
    assert all(b - a <= 3 for a, b in zip([0, *steps], steps, strict=False))
    assert all(p.passages_embedded <= p.passages_read for p in seen)
    assert vectors(tmp_path / "one") == vectors(tmp_path / "many")


def test_chunks_are_shortest_first_and_a_repeat_across_chunks_is_embedded_once(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexing.embed_batch, "EMBED_CHUNK", 3)
    embedder = CountingEmbedder()
    with IndexWriter(tmp_path / "idx", embedder).open() as writer:
        summary = writer.ingest([small_corpus])
        texts = [
            str(row[0])
            for row in writer.store.conn.execute("SELECT text FROM passages ORDER BY id")
        ]
    passage_calls = embedder.calls[0::2]  # each chunk: its passages, then their sentences
    assert all(0 < len(call) <= 3 for call in passage_calls)
    lengths = [len(t) for call in passage_calls for t in call]
    assert lengths == sorted(lengths)
    embedded = [t for call in passage_calls for t in call]
    assert len(embedded) == len(set(embedded)) == summary.embedded
    assert summary.embedded < summary.passages_added == len(texts)  # the paper at two meetings
