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
from index.impact import FOLDER as IMPACT_FOLDER
from index.impact import (
    ImpactIndex,
    build,
    build_ranges,
    code_impacts,
    first_pass_words,
    open_current,
    phrase_key,
    phrase_lists,
)
from index.impact_blocks import (
    BLOCK,
    decode_list,
    maxscore_blocks,
    maxscore_blocks_windowed,
    pack,
    positions,
)
from index.impact_maxscore import maxscore, maxscore_windowed
from index.lexical_folder import FOLDER, analyzer
from index.lexical_tantivy import (
    _WORD,
    RESCORE_FETCH,
    TantivyIndex,
    query_text,
    rescore_fetch,
    store_texts,
)
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
def served(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> TantivyIndex:
    """The small corpus indexed with the fake embedder, its tantivy rebuilt from the store
    (no deleted passages, whose statistics tantivy keeps until a merge); built once for
    the module (nothing here writes to it)."""
    folder = build_index(
        tmp_path_factory.mktemp("impact") / "index", [small_corpus], HashingEmbedder()
    )
    shutil.rmtree(folder / FOLDER)
    return TantivyIndex.load(folder, Store.open(folder))


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "blocks"])
def fresh(served: TantivyIndex, request: pytest.FixtureRequest) -> tuple[TantivyIndex, ImpactIndex]:
    """``served`` and the impact index of the same passages, its row ids as they are or
    block-compressed with block maxima (stop 26): every test of it runs on both."""
    phrases = phrase_lists(served, PHRASES, analyzer())
    impact = build(store_texts(served.store), analyzer(), phrases, blocks=request.param)
    assert impact.passages == served.count()
    assert (impact.blocks is not None) == request.param
    return served, impact


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


