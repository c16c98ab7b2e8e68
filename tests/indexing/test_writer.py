"""The writer: incremental ingest, replacement, removal, crash safety."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from cqa_core.errors import DocumentNotFoundError, IndexCorruptError
from index.embedder import HashingEmbedder
from index.store import Filters, Store
from indexing import shard_commit
from indexing.cut_rules import INGEST_VERSION_KEY
from indexing.writer import PASSAGE_WORDS, IndexWriter
from ingest import pipeline
from ingest.models import ExtractedText
from ingest.pipeline import INGEST_VERSION, IngestLimits
from qa_service.retriever import Engine


def _results(index_dir: Path, question: str) -> list[tuple[str, float]]:
    engine = Engine(index_dir, HashingEmbedder())
    try:
        return [(h.passage.passage_id, h.score) for h in engine.ask(question, 10).hits]
    finally:
        engine.close()


def test_reingest_unchanged_folder_changes_nothing(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        first = writer.ingest([small_corpus])
    before = _results(index_dir, "agency social workers caseloads")
    with writer.open():
        second = writer.ingest([small_corpus])
    assert len(first.added) == 5 and not first.failed
    assert second.unchanged == first.added and not second.added and not second.updated
    assert second.passages_added == 0 and second.embedded == 0
    assert _results(index_dir, "agency social workers caseloads") == before


def test_changed_file_replaces_its_passages(small_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(small_corpus, folder)
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([folder])
    txt = folder / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"
    txt.write_text(
        txt.read_text(encoding="utf-8") + "\n\n22. ZEBRA CROSSINGS\n\nThe xylophone motion.\n",
        encoding="utf-8",
    )
    with writer.open():
        summary = writer.ingest([folder])
        assert summary.updated == [txt.name]
        # only the new passage went through the model; the rest came from the cache
        assert 0 < summary.embedded < summary.passages_added
        store = writer.store
        ids, _vectors = store.all_embeddings()
        assert writer.dense.count() == len(ids) == store.stats().passages
    hits = _results(index_dir, "xylophone zebra crossings")
    assert hits, "the new text is searchable"
    store = Store.open(index_dir)
    docs = [d for d in store.list_documents() if d.source == txt.name]
    assert len(docs) == 1


def test_other_passage_sizes_recut_every_document(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    with IndexWriter(index_dir, HashingEmbedder(), IngestLimits(min_words=10, max_words=30)).open():
        pass  # an index opened, nothing ingested yet
    small = IndexWriter(index_dir, HashingEmbedder(), IngestLimits(min_words=10, max_words=30))
    with small.open():
        small.ingest([small_corpus])
        before = small.store.stats().passages
    first = sorted(small_corpus.glob("*.txt"))[0]
    large = IndexWriter(index_dir, HashingEmbedder(), IngestLimits(min_words=40, max_words=200))
    with large.open():
        one = large.ingest([first])  # one file: the others are still cut the old way
        assert one.updated == [first.name]
        assert large.store.get_meta(PASSAGE_WORDS) == "40-200"  # new documents' sizes
        assert one.old_cuts.rules == {"passages of 10-30 words, now 40-200": 4}
        every = large.ingest([small_corpus])
        others = sorted(p.name for p in small_corpus.iterdir() if p.suffix not in {".csv", ""})
        others.remove(first.name)
        assert sorted(every.updated) == others, "the file re-cut already is not cut again"
        assert every.unchanged == [first.name] and not every.old_cuts.documents
        assert large.store.stats().passages < before
        again = large.ingest([small_corpus])
    assert not again.updated and len(again.unchanged) == len(others) + 1


def _set_ingest_version(index_dir: Path, version: str | None) -> None:
    """Make the index look cut by other ingest code (None: code from before versions)."""
    store = Store.open(index_dir)
    try:
        with store.transaction() as conn:
            if version is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (INGEST_VERSION_KEY,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    (INGEST_VERSION_KEY, version),
                )
    finally:
        store.close()


@pytest.mark.parametrize(
    ("recorded", "said"),
    [
        ("0", f"older ingest rules (version 0, now {INGEST_VERSION})"),
        (None, f"older ingest rules (no version recorded, now {INGEST_VERSION})"),
        (str(INGEST_VERSION + 1), f"newer ingest rules (version {INGEST_VERSION + 1}, now"),
    ],
)
def test_other_ingest_version_recuts_every_document(
    small_corpus: Path, tmp_path: Path, recorded: str | None, said: str
) -> None:
    index_dir = tmp_path / "idx"
    embedder = CountingEmbedder()
    writer = IndexWriter(index_dir, embedder)
    with writer.open():
        first = writer.ingest([small_corpus])
        assert writer.store.get_meta(INGEST_VERSION_KEY) == str(INGEST_VERSION)
        before = writer.store.stats().passages
    assert not first.recut and embedder.calls
    _set_ingest_version(index_dir, recorded)
    embedder.calls.clear()
    with writer.open():
        again = writer.ingest([small_corpus])
        assert writer.store.get_meta(INGEST_VERSION_KEY) == str(INGEST_VERSION)
        assert writer.store.stats().passages == before
    assert said in again.recut
    assert again.recut.endswith("re-cutting every document as its file is ingested")
    assert sorted(again.updated) == sorted(first.added) and not again.unchanged
    assert again.passages_added == first.passages_added
    # the same code cuts the same passages: every vector comes from the index, none from
    # the model
    assert again.embedded == 0 and again.sentences_embedded == 0 and not embedder.calls
    with writer.open():
        third = writer.ingest([small_corpus])  # the version is recorded: skipped as before
    assert not third.recut and not third.updated and third.unchanged == first.added


def test_recut_after_version_change_embeds_only_new_passages(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    embedder = CountingEmbedder()
    writer = IndexWriter(index_dir, embedder)
    with writer.open():
        first = writer.ingest([small_corpus])
    _set_ingest_version(index_dir, "0")
    # new ingest rules that change one file's text: only its new passage is embedded
    loaded = pipeline.load_bytes
    changed = "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"

    def new_rules(data: bytes, suffix: str, name: str, **limits: int) -> ExtractedText:
        extracted = loaded(data, suffix, name, **limits)
        if name == changed:
            extracted.text += "\n\n22. ZEBRA CROSSINGS\n\nThe xylophone motion was carried.\n"
        return extracted

    monkeypatch.setattr(pipeline, "load_bytes", new_rules)
    embedder.calls.clear()
    with writer.open():
        again = writer.ingest([small_corpus])
    assert again.recut and sorted(again.updated) == sorted(first.added)
    assert 0 < again.embedded < again.passages_added
    assert sum(map(len, embedder.calls)) == again.embedded + again.sentences_embedded


def test_distributed_plan_recuts_an_index_of_older_rules(
    small_corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        first = writer.ingest([small_corpus])
        assert not shard_commit.plan(writer, [small_corpus]).files  # nothing to do
    _set_ingest_version(index_dir, "0")
    with writer.open():
        work = shard_commit.plan(writer, [small_corpus])
    assert work.files == len(first.added) and not work.summary.unchanged
    assert "older ingest rules (version 0" in work.summary.recut


def test_remove_deletes_document_and_vectors(small_index: Path) -> None:
    writer = IndexWriter(small_index, HashingEmbedder())
    with writer.open():
        doc = writer.store.list_documents()[0]
        before = writer.dense.count()
        assert writer.remove(doc.document_id) == doc.source
        assert writer.dense.count() == before - doc.passages
        with pytest.raises(DocumentNotFoundError):
            writer.remove(doc.document_id)
    engine = Engine(small_index, HashingEmbedder())
    assert engine.dense.count() == before - doc.passages
    assert all(
        h.passage.document.document_id != doc.document_id for h in engine.ask("inspection", 20).hits
    )


def test_failed_commit_leaves_previous_index_usable(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([small_corpus / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"])
    before = _results(index_dir, "contacts awaiting a MASH decision")

    def boom(self: object, path: Path) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C arrived while the FAISS file was written

    monkeypatch.setattr("index.dense.DenseIndex.save", boom)
    with pytest.raises(KeyboardInterrupt), writer.open():
        writer.ingest([small_corpus])
    monkeypatch.undo()
    assert _results(index_dir, "contacts awaiting a MASH decision") == before
    assert Store.open(index_dir).stats().documents == 1
    with writer.open():  # a re-run completes the work
        summary = writer.ingest([small_corpus])
    assert len(summary.added) == 4 and summary.unchanged


def test_index_refuses_another_model(small_index: Path) -> None:
    with pytest.raises(IndexCorruptError), IndexWriter(small_index, HashingEmbedder(dim=32)).open():
        pass


def test_bad_file_is_reported_and_skipped(tmp_path: Path, small_corpus: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(small_corpus / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt", folder)
    writer = IndexWriter(tmp_path / "idx", HashingEmbedder())
    with writer.open():
        summary = writer.ingest([folder])
    assert {name for name, _ in summary.failed} == {"broken.pdf", "empty.txt"}
    assert summary.added == ["northmoor-cyp-scrutiny-2015-06-23-minutes.txt"]


def test_filters_apply_before_the_top_k_cut(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    rows = ["file,council,committee,meeting_date,title,doc_type,source_url,supersedes"]
    for i in range(12):
        council = "Big Council" if i < 11 else "Small Council"
        name = f"doc{i:02d}.txt"
        (folder / name).write_text(
            f"Item {i}\n\nFoster carer recruitment campaign number {i} was discussed.\n",
            encoding="utf-8",
        )
        rows.append(f"{name},{council},Board,2020-01-{i + 1:02d},,minutes,,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([folder])
    engine = Engine(index_dir, HashingEmbedder())
    hits = engine.ask("foster carer recruitment", 5, Filters(council=("small council",))).hits
    assert [h.passage.document.source for h in hits] == ["doc11.txt"]
    dated = engine.ask(
        "foster carer recruitment", 3, Filters(date_from="2020-01-03", date_to="2020-01-06")
    ).hits
    assert len(dated) == 3
    assert all(
        "2020-01-03" <= (h.passage.document.meta.meeting_date or "") <= "2020-01-06" for h in dated
    )
    newest = engine.ask("foster carer recruitment", 3, sort="newest").hits
    dates = [h.passage.document.meta.meeting_date for h in newest]
    assert dates == sorted(dates, reverse=True)


def test_superseded_document_answers_only_when_nothing_else_can(small_index: Path) -> None:
    engine = Engine(small_index, HashingEmbedder())
    old = "quarrington-cyp-scrutiny-2023-03-07-performance-report.pdf"
    hits = engine.ask("re-referrals agency staff assessments", 20).hits
    assert hits and all(h.passage.document.source != old for h in hits)
    only_old = next(d for d in engine.store.list_documents() if d.source == old)
    assert only_old.superseded_by is not None
    answer = engine.ask("re-referrals", 3, Filters(document_ids=(only_old.document_id,)))
    assert answer.hits and answer.filters.include_superseded
    with_old = engine.ask("re-referrals", 50, Filters(include_superseded=True)).hits
    assert any(h.passage.document.source == old for h in with_old)
    assert np.isfinite([h.score for h in hits]).all()


def test_sentence_vectors_and_vocabulary_follow_their_passages(small_index: Path) -> None:
    store = Store.open(small_index)
    docs = {d.source: d for d in store.list_documents()}
    target = docs["northmoor-cyp-scrutiny-2015-06-23-minutes.txt"]
    rowids = [int(i) for i in store.allowed_rowids(Filters(document_ids=(target.document_id,)))]
    sentences = store.sentence_vectors(rowids)
    assert set(sentences) == set(rowids)
    for rowid, record in store.passages(rowids).items():
        spans, vectors = sentences[rowid]
        assert len(spans) == len(vectors) >= 1
        assert all(0 <= a < b <= len(record.text) for a, b in spans)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    before = store.vocabulary()
    assert before["mash"] >= 1  # "MASH" is in those minutes
    store.close()
    writer = IndexWriter(small_index, HashingEmbedder())
    with writer.open():
        writer.remove(target.document_id)
    store = Store.open(small_index)
    after = store.vocabulary()
    assert after.get("mash", 0) < before["mash"]
    assert all(n > 0 for n in after.values())
    assert store.sentence_vectors(rowids) == {}


def test_stage_times_add_up(small_corpus: Path, tmp_path: Path) -> None:
    with IndexWriter(tmp_path / "idx", HashingEmbedder()).open() as writer:
        summary = writer.ingest([small_corpus])
    times = summary.times
    assert all(v > 0 for v in (times.parse, times.chunk, times.lookup, times.embed, times.write))
    assert 0 < times.faiss <= times.write
    assert times.total() <= summary.seconds
    assert summary.sentences_added >= summary.passages_added > 0
    assert summary.sentences_embedded <= summary.sentences_added


class CountingEmbedder(HashingEmbedder):
    """The fake model, counting its calls and the texts it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts)


