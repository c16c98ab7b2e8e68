"""The single writer of an index folder: one atomic commit to the store and every index.

The writer holds the folder's write lock while it is open, loads each index
(``index.base.Index``: the dense FAISS index and the lexical tantivy index), and commits
batches of processed documents through them all:

1. inside one SQLite transaction, delete the documents being replaced or removed and
   insert the new ones (documents, passages, sentences, records, vocabulary);
2. each index removes the old passages, adds the new ones and saves the new generation
   beside the previous one (``Index.save``);
3. the transaction commits, naming the generation and what each index saved;
4. each index drops what older generations left (``Index.committed``).

A crash at any point leaves the previous commit fully usable, and the next writer (or
reader) finds each index as of the last commit or rebuilds it from the store.  What to
commit is decided by the ingest run (``indexing.run``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from cqa_core.errors import IndexCorruptError
from cqa_core.index_folder import check_new_index_folder
from index import open_cache
from index.base import Batch, Index, LexicalText
from index.dense_select import DenseSearch, load_dense, outgrown
from index.embedder import Embedder
from index.lexical_tantivy import TantivyIndex, lexical_context
from index.lock import write_lock
from index.records import refresh_decisions
from index.store import SCHEMA_VERSION, Store
from indexing import run
from indexing.cut_rules import PASSAGE_WORDS, forget, old_cuts
from indexing.embed_batch import embed_hash, embed_text
from indexing.models import IngestSummary, Progress, Staged
from indexing.supersedes import Link, cycle_cuts
from ingest.models import DocMeta
from ingest.pipeline import IngestLimits
from ingest.timings import StageTimes

__all__ = ["PASSAGE_WORDS", "IndexWriter", "IngestSummary", "Progress", "Staged"]


class IndexWriter:
    """The single writer of an index folder (others are refused while it is open)."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        limits: IngestLimits | None = None,
        commit_every: int = 16,
    ) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.limits = limits or IngestLimits()
        self.commit_every = commit_every
        self.store: Store
        self.dense: DenseSearch  # in memory or on disk (index.dense_select)
        self.lexical: TantivyIndex

    @property
    def indexes(self) -> list[Index]:
        """Every index a commit goes through, in the order it does."""
        return [self.dense, self.lexical]

    @contextlib.contextmanager
    def open(self) -> Iterator[IndexWriter]:
        """Take the write lock, open (or create) the index, and release both afterwards.

        An existing folder of other files is refused before anything is written to it
        (``IndexFolderError``): an index is made only in an empty or new folder.
        """
        check_new_index_folder(self.index_dir)
        with write_lock(self.index_dir):
            self.store = Store.open(self.index_dir, create=True)
            try:
                self._check_model()
                with self.store.lock:  # decisions read with older rules are read again
                    refresh_decisions(self.store.conn)
                generation = self.store.generation()
                self.dense = load_dense(self.index_dir, self.store, writer=True)
                self.lexical = TantivyIndex.load(self.index_dir, self.store, writer=True)
                try:
                    for index in self.indexes:  # leftovers of an interrupted commit
                        index.committed(generation)
                    yield self
                    self._keep_open_cache()
                finally:
                    for index in self.indexes:
                        index.close()
            finally:
                self.store.close()

    def _keep_open_cache(self) -> None:
        """Above ``OPEN_CACHE_MIN`` passages, save what the next engine's open would read
        from the store (``index.open_cache``) for the last commit, so that no open pays it
        (~10 s warm, ~48 s from a cold page cache at 10M); once, as the writer closes."""
        generation, passages = self.store.generation(), self.store.passage_count()
        if passages < open_cache.OPEN_CACHE_MIN:
            return
        if open_cache.saved(self.store, self.index_dir, generation) is None:
            # best effort: the commits are made; an open without it reads the store
            with contextlib.suppress(sqlite3.Error, OSError, ValueError):
                open_cache.prepare(self.store, self.index_dir, generation, passages)

    def _check_model(self) -> None:
        model, dim = self.store.get_meta("model"), self.store.get_meta("dim")
        if model is None:
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('model', ?), ('dim', ?)",
                    (self.embedder.name, str(self.embedder.dim)),
                )
        elif model != self.embedder.name or int(dim or 0) != self.embedder.dim:
            raise IndexCorruptError(
                f"the index at {self.index_dir} was built with the model {model!r} "
                f"({dim} dimensions), not {self.embedder.name!r}: use another --index folder"
            )

    # --- what to write (indexing.run decides) --------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        on_progress: Callable[[Progress], None] | None = None,
        council: str | None = None,
    ) -> IngestSummary:
        """Ingest files and folders: ``indexing.run.ingest`` through this writer."""
        return run.ingest(self, paths, on_progress, council)

    def ingest_files(
        self,
        files: Sequence[tuple[Path, DocMeta, str | None]],
        on_progress: Callable[[Progress], None] | None = None,
        duplicates_by_bytes: bool = False,
    ) -> IngestSummary:
        """Ingest given files: ``indexing.run.ingest_files`` through this writer."""
        return run.ingest_files(self, files, on_progress, duplicates_by_bytes)

    def commit_staged(self, staged: list[Staged], times: StageTimes) -> None:
        """Commit processed and embedded documents in one atomic batch."""
        with times.stage("write"):
            self._commit(staged, times=times)

    def remove(self, document_id: str) -> str:
        """Delete a document and its passages; returns its source file name."""
        record = self.store.get_document(document_id)  # raises DocumentNotFoundError
        self._commit([], remove=[document_id])
        return record.source

    def finish(self, summary: IngestSummary) -> None:
        """After a run's commits: break supersedes cycles, find the documents still cut
        by older rules (``indexing.cut_rules``), and count the index."""
        self._break_supersedes_cycles(summary)
        if self.store.migrated_from:  # once: the next open finds the current version
            summary.warnings.append(
                f"the index's store was migrated from schema version "
                f"{self.store.migrated_from} to {SCHEMA_VERSION} (passage text read from the "
                "documents, 8-byte text hashes, passage vectors kept once in an on-disk "
                "dense base); 'sqlite3 meta.sqlite VACUUM' in the index folder returns the "
                "space it freed to the disk"
            )
            self.store.migrated_from = None
        summary.old_cuts = old_cuts(self.store, self.limits)
        stats = self.store.stats()
        summary.passages_total, summary.documents_total = stats.passages, stats.documents

    def _break_supersedes_cycles(self, summary: IngestSummary) -> None:
        """Warn about each supersedes cycle and drop the one link that breaks it."""
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT doc_rowid, source, supersedes, meeting_date FROM documents "
                "WHERE supersedes IS NOT NULL"
            ).fetchall()
            links = [Link(r[0], r[1], r[2], r[3]) for r in rows]
            for cut in cycle_cuts(links):
                conn.execute("UPDATE documents SET supersedes = NULL WHERE doc_rowid = ?",
                             (cut.rowid,))  # fmt: skip
                summary.warnings.append(cut.warning)

    # --- commit ---------------------------------------------------------------------

    def _commit(
        self,
        documents: list[Staged],
        remove: Sequence[str] = (),
        times: StageTimes | None = None,
    ) -> None:
        """Write one batch: replace/insert documents and remove others, atomically."""
        times = times or StageTimes()
        generation = self.store.generation() + 1
        now = datetime.now(UTC).isoformat(timespec="seconds")
        doomed = [staged.document.document_id for staged in documents] + list(remove)
        ids: list[int] = []
        texts: list[LexicalText] = []
        with self.store.transaction() as conn:
            old_ids = self._delete_documents(doomed)
            forget(conn, doomed)  # written now with the current rules, or removed
            for staged in documents:
                new_ids, new_texts = self._insert_document(staged, now)
                ids.extend(new_ids)
                texts.extend(new_texts)
            if documents:
                batch = Batch(
                    np.array(ids, dtype=np.int64), np.vstack([s.vectors for s in documents]), texts
                )
            else:
                batch = Batch.empty(self.embedder.dim)
            meta = {"generation": str(generation)}
            # Each index is saved before the transaction that names its generation commits.
            for index in self.indexes:
                with times.stage("faiss") if index is self.dense else contextlib.nullcontext():
                    index.remove(np.array(old_ids, dtype=np.int64))
                    index.add(batch)
                    if index is self.dense:  # past dense_ondisk_min passages: on disk
                        self.dense = index = outgrown(index, self.limits.dense_ondisk_min)
                    meta.update(index.save(generation))
            conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(meta.items())
            )
        for index in self.indexes:
            index.committed(generation)

    def _delete_documents(self, document_ids: Sequence[str]) -> list[int]:
        """Delete documents (inside the commit's transaction); returns their passages' ids."""
        old: list[int] = []
        for document_id in document_ids:
            passages = self.store.delete_document(document_id)
            self.store.remove_words((heading, text) for _id, heading, text in passages)
            old.extend(rowid for rowid, _heading, _text in passages)
        return old

    def _insert_document(self, staged: Staged, now: str) -> tuple[list[int], list[LexicalText]]:
        """Insert one document with its passages, sentences, records and words; returns its
        passages' row ids and their text as keyword search reads it."""
        document, store, model = staged.document, self.store, self.embedder.name
        passages = document.passages
        hashes = [embed_hash(model, embed_text(p)) for p in passages]
        rowids = store.insert_document(document, staged.given, staged.vectors, hashes, now)
        sentences = staged.sentences or [[] for _ in passages]
        sentence_vectors = staged.sentence_vectors or [
            np.zeros((0, staged.vectors.shape[1]), dtype=np.float32) for _ in passages
        ]
        for rowid, passage, spans, vectors in zip(
            rowids, passages, sentences, sentence_vectors, strict=True
        ):
            sentence_hashes = [embed_hash(model, passage.text[a:b]) for a, b in spans]
            store.insert_sentences(
                rowid, spans, sentence_hashes, list(vectors), self.limits.sentence_codec
            )
        rowid_of = {p.passage_id: r for p, r in zip(passages, rowids, strict=True)}
        store.insert_records(document, rowid_of)
        store.add_words((p.heading_path, p.text) for p in passages)
        context = lexical_context(document.meta)
        return rowids, [(" ".join(p.heading_path), p.text, context) for p in passages]
