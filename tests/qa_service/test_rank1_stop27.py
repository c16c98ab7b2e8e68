"""Stop 27: a paper's opening marked down when its continuation is a candidate too."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from index.store import DocumentRecord, Filters, PassageRecord
from ingest.models import DocMeta
from qa_service.config import Settings
from qa_service.highlight import split_sentences
from qa_service.query import Understanding
from qa_service.rerank import Features, Weights, opening_mark
from qa_service.second_stage import Candidates, Context, score_candidates

_ITEM = DocumentRecord(
    document_id="item",
    source="charging_item.txt",
    path="charging_item.txt",
    content_hash="0",
    meta=DocMeta(council="Anytown Borough Council"),
    ingested_at="2026-01-01T00:00:00",
)
_OTHER = replace(_ITEM, document_id="other", source="other.txt", path="other.txt")


def _passage(rowid: int, ordinal: int, text: str, document: DocumentRecord) -> PassageRecord:
    return PassageRecord(rowid, f"p{rowid}", ordinal, 0, len(text), None, (), text, document)


OPENING = _passage(
    1,
    0,
    "The Strategic Lead presented the report that outlined the home care charging options.",
    _ITEM,
)
DETAIL = _passage(2, 1, "The Chair was reassured that only 10% would pay an increased fee.", _ITEM)


def test_the_opening_is_marked_only_when_its_continuation_is_a_candidate() -> None:
    assert opening_mark(OPENING, 0.0, {0, 1}) == 1.0
    assert opening_mark(OPENING, 0.0, {0}) == 0.0  # the paper's only candidate
    assert opening_mark(DETAIL, 0.0, {0, 1}) == 0.0  # not the opening
    # front matter is marked once, by ``title_block``; the head of the minutes lifted for a
    # question on who attended (-1) is still an opening
    assert opening_mark(OPENING, 1.0, {0, 1}) == 0.0
    assert opening_mark(OPENING, -1.0, {0, 1}) == 1.0


def test_the_opening_signal_counts_with_its_weight() -> None:
    plain = Features(fused=0.5, passage=0.5, sentence=0.5)
    marked = replace(plain, opening=1.0)
    weights = Weights()
    assert weights.opening == Settings().opening_weight < 0
    assert marked.score(weights) == plain.score(weights) + weights.opening


def _ranked(settings: Settings, pool: list[PassageRecord]) -> list[int]:
    question = "What proportion of people getting home care would pay more?"
    closeness = {1: 0.45, 2: 0.30, 3: 0.45}
    records = {p.rowid: p for p in pool}
    sentences = {
        p.rowid: (split_sentences(p.text), np.array([closeness[p.rowid]], dtype=np.float32))
        for p in pool
    }
    candidates = Candidates(
        [(p.rowid, 0.03) for p in pool],
        records,
        {p.rowid: closeness[p.rowid] for p in pool},
        sentences,
    )
    understood = Understanding(question, question, ("home", "care"))
    context = Context(understood, Filters(), None, {}, 10)
    return [h.passage.rowid for h in score_candidates(candidates, context, settings)]


def test_the_continuation_outranks_a_somewhat_closer_opening_of_its_paper() -> None:
    """The opening names the item in the question's words (closer by 0.15 in passage and
    sentence); the passage after it holds the detail asked for: with the continuation a
    candidate too, the opening gives way at the shipped weight, and held it without."""
    assert _ranked(Settings(), [OPENING, DETAIL]) == [2, 1]
    assert _ranked(Settings(opening_weight=0.0), [OPENING, DETAIL]) == [1, 2]


def test_an_opening_whose_paper_has_no_other_candidate_is_not_marked() -> None:
    other = _passage(3, 0, "Members noted the home care consultation timetable.", _OTHER)
    assert _ranked(Settings(), [OPENING, other]) == _ranked(
        Settings(opening_weight=0.0), [OPENING, other]
    )
