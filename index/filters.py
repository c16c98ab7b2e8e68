"""Filters on the documents a passage may come from, as SQL and as a bitmap of passing ids.

``filter_sql`` turns ``Filters`` into a condition on the documents table; ``FilterStore``
(part of ``Store``) answers "which passages pass these filters" as an ``Allowed`` bitmap
over row ids, which FAISS reads directly and tantivy reads as a set of ids, remembered
until the next commit because every question asks it several times; and how many documents
with no meeting date a date bound leaves out (``undated_documents``), for the note that says so.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from index.sqlite import StoreBase


@dataclass(frozen=True)
class Filters:
    """Metadata conditions on the documents a passage may come from (all optional).

    Text fields match case-insensitively; several values of one field are alternatives.
    A date bound excludes documents with no meeting date.
    """

    council: tuple[str, ...] = ()
    committee: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    include_superseded: bool = False
    document_ids: tuple[str, ...] = ()
    has_decision: bool = False  # only passages holding a resolution or recommendation
    exclude_document_ids: tuple[str, ...] = ()  # e.g. the paper a similar passage came from

    def is_empty(self) -> bool:
        """True when nothing but the default exclusion of superseded documents applies."""
        return not (
            self.council
            or self.committee
            or self.doc_type
            or self.date_from
            or self.date_to
            or self.document_ids
            or self.has_decision
            or self.exclude_document_ids
        )


@dataclass(frozen=True)
class Allowed:
    """The passages passing some filters: a bitmap over row ids (bit i of byte i // 8)."""

    bitmap: np.ndarray  # uint8, little-endian bit order, as faiss.IDSelectorBitmap reads it
    count: int

    def ids(self) -> np.ndarray:
        """The passing row ids, ascending (read-only; worked out once a set: a filtered
        search asks for them on each question, and unpacking a whole bitmap of 10M rows
        took ~15 ms, docs/performance.md, "Filtered asks at 10M, stop 34")."""
        return self._ids

    @cached_property
    def _ids(self) -> np.ndarray:
        if self.count * 32 >= len(self.bitmap) * 8:  # dense: unpack the whole bitmap
            ids = np.flatnonzero(np.unpackbits(self.bitmap, bitorder="little")).astype(np.int64)
        else:  # sparse (a council at 10M: 2-4 ms, not 15-20): only the bytes holding one
            held = np.flatnonzero(self.bitmap)
            bits = np.unpackbits(self.bitmap[held][:, None], axis=1, bitorder="little")
            byte, bit = np.nonzero(bits)  # row-major: ascending
            ids = held[byte].astype(np.int64) * 8 + bit
        ids.setflags(write=False)
        return ids

    def __contains__(self, rowid: object) -> bool:
        if not isinstance(rowid, int | np.integer):
            return False
        byte = int(rowid) >> 3
        return 0 <= byte < len(self.bitmap) and bool(self.bitmap[byte] >> (int(rowid) & 7) & 1)

    def members(self, rowids: np.ndarray) -> np.ndarray:
        """For each row id, whether it passes (a boolean array)."""
        rowids = np.asarray(rowids, dtype=np.int64)
        byte = rowids >> 3
        inside = (byte >= 0) & (byte < len(self.bitmap))
        out = np.zeros(len(rowids), dtype=bool)
        out[inside] = (self.bitmap[byte[inside]] >> (rowids[inside] & 7)) & 1 == 1
        return out

    @classmethod
    def of(cls, ids: np.ndarray) -> Allowed:
        """The set holding exactly ``ids``."""
        mask = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
        mask[ids] = True
        return cls(np.packbits(mask, bitorder="little"), len(ids))


# Filter sets kept per store; each is a bitmap of (largest row id / 8) bytes.
_ALLOWED_CACHE = 64
# Counts of undated documents kept per store (``FilterStore.undated_documents``).
_UNDATED_CACHE = 256
# A document with no meeting date, as a date bound leaves it out ("" >= "2017-01-01" fails)
_UNDATED = "({alias}.meeting_date IS NULL OR {alias}.meeting_date = '')"


def filter_sql(
    filters: Filters | None, alias: str = "d", passage_alias: str = "p"
) -> tuple[str, list[Any]]:
    """SQL condition (on the documents table under ``alias``) and its parameters.

    ``has_decision`` conditions the passage under ``passage_alias``.
    """
    clauses: list[str] = []
    params: list[Any] = []
    f = filters or Filters()

    def any_of(column: str, values: Sequence[str]) -> None:
        marks = ", ".join("?" for _ in values)
        clauses.append(f"lower({alias}.{column}) IN ({marks})")
        params.extend(v.lower() for v in values)

    if f.council:
        any_of("council", f.council)
    if f.committee:
        any_of("committee", f.committee)
    if f.doc_type:
        any_of("doc_type", f.doc_type)
    if f.document_ids:
        marks = ", ".join("?" for _ in f.document_ids)
        clauses.append(f"{alias}.document_id IN ({marks})")
        params.extend(f.document_ids)
    if f.exclude_document_ids:
        marks = ", ".join("?" for _ in f.exclude_document_ids)
        clauses.append(f"{alias}.document_id NOT IN ({marks})")
        params.extend(f.exclude_document_ids)
    if f.date_from:
        clauses.append(f"{alias}.meeting_date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append(f"{alias}.meeting_date <= ?")
        params.append(f.date_to)
    if f.has_decision:
        clauses.append(f"EXISTS (SELECT 1 FROM decisions x WHERE x.passage = {passage_alias}.id)")
    if not f.include_superseded:
        clauses.append(
            f"NOT EXISTS (SELECT 1 FROM documents s WHERE s.supersedes = {alias}.source "
            f"AND s.doc_rowid != {alias}.doc_rowid)"
        )
    return (" AND ".join(clauses) or "1"), params


# Rows of ids read at once by ``_integers``: a few tens of MB of text each.
_INTEGER_SPAN = 2_000_000


def _integers(conn: sqlite3.Connection, sql: str, lo: int, hi: int) -> tuple[np.ndarray, ...]:
    """The integer columns ``sql`` gathers with ``group_concat`` over ids in [lo, hi),
    ``_INTEGER_SPAN`` ids a query (its two ``?``: a span's start and end), in id order.

    SQLite joins the numbers in C and numpy parses them: at 10M passages the passages'
    documents took 2.9 s so, against ~9 s as Python rows (and the decided passages 0.6 s
    against 1.3), most of the engine's start-up (docs/performance.md, "Start-up at 10M,
    stop 34").  Each column must be NOT NULL (``group_concat`` skips a NULL)."""
    parts: list[list[np.ndarray]] = []
    for start in range(lo, hi, _INTEGER_SPAN):
        row = conn.execute(sql, (start, min(hi, start + _INTEGER_SPAN))).fetchone()
        parts.append([np.fromstring(t or "", dtype=np.int64, sep=",") for t in row])
    if not parts:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(sql.count("group_concat")))
    columns = tuple(np.concatenate(c) for c in zip(*parts, strict=True))
    if len({len(c) for c in columns}) > 1:
        raise ValueError(f"columns of unequal length (a NULL?): {sql}")
    return columns


class FilterStore(StoreBase):
    """The passages passing some filters, remembered per generation (part of ``Store``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._allowed: OrderedDict[tuple[int, Filters], Allowed] = OrderedDict()
        # (generation, passage ids, their documents' rowids), for ``_passing``
        self._layout: tuple[int, np.ndarray, np.ndarray] | None = None
        # (generation, documents with no meeting date, those of them superseded, and how many
        # of them pass some filters), for ``undated_documents``
        self._undated: tuple[int, int, int, OrderedDict[Filters, int]] | None = None

    def allowed(self, filters: Filters | None) -> Allowed:
        """The passages passing ``filters``, remembered until the next commit.

        Every question asks this for its filters (often the same ones) several times, and
        at 100k passages the query behind it takes tens of milliseconds.
        """
        key = (self.generation(), filters or Filters())
        with self.lock:
            cached = self._allowed.get(key)
            if cached is not None:
                self._allowed.move_to_end(key)
                return cached
        found = Allowed.of(self._passing(key[1], key[0]))
        with self.lock:
            if any(k[0] != key[0] for k in self._allowed):
                self._allowed.clear()  # another generation's sets are of no further use
            self._allowed[key] = found
            while len(self._allowed) > _ALLOWED_CACHE:
                self._allowed.popitem(last=False)
        return found

    def undated_documents(self, filters: Filters) -> int:
        """How many documents with no meeting date pass ``filters`` but for its date bounds:
        the papers a date bound leaves out for having no date (the note that says so).

        Read from the documents' indexes, never the passages, and remembered until the next
        commit: once a commit, how many documents are undated (the meeting date's index
        alone) and how many of those a revised paper supersedes (from the few that supersede
        one), which answer a date bound alone; other filters count the undated documents
        that pass them (by the date's index or the council's, whichever is narrower).
        """
        generation = self.generation()
        key = replace(filters, date_from=None, date_to=None)
        undated = _UNDATED.format(alias="d")
        with self.lock:
            if self._undated is None or self._undated[0] != generation:
                total = self._count(f"SELECT count(*) FROM documents d WHERE {undated}")
                # from the superseding side (CROSS JOIN keeps it outer): a check of each
                # undated document read every row of them, ~1M at 10M passages
                replaced = (
                    self._count(
                        "SELECT count(DISTINCT d.doc_rowid) FROM documents s CROSS JOIN "
                        "documents d ON d.source = s.supersedes AND d.doc_rowid != s.doc_rowid "
                        f"WHERE s.supersedes IS NOT NULL AND {undated}"
                    )
                    if total
                    else 0
                )
                self._undated = (generation, total, replaced, OrderedDict())
            _, total, replaced, counts = self._undated
            if not total:
                return 0
            if replace(key, include_superseded=False) == Filters():  # a date bound alone
                return total if key.include_superseded else total - replaced
            cached = counts.get(key)
            if cached is not None:
                counts.move_to_end(key)
                return cached
            where, params = filter_sql(replace(key, has_decision=False))
            if key.has_decision:  # a condition on its passages: any of them holding a decision
                where += (
                    " AND EXISTS (SELECT 1 FROM passage_rows r JOIN decisions x "
                    "ON x.passage = r.id WHERE r.doc_rowid = d.doc_rowid)"
                )
            found = self._count(
                f"SELECT count(*) FROM documents d WHERE {undated} AND {where}", params
            )
            counts[key] = found
            while len(counts) > _UNDATED_CACHE:
                counts.popitem(last=False)
            return found

    def _count(self, sql: str, params: Sequence[Any] = ()) -> int:
        (n,) = self.conn.execute(sql, params).fetchone()
        return int(n)

    def snapshot(self, generation: int, sets: Sequence[Filters]) -> dict[str, np.ndarray] | None:
        """The passages' documents and the passages of each of ``sets`` as worked out for
        ``generation``, by name (``index.open_cache``); None unless all of them were."""
        with self.lock:
            layout = self._layout
            found = [self._allowed.get((generation, f)) for f in sets]
        if layout is None or layout[0] != generation:
            return None
        out = {"layout_ids": layout[1], "layout_docs": layout[2]}
        for i, allowed in enumerate(found):
            if allowed is None:
                return None
            out[f"set{i}"] = allowed.ids()
        return out

    def restore(
        self, generation: int, arrays: dict[str, np.ndarray], sets: Sequence[Filters]
    ) -> bool:
        """Take ``snapshot``'s arrays for ``generation`` as worked out; False (and nothing
        taken) if they are not a snapshot of ``sets``."""
        try:
            ids, docs = arrays["layout_ids"], arrays["layout_docs"]
            chosen = [arrays[f"set{i}"] for i in range(len(sets))]
        except KeyError:
            return False
        if len(ids) != len(docs) or any(a.ndim != 1 for a in (ids, docs, *chosen)):
            return False
        found = [Allowed.of(np.asarray(c, dtype=np.int64)) for c in chosen]
        with self.lock:
            self._layout = (generation, np.asarray(ids, np.int64), np.asarray(docs, np.int64))
            if any(k[0] != generation for k in self._allowed):
                self._allowed.clear()
            for filters, allowed in zip(sets, found, strict=True):
                self._allowed[(generation, filters)] = allowed
        return True

    def _passing(self, filters: Filters, generation: int) -> np.ndarray:
        """``allowed_rowids``, by way of the documents when the filters concern only them.

        Filters on documents select among thousands of rows rather than the passages' hundreds
        of thousands; the passages then follow from a map of passage to document, read once
        a commit (about 10 ms instead of 40 at 100k passages).
        """
        if filters.has_decision:  # a condition on the passages themselves
            # the documents' passages, then those holding a decision: a join of every
            # passage to its document and its decisions took 30 s at 10M passages (the
            # engine asks for this set at every open), this ~2 s
            among = self.allowed(replace(filters, has_decision=False)).ids()
            if not len(among):
                return among
            with self.lock:
                (decided,) = _integers(
                    self.conn,
                    "SELECT group_concat(passage) FROM (SELECT DISTINCT passage FROM decisions "
                    "WHERE passage >= ? AND passage < ?)",
                    int(among[0]),
                    int(among[-1]) + 1,
                )
            held = np.zeros(int(among[-1]) + 1, dtype=bool)
            held[decided] = True
            return among[held[among]]
        where, params = filter_sql(filters)
        with self.lock:
            if self._layout is None or self._layout[0] != generation:
                # Read as numbers joined by SQLite, a span of ids at a time: a list of every
                # row as sqlite3.Row objects held ~500 MB at 1M passages (and kept the
                # process that large afterwards), and tuples took ~9 s at 10M.
                lo, hi = self.conn.execute("SELECT min(id), max(id) FROM passages").fetchone()
                ids, docs = _integers(
                    self.conn,
                    "SELECT group_concat(id), group_concat(doc_rowid) FROM passages "
                    "WHERE id >= ? AND id < ?",
                    lo or 0,
                    (hi or -1) + 1,
                )
                self._layout = (generation, ids, docs)
            _, ids, docs = self._layout
            passing = self.conn.execute(
                f"SELECT d.doc_rowid FROM documents d WHERE {where}", params
            ).fetchall()
        chosen = np.fromiter((r[0] for r in passing), dtype=np.int64, count=len(passing))
        if not len(chosen) or not len(ids):
            return np.zeros(0, dtype=np.int64)
        mask = np.zeros(int(max(chosen.max(), docs.max())) + 1, dtype=bool)
        mask[chosen] = True
        return ids[mask[docs]]

    def allowed_rowids(self, filters: Filters | None) -> np.ndarray:
        """Integer ids of every passage whose document passes ``filters``."""
        where, params = filter_sql(filters)
        with self.lock:
            rows = self.conn.execute(
                "SELECT p.id FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid "
                f"WHERE {where}",
                params,
            ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