def _random_case(seed: int, whole: bool, stretches: bool = False) -> tuple[Any, ...]:
    """Random lists (offsets, row ids, impacts), the lists asked, their weights, k and the
    passages: of small whole impacts (so that many passages tie, as copies do) or of any,
    with ``stretches`` strong in a few stretches of row ids, as a topic's papers are."""
    rng = np.random.default_rng(seed)
    words, passages = int(rng.integers(1, 8)), int(rng.integers(1, 12_000))
    offsets, docids, impacts = [0], [], []
    for _ in range(words):
        share = rng.choice([0.01, 0.1, 0.5, 1.0])
        held = np.flatnonzero(rng.random(passages) < share)
        if whole:
            values = rng.integers(1, 5, size=len(held))
        elif stretches:
            values = rng.random(len(held)) * np.where((held // 700) % 5 == 0, 9, 1)
        else:
            values = rng.random(len(held)) * 9
        docids += held.tolist()
        impacts += values.astype(np.float32).tolist()
        offsets.append(len(docids))
    offsets_a = np.array(offsets, dtype=np.int64)
    docids_a = np.array(docids, dtype=np.uint32)
    impacts_a = np.array(impacts, dtype=np.float32)
    lists = rng.choice(words, size=int(rng.integers(1, words + 1)), replace=False).tolist()
    weights = rng.integers(1, 3, size=len(lists)).astype(np.float64).tolist()
    k = int(rng.integers(1, 30))
    return offsets_a, docids_a, impacts_a, lists, weights, k, passages


def _ordered(
    offsets: np.ndarray, impacts: np.ndarray, lists: list[int], weights: list[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lists asked, their weights and bounds, in the order of their bounds (as
    ``ImpactIndex`` passes them to a kernel)."""
    bounds = np.array(
        [
            w * float(impacts[offsets[t] : offsets[t + 1]].max(initial=0.0))
            for t, w in zip(lists, weights, strict=True)
        ]
    )
    order = np.argsort(bounds, kind="stable")
    return np.array(lists, dtype=np.int64)[order], np.array(weights)[order], bounds[order]


def _on_blocks(kernel: Any) -> Any:
    """``kernel`` (a block kernel) called as the plain kernels are: the lists packed in
    blocks first (their impacts decoded for the block maxima)."""

    def run(
        offsets: np.ndarray, docids: np.ndarray, codes: np.ndarray, values: np.ndarray,
        bases: np.ndarray, *rest: Any,
    ) -> Any:  # fmt: skip
        which = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        impacts = values[bases[which] + codes.astype(np.int64)]
        return kernel(offsets, *pack(offsets, docids, impacts), codes, values, bases, *rest)

    return run


KERNELS = [maxscore, maxscore_windowed, _on_blocks(maxscore_blocks),
           _on_blocks(maxscore_blocks_windowed)]  # fmt: skip


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("kernel", KERNELS, ids=["plain", "windowed", "blocks", "blocks_windowed"])
@pytest.mark.parametrize("seed", range(30))
def test_maxscore_equals_scoring_every_passage(seed: int, kernel: Any, whole: bool) -> None:
    """Random lists, of small whole impacts (so that many passages tie, as copies do) or
    of any: the pruned top k is the exhaustive one, ties by row id."""
    offsets_a, docids_a, impacts_a, lists, weights, k, _passages = _random_case(seed, whole)
    coded = code_impacts(impacts_a, offsets_a)
    for at in range(len(impacts_a)):  # the codes give the impacts back, bit for bit
        term = int(np.searchsorted(offsets_a, at, side="right")) - 1
        assert coded[1][coded[2][term] + coded[0][at]] == impacts_a[at]
    ordered = _ordered(offsets_a, impacts_a, lists, weights)
    docs, scores, _read = kernel(offsets_a, docids_a, *coded, *ordered, k)
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


@pytest.mark.parametrize("terms", PHRASED)
@pytest.mark.parametrize("k", [1, 5, 20])
@pytest.mark.parametrize("share", [1.0, 1.5, 2.0])
def test_a_smaller_first_pass_from_lists_is_tantivy_s_at_the_same_share(
    fresh: tuple[TantivyIndex, ImpactIndex], terms: tuple[str, ...], k: int, share: float
) -> None:
    """``CQA_RESCORE_FETCH``: the first pass's k given to the lists' search gives the
    tantivy search's hits at the same share (the fall-back to the whole phrased query
    included, which a smaller first pass meets more often)."""
    tantivy, impact = fresh
    tantivy.rescore_fetch = share
    try:
        want = tantivy.search(Query(text="", terms=terms), k)
    finally:
        tantivy.rescore_fetch = None
    got = impact.search(terms, analyzer(), k, rescore_fetch(k, share))
    assert got is not None
    _same_ranking(want, got)


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
        blocks=impact.blocks is not None,
    )  # fmt: skip
    ranged = ImpactIndex.load(tmp_path / "ranges")
    assert stats["ranges"] == -(-impact.passages // passages)
    assert ranged.words == impact.words
    assert ranged.phrases == impact.phrases
    assert ranged.passages == impact.passages
    assert (ranged.blocks is None) == (impact.blocks is None)
    saved, built = ranged.arrays(), impact.arrays()
    assert sorted(saved) == sorted(built)
    assert ("docids" in saved) == (impact.blocks is None)  # block-compressed: no plain row ids
    for name in built:
        a, b = saved[name], built[name]
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

    def spy(self: ImpactIndex, terms: Any, analyzer: Any, k: int, fetch: Any = None) -> Any:
        asked.append(tuple(terms))
        return search(self, terms, analyzer, k, fetch)

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


@pytest.mark.parametrize("seed", range(20))
def test_blocks_give_back_every_row_id_and_find_each(seed: int) -> None:
    """Gaps bit-packed in blocks of 128 (dense runs of width 0, sparse ones up to 32
    bits): every list decodes to its row ids, and a look-up finds exactly the row ids
    the list holds, at their positions."""
    rng = np.random.default_rng(seed)
    offsets, docids = [0], []
    for _ in range(int(rng.integers(1, 6))):
        kind = rng.integers(0, 3)
        size = int(rng.integers(0, 700))
        if kind == 0:  # consecutive passages
            start = int(rng.integers(0, 1000))
            held = np.arange(start, start + size)
        elif kind == 1:  # sparse, up to the whole uint32 range
            held = np.unique(rng.integers(0, 2**32 - 1, size=size, dtype=np.int64))
        else:
            held = np.flatnonzero(rng.random(5000) < 0.3)[:size]
        docids += held.tolist()
        offsets.append(len(docids))
    offsets_a = np.array(offsets, dtype=np.int64)
    docids_a = np.array(docids, dtype=np.uint32)
    impacts = rng.random(len(docids_a)).astype(np.float32)
    blocks = pack(offsets_a, docids_a, impacts)
    for i in range(len(offsets) - 1):
        lo, hi = offsets[i], offsets[i + 1]
        start = int(blocks.starts[i])
        assert blocks.starts[i + 1] - start == -(-(hi - lo) // BLOCK)
        got = decode_list(lo, hi, start, blocks.first, blocks.width, blocks.at, blocks.packed)
        assert got.tobytes() == docids_a[lo:hi].tobytes()
        for b in range(start, int(blocks.starts[i + 1])):  # each block's largest impact
            part = impacts[lo + (b - start) * BLOCK : min(hi, lo + (b - start + 1) * BLOCK)]
            assert blocks.maximum[b] == part.max()
        asked = np.unique(
            np.concatenate([docids_a[lo:hi][:: int(rng.integers(1, 5))], docids_a[lo:hi] + 1])
        ).astype(np.uint32)
        where = positions(
            lo, hi, start, int(blocks.starts[i + 1]), blocks.first, blocks.last,
            blocks.width, blocks.at, blocks.packed, asked,
        )  # fmt: skip
        held_here = {int(d): lo + n for n, d in enumerate(docids_a[lo:hi])}
        assert where.tolist() == [held_here.get(int(d), -1) for d in asked]


def test_block_maxima_skip_look_ups_that_cannot_enter() -> None:
    """A weak list strong only in its first block, and a list of every other passage,
    stronger after that block: once the top k (in the first block) is full, the weak
    list is non-essential and its list maximum still lets each later passage in, so
    MaxScore looks each up; its later blocks' maxima do not, so with blocks none is
    looked up. The same top k either way."""
    passages = 20 * BLOCK
    weak = np.arange(passages, dtype=np.uint32)
    weak_impacts = np.full(passages, 0.1, dtype=np.float32)
    weak_impacts[:BLOCK] = 9.0
    strong = np.arange(0, passages, 2, dtype=np.uint32)
    strong_impacts = np.where(strong < BLOCK, 9.0, 10.0).astype(np.float32)
    offsets = np.array([0, len(weak), len(weak) + len(strong)], dtype=np.int64)
    docids = np.concatenate([weak, strong])
    impacts = np.concatenate([weak_impacts, strong_impacts])
    coded = code_impacts(impacts, offsets)
    lists = np.array([0, 1], dtype=np.int64)  # ordered by bound: the weak one first
    weights = np.ones(2)
    bounds = np.array([9.0, 10.0])
    plain = maxscore(offsets, docids, *coded, lists, weights, bounds, 3)
    blocked = maxscore_blocks(offsets, *pack(offsets, docids, impacts), *coded, lists,
                              weights, bounds, 3)  # fmt: skip
    assert blocked[0].tolist() == plain[0].tolist() == [0, 2, 4]
    assert blocked[1].tolist() == plain[1].tolist() == [18.0, 18.0, 18.0]
    # postings scored: the weak list walked up to passage 4, the other list whole, a
    # look-up for each of its later passages in the first block (which tie the k-th
    # score, so either bound lets them in), and without block maxima one for each of
    # its passages after that block too
    tying = int(np.sum((strong > 4) & (strong < BLOCK)))
    later = int(np.sum(strong >= BLOCK))
    assert blocked[2] == 5 + len(strong) + tying
    assert plain[2] == 5 + len(strong) + tying + later


def test_a_block_compressed_index_saves_no_plain_row_ids(
    served: TantivyIndex, tmp_path: Path
) -> None:
    plain = build(store_texts(served.store), analyzer())
    blocked = build(store_texts(served.store), analyzer(), blocks=True)
    blocked.save(tmp_path / "blocks")
    assert not (tmp_path / "blocks" / "docids.npy").exists()
    loaded = ImpactIndex.load(tmp_path / "blocks")
    assert loaded.blocks is not None
    # (fewer bytes only on long lists: a block's header is 21 bytes, measured at 1M)
    for i in range(len(plain.offsets) - 1):
        assert loaded.list_docids(i).tobytes() == plain.list_docids(i).tobytes()
    tokens = ["foster", "carer", "children", "the"]
    for k in (1, 7, 10_000):
        assert loaded.search_tokens(tokens, k)[0] == plain.search_tokens(tokens, k)[0]


def test_a_released_prefix_reads_as_zeros_and_frees_its_blocks(tmp_path: Path) -> None:
    path = tmp_path / "run.bin"
    data = np.arange(1 << 18, dtype=np.uint32)  # 1 MiB
    data.tofile(path)
    before = path.stat()
    if not impact_module.release(path, 300_000):
        pytest.skip("this file system cannot punch holes")
    after = path.stat()
    assert after.st_size == before.st_size
    assert after.st_blocks < before.st_blocks
    read = np.fromfile(path, np.uint32)
    cut = 262_144 // 4  # 300,000 bytes rounded down to 64 KiB
    assert not read[:cut].any()
    assert np.array_equal(read[cut:], data[cut:])
    assert not impact_module.release(path, 1000)  # less than a page: nothing


def test_the_range_build_compresses_its_runs_and_releases_what_it_merged(
    fresh: tuple[TantivyIndex, ImpactIndex], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    tantivy, _impact = fresh
    saved: list[Path] = []
    save = impact_module._save_run

    def keep(path: Path, arrays: dict[str, np.ndarray]) -> None:
        save(path, arrays)
        with zipfile.ZipFile(path) as archive:
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
            assert sum(i.compress_size for i in archive.infolist()) < sum(
                i.file_size for i in archive.infolist()
            )
        loaded = np.load(path)
        for name, values in arrays.items():
            assert np.array_equal(loaded[name], values) and loaded[name].dtype == values.dtype
        saved.append(path)

    released: dict[str, int] = {}
    sizes: dict[str, int] = {}

    def note(path: Path, upto: int) -> bool:
        assert upto >= released.get(path.name, 0)  # front to back
        released[path.name] = upto
        sizes[path.name] = path.stat().st_size
        return False

    monkeypatch.setattr(impact_module, "_save_run", keep)
    monkeypatch.setattr(impact_module, "release", note)
    stats = build_ranges(store_texts(tantivy.store), analyzer(), tmp_path / "r", (), 7, 50)
    assert len(saved) == stats["ranges"] > 1
    # every range's runs (compressed streams) released up to their whole size by the end
    assert sorted(released) == sorted(
        f"{kind}{r}.z" for kind in ("docids", "impacts") for r in range(stats["ranges"])
    )
    assert released == sizes
    assert sum(sizes.values()) < 2 * 4 * stats["postings"]  # smaller than the raw runs


def test_a_stream_reads_back_what_was_written_in_any_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impact_module, "_STREAM_CHUNK", 64)  # many chunks each way
    rng = np.random.default_rng(3)
    values = np.sort(rng.integers(0, 10**6, 5000)).astype(np.uint32)
    impact_module._write_stream(tmp_path / "s.z", values)
    stream = impact_module._Stream(tmp_path / "s.z")
    pieces, at = [], 0
    for size in [0, 1, 7, 640, 3, 0, 4352 - 651]:
        pieces.append(np.frombuffer(stream.read(4 * size), np.uint32))
        at += size
        assert stream.offset <= (tmp_path / "s.z").stat().st_size
    assert np.array_equal(np.concatenate(pieces), values[:at])
    with pytest.raises(ValueError, match="ends before"):
        stream.read(4 * (len(values) - at) + 4)
