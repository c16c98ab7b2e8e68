"""Lexical search: BM25 from SQLite FTS5 (porter stemming), filtered in the same query."""

from __future__ import annotations

from cqa_core.text import query_terms
from index.base import Query
from index.store import Filters, Store, filter_sql

# Column weights for bm25(): heading, body, context (title, committee, council, date).
WEIGHTS = (2.0, 1.0, 0.5)


def match_expression(terms: list[str] | tuple[str, ...]) -> str:
    """An FTS5 MATCH expression: any of the terms (each quoted, so nothing is syntax)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms if t]
    return " OR ".join(quoted)


class LexicalIndex:
    """BM25 over the ``passages_fts`` table of a ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def count(self) -> int:
        """How many passages are indexed."""
        with self.store.lock:
            return int(self.store.conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0])

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Best BM25 matches among passages passing ``filters`` (higher score is better)."""
        terms = list(query.terms) or query_terms(query.text)
        expression = match_expression(terms)
        if not expression or k <= 0:
            return []
        where, params = filter_sql(filters)
        sql = (
            f"SELECT f.rowid, bm25(passages_fts, {', '.join(map(str, WEIGHTS))}) AS rank "
            "FROM passages_fts f JOIN passages p ON p.id = f.rowid "
            "JOIN documents d ON d.doc_rowid = p.doc_rowid "
            f"WHERE passages_fts MATCH ? AND {where} ORDER BY rank LIMIT ?"
        )
        with self.store.lock:
            rows = self.store.conn.execute(sql, [expression, *params, k]).fetchall()
        # FTS5's bm25() is negative, lower is better; flip it so higher is better.
        return [(int(r[0]), -float(r[1])) for r in rows]
