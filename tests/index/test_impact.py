"""The impact index and its MaxScore: the served first pass's ranking and scores, exactly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from index import impact as impact_module
from index.base import Query
from index.embedder import HashingEmbedder
from index.filters import Filters
from index.impact import (
    FILES,
    ImpactIndex,
    build,
    build_ranges,
    code_impacts,
    first_pass_words,
    open_current,
    phrase_key,
    phrase_lists,
)
from index.impact import FOLDER as IMPACT_FOLDER
from index.impact_maxscore import maxscore, maxscore_windowed
from index.lexical_folder import FOLDER, analyzer
from index.lexical_tantivy import _WORD, RESCORE_FETCH, TantivyIndex, query_text, store_texts
from index.store import Store
from qa_service import glossary
from tests.conftest import build_index

QUERIES = [
    ("placement", "sufficiency"),
    ("foster", "carers", "recruitment"),
    ("ofsted",),
    ("children", "children", "social", "care"),  # one clause: the parser keeps one
    ("Care", "care", "report", "reports"),  # two clauses of one token each count
    ("looked after children", "placements"),  # a multiword term: its words, each once
    ("council", "report", "children", "the", "of", "2018"),  # common words
    ("zzzunknown",),
    ('say "hello', "\\ back"),
]


def _glossary_phrases() -> list[str]:
    """The multiword terms the reader adds to a question: the glossary's long forms and
    everyday phrases' terms (``qa_service.query``)."""
    forms = [f for v in glossary.ABBREVIATIONS.values() for f in v]
    forms += [f for v in glossary.EVERYDAY.values() for f in v]
    return sorted({f for f in forms if len(_WORD.findall(f)) > 1})


PHRASES = [*_glossary_phrases(), "social care", "foster carers", "Foster Carers", "care"]
# questions with multiword terms (the glossary's, cased otherwise, the same phrase twice
# in two spellings, a phrase in no passage) beside words
PHRASED = [
    ("looked after children", "placements"),
    ("children looked after", "looked after children", "Looked After Children", "care"),
    ("social care", "foster carers", "Foster Carers", "recruitment"),
    ("foster carers", "children", "council", "report", "the"),
    ("child protection plan", "social care", "ofsted"),
    ("special educational needs", "education, health and care plans", "send"),
    ("dog fouling", "fly-tipping", "street lighting"),
]


def _served_first_pass(tantivy: TantivyIndex, terms: tuple[str, ...], k: int) -> list:
    """What ``TantivyIndex.search`` asks tantivy for first: the words OR-ed over the three
    fields (``query_text`` in the mode the served search uses for these terms)."""
    words = query_text(list(terms), "words")
    multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
    parsed = tantivy._parse(words if multiword else query_text(list(terms)))
    return tantivy._hits(tantivy._searcher, parsed, k)


def _same_ranking(want: list[tuple[int, float]], got: list[tuple[int, float]]) -> None:
    """Equal lengths and scores (1e-4 relative), and equal row ids wherever the score
    does not tie with the last one kept (which copies make the cut is tantivy's order)."""
    assert len(got) == len(want)
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-4)
    if not want:
        return
    last = want[-1][1]
    assert [r for r, s in got if s > last * (1 + 1e-4)] == [
        r for r, s in want if s > last * (1 + 1e-4)
    ]


@pytest.fixture(scope="module")
def fresh(
    tmp_path_factory: pytest.TempPathFactory, small_corpus: Path
) -> tuple[TantivyIndex, ImpactIndex]:
    """The small corpus indexed with the fake embedder, its tantivy rebuilt from the store
    (no deleted passages, whose statistics tantivy keeps until a merge), and the impact
    index of the same passages; built once for the module (nothing here writes to it)."""
    folder = build_index(
        tmp_path_factory.mktemp("impact") / "index", [small_corpus], HashingEmbedder()
    )
    shutil.rmtree(folder / FOLDER)
    store = Store.open(folder)
    tantivy = TantivyIndex.load(folder, store)
    impact = build(store_texts(store), analyzer(), phrase_lists(tantivy, PHRASES, analyzer()))
    assert impact.passages == tantivy.count()
    return tantivy, impact


