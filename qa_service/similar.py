"""Similar passages: for "has anyone else faced this", the nearest passages elsewhere.

A passage's stored vector is the query (no model call).  Candidates come from the dense
index among passages of *other* meetings: the passage's own document, the other papers of
the same meeting (same council, committee and date) and the copies of its paper attached
to other meetings (``Store.copies_of``) are left out of the search.  Of the rest, a passage
whose text is a near-duplicate of the source (``qa_service.dedup``, word 3-shingles) is
dropped too, and near-duplicates among the results fold into the better one, as in answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cqa_core.errors import InvalidQueryError
from index.base import Query
from index.store import Filters, PassageRecord
from qa_service.answers import Hit
from qa_service.dedup import DUPLICATE_SHARE, fold_near_duplicates, jaccard, shingles
from qa_service.highlight import Span, best_sentences
from qa_service.retriever import Engine

# Candidates fetched per wanted result: room for the near-duplicates that are dropped.
OVERFETCH = 4


@dataclass
class Similar:
    """A passage and the passages nearest to it in other meetings, nearest first."""

    source: PassageRecord
    hits: list[Hit]
    filters: Filters


def _same_meeting(engine: Engine, source: PassageRecord) -> list[str]:
    """Ids of the source's document, the other papers of its meeting, and its copies."""
    doc = source.document
    meta = doc.meta
    ids = {doc.document_id}
    if meta.meeting_date and meta.council:
        meeting = Filters(
            council=(meta.council,),
            committee=(meta.committee,) if meta.committee else (),
            date_from=meta.meeting_date,
            date_to=meta.meeting_date,
            include_superseded=True,
        )
        ids.update(
            d.document_id
            for d in engine.store.list_documents(meeting)
            if (d.meta.committee or "") == (meta.committee or "")
        )
    ids.update(d.document_id for d in engine.store.copies_of(doc.document_id))
    return sorted(ids)


def similar(engine: Engine, passage_id: str, filters: Filters, top_k: int = 5) -> Similar:
    """The ``top_k`` passages nearest to ``passage_id`` in other meetings, passing ``filters``.

    Raises ``DocumentNotFoundError`` for an unknown passage id.
    """
    if not 1 <= top_k <= engine.settings.max_top_k:
        raise InvalidQueryError(f"top_k must be between 1 and {engine.settings.max_top_k}")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidQueryError("date_from must not be after date_to")
    engine.refresh()
    rowid = engine.store.passage_rowid(passage_id)
    source = engine.store.passages([rowid])[rowid]
    vector = engine.store.embeddings([rowid])[rowid]
    filters = replace(filters, exclude_document_ids=tuple(_same_meeting(engine, source)))
    found = engine.dense.search(Query(text="", vector=vector), top_k * OVERFETCH + 10, filters)
    records = engine.store.passages([r for r, _ in found])
    source_grams = shingles(source.text)
    hits = [
        Hit(records[r], round(score, 6), score, confidence=score)
        for r, score in found
        if r in records and jaccard(source_grams, shingles(records[r].text)) < DUPLICATE_SHARE
    ]
    hits = fold_near_duplicates(
        hits,
        lambda h: h.passage,
        lambda kept, twin: kept.also_at.append(twin.passage),
        limit=top_k,
    )
    _highlight(engine, vector, hits)
    return Similar(source, hits, filters)


def _highlight(engine: Engine, vector: np.ndarray, hits: list[Hit]) -> None:
    """Mark each hit's sentence(s) nearest to the source passage (from stored vectors)."""
    stored = engine.store.sentence_vectors([h.passage.rowid for h in hits])
    for hit in hits:
        if hit.passage.rowid in stored:
            spans, vectors = stored[hit.passage.rowid]
            scores = vectors @ vector
            hit.sentence = float(scores.max())
            hit.highlights = best_sentences(scores, [Span(a, b) for a, b in spans])
