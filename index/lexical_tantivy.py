"""Lexical search for large corpora: a tantivy index beside the store.

FTS5's ``bm25()`` scores every passage holding any word of the question; most passages hold
one of them, so at 70k passages a question took 75 ms here.  tantivy (Rust, BM25 with
block-max WAND) skips passages that cannot reach the top k and takes about 1 ms
(docs/performance.md).  It reads the same three columns as ``passages_fts`` with the same
weights, stemmed (Snowball English) and accent-folded.

The store stays the source of truth: ``passages_fts`` holds the same text, and this index
is rebuilt from it whenever it does not match the last commit.  A state file records which
store generations the index reflects: ``"G G"`` when it matches generation G, ``"G H"``
while the writer moves it from G to H.  The engine searches it only when it matches the
store's generation exactly, and otherwise searches FTS5, so a crash mid-commit costs speed
until the next ingest, never an answer.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cqa_core.text import query_terms
from index.base import Query
from index.lexical import WEIGHTS
from index.store import Filters, Store

FOLDER = "lexical"
STATE = "lexical.state"
_ANALYZER = "cqa_english"
_FIELDS = ("heading", "body", "context")
# A filter is first applied to an over-fetched top list (k / share, with a margin) when that
# list is at most this long; a narrower filter, or one whose list held too few passing
# passages, is given to tantivy as the set of passing ids. At 100k passages and a filter
# passing 12%, the over-fetch took 2-6 ms where the id set took 17-47 ms (building the set
# of ~12k ids and intersecting with it); a top list of 4,000 costs about 5 ms.
_POST_FILTER_MAX_FETCH = 4000
_WRITER_HEAP = 64 * 1024 * 1024


def _tantivy() -> Any:
    try:
        import tantivy
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("tantivy is missing: pip install tantivy") from exc
    return tantivy


def _schema() -> Any:
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    for name in _FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name=_ANALYZER)
    return builder.build()


def _open_index(folder: Path, create: bool) -> Any:
    tantivy = _tantivy()
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_schema(), path=str(folder), reuse=True)
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    index.register_tokenizer(_ANALYZER, analyzer)
    return index


def read_state(index_dir: Path) -> tuple[int, int] | None:
    """The generations the tantivy index reflects (see the module notes), if recorded."""
    try:
        start, end = (int(x) for x in (index_dir / STATE).read_text().split())
    except (OSError, ValueError):
        return None
    return start, end


def write_state(index_dir: Path, start: int, end: int) -> None:
    """Record the generations the index reflects, atomically."""
    path = index_dir / STATE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{start} {end}\n")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _phrase(term: str) -> str:
    """A term or phrase as a quoted tantivy query, so nothing in it is syntax."""
    return '"' + term.replace("\\", " ").replace('"', " ") + '"'


class TantivyIndex:
    """BM25 search over the tantivy index of an index folder (a reader)."""

    def __init__(self, index_dir: Path, store: Store) -> None:
        self.index_dir = index_dir
        self.store = store
        self._index = _open_index(index_dir / FOLDER, create=False)
        self._lock = threading.Lock()
        self._searcher = self._index.searcher()

    @classmethod
    def open(cls, index_dir: Path, store: Store) -> TantivyIndex | None:
        """The folder's tantivy index, or None if it has none (an older index)."""
        if not (index_dir / FOLDER / "meta.json").exists():
            return None
        try:
            return cls(index_dir, store)
        except (ImportError, ValueError, OSError):
            return None

    def usable(self, generation: int) -> bool:
        """Whether the index matches the store's ``generation`` exactly."""
        return read_state(self.index_dir) == (generation, generation)

    def reload(self) -> None:
        """See the last commit."""
        with self._lock:
            self._index.reload()
            self._searcher = self._index.searcher()

    def count(self) -> int:
        """How many passages are indexed."""
        return int(self._searcher.num_docs)

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Best BM25 matches among passages passing ``filters`` (higher score is better)."""
        tantivy = _tantivy()
        terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
        if not terms or k <= 0:
            return []
        text = " OR ".join(_phrase(t) for t in terms)
        boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
        parsed = self._index.parse_query(text, list(_FIELDS), field_boosts=boosts)
        searcher = self._searcher
        total = max(int(searcher.num_docs), 1)
        allowed = self.store.allowed(filters) if filters is not None else None
        if allowed is not None and allowed.count == 0:
            return []
        if allowed is None or allowed.count >= total:
            return self._top(searcher, parsed, k)
        fetch = min(total, math.ceil(k * total / allowed.count * 1.5) + 10)
        if fetch <= _POST_FILTER_MAX_FETCH:
            found = self._top(searcher, parsed, fetch)
            passing = allowed.members(np.array([rowid for rowid, _ in found], dtype=np.int64))
            kept = [hit for hit, ok in zip(found, passing, strict=True) if ok]
            if len(kept) >= k or len(found) < fetch:  # enough, or every match was seen
                return kept[:k]
        among = tantivy.Query.term_set_query(
            self._index.schema, "rowid", [int(i) for i in allowed.ids()]
        )
        narrowed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, among)]
        )
        return self._top(searcher, narrowed, k)

    def _top(self, searcher: Any, query: Any, k: int) -> list[tuple[int, float]]:
        hits = searcher.search(query, k, count=False).hits
        rowids = searcher.fast_field_values("rowid", [address for _score, address in hits])
        return [
            (int(rowid), float(score))
            for (score, _address), rowid in zip(hits, rowids, strict=True)
            if rowid is not None
        ]


class TantivyWriter:
    """Keeps an index folder's tantivy index in step with the store's commits."""

    def __init__(self, index_dir: Path, store: Store) -> None:
        self.index_dir = index_dir
        self.store = store
        self._index = _open_index(index_dir / FOLDER, create=True)
        self._writer: Any = None

    def _writer_(self) -> Any:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        return self._writer

    def ensure_current(self) -> bool:
        """Rebuild from the store unless the index matches its generation; True if rebuilt."""
        generation = self.store.generation()
        if read_state(self.index_dir) == (generation, generation):
            return False
        self.rebuild()
        return True

    def rebuild(self) -> None:
        """Index every passage of the store afresh (after a crash, or for an older index)."""
        generation = self.store.generation()
        write_state(self.index_dir, -1, generation)
        writer = self._writer_()
        writer.delete_all_documents()
        with self.store.lock:
            rows = self.store.conn.execute("SELECT rowid, heading, body, context FROM passages_fts")
            for rowid, heading, body, context in rows:
                self._add(writer, int(rowid), heading or "", body or "", context or "")
        writer.commit()
        write_state(self.index_dir, generation, generation)

    def begin(self, start: int, end: int) -> None:
        """Say that the index is moving from generation ``start`` to ``end``."""
        write_state(self.index_dir, start, end)

    def apply(self, removed: Sequence[int], added: Sequence[tuple[int, str, str, str]]) -> None:
        """Stage removals (by row id) and additions ``(rowid, heading, body, context)``."""
        writer = self._writer_()
        for rowid in removed:
            writer.delete_documents_by_term("rowid", int(rowid))
        for rowid, heading, body, context in added:
            self._add(writer, rowid, heading, body, context)

    def commit(self) -> None:
        """Make the staged changes durable (before the store's transaction commits)."""
        self._writer_().commit()

    def done(self, generation: int) -> None:
        """Say that the index matches ``generation`` (after the store committed it)."""
        write_state(self.index_dir, generation, generation)

    def close(self) -> None:
        """Let background merges finish and release the tantivy writer lock."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    @staticmethod
    def _add(writer: Any, rowid: int, heading: str, body: str, context: str) -> None:
        tantivy = _tantivy()
        writer.add_document(
            tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
        )
