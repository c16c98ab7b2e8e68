"""Adding, replacing and removing documents, so that a crash never leaves a broken index.

Every commit writes the new FAISS file beside the old one, then commits the SQLite
transaction that names it; the old file is deleted only after that.  A crash at any
point leaves the previous commit fully usable, and the next writer cleans up.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index import sentence_codec
from index.dense import DenseIndex
from index.dense_ondisk import AnyDense, OnDiskDenseIndex, is_ondisk_file, stale_bases
from index.duplicates import SameBytes
from index.embed_batch import BatchEmbedder, embed_hash, embed_text
from index.embedder import Embedder
from index.lexical import words
from index.lexical_tantivy import TantivyWriter
from index.records import (
    INSERT_COMMITMENT,
    INSERT_DECISION,
    commitment_rows,
    decision_rows,
    refresh_decisions,
)
from index.store import Store
from index.supersedes import Link, cycle_cuts
from ingest.errors import IndexBusyError, IndexCorruptError, IngestError
from ingest.manifest import with_council
from ingest.models import DocMeta, Document
from ingest.pipeline import IngestLimits, discover, document_id_for, process_file
from ingest.sentences import split_sentences
from ingest.timings import StageTimes

LOCK_NAME = "write.lock"


# (row id, heading, body, context): a passage as both lexical indexes read it
LexicalRow = tuple[int, str, str, str]


def lexical_context(meta: DocMeta) -> str:
    """The document facts indexed beside each passage for keyword search."""
    parts = [meta.council, meta.committee, meta.title, meta.doc_type, meta.meeting_date]
    return " | ".join(p for p in parts if p)


# meta key: the passage sizes ("60-275" words) the index's documents were cut with
PASSAGE_WORDS = "passage_words"


@dataclass
class IngestSummary:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # (file, id of the document already holding its bytes, that document's file): not added
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # entries passed over, with why: unsupported, not a paper, bad name, link loop, FIFO...
    skipped: list[tuple[str, str]] = field(default_factory=list)
    passages_added: int = 0
    passages_total: int = 0
    documents_total: int = 0
    seconds: float = 0.0
    embedded: int = 0  # passages that went through the model (the rest came from the cache)
    sentences_embedded: int = 0  # sentences that went through the model
    sentences_added: int = 0
    times: StageTimes = field(default_factory=StageTimes)  # seconds by stage


@dataclass
class Staged:
    """A processed document waiting for the next commit."""

    document: Document
    vectors: np.ndarray
    given: DocMeta  # the metadata the manifest gave, before inference
    # per passage: its sentences' (start, end) in the passage text, and their vectors
    sentences: list[list[tuple[int, int]]] = field(default_factory=list)
    sentence_vectors: list[np.ndarray] = field(default_factory=list)


@dataclass
class Progress:
    """A progress report, sent after each file is read and after each chunk is embedded."""

    done: int  # files read
    total: int  # files to read
    source: str  # the file just read ("" after a chunk is embedded)
    status: str  # added | updated | unchanged | failed | duplicate, or "embedded"
    passages_read: int = 0  # passages of new and changed files read so far
    passages_embedded: int = 0  # of them, how many have their vectors (model or cache)


def _word_counts(passages: Iterable[tuple[Sequence[str], str]]) -> Counter[str]:
    """In how many of the (heading path, text) passages each word occurs."""
    counts: Counter[str] = Counter()
    for heading, text in passages:
        counts.update(set(words(" ".join(heading) + " " + text)))
    return counts


def dense_file_name(generation: int) -> str:
    """The FAISS file that belongs to a committed generation."""
    return f"dense-{generation}.faiss"


def load_dense(index_dir: Path, store: Store) -> AnyDense:
    """The FAISS index of the last commit, rebuilt from stored embeddings if its file is gone."""
    name = store.get_meta("dense_file")
    dim = int(store.get_meta("dim") or 0)
    if name and (index_dir / name).exists():
        try:
            if is_ondisk_file(index_dir / name):
                return OnDiskDenseIndex.load(index_dir / name, store)
            return DenseIndex.load(index_dir / name, store)
        except RuntimeError:
            pass  # fall through to a rebuild from SQLite, which is the source of truth
    ids, vectors = store.all_embeddings()
    if len(ids) and not dim:
        raise IndexCorruptError("the index records no vector dimension")
    if not len(ids):
        return DenseIndex.empty(dim or 1, store)
    return DenseIndex.build(ids, vectors, store)


class IndexWriter:
    """The single writer of an index folder (others wait on a file lock or are refused)."""

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
        self.dense: AnyDense
        self.lexical: TantivyWriter
        self._lock_file: int | None = None

    @contextlib.contextmanager
    def open(self) -> Iterator[IndexWriter]:
        """Take the write lock, open (or create) the index, and release both afterwards."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        fd = open(self.index_dir / LOCK_NAME, "a+")  # noqa: SIM115 - held for the whole run
        try:
            try:
                fcntl.flock(fd.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusyError(
                    f"another process is writing to the index at {self.index_dir}; "
                    "try again when it has finished"
                ) from exc
            self.store = Store.open(self.index_dir, create=True)
            try:
                self._check_model()
                with self.store.lock:  # decisions read with older rules are read again
                    if refresh_decisions(self.store.conn):
                        self.store.refresh_schema()
                self.dense = load_dense(self.index_dir, self.store)
                self._remove_stale_files()
                self.lexical = TantivyWriter(self.index_dir, self.store)
                try:
                    self.lexical.ensure_current()
                    yield self
                finally:
                    self.lexical.close()
            finally:
                self.store.close()
        finally:
            fd.close()

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

    def _remove_stale_files(self) -> None:
        """Delete FAISS files from commits older than the previous one, and temp files."""
        current = self.store.generation()
        keep = {dense_file_name(current), dense_file_name(current - 1)}
        for path in self.index_dir.glob("dense-*.faiss*"):
            if path.name not in keep:
                path.unlink(missing_ok=True)
        for base in stale_bases(self.index_dir, [self.index_dir / name for name in keep]):
            shutil.rmtree(base, ignore_errors=True)  # on-disk bases no kept commit names

    # --- ingest ---------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        on_progress: Callable[[Progress], None] | None = None,
        council: str | None = None,
    ) -> IngestSummary:
        """Ingest files and folders (recursively), with metadata from their manifests;
        ``council`` is the council of every file whose manifest gives none."""
        skipped: list[tuple[str, str]] = []
        files, warnings = discover(paths, skipped)
        files, council_warnings = with_council(files, council)
        warnings.extend(council_warnings)
        summary = self.ingest_files([(path, meta, None) for path, meta in files], on_progress)
        summary.warnings[:0] = warnings
        summary.skipped = skipped
        return summary

    def ingest_files(
        self,
        files: Sequence[tuple[Path, DocMeta, str | None]],
        on_progress: Callable[[Progress], None] | None = None,
        duplicates_by_bytes: bool = False,
    ) -> IngestSummary:
        """Add new files, replace changed ones, skip unchanged ones; commit in batches.

        Each entry is ``(path, metadata, source name)``; the source name defaults to the
        file's base name (uploads keep the name the user gave, not the stored one).  A new
        file whose bytes a document already holds is not added (``summary.duplicates``):
        with the same or no metadata, or with any when ``duplicates_by_bytes``.
        """
        started = time.perf_counter()
        summary = IngestSummary()
        known = self.store.content_hashes()
        copies = SameBytes(known, bytes_only=duplicates_by_bytes)
        sizes = f"{self.limits.min_words}-{self.limits.max_words}"
        recut = self.store.get_meta(PASSAGE_WORDS) != sizes
        stale: set[str] = set()  # documents still cut with other passage sizes
        if recut:
            # they count as changed
            stale = set(known)
            known = {doc: ("", meta) for doc, (_digest, meta) in known.items()}
            if not stale:
                self._record_passage_words(sizes)
                recut = False
        pending: list[Staged] = []
        done = embedded = 0  # files read, and passages with their vectors

        def report(source: str, status: str) -> None:
            if on_progress:
                on_progress(
                    Progress(done, len(files), source, status, summary.passages_added, embedded)
                )

        def chunk_embedded(count: int) -> None:
            nonlocal embedded
            embedded += count
            report("", "embedded")

        for path, meta, source in files:
            done += 1
            status = self._ingest_one(path, meta, source, known, copies, pending, summary)
            if stale and status != "failed":
                stale.discard(document_id_for(path))
            report(source or path.name, status)
            if len(pending) >= self.commit_every:
                self._flush(pending, summary, chunk_embedded)
                pending = []
        if pending:
            self._flush(pending, summary, chunk_embedded)
        self._break_supersedes_cycles(summary)
        if recut and not stale:
            self._record_passage_words(sizes)  # no document is left cut the other way
        stats = self.store.stats()
        summary.passages_total, summary.documents_total = stats.passages, stats.documents
        summary.seconds = time.perf_counter() - started
        return summary

    def commit_staged(self, staged: list[Staged], times: StageTimes) -> None:
        """Commit documents processed and embedded elsewhere (a Ray ingest's shards) in one
        atomic batch, through the same path as a plain ingest."""
        with times.stage("write"):
            self._commit(staged, times=times)

    def finish(self, summary: IngestSummary, passage_words: str | None = None) -> None:
        """After documents committed by ``commit_staged``: break supersedes cycles, record
        the passage sizes when every document now uses them, and count the index."""
        self._break_supersedes_cycles(summary)
        if passage_words:
            self._record_passage_words(passage_words)
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

    def _record_passage_words(self, sizes: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (PASSAGE_WORDS, sizes)
            )

    def _ingest_one(
        self,
        path: Path,
        meta: DocMeta,
        source: str | None,
        known: dict[str, tuple[str, DocMeta]],
        copies: SameBytes,
        pending: list[Staged],
        summary: IngestSummary,
    ) -> str:
        name = source or path.name
        times = summary.times
        with times.stage("parse"):
            document_id = document_id_for(path)
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                summary.failed.append((name, f"cannot read the file: {exc.strerror}"))
                return "failed"
        previous = known.get(document_id)
        if previous is not None and previous == (digest, meta):
            summary.unchanged.append(name)
            return "unchanged"
        copy = copies.find(digest, meta) if previous is None else None
        if copy is not None:
            held_by = copy.source or self.store.get_document(copy.document_id).source
            summary.duplicates.append((name, copy.document_id, held_by))
            return "duplicate"
        try:
            document = process_file(path, meta, self.limits, times)
        except IngestError as exc:
            summary.failed.append((name, exc.reason))
            return "failed"
        document.source = name
        with times.stage("chunk"):
            spans = [[(s.start, s.end) for s in split_sentences(p.text)] for p in document.passages]
        summary.sentences_added += sum(len(ss) for ss in spans)
        # vectors come in _flush, in one model call for all the staged documents
        pending.append(Staged(document, np.zeros((0, 0), dtype=np.float32), meta, spans))
        summary.passages_added += len(document.passages)
        if previous is None:
            summary.added.append(name)
            status = "added"
        else:
            summary.updated.append(name)
            status = "updated"
        known[document_id] = (digest, meta)
        copies.add(digest, document_id, meta, name)
        return status

    def _flush(
        self,
        pending: list[Staged],
        summary: IngestSummary,
        on_chunk: Callable[[int], None] | None = None,
    ) -> None:
        """Embed the staged documents' passages and sentences, then commit them;
        ``on_chunk`` hears how many passages each chunk of the model's work embedded."""
        passages = [p for staged in pending for p in staged.document.passages]
        spans = [s for staged in pending for s in staged.sentences]
        got = BatchEmbedder(self.embedder, self.store, summary.times).embed(
            passages, spans, on_chunk
        )
        summary.embedded += got.fresh_passages
        summary.sentences_embedded += got.fresh_sentences
        row = 0
        for staged in pending:
            count = len(staged.document.passages)
            staged.vectors = got.passages[row : row + count]
            staged.sentence_vectors = got.sentences[row : row + count]
            row += count
        with summary.times.stage("write"):
            self._commit(pending, times=summary.times)

    def _embed_hash(self, text: str) -> str:
        return embed_hash(self.embedder.name, text)

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
        new_rows: list[LexicalRow] = []
        new_vectors: list[np.ndarray] = []
        with self.store.transaction() as conn:
            old_ids = self._delete_documents(doomed)
            for staged in documents:
                new_rows.extend(self._insert_document(staged, now))
                new_vectors.append(staged.vectors)
            new_ids = [row[0] for row in new_rows]
            dense_name = dense_file_name(generation)
            with times.stage("faiss"):
                self.dense.remove(np.array(old_ids, dtype=np.int64))
                if new_ids:
                    self.dense.add(np.array(new_ids, dtype=np.int64), np.vstack(new_vectors))
                # exact search while small, then IVF-SQ8, then IVF-PQ on disk
                self.dense = self.dense.resized(ondisk_min=self.limits.dense_ondisk_min)
                self.dense.save(self.index_dir / dense_name)
            # tantivy, like the FAISS file, is written before the transaction that names it.
            self.lexical.begin(generation - 1, generation)
            self.lexical.apply(old_ids, new_rows)
            self.lexical.commit()
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?), "
                "('dense_file', ?)",
                (str(generation), dense_name),
            )
        self.lexical.done(generation)
        self._remove_stale_files()

    def _delete_documents(self, document_ids: Sequence[str]) -> list[int]:
        db = self.store.conn
        old: list[int] = []
        for document_id in document_ids:
            rows = db.execute(
                "SELECT p.id, p.heading, p.text FROM passages p "
                "JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE d.document_id = ?",
                (document_id,),
            ).fetchall()
            ids = [int(r[0]) for r in rows]
            old.extend(ids)
            counts = _word_counts((json.loads(r[1]), r[2]) for r in rows)
            db.executemany(
                "UPDATE vocabulary SET df = df - ? WHERE term = ?",
                [(n, term) for term, n in counts.items()],
            )
            db.execute("DELETE FROM vocabulary WHERE df <= 0")
            db.executemany("DELETE FROM passages_fts WHERE rowid = ?", [(i,) for i in ids])
            db.execute("DELETE FROM documents WHERE document_id = ?", (document_id,))
        return old

    def _insert_document(self, staged: Staged, now: str) -> list[LexicalRow]:
        """Insert one document; returns its passages as the lexical indexes read them."""
        db = self.store.conn
        document, vectors = staged.document, staged.vectors
        m = document.meta
        cursor = db.execute(
            "INSERT INTO documents(document_id, source, path, content_hash, title, council, "
            "committee, meeting_date, doc_type, source_url, supersedes, text, page_starts, "
            "given_meta, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document.document_id,
                document.source,
                document.path,
                document.content_hash,
                m.title,
                m.council,
                m.committee,
                m.meeting_date,
                m.doc_type,
                m.source_url,
                m.supersedes,
                document.text,
                json.dumps(document.page_starts) if document.page_starts else None,
                json.dumps(asdict(staged.given)),
                now,
            ),
        )
        doc_rowid = cursor.lastrowid
        context = lexical_context(m)
        rows: list[LexicalRow] = []
        sentences = staged.sentences or [[] for _ in document.passages]
        sentence_vectors = staged.sentence_vectors or [
            np.zeros((0, vectors.shape[1]), dtype=np.float32) for _ in document.passages
        ]
        rowid_of: dict[str, int] = {}
        for passage, vector, spans, svecs in zip(
            document.passages, vectors, sentences, sentence_vectors, strict=True
        ):
            text = embed_text(passage)
            cur = db.execute(
                "INSERT INTO passages(passage_id, doc_rowid, ordinal, char_start, char_end, "
                "page, heading, text, embed_hash, embedding, is_table) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    passage.passage_id,
                    doc_rowid,
                    passage.ordinal,
                    passage.char_start,
                    passage.char_end,
                    passage.page,
                    json.dumps(list(passage.heading_path)),
                    passage.text,
                    self._embed_hash(text),
                    np.asarray(vector, dtype=np.float32).tobytes(),
                    int(passage.is_table),
                ),
            )
            rowid = int(cur.lastrowid or 0)
            row = (rowid, " ".join(passage.heading_path), passage.text, context)
            db.execute(
                "INSERT INTO passages_fts(rowid, heading, body, context) VALUES (?, ?, ?, ?)", row
            )
            db.executemany(
                "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (rowid, a, b, self._embed_hash(passage.text[a:b]), blob)
                    for (a, b), blob in zip(
                        spans, sentence_codec.encode(svecs, self.limits.sentence_codec), strict=True
                    )
                ],
            )
            rows.append(row)
            rowid_of[passage.passage_id] = rowid
        db.executemany(INSERT_DECISION, decision_rows(document.decisions, rowid_of))
        db.executemany(INSERT_COMMITMENT, commitment_rows(document.commitments, rowid_of))
        counts = _word_counts((p.heading_path, p.text) for p in document.passages)
        db.executemany(
            "INSERT INTO vocabulary(term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            list(counts.items()),
        )
        return rows

    # --- remove ---------------------------------------------------------------------

    def remove(self, document_id: str) -> str:
        """Delete a document and its passages; returns its source file name."""
        record = self.store.get_document(document_id)  # raises DocumentNotFoundError
        self._commit([], remove=[document_id])
        return record.source
