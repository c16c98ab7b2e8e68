"""The MaxScore first pass returns the served search's hits, scores and order, whether its
check passes or it falls back (``index.lexical_maxscore``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import lexical_maxscore
from index.base import Query
from index.lexical_folder import _FIELDS, _open_index, _tantivy
from index.lexical_tantivy import WEIGHTS, TantivyIndex
from index.store import Filters, Store

RARE = ("ofsted", "sufficiency", "placement")


def _texts(count: int) -> list[tuple[str, str, str]]:
    """Passages where "council" and "report" are everywhere, "budget" in a third, and the
    rare words in a few (some passages repeated, so that scores tie)."""
    texts = []
    for i in range(count):
        body = ["council report"] + ["budget"] * (i % 3 == 0) + ["spending"] * (i % 5 == 0)
        if i % 97 == 3:
            body.append(RARE[i % 3])
        if i % 41 == 7:
            body.append(" ".join(RARE[:2]))
        body.append("report " * (i % 4))
        texts.append((f"item {i % 9}", " ".join(body), "Northmoor Council"))
    return texts


def _lexical(count: int = 900, deleted: int = 0) -> TantivyIndex:
    """A TantivyIndex over an in-memory tantivy index of ``_texts`` in several segments,
    its first ``deleted`` passages deleted (so N in tantivy's idf is above num_docs)."""
    tantivy = _tantivy()
    index = _open_index(None, create=True)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for rowid, (heading, body, context) in enumerate(_texts(count), start=1):
        writer.add_document(
            tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
        )
        if rowid % 200 == 0:
            writer.commit()
    writer.commit()
    for rowid in range(1, deleted + 1):
        writer.delete_documents_by_term("rowid", rowid)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return TantivyIndex(Path("/nonexistent"), None, index)  # type: ignore[arg-type]


QUESTIONS = [
    ("council", "report", "ofsted"),
    ("council", "budget", "sufficiency", "placement"),
    ("report", "spending", "budget", "council", "ofsted", "placement"),
    ("ofsted sufficiency", "council", "report"),  # a phrase: the rescore's first pass
]


@pytest.mark.parametrize("maxima", [True, False])  # bounds from the words' best hits, or BM25's
@pytest.mark.parametrize("deleted", [0, 150])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_maxscore_gives_the_served_hits(
    deleted: int, k: int, maxima: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical_maxscore, "EXACT_MAXIMA", maxima)
    monkeypatch.setattr(lexical_maxscore, "SHARE", 0.5)
    lexical = _lexical(deleted=deleted)
    served = [lexical.search(Query(text=" ".join(t), terms=t), k) for t in QUESTIONS]
    assert all(served)
    lexical.maxscore = True
    exact = 0
    for terms, hits in zip(QUESTIONS, served, strict=True):
        assert lexical.search(Query(text=" ".join(terms), terms=terms), k) == hits
        exact += sum(o.exact for o in lexical.outcomes)
    assert exact > 0  # the check passed somewhere (not only fallbacks)


def test_a_failed_check_falls_back_to_the_served_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    lexical = _lexical()
    terms = ("council", "budget", "report")
    served = lexical.search(Query(text="", terms=terms), 5)
    lexical.maxscore = True
    # "budget" alone is essential; its 20 best passages all score alike, so the 20th
    # essential score plus the common words' bounds reaches the 5th full score
    monkeypatch.setattr(lexical_maxscore, "FIRST", 20)
    monkeypatch.setattr(lexical_maxscore, "SHARE", 10.0)
    assert lexical.search(Query(text="", terms=terms), 5) == served
    assert [o.exact for o in lexical.outcomes] == [False]
    assert lexical.outcomes[0].essential == 1


def test_the_bounds_hold_with_deleted_passages() -> None:
    lexical = _lexical(deleted=300)
    searcher = lexical._searcher
    boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
    hit = searcher.search(lexical._parse('"budget"'), 1, count=False).hits[0]
    rowid = searcher.fast_field_values("rowid", [hit[1]])[0]
    total = lexical_maxscore.searcher_total(searcher, lexical._index.schema, hit[1], rowid)
    assert total > searcher.num_docs == 600  # a wholly deleted segment is dropped
    words = ["council", "report", "budget", "ofsted", "item"]
    ub, postings = lexical_maxscore.bounds(searcher, words, boosts, total)
    low, _ = lexical_maxscore.bounds(searcher, words, boosts, int(searcher.num_docs))
    for word, bound, below in zip(words, ub, low, strict=True):
        assert bound is not None and below is not None and bound > below
        best = searcher.search(lexical._parse(f'"{word}"'), 1, count=False).hits[0][0]
        assert best <= bound
    assert postings[0] == 2 * total  # "council" in every body and context, deleted included


def test_an_index_searched_with_maxscore_ranks_as_served(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    questions = [("placement", "sufficiency"), ("looked after children", "care"), ("ofsted",)]
    served = [index.search(Query(text=" ".join(t), terms=t), 20, Filters()) for t in questions]
    assert any(served)
    index.maxscore = True
    for terms, hits in zip(questions, served, strict=True):
        assert index.search(Query(text=" ".join(terms), terms=terms), 20, Filters()) == hits
    index.close()


def test_split_keeps_an_essential_word_and_leaves_phrases_in() -> None:
    assert lexical_maxscore.split([0.1, 0.2, 5.0], share=0.5) == [0, 1]
    assert lexical_maxscore.split([0.1, 0.2], share=100.0) == [0]  # one stays essential
    assert lexical_maxscore.split([None, 0.1, 4.0], share=0.5) == [1]
    assert lexical_maxscore.split([3.0, 3.0], share=0.5) == []
