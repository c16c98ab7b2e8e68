"""What the keyword index reads from the store, and which filters it can apply itself.

Each passage is read with its heading path, its body and its document's facts
(``lexical_context``), and its document's meeting date as the integer ``YYYYMMDD``
(``date_number``), which ``index.lexical_tantivy`` indexes as a field so that a date range
is a range query inside the search: at 3M passages a range passing 6.5% of them had been a
set of 195k passing ids (docs/performance.md, "Date ranges inside tantivy").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from index.base import LexicalText
from index.filters import Filters
from ingest.models import DocMeta

if TYPE_CHECKING:
    from index.store import Store

# The document's meeting date as the integer YYYYMMDD (ordered as the ISO text the store
# compares), absent when the document has none: a date bound then excludes it, as in SQL.
DATE_FIELD = "meeting_date"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def lexical_context(meta: DocMeta) -> str:
    """The document facts indexed beside each passage for keyword search."""
    parts = [meta.council, meta.committee, meta.title, meta.doc_type, meta.meeting_date]
    return " | ".join(p for p in parts if p)


def date_number(value: str | None) -> int | None:
    """An ISO date ``YYYY-MM-DD`` as the integer ``YYYYMMDD`` (in the same order), else None."""
    if value is None or not _ISO_DATE.fullmatch(value):
        return None
    return int(value[:4] + value[5:7] + value[8:10])


def store_rows(store: Store) -> Iterator[tuple[int, LexicalText, int | None]]:
    """Every stored passage as keyword search reads it, by row id, with its meeting date
    (``date_number``), from the store's tables."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT p.id, p.heading, p.text, d.council, d.committee, d.title, d.doc_type, "
            "d.meeting_date FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid "
            "ORDER BY p.id"
        )
        for rowid, heading, text, council, committee, title, doc_type, date in rows:
            meta = DocMeta(
                council=council,
                committee=committee,
                title=title,
                doc_type=doc_type,
                meeting_date=date,
            )
            text_ = (" ".join(json.loads(heading)), text, lexical_context(meta))
            yield int(rowid), text_, date_number(date)


def store_texts(store: Store) -> Iterator[tuple[int, LexicalText]]:
    """Every stored passage as keyword search reads it, by row id (from the store's tables)."""
    for rowid, text, _date in store_rows(store):
        yield rowid, text


def store_dates(store: Store, ids: np.ndarray) -> dict[int, int]:
    """The meeting dates (``date_number``) of the passages ``ids`` that have one."""
    found: dict[int, int] = {}
    values = [int(i) for i in ids]
    with store.lock:
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = store.conn.execute(
                "SELECT p.id, d.meeting_date FROM passages p "
                f"JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE p.id IN ({marks})",
                chunk,
            )
            for rowid, date in rows:
                number = date_number(date)
                if number is not None:
                    found[int(rowid)] = number
    return found


def date_only(filters: Filters) -> bool:
    """Whether ``filters`` bound the meeting date by ISO dates and ask nothing else (but
    the exclusion of superseded documents), so that a range query inside the search
    holds every passing passage."""
    bounds = [b for b in (filters.date_from, filters.date_to) if b is not None]
    return (
        bool(bounds)
        and all(date_number(b) is not None for b in bounds)
        and replace(filters, date_from=None, date_to=None).is_empty()
    )
