"""The SQLite store of an index folder: one ``Store`` made of a part per thing it stores.

- ``index.sqlite``: the database, its schema, transactions and meta values (``StoreBase``);
- ``index.documents``: documents, written with their passages, read and deleted;
- ``index.passages``: passages read back with their documents;
- ``index.vectors``: the passages' and sentences' stored vectors;
- ``index.sentences``: each passage's sentences and their vectors;
- ``index.records``: decisions and commitments;
- ``index.vocabulary``: the words of the index, counts and facet values;
- ``index.filters``: filters as SQL and as bitmaps of passing passages.

The record types and ``Filters`` are re-exported here, the names callers of the store use.
"""

from __future__ import annotations

from index.documents import DocumentRecord
from index.filters import Allowed, Filters, FilterStore, filter_sql
from index.passages import PassageRecord
from index.records import DecisionRecord, RecordStore
from index.sentences import SentenceStore
from index.sqlite import DB_NAME, SCHEMA_VERSION
from index.vectors import VectorStore
from index.vocabulary import StoreStats, VocabularyStore

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "Allowed",
    "DecisionRecord",
    "DocumentRecord",
    "Filters",
    "PassageRecord",
    "Store",
    "StoreStats",
    "filter_sql",
]


class Store(RecordStore, SentenceStore, VectorStore, VocabularyStore, FilterStore):
    """Access to one index folder's SQLite database (thread-safe for readers)."""
