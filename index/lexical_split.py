"""One tantivy search split into row-id ranges searched on threads (issue 18).

tantivy-py's ``Searcher.search`` puts its top-k collector inside a ``MultiCollector``,
which tantivy collects without block-max WAND: every passage holding any word of the
question is scored, so a search's time is the length of its words' posting lists, and
that work can be divided.  ``Searcher.search`` releases the GIL, so ``parts`` searches of
the same searcher, each the query AND a row-id range (scored 0), run on as many threads.

The merge is exact: every part scores with the whole index's statistics (one searcher,
one BM25), a passage's score is the served one (the range adds 0), and tantivy breaks
equal scores by ascending document address, which the parts share, so the best ``k`` of
the parts' best ``k`` by (score descending, address) are the single search's ``k``, in
its order.  Off by default (``lexical_tantivy.PARTS``): measured at 10M passages on 2
shared cores it was not faster (docs/performance.md, "/api/ask at 10M, stop 19").
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any

from index.lexical_folder import _tantivy


class RowidSplit:
    """Searches split into ``parts`` row-id ranges of equal width over ``[0, top]``."""

    def __init__(self, parts: int, top: int) -> None:
        if parts < 1:
            raise ValueError("parts must be at least 1")
        self.parts = parts
        self.cuts = [round((top + 1) * i / parts) for i in range(parts + 1)]
        self._pool = ThreadPoolExecutor(parts, thread_name_prefix="lexical-part")

    def hits(self, searcher: Any, schema: Any, query: Any, k: int) -> list[tuple[float, Any]]:
        """tantivy's best ``k`` hits of ``query`` ((score, address) pairs, best first), as
        one ``searcher.search`` would return them, from the parts searched on threads."""
        if self.parts == 1:
            return list(searcher.search(query, k, count=False).hits)
        # the first part open below and the last open above, so that no row id is missed
        bounds = [None, *self.cuts[1:-1], None]
        ranged = [_within(query, schema, low, high) for low, high in pairwise(bounds)]
        futures = [self._pool.submit(searcher.search, part, k, False) for part in ranged]
        found = [hit for future in futures for hit in future.result().hits]
        found.sort(key=lambda hit: (-hit[0], hit[1].segment_ord, hit[1].doc))
        return found[:k]

    def close(self) -> None:
        """Stop the threads."""
        self._pool.shutdown(wait=False)


def _within(query: Any, schema: Any, low: int | None, high: int | None) -> Any:
    """``query`` AND a row id in ``[low, high)`` (None: unbounded), the range scored 0."""
    tantivy = _tantivy()
    rows = tantivy.Query.range_query(
        schema, "rowid", tantivy.FieldType.Integer, low, high, include_upper=high is None
    )
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, query),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(rows, 0.0)),
        ]
    )