@pytest.mark.parametrize("dense", [0.0, float("inf")])  # the windowed kernel, the other
@pytest.mark.parametrize("terms", QUERIES)
@pytest.mark.parametrize("k", [1, 5, 20, 10_000])
def test_maxscore_ranks_as_the_served_first_pass(
    fresh: tuple[TantivyIndex, ImpactIndex],
    terms: tuple[str, ...],
    k: int,
    dense: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(impact_module, "DENSE", dense)
    tantivy, impact = fresh
    tokens = impact.tokens(terms, analyzer())
    assert tokens is not None
    got, _read = impact.search_tokens(tokens, k)
    _same_ranking(_served_first_pass(tantivy, terms, k), got)


def test_a_word_asked_twice_counts_twice(fresh: tuple[TantivyIndex, ImpactIndex]) -> None:
    _tantivy, impact = fresh
    once, _ = impact.search_tokens(["children"], 3)
    twice, _ = impact.search_tokens(["children", "children"], 3)
    assert [r for r, _ in twice] == [r for r, _ in once]
    assert [s for _, s in twice] == pytest.approx([2 * s for _, s in once])


def test_saved_and_loaded_it_searches_the_same(
    fresh: tuple[TantivyIndex, ImpactIndex], tmp_path: Path
) -> None:
    _tantivy, impact = fresh
    impact.save(tmp_path / "impact")
    loaded = ImpactIndex.load(tmp_path / "impact")
    tokens = ["foster", "carer", "children"]
    assert loaded.search_tokens(tokens, 7) == impact.search_tokens(tokens, 7)


def _exhaustive(
    offsets: np.ndarray, docids: np.ndarray, impacts: np.ndarray, lists: list[int],
    weights: list[float], k: int,
) -> list[tuple[int, float]]:  # fmt: skip
    scores: dict[int, float] = {}
    for term, weight in zip(lists, weights, strict=True):
        for at in range(offsets[term], offsets[term + 1]):
            doc = int(docids[at])
            scores[doc] = scores.get(doc, 0.0) + weight * float(impacts[at])
    return sorted(scores.items(), key=lambda hit: (-hit[1], hit[0]))[:k]


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("kernel", [maxscore, maxscore_windowed])
@pytest.mark.parametrize("seed", range(30))
def test_maxscore_equals_scoring_every_passage(seed: int, kernel: Any, whole: bool) -> None:
    """Random lists, of small whole impacts (so that many passages tie, as copies do) or
    of any: the pruned top k is the exhaustive one, ties by row id."""
    rng = np.random.default_rng(seed)
    words, passages = int(rng.integers(1, 8)), int(rng.integers(1, 12_000))
    offsets, docids, impacts = [0], [], []
    for _ in range(words):
        share = rng.choice([0.01, 0.1, 0.5, 1.0])
        held = np.flatnonzero(rng.random(passages) < share)
        docids += held.tolist()
        values = rng.integers(1, 5, size=len(held)) if whole else rng.random(len(held)) * 9
        impacts += values.astype(np.float32).tolist()
        offsets.append(len(docids))
    offsets_a = np.array(offsets, dtype=np.int64)
    docids_a = np.array(docids, dtype=np.uint32)
    impacts_a = np.array(impacts, dtype=np.float32)
    lists = rng.choice(words, size=int(rng.integers(1, words + 1)), replace=False).tolist()
    weights = rng.integers(1, 3, size=len(lists)).astype(np.float64).tolist()
    k = int(rng.integers(1, 30))
    bounds = [
        w * float(impacts_a[offsets_a[t] : offsets_a[t + 1]].max(initial=0.0))
        for t, w in zip(lists, weights, strict=True)
    ]
    order = np.argsort(bounds, kind="stable")
    coded = code_impacts(impacts_a, offsets_a)
    for at in range(len(impacts_a)):  # the codes give the impacts back, bit for bit
        term = int(np.searchsorted(offsets_a, at, side="right")) - 1
        assert coded[1][coded[2][term] + coded[0][at]] == impacts_a[at]
    docs, scores, _read = kernel(
        offsets_a, docids_a, *coded, np.array(lists, dtype=np.int64)[order],
        np.array(weights)[order], np.array(bounds)[order], k,
    )  # fmt: skip
    want = _exhaustive(offsets_a, docids_a, impacts_a, lists, weights, k)
    assert [int(d) for d in docs] == [d for d, _ in want]
    assert scores.tolist() == pytest.approx([s for _, s in want], rel=1e-9)


def test_a_multiword_term_is_searched_by_its_words_each_once() -> None:
    assert first_pass_words(["looked after children", "Children"]) == [
        "looked",
        "after",
        "children",
    ]
    assert first_pass_words(["care", "care", "Care"]) == ["care", "Care"]


@pytest.mark.parametrize("terms", PHRASED)
@pytest.mark.parametrize("k", [1, 5, 20, 10_000])
def test_the_second_pass_from_lists_scores_as_tantivy(
    fresh: tuple[TantivyIndex, ImpactIndex], terms: tuple[str, ...], k: int
) -> None:
    """The phrases' lists, looked up for the served first pass's candidates, give
    ``TantivyIndex._among``'s hits: its scores and row ids."""
    tantivy, impact = fresh
    candidates = [r for r, _ in _served_first_pass(tantivy, terms, k * RESCORE_FETCH)]
    clauses = impact.clauses(terms, analyzer())
    assert clauses is not None
    parsed = tantivy._parse(query_text(list(terms)))
    want = tantivy._among(tantivy._searcher, parsed, candidates, k)
    _same_ranking(want, impact.among(clauses, candidates, k))
    # and the whole phrased query, as served when too few candidates match
    _same_ranking(tantivy._hits(tantivy._searcher, parsed, k), impact.search_lists(clauses, k)[0])


@pytest.mark.parametrize("terms", PHRASED + QUERIES)
@pytest.mark.parametrize("k", [1, 5, 20, 10_000])
def test_search_from_lists_is_the_served_search(
    fresh: tuple[TantivyIndex, ImpactIndex], terms: tuple[str, ...], k: int
) -> None:
    tantivy, impact = fresh
    got = impact.search(terms, analyzer(), k)
    if got is None:  # only for a phrase outside the lists ('say "hello')
        keys = [phrase_key(t, analyzer()) for t in terms if len(_WORD.findall(t)) > 1]
        assert any(key not in impact.phrases for key in keys)
        return
    _same_ranking(tantivy.search(Query(text="", terms=terms), k), got)


def test_a_phrase_not_listed_is_left_to_tantivy(fresh: tuple[TantivyIndex, ImpactIndex]) -> None:
    _tantivy, impact = fresh
    assert impact.clauses(["annual report", "children"], analyzer()) is None
    assert impact.search(["annual report", "children"], analyzer(), 5) is None
    assert impact.search(["annual", "report"], analyzer(), 5)  # words alone need no list


def test_a_phrase_is_keyed_by_its_tokens() -> None:
    words = analyzer()
    assert phrase_key("Looked After Children", words) == phrase_key("looking after children", words)
    assert phrase_key("care", words) is None
    assert phrase_key("x" * 41 + " care home", words) is None  # the dropped word's gap


@pytest.mark.parametrize(("passages", "postings"), [(1, 1), (7, 50), (40, 1000), (10**6, 10**9)])
def test_a_build_in_ranges_equals_the_build_at_once(
    fresh: tuple[TantivyIndex, ImpactIndex], tmp_path: Path, passages: int, postings: int
) -> None:
    tantivy, impact = fresh
    store = tantivy.store
    stats = build_ranges(
        store_texts(store), analyzer(), tmp_path / "ranges",
        phrase_lists(tantivy, PHRASES, analyzer()), passages, postings,
    )  # fmt: skip
    ranged = ImpactIndex.load(tmp_path / "ranges")
    assert stats["ranges"] == -(-impact.passages // passages)
    assert ranged.words == impact.words
    assert ranged.phrases == impact.phrases
    assert ranged.passages == impact.passages
    for name in FILES:
        a, b = getattr(ranged, name), getattr(impact, name)
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes(), name  # bit for bit
    assert not (tmp_path / "ranges" / "runs").exists()


def test_row_ids_out_of_order_are_refused(tmp_path: Path) -> None:
    rows = [(1, ("a", "b", "c")), (3, ("a", "b", "c")), (2, ("d", "e", "f"))]
    with pytest.raises(ValueError, match="ascending"):
        build_ranges(iter(rows), analyzer(), tmp_path / "x", range_passages=2)
    with pytest.raises(ValueError, match="ascending"):
        build(iter(rows), analyzer())


def test_a_list_of_too_many_distinct_impacts_is_refused() -> None:
    impacts = np.arange(1, 70_002, dtype=np.float32)
    with pytest.raises(ValueError, match="distinct"):
        code_impacts(impacts, np.array([0, len(impacts)], dtype=np.int64))
    codes, values, bases = code_impacts(impacts[:50_000], np.array([0, 50_000], dtype=np.int64))
    assert values[bases[0] + codes.astype(np.int64)].tobytes() == impacts[:50_000].tobytes()


@pytest.mark.parametrize("k", [5, 20])
def test_the_served_search_takes_the_impact_index_when_set(
    fresh: tuple[TantivyIndex, ImpactIndex], monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    """``TantivyIndex.search`` with an impact index set (``CQA_IMPACT_INDEX``) takes its
    hits from it, unfiltered and over-fetched for a filter, and ranks as without it."""
    tantivy, impact = fresh
    council = tantivy.store.facet_values("council")[0]
    asked: list[tuple[str, ...]] = []
    search = ImpactIndex.search

    def spy(self: ImpactIndex, terms: Any, analyzer: Any, k: int) -> Any:
        asked.append(tuple(terms))
        return search(self, terms, analyzer, k)

    monkeypatch.setattr(ImpactIndex, "search", spy)
    for filters in (None, Filters(), Filters(council=(council,))):
        for terms in PHRASED + QUERIES:
            query = Query(text="", terms=terms)
            want = tantivy.search(query, k, filters)
            tantivy.impact = impact
            try:
                got = tantivy.search(query, k, filters)
            finally:
                tantivy.impact = None
            _same_ranking(want, got)
    assert ("looked after children", "placements") in asked
    assert len(asked) >= 2 * len(PHRASED + QUERIES)


def test_only_an_impact_index_of_the_stores_generation_is_opened(
    fresh: tuple[TantivyIndex, ImpactIndex], tmp_path: Path
) -> None:
    tantivy, _impact = fresh
    store = tantivy.store
    assert open_current(tmp_path, 3) is None  # none built
    build_ranges(store_texts(store), analyzer(), tmp_path / IMPACT_FOLDER, generation=3)
    opened = open_current(tmp_path, 3)
    assert opened is not None and opened.generation == 3
    assert opened.search_tokens(["children"], 3) == fresh[1].search_tokens(["children"], 3)
    assert open_current(tmp_path, 4) is None  # a commit since: tantivy answers
