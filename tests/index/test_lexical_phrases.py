"""How the tantivy search takes a multiword term: as a phrase (served), as its words, or
as its words re-scored as phrases (``index.lexical_tantivy.query_text`` and ``rescore``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import lexical_tantivy
from index.base import Query
from index.lexical_tantivy import TantivyIndex, query_text
from index.store import Filters, Store

PHRASED = [
    ("looked after children", "placement"),
    ("foster carers", "recruitment", "ofsted"),
    ("children in care",),
]


def _search(index: TantivyIndex, terms: tuple[str, ...], k: int) -> list[tuple[int, float]]:
    return index.search(Query(text=" ".join(terms), terms=terms), k, Filters())


def test_phrase_mode_quotes_each_term_as_given() -> None:
    assert query_text(["looked after", "care"]) == '"looked after" OR "care"'


def test_words_mode_ors_each_word_once_as_the_tokenizer_splits_them() -> None:
    text = query_text(["looked after", "After", "covid-19", 'say "hi'], "words")
    assert text == '"looked" OR "after" OR "covid" OR "19" OR "say" OR "hi"'


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="phrases mode"):
        query_text(["care"], "wand")


def test_multiword_terms_are_rescored_by_default(small_index: Path) -> None:
    assert TantivyIndex.load(small_index, Store.open(small_index)).phrases == "rescore"


def test_the_modes_agree_on_single_word_terms(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    terms = ("foster", "carers", "recruitment")
    index.phrases = "phrase"
    served = _search(index, terms, 10)
    assert served
    for mode in ("words", "rescore"):
        index.phrases = mode
        assert _search(index, terms, 10) == served


def test_words_mode_matches_a_phrase_s_words_anywhere(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    terms = ("ofsted sufficiency recruitment",)  # words of the papers, never in a row
    assert _search(index, ("ofsted",), 10) and _search(index, ("sufficiency",), 10)
    for mode in ("phrase", "rescore"):
        index.phrases = mode
        assert _search(index, terms, 10) == []
    index.phrases = "words"
    assert _search(index, terms, 10)


@pytest.mark.parametrize("fetch", [1, 3])
def test_rescore_scores_its_hits_as_the_phrase_search_does(
    small_index: Path, monkeypatch: pytest.MonkeyPatch, fetch: int
) -> None:
    monkeypatch.setattr(lexical_tantivy, "RESCORE_FETCH", fetch)
    index = TantivyIndex.load(small_index, Store.open(small_index))
    for terms in PHRASED:
        index.phrases = "phrase"
        every = dict(_search(index, terms, 10_000))
        assert every, terms
        served = _search(index, terms, 3)
        index.phrases = "rescore"
        found = _search(index, terms, 3)
        assert len(found) == len(served)
        for rowid, score in found:  # each hit is a phrase match, scored as one
            assert score == pytest.approx(every[rowid], rel=1e-5)
        # and the best phrase matches, when the words' own top list holds them
        assert [s for _, s in found] == pytest.approx([s for _, s in served], rel=1e-5) or (
            fetch == 1
        )


def test_terms_more_common_than_max_df_are_left_out(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    total = index.count()
    common = index._searcher.doc_freq("body", "the") / total
    rare = index._searcher.doc_freq("body", "foster") / total
    assert 0 < rare < common
    both = _search(index, ("foster", "the"), 10)
    index.max_df = (rare + common) / 2
    assert _search(index, ("foster", "the"), 10) == _search(index, ("foster",), 10) != both
    # a question of common terms alone keeps them
    assert _search(index, ("the",), 10)


def test_rescore_searches_every_field_in_one_pass_by_default(small_index: Path) -> None:
    assert TantivyIndex.load(small_index, Store.open(small_index)).first_fields is None


@pytest.mark.parametrize("fields", [("heading", "body"), ("body",)])
def test_a_first_pass_over_fewer_fields_scores_its_hits_over_all_three(
    small_index: Path, fields: tuple[str, ...]
) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    for terms in [*PHRASED, ("foster", "carers", "recruitment")]:
        every = dict(_search(index, terms, 10_000))  # served: every field, scored once
        index.first_fields = fields
        found = _search(index, terms, 5)
        index.first_fields = None
        assert found, terms
        for rowid, score in found:  # a body or heading match, scored as served
            assert score == pytest.approx(every[rowid], rel=1e-5)
