"""One ingest run, top to bottom: discover -> load -> cut -> embed -> commit.

1. **discover**: the papers under the given paths, with their manifests' metadata
   (``ingest.pipeline.discover``, ``ingest.manifest.with_council``);
2. for each file, in sorted order: **skip** it when the index holds its bytes and metadata
   unchanged, or when another document holds its bytes (``indexing.duplicates``); else
   **load** it, structure it and **cut** it into passages (``ingest.pipeline.process_file``),
   and split each passage into sentences;
3. every ``commit_every`` documents: **embed** their passages and sentences in one batch,
   reusing the vectors the index already holds (``indexing.embed_batch``), then **commit**
   them through the writer: one atomic write to the store and every index
   (``indexing.writer``);
4. at the end: break supersedes cycles, record the passage sizes, count the index.

When the ingest rules (``ingest.pipeline.INGEST_VERSION``) or the passage sizes changed
since the index was written, every document counts as changed and is cut again as its
file is ingested (``indexing.cut_rules``; the summary's ``recut`` says why); the new rules
are recorded at once, and the documents whose files this run was not given stay listed as
cut the old way (the summary's ``old_cuts``), for a later run to re-cut.  The Ray engine
(``indexing.ray_ingest``) runs steps 2-3 on a cluster and commits through the same writer.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cqa_core.errors import IngestError
from cqa_core.text import split_sentences
from index.embedder import Embedder
from index.store import DB_NAME
from indexing.cut_rules import PASSAGE_WORDS, begin
from indexing.duplicates import SameBytes
from indexing.embed_batch import BatchEmbedder
from indexing.models import IngestSummary, Progress, Staged
from ingest.manifest import with_council
from ingest.models import DocMeta
from ingest.pipeline import IngestLimits, discover, document_id_for, process_file

if TYPE_CHECKING:
    from indexing.writer import IndexWriter

__all__ = ["PASSAGE_WORDS", "IngestRun", "build_if_missing", "ingest", "ingest_files"]


def build_if_missing(
    index_dir: Path,
    corpus: Path,
    embedder: Embedder,
    limits: IngestLimits,
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestSummary | None:
    """Build an index from ``corpus`` if ``index_dir`` has none yet (returns what it did)."""
    from indexing.writer import IndexWriter  # the writer drives this module

    if (index_dir / DB_NAME).exists():
        return None
    writer = IndexWriter(index_dir, embedder, limits)
    with writer.open():
        return ingest(writer, [corpus], on_progress)


def ingest(
    writer: IndexWriter,
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
    summary = ingest_files(writer, [(path, meta, None) for path, meta in files], on_progress)
    summary.warnings[:0] = warnings
    summary.skipped = skipped
    return summary


def ingest_files(
    writer: IndexWriter,
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
    return IngestRun(writer, len(files), on_progress, duplicates_by_bytes).run(files)


class IngestRun:
    """The state of one run: what the index holds, what is staged, what has been done."""

    def __init__(
        self,
        writer: IndexWriter,
        total: int,
        on_progress: Callable[[Progress], None] | None,
        duplicates_by_bytes: bool,
    ) -> None:
        self.writer = writer
        self.store = writer.store
        self.total = total
        self.on_progress = on_progress
        self.summary = IngestSummary()
        self.known = self.store.content_hashes()
        self.copies = SameBytes(self.known, bytes_only=duplicates_by_bytes)
        self.pending: list[Staged] = []
        self.done = 0  # files read
        self.embedded = 0  # passages with their vectors

    def run(self, files: Sequence[tuple[Path, DocMeta, str | None]]) -> IngestSummary:
        """Read, embed and commit the files (see the module notes)."""
        started = time.perf_counter()
        summary = self.summary
        recut = begin(self.store, self.writer.limits)
        summary.recut = recut.reason
        for doc in recut.stale:  # cut with other rules or passage sizes: changed
            self.known[doc] = ("", self.known[doc][1])
        for path, meta, source in files:
            self.done += 1
            self.report(source or path.name, self.read(path, meta, source))
            if len(self.pending) >= self.writer.commit_every:
                self.embed_and_commit()
        if self.pending:
            self.embed_and_commit()
        self.writer.finish(summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def report(self, source: str, status: str) -> None:
        """Tell the caller's progress callback where the run is."""
        if self.on_progress:
            self.on_progress(
                Progress(
                    self.done,
                    self.total,
                    source,
                    status,
                    self.summary.passages_added,
                    self.embedded,
                )
            )

    def read(self, path: Path, meta: DocMeta, source: str | None) -> str:
        """Skip, or load and cut one file into ``pending``; returns its status."""
        summary, times = self.summary, self.summary.times
        name = source or path.name
        with times.stage("parse"):
            document_id = document_id_for(path)
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                summary.failed.append((name, f"cannot read the file: {exc.strerror}"))
                return "failed"
        previous = self.known.get(document_id)
        if previous is not None and previous == (digest, meta):
            summary.unchanged.append(name)
            return "unchanged"
        copy = self.copies.find(digest, meta) if previous is None else None
        if copy is not None:
            held_by = copy.source or self.store.get_document(copy.document_id).source
            summary.duplicates.append((name, copy.document_id, held_by))
            return "duplicate"
        try:
            document = process_file(path, meta, self.writer.limits, times)
        except IngestError as exc:
            summary.failed.append((name, exc.reason))
            return "failed"
        document.source = name
        with times.stage("chunk"):
            spans = [[(s.start, s.end) for s in split_sentences(p.text)] for p in document.passages]
        summary.sentences_added += sum(len(ss) for ss in spans)
        # vectors come in embed_and_commit, in one model call for all the staged documents
        self.pending.append(Staged(document, np.zeros((0, 0), dtype=np.float32), meta, spans))
        summary.passages_added += len(document.passages)
        if previous is None:
            summary.added.append(name)
            status = "added"
        else:
            summary.updated.append(name)
            status = "updated"
        self.known[document_id] = (digest, meta)
        self.copies.add(digest, document_id, meta, name)
        return status

    def embed_and_commit(self) -> None:
        """Embed the staged documents' passages and sentences, then commit them."""
        pending, summary = self.pending, self.summary
        self.pending = []
        passages = [p for staged in pending for p in staged.document.passages]
        spans = [s for staged in pending for s in staged.sentences]
        got = BatchEmbedder(self.writer.embedder, self.store, summary.times).embed(
            passages, spans, self._chunk_embedded
        )
        summary.embedded += got.fresh_passages
        summary.sentences_embedded += got.fresh_sentences
        row = 0
        for staged in pending:
            count = len(staged.document.passages)
            staged.vectors = got.passages[row : row + count]
            staged.sentence_vectors = got.sentences[row : row + count]
            row += count
        self.writer.commit_staged(pending, summary.times)

    def _chunk_embedded(self, count: int) -> None:
        self.embedded += count
        self.report("", "embedded")
