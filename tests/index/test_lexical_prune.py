"""A first pass without the commonest words (``index.lexical_prune``): which words it keeps,
and that its hits are scored by the whole query, or are the served ones when the words
left cannot fill it."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import lexical_tantivy
from index.base import Query
from index.lexical_folder import _open_index, _tantivy
from index.lexical_prune import first_words
from index.lexical_tantivy import TantivyIndex


def test_words_above_the_share_are_left_out_in_the_question_order() -> None:
    words = ["council", "ofsted", "report", "budget"]
    assert first_words(words, [0.9, 0.01, 0.5, 0.2], 0.3) == ["ofsted", "budget"]
    assert first_words(words, [0.9, 0.01, 0.5, 0.2], 0.5) == ["ofsted", "report", "budget"]
    assert first_words(words, [0.9, 0.01, 0.5, 0.2], 1.0) == words


def test_a_question_of_common_words_keeps_its_rarest() -> None:
    words = ["council", "report", "children"]
    assert first_words(words, [0.9, 0.5, 0.4], 0.1) == ["children"]
    assert first_words(words, [0.9, 0.5, 0.4], 0.1, keep=2) == ["report", "children"]
    assert first_words(words, [0.5, 0.5, 0.9], 0.1) == ["council"]  # a tie: the first
    assert first_words(["council", "ofsted"], [0.9, 0.01], 0.1, keep=2) == ["council", "ofsted"]
    with pytest.raises(ValueError):
        first_words(words, [0.1], 0.5)


def _lexical(count: int = 900) -> TantivyIndex:
    """ "council" and "report" in every passage, "budget" in a third, "spending" in a fifth,
    "ofsted" and "sufficiency" in a few; in several segments."""
    tantivy = _tantivy()
    index = _open_index(None, create=True)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for rowid in range(1, count + 1):
        body = ["council report"] + ["budget"] * (rowid % 3 == 0)
        body += ["spending"] * (rowid % 5 == 0) + ["report"] * (rowid % 4)
        if rowid % 97 == 3:
            body.append("ofsted sufficiency")
        writer.add_document(
            tantivy.Document(
                rowid=rowid, heading=f"item {rowid % 9}", body=" ".join(body), context="Council"
            )
        )
        if rowid % 200 == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return TantivyIndex(Path("/nonexistent"), None, index)  # type: ignore[arg-type]


def _ask(lexical: TantivyIndex, terms: tuple[str, ...], k: int) -> list[tuple[int, float]]:
    return lexical.search(Query(text=" ".join(terms), terms=terms), k)


def test_off_by_default() -> None:
    assert lexical_tantivy.FIRST_MAX_DF is None
    lexical = _lexical()
    assert lexical.first_max_df is None
    _ask(lexical, ("council", "budget"), 5)
    assert lexical.first_words is None


def test_candidates_of_the_rarer_words_are_scored_by_the_whole_query() -> None:
    lexical = _lexical()
    terms = ("council", "report", "budget", "spending")
    every = dict(_ask(lexical, terms, 900))  # the served score of every matching passage
    lexical.first_max_df = 0.5
    hits = _ask(lexical, terms, 5)
    assert lexical.first_words == ["budget", "spending"]
    assert len(hits) == 5
    assert all(score == pytest.approx(every[rowid], abs=1e-5) for rowid, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert all(rowid % 3 == 0 or rowid % 5 == 0 for rowid, _ in hits)


def test_a_question_of_common_words_searches_its_rarest_first() -> None:
    lexical = _lexical()
    terms = ("report", "budget")  # "budget" in a third of the passages, "report" in all
    every = dict(_ask(lexical, terms, 900))
    lexical.first_max_df = 0.2
    hits = _ask(lexical, terms, 5)
    assert lexical.first_words == ["budget"]
    assert len(hits) == 5
    assert all(score == pytest.approx(every[rowid], abs=1e-5) for rowid, score in hits)


@pytest.mark.parametrize(
    ("terms", "first"),
    [
        (("council", "report", "ofsted"), ["ofsted"]),
        (("ofsted sufficiency", "council", "report"), ["ofsted", "sufficiency"]),
    ],
)
def test_words_too_rare_to_fill_the_first_pass_give_the_served_hits(
    terms: tuple[str, ...], first: list[str]
) -> None:
    lexical = _lexical()
    served = _ask(lexical, terms, 20)
    lexical.first_max_df = 0.5
    assert lexical._first_words(list(terms)) == first
    assert _ask(lexical, terms, 20) == served
    assert lexical.first_words is None  # searched as served


def test_the_pruned_first_pass_asks_for_pruned_fetch_times_k() -> None:
    lexical = _lexical()
    terms = ("council", "report", "budget", "spending")  # 420 passages hold the rarer two
    served = _ask(lexical, terms, 5)
    lexical.first_max_df = 0.5
    _ask(lexical, terms, 5)
    assert lexical.first_words == ["budget", "spending"]  # 15 of the 420
    lexical.pruned_fetch = 100
    assert _ask(lexical, terms, 5) == served  # 500 asked, too few: searched as served
    assert lexical.first_words is None