def test_one_model_call_per_batch_and_repeats_embedded_once(
    small_corpus: Path, tmp_path: Path
) -> None:
    embedder = CountingEmbedder()
    with IndexWriter(tmp_path / "idx", embedder, commit_every=16).open() as writer:
        summary = writer.ingest([small_corpus])
    assert len(embedder.calls) == 2  # the batch's passages, then its sentences
    for texts in embedder.calls:
        assert len(texts) == len(set(texts))
    # the fixture has the same paper at two meetings: its passages are embedded once
    assert summary.embedded == len(embedder.calls[0]) < summary.passages_added
    assert summary.sentences_embedded == len(embedder.calls[1]) <= summary.sentences_added
    store = Store.open(tmp_path / "idx")
    try:
        sentences = store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
    finally:
        store.close()
    assert sentences == summary.sentences_added


def test_a_readers_documents_follow_the_commit_that_changes_them(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    text = "Item 1\n\nThe foster carer recruitment campaign was discussed at length.\n"
    (folder / "report.txt").write_text(text, encoding="utf-8")
    header = "file,council,committee,meeting_date,title,doc_type,source_url,supersedes"
    manifest = folder / "manifest.csv"
    manifest.write_text(f"{header}\nreport.txt,A Council,Board,2020-01-01,,report,,\n")
    index_dir = tmp_path / "idx"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([folder])
    reader = Store.open(index_dir)
    rowids = [int(i) for i in reader.allowed_rowids(Filters(include_superseded=True))]
    before = next(iter(reader.passages(rowids).values())).document
    assert before.superseded_by is None and before.passages == 1
    (folder / "revised.txt").write_text(text.replace("at length", "briefly"), encoding="utf-8")
    manifest.write_text(
        f"{header}\nreport.txt,A Council,Board,2020-01-01,,report,,\n"
        "revised.txt,A Council,Board,2020-01-02,,report,,report.txt\n"
    )
    with writer.open():
        writer.ingest([folder])
    after = reader.passages(rowids)  # the same passage, read after the commit
    assert next(iter(after.values())).document.superseded_by is not None
    reader.close()
