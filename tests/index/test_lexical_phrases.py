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


def test_rescore_fetch_rounds_up_and_never_below_k() -> None:
    assert lexical_tantivy.rescore_fetch(60, 3) == 180
    assert lexical_tantivy.rescore_fetch(60, 1.5) == 90
    assert lexical_tantivy.rescore_fetch(7, 1.5) == 11
    assert lexical_tantivy.rescore_fetch(60, 0.5) == 60


@pytest.mark.parametrize(("share", "fetch"), [(None, 3 * 10), (1.0, 10), (1.5, 15), (2.0, 20)])
def test_the_first_pass_takes_the_index_s_share_of_k(
    small_index: Path, monkeypatch: pytest.MonkeyPatch, share: float | None, fetch: int
) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    if share is not None:
        index.rescore_fetch = share  # as bench/first_pass_k.py sets it
    asked: list[int] = []
    hits = TantivyIndex._hits

    def counted(searcher: object, query: object, k: int) -> list[tuple[int, float]]:
        asked.append(k)
        return hits(searcher, query, k)

    monkeypatch.setattr(TantivyIndex, "_hits", staticmethod(counted))
    _search(index, ("looked after children", "placement"), 10)
    assert asked[0] == fetch  # the words' first pass
    asked.clear()
    _search(index, ("foster", "carers"), 10)  # no multiword term: one search of k
    assert asked == [10]
