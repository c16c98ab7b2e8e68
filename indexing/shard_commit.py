"""Before and after a distributed ingest: which files need work, and folding shards into the index.

``plan`` does on the driver what the plain ingest does before it parses a file: it finds
the papers, skips those whose bytes and metadata the index already holds (incremental by
content hash) and new files whose bytes it holds (duplicates), and groups the rest into
shards.  The groups are cut from the full sorted list of papers, so committing one shard
never changes which files another holds, and a resumed run finds its finished shards under
the same names.

``commit`` reads the shards and hands their documents to the writer's own commit, one
shard per commit: the same crash-safe path as a plain ingest (a crash leaves the last
commit whole), so a shard is either in the index or still waiting on disk.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexing.cut_rules import begin
from indexing.duplicates import SameBytes
from indexing.models import IngestSummary, Staged
from indexing.shards import ShardFile, read_shard, shard_key, shard_path
from indexing.writer import IndexWriter
from ingest.manifest import with_council
from ingest.pipeline import discover, document_id_for

# Papers per shard: a shard is one commit, like a plain ingest's commit batch; at ~20
# passages a paper a shard is ~600 passages, a few MB of Parquet.
SHARD_FILES = 32


@dataclass
class PlannedShard:
    """A group of papers to process, and the name its output is stored under."""

    key: str
    files: list[ShardFile]


@dataclass
class Plan:
    """What a distributed ingest has to do."""

    shards: list[PlannedShard] = field(default_factory=list)
    summary: IngestSummary = field(default_factory=IngestSummary)

    @property
    def files(self) -> int:
        """Papers to process."""
        return sum(len(s.files) for s in self.shards)


def plan(
    writer: IndexWriter,
    paths: Sequence[Path],
    council: str | None = None,
    shard_files: int = SHARD_FILES,
) -> Plan:
    """The shards of papers under ``paths`` that are new or changed (and the summary so far)."""
    out = Plan()
    summary = out.summary
    skipped: list[tuple[str, str]] = []
    found, warnings = discover(paths, skipped)
    found, council_warnings = with_council(found, council)
    summary.warnings.extend(warnings + council_warnings)
    summary.skipped = skipped
    store, limits = writer.store, writer.limits
    known = store.content_hashes()
    copies = SameBytes(known)
    recut = begin(store, limits)
    summary.recut = recut.reason
    for doc in recut.stale:  # cut again, as the plain ingest does (indexing.cut_rules)
        known[doc] = ("", known[doc][1])
    for start in range(0, len(found), shard_files):
        group: list[ShardFile] = []
        for path, meta in found[start : start + shard_files]:
            name = path.name
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                summary.failed.append((name, f"cannot read the file: {exc.strerror}"))
                continue
            document_id = document_id_for(path)
            previous = known.get(document_id)
            if previous is not None and previous == (digest, meta):
                summary.unchanged.append(name)
                continue
            copy = copies.find(digest, meta) if previous is None else None
            if copy is not None:
                held_by = copy.source or store.get_document(copy.document_id).source
                summary.duplicates.append((name, copy.document_id, held_by))
                continue
            copies.add(digest, document_id, meta, name)
            status = "added" if previous is None else "updated"
            # absolute: the Ray workers need not share the driver's working folder
            group.append(ShardFile(str(path.absolute()), digest, meta, name, status))
        if group:
            key = shard_key(writer.embedder.name, limits, group)
            out.shards.append(PlannedShard(key, group))
    return out


def commit(
    writer: IndexWriter,
    work: Plan,
    folder: Path,
    on_shard: Callable[[PlannedShard], None] | None = None,
) -> IngestSummary:
    """Fold the finished shards into the index, one commit each, and delete each once
    committed; returns the run's summary."""
    started = time.perf_counter()
    summary = work.summary
    for shard in work.shards:
        path = shard_path(folder, shard.key)
        staged: list[Staged] = []
        with summary.times.stage("lookup"):  # the shards are the vectors' source here
            records = read_shard(path)
        for record, planned in zip(records, shard.files, strict=True):
            if record.document is None:
                summary.failed.append((record.source, record.error or "could not be processed"))
                continue
            document = record.document
            document.source = record.source
            staged.append(
                Staged(
                    document, record.vectors, planned.meta, record.spans, record.sentence_vectors
                )
            )
            (summary.added if record.status == "added" else summary.updated).append(record.source)
            summary.passages_added += len(document.passages)
            summary.sentences_added += sum(len(s) for s in record.spans)
            summary.embedded += len(document.passages)
            summary.sentences_embedded += sum(len(s) for s in record.spans)
        if staged:
            writer.commit_staged(staged, summary.times)
        path.unlink(missing_ok=True)  # committed: a rerun finds these files unchanged
        if on_shard:
            on_shard(shard)
    writer.finish(summary)
    summary.seconds += time.perf_counter() - started
    return summary
