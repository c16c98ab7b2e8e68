"""How the tantivy search takes a multiword term: its words' best passages re-scored as
phrases (``index.lexical_tantivy.query_text`` and ``RESCORE_FETCH``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import lexical_tantivy
from index.base import Query
from index.lexical_tantivy import TantivyIndex, query_text
from index.store import Store

PHRASED = [
    ("looked after children", "placement"),
    ("foster carers", "recruitment", "ofsted"),
    ("children in care",),
]


def _search(index: TantivyIndex, terms: tuple[str, ...], k: int) -> list[tuple[int, float]]:
    return index.search(Query(text=" ".join(terms), terms=terms), k)  # no filter


def test_phrase_mode_quotes_each_term_as_given() -> None:
    assert query_text(["looked after", "care"]) == '"looked after" OR "care"'


def test_words_mode_ors_each_word_once_as_the_tokenizer_splits_them() -> None:
    text = query_text(["looked after", "After", "covid-19", 'say "hi'], "words")
    assert text == '"looked" OR "after" OR "covid" OR "19" OR "say" OR "hi"'


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="phrases mode"):
        query_text(["care"], "wand")


def _phrase_search(index: TantivyIndex, terms: tuple[str, ...], k: int) -> list[tuple[int, float]]:
    """One search of the terms as phrases, without rescore's first pass."""
    return index._hits(index._searcher, index._parse(query_text(list(terms))), k)


def test_a_question_of_single_words_is_one_search(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    terms = ("foster", "carers", "recruitment")
    served = _search(index, terms, 10)
    assert served
    assert served == _phrase_search(index, terms, 10)


def test_a_phrase_s_words_apart_are_not_a_match(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    terms = ("ofsted sufficiency recruitment",)  # words of the papers, never in a row
    assert _search(index, ("ofsted",), 10) and _search(index, ("sufficiency",), 10)
    assert _search(index, terms, 10) == []


@pytest.mark.parametrize("fetch", [1, 3])
def test_rescore_scores_its_hits_as_the_phrase_search_does(
    small_index: Path, monkeypatch: pytest.MonkeyPatch, fetch: int
) -> None:
    monkeypatch.setattr(lexical_tantivy, "RESCORE_FETCH", fetch)
    index = TantivyIndex.load(small_index, Store.open(small_index))
    for terms in PHRASED:
        every = dict(_phrase_search(index, terms, 10_000))
        assert every, terms
        phrased = _phrase_search(index, terms, 3)
        found = _search(index, terms, 3)
        assert len(found) == len(phrased)
        for rowid, score in found:  # each hit is a phrase match, scored as one
            assert score == pytest.approx(every[rowid], rel=1e-5)
        # and the best phrase matches, when the words' own top list holds them
        assert [s for _, s in found] == pytest.approx([s for _, s in phrased], rel=1e-5) or (
            fetch == 1
        )
