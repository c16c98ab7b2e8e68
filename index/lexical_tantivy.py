"""Lexical search: BM25 from a tantivy index beside the store, the only keyword index.

Each passage is indexed as three fields, weighted ``WEIGHTS``: its heading path, its body,
and its document's facts (``lexical_context``: council, committee, title, type, date),
stemmed (Snowball English) and accent-folded; and its document's meeting date as an
integer field, so that a date range is a range query inside the search rather than a set
of passing ids (``index.lexical_rows``).  tantivy (Rust) takes about 1 ms a question at
70k passages, where SQLite FTS5's ``bm25()``, served here before, took 75 ms
(docs/performance.md).  Like FTS5 it scores every passage holding any word of the
question: tantivy-py's ``Searcher.search`` wraps its top-k collector in a
``MultiCollector``, which tantivy collects without block-max WAND, so a search's time
follows the length of its words' posting lists, whatever k (docs/performance.md, "/api/ask
at 10M, stop 19").

The store stays the source of truth: this index is rebuilt from its passages and documents
tables whenever it does not match the last commit.  A state file records which store
generations the index reflects: ``"G G"`` when it matches generation G, ``"G H"`` while the
writer moves it from G to H, ``"-1 G"`` during a rebuild.  ``load`` rebuilds an index that
does not match, under the folder's write lock: a writer always, a reader when the lock is
free (a writer crashed); while a writer holds it, a reader searches the index's last
commit (tantivy commits are atomic), and looks again before each question until the state
matches.

An index whose tantivy schema is not today's (one written before the date field) is out
of date whatever its state says (``index.lexical_folder``): it is rebuilt with a warning,
beside itself, and renamed into place, so that until then readers search it with its own
schema, filtering dates outside tantivy as before.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cqa_core.errors import IndexBusyError, IndexUnwritableError
from cqa_core.text import query_terms
from index.base import Batch, LexicalText, Query
from index.filters import Allowed, Filters
from index.lexical_folder import (
    _FIELDS,
    FOLDER,
    STATE,
    _current,
    _open_index,
    _open_readable,
    _open_writable,
    _replace_folder,
    _schema,
    _tantivy,
    analyzer,
    read_state,
    write_state,
)
from index.lexical_rows import (  # the writer, benches and tests import these from here
    DATE_FIELD,
    date_number,
    date_only,
    lexical_context,
    store_dates,
    store_rows,
    store_texts,
)
from index.lock import write_lock

if TYPE_CHECKING:
    from index.store import Store

__all__ = [
    "DATE_FIELD",
    "FOLDER",
    "STATE",
    "TantivyIndex",
    "date_number",
    "date_only",
    "lexical_context",
    "read_state",
    "store_dates",
    "store_rows",
    "store_texts",
    "write_state",
]

# Field weights for BM25: heading, body, context (title, committee, council, date).
WEIGHTS = (2.0, 1.0, 0.5)
# A date-only filter is searched as (question AND date range) for this many hits times k
# (plus 10): the range holds every passing passage, and the rest of the filter (superseded
# documents) removes few of them; too few left, and the set of passing ids decides.
_DATE_FETCH = 1.5
# ... unless it passes so many passages that an over-fetched top list of at most this many
# hits (a share of about half or more) is likely to hold k of them: that list comes from
# the question's terms alone, pruned by block-max WAND, where (question AND range) scores
# every match in the range.  At 3M passages a range passing 90% took 73 ms p50 as a range
# query against 34 ms over-fetched (docs/performance.md, "Date ranges inside tantivy").
_DATE_OVER_FETCH = 200
# A filter is first applied to an over-fetched top list (k / share, with a margin) when that
# list is at most this long; a narrower filter, or one whose list held too few passing
# passages, is given to tantivy as the set of passing ids. At 100k passages and a filter
# passing 12%, the over-fetch took 2-6 ms where the id set took 17-47 ms (building the set
# of ~12k ids and intersecting with it); a top list of 4,000 costs about 5 ms.
_POST_FILTER_MAX_FETCH = 4000
# How a multiword term is searched.  A phrase clause reads positions for every passage
# holding its words (and was thought to stop block-max WAND, which tantivy-py never runs:
# see the module notes).  So ("rescore") the best RESCORE_FETCH * k passages by the
# question's words alone are scored with the phrases, and the best k kept.  At 10M passages
# this cut the lexical p95 from 520 to 232 ms (p50 72 -> 74 ms), and changed no figure of
# the three dev sets; searching the words alone (184 ms) lost one question on two of them
# (docs/performance.md, "Lexical search at 10M").  The other levers measured on this search,
# none kept (a first pass over fewer fields or without the commonest words, a forward
# index for the second pass, row-id ranges on threads, an exact MaxScore first pass, a
# document-frequency cut), were removed in stop 23 (docs/performance.md, "Switches
# removed, stop 23").
RESCORE_FETCH = 3
_WORD = re.compile(r"[^\W_]+")
_WRITER_HEAP = 64 * 1024 * 1024  # per writer thread
# A rebuild (every passage of the store at once: a first open, a crash, an index copied or
# folded up from shards) writes with tantivy's multi-threaded writer; a commit's few hundred
# passages keep one thread, so that each commit adds one segment, not one per thread.
# Measured against one index per shard searched in parallel (bench/scale_lexical.py,
# docs/performance.md "tantivy at scale"): the one index searches faster and scores with
# the whole corpus's term statistics, where shards each score with their own.
REBUILD_THREADS = 4


def rescore_fetch(k: int, share: float) -> int:
    """The first pass's k for a multiword question searched for ``k``: ``share`` x k
    rounded up, at least k."""
    return max(k, math.ceil(k * share))


def _phrase(term: str) -> str:
    """A term or phrase as a quoted tantivy query, so nothing in it is syntax."""
    return '"' + term.replace("\\", " ").replace('"', " ") + '"'


def query_text(terms: list[str], phrases: str = "phrase") -> str:
    """The question's terms OR-ed as a tantivy query.  ``phrases``: a multiword term as a
    phrase (``"phrase"``), or as its words OR-ed beside the other terms (``"words"``, each
    word once), so that every clause is a term query: ``search``'s first pass for a
    multiword term (see ``RESCORE_FETCH``)."""
    if phrases == "phrase":
        return " OR ".join(_phrase(t) for t in terms)
    if phrases != "words":
        raise ValueError(f"unknown phrases mode {phrases!r}")
    return " OR ".join(_phrase(w) for w in query_words(terms))


def query_words(terms: list[str]) -> list[str]:
    """The words of ``terms`` as ``query_text``'s ``"words"`` mode ORs them: split as
    tantivy's simple tokenizer splits (on anything not a letter or digit), so that no word
    is itself parsed as a phrase ("covid-19"), lowercased, each once."""
    return list(dict.fromkeys(w.lower() for t in terms for w in _WORD.findall(t)))


class TantivyIndex:
    """BM25 search over the tantivy index of an index folder, with the ``Index`` lifecycle."""

    def __init__(self, index_dir: Path, store: Store, index: Any) -> None:
        self.index_dir = index_dir
        self.store = store
        self._index = index
        self._lock = threading.Lock()
        self._searcher = self._index.searcher()
        self._writer: Any = None
        self._writer_threads = 1
        # False for an index written before the date field (a reader's while a writer
        # rebuilds it, or a writer's about to): dates are then filtered outside tantivy
        self.dated = index.schema == _schema()
        # an ``index.impact.ImpactIndex`` of the same passages (``CQA_IMPACT_INDEX``), set by
        # the engine when it matches the store's generation: unfiltered searches (and the
        # over-fetched top lists of filters) are then taken from it (``_best``)
        self.impact: Any = None
        self._analyzer: Any = None
        # the first pass's share of k for a multiword term, ``RESCORE_FETCH`` when None: a
        # bench's hook (bench/first_pass_k.py), not a setting: 1-2 gained nothing at 1M
        # and changed 2-6% of the answers (docs/performance.md, "The first pass's k, stop 31")
        self.rescore_fetch: float | None = None

    @classmethod
    def load(cls, index_dir: Path, store: Store, writer: bool = False) -> TantivyIndex:
        """The folder's tantivy index, rebuilt from the store if it does not match its
        generation or cannot be read (see the module notes); ``writer``: the caller holds
        the write lock."""
        if writer:
            current = _current(index_dir, store)  # before a missing folder is made
            index = cls(index_dir, store, _open_writable(index_dir))
            if not current or not _current(index_dir, store):
                index.rebuild()
            return index
        opened = _open_readable(index_dir) if _current(index_dir, store) else None
        if opened is None:
            try:
                with write_lock(index_dir):
                    if not _current(index_dir, store) or _open_readable(index_dir) is None:
                        cls.load(index_dir, store, writer=True).close()
            except (IndexBusyError, IndexUnwritableError, OSError):
                pass  # a writer is at work (it leaves the index current), or read-only
            # as rebuilt, else tantivy's last commit, else (a first writer is building it)
            # an empty index until that writer commits
            opened = _open_readable(index_dir) or _open_index(None, create=False)
        return cls(index_dir, store, opened)

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

    def phrase_frequency(self, phrase: str) -> int:
        """How many passages' bodies hold ``phrase``, its words in order (``qa_service.
        trend_phrase``: a question's common phrases)."""
        with self._lock:
            searcher = self._searcher
        found = searcher.search(self._parse(_phrase(phrase), ("body",)), 1, count=True)
        return int(found.count or 0)

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Best BM25 matches among passages passing ``filters`` (higher score is better); a
        question with a multiword term is searched in two passes (see ``RESCORE_FETCH``)."""
        tantivy = _tantivy()
        terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
        if not terms or k <= 0:
            return []
        parsed = self._parse(query_text(terms))
        # with a multiword term, the first pass: the question's words alone
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        words = self._parse(query_text(terms, "words")) if multiword else None
        searcher = self._searcher
        total = max(int(searcher.num_docs), 1)
        allowed = self.store.allowed(filters) if filters is not None else None
        if allowed is not None and allowed.count == 0:
            return []
        if allowed is None or allowed.count >= total:
            return self._best(terms, searcher, parsed, k, words)
        dates = self.dated and filters is not None and date_only(filters)
        fetch = min(total, math.ceil(k * total / allowed.count * 1.5) + 10)
        if fetch <= (_DATE_OVER_FETCH if dates else _POST_FILTER_MAX_FETCH):
            found = self._best(terms, searcher, parsed, fetch, words)
            kept = self._passing(found, allowed)
            if len(kept) >= k or len(found) < fetch:  # enough, or every match was seen
                return kept[:k]
        if dates and filters is not None:
            fetch = math.ceil(k * _DATE_FETCH) + 10
            ranged = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, self._date_range(filters))]
            )
            found = self._hits(searcher, ranged, fetch)
            kept = self._passing(found, allowed)
            if len(kept) >= k or len(found) < fetch:
                return kept[:k]
        # scored 0, so that a hit scores the same whichever way its filter was applied
        among = tantivy.Query.const_score_query(
            tantivy.Query.term_set_query(
                self._index.schema, "rowid", [int(i) for i in allowed.ids()]
            ),
            0.0,
        )
        narrowed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, among)]
        )
        return self._hits(searcher, narrowed, k)

    def _parse(self, text: str, fields: tuple[str, ...] | None = None) -> Any:
        """``text`` parsed over the three fields (or ``fields``), each with its BM25 weight."""
        boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
        searched = list(fields or _FIELDS)
        return self._index.parse_query(
            text, searched, field_boosts={f: boosts[f] for f in searched}
        )

    def _date_range(self, filters: Filters) -> Any:
        """The filters' date bounds as a range query on ``DATE_FIELD``, scored 0 (a filter
        adds nothing to BM25)."""
        tantivy = _tantivy()
        ranged = tantivy.Query.range_query(
            self._index.schema,
            DATE_FIELD,
            tantivy.FieldType.Integer,
            date_number(filters.date_from),
            date_number(filters.date_to),
        )
        return tantivy.Query.const_score_query(ranged, 0.0)

    @staticmethod
    def _passing(found: list[tuple[int, float]], allowed: Allowed) -> list[tuple[int, float]]:
        passing = allowed.members(np.array([rowid for rowid, _ in found], dtype=np.int64))
        return [hit for hit, ok in zip(found, passing, strict=True) if ok]

    def _best(
        self, terms: list[str], searcher: Any, query: Any, k: int, words: Any
    ) -> list[tuple[int, float]]:
        """``_top``'s hits, from the impact index when one is set and holds every clause
        (the same scores and ranking: docs/performance.md, stop 25), else from tantivy."""
        if self.impact is not None:
            if self._analyzer is None:
                self._analyzer = analyzer()
            found = self.impact.search(terms, self._analyzer, k, self._fetch(k))
            if found is not None:
                return list(found)
        return self._top(searcher, query, k, words)

    def _fetch(self, k: int) -> int:
        """How many passages a multiword question's first pass takes for ``k``."""
        return rescore_fetch(k, RESCORE_FETCH if self.rescore_fetch is None else self.rescore_fetch)

    def _top(self, searcher: Any, query: Any, k: int, words: Any = None) -> list[tuple[int, float]]:
        """The best ``k`` matches of ``query``; with ``words`` (the OR of its words alone),
        those among the best ``RESCORE_FETCH * k`` of ``words``, scored by ``query``."""
        if words is None:
            return self._hits(searcher, query, k)
        fetch = self._fetch(k)
        wide = self._hits(searcher, words, fetch)
        found = self._among(searcher, query, [i for i, _ in wide], k)
        if len(found) < k and len(wide) == fetch:
            return self._hits(searcher, query, k)  # too few of them match as phrases
        return found

    def _among(
        self, searcher: Any, query: Any, rowids: list[int], k: int
    ) -> list[tuple[int, float]]:
        """The best ``k`` hits of ``query`` among the passages ``rowids`` (the set scored 0,
        so each hit's score is ``query``'s)."""
        tantivy = _tantivy()
        among = tantivy.Query.const_score_query(
            tantivy.Query.term_set_query(self._index.schema, "rowid", rowids), 0.0
        )
        both = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.Must, among)]
        )
        return self._hits(searcher, both, k)

    @staticmethod
    def _hits(searcher: Any, query: Any, k: int) -> list[tuple[int, float]]:
        """The best ``k`` matches as (row id, score)."""
        hits = searcher.search(query, k, count=False).hits
        rowids = searcher.fast_field_values("rowid", [address for _score, address in hits])
        found = [
            (int(rowid), float(score))
            for (score, _address), rowid in zip(hits, rowids, strict=True)
            if rowid is not None
        ]
        # Equal scores come in the order of tantivy's segments, which a multi-threaded
        # rebuild fills in no fixed order: break ties by row id, so rankings repeat.
        return sorted(found, key=lambda hit: (-hit[1], hit[0]))

    # --- the writer's side ------------------------------------------------------------

    def _writer_(self, threads: int = 1) -> Any:
        """The index's writer, on ``threads`` threads (an open writer with another number of
        threads is first closed: tantivy allows one writer an index)."""
        if self._writer is not None and self._writer_threads != threads:
            self._writer.wait_merging_threads()
            self._writer = None
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP * threads, num_threads=threads)
            self._writer_threads = threads
        return self._writer

    def rebuild(self, threads: int | None = None) -> None:
        """Index every passage of the store afresh (after a crash, or a first open), with
        the multi-threaded writer (``threads``: ``rebuild_threads()`` unless given).

        An index of an older schema is rebuilt beside itself (``FOLDER.new``) and replaced
        by a rename once committed, so that readers search it until then.
        """
        generation = self.store.generation()
        threads = threads or rebuild_threads()
        write_state(self.index_dir, -1, generation)
        if self.dated:
            writer = self._writer_(threads)
            writer.delete_all_documents()
            _fill(writer, self.store)
            self._writer = None  # commits after this go through a one-thread writer
        else:
            aside = self.index_dir / (FOLDER + ".new")
            shutil.rmtree(aside, ignore_errors=True)  # a rebuild killed before this one
            fresh = _open_index(aside, create=True)
            _fill(fresh.writer(heap_size=_WRITER_HEAP * threads, num_threads=threads), self.store)
            del fresh
            self.close()
            _replace_folder(self.index_dir, aside)
            self._index = _open_index(self.index_dir / FOLDER, create=False)
            self.dated = True
        write_state(self.index_dir, generation, generation)
        self.reload()

    def add(self, batch: Batch) -> None:
        """Stage the batch's passages (their heading, body and context, and their meeting
        dates, read from the store, which holds them in the writer's open transaction)."""
        writer = self._writer_()
        dates = store_dates(self.store, batch.ids)
        for rowid, text in zip(batch.ids, batch.texts, strict=True):
            self._add(writer, int(rowid), text, dates.get(int(rowid)))

    def remove(self, ids: np.ndarray) -> None:
        """Stage removals by row id."""
        writer = self._writer_()
        for rowid in ids:
            writer.delete_documents_by_term("rowid", int(rowid))

    def save(self, generation: int) -> dict[str, str]:
        """Commit the staged changes, recording that the index is moving to ``generation``
        (before the store's transaction commits it)."""
        write_state(self.index_dir, generation - 1, generation)
        self._writer_().commit()
        return {}

    def committed(self, generation: int) -> None:
        """Record that the index matches ``generation`` (after the store committed it)."""
        if read_state(self.index_dir) != (generation, generation):
            write_state(self.index_dir, generation, generation)

    def close(self) -> None:
        """Let background merges finish and release the tantivy writer lock."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    @staticmethod
    def _add(writer: Any, rowid: int, text: LexicalText, date: int | None) -> None:
        heading, body, context = text
        document = _tantivy().Document(rowid=rowid, heading=heading, body=body, context=context)
        if date is not None:
            document.add_integer(DATE_FIELD, date)
        writer.add_document(document)


def _fill(writer: Any, store: Store) -> None:
    """Add every passage of the store through ``writer``, commit, and let it finish."""
    for rowid, text, date in store_rows(store):
        TantivyIndex._add(writer, rowid, text, date)
    writer.commit()
    writer.wait_merging_threads()


def rebuild_threads() -> int:
    """Threads of a rebuild's writer: ``REBUILD_THREADS``, at most one a core."""
    return max(1, min(REBUILD_THREADS, os.cpu_count() or 1))
