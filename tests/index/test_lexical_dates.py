"""The meeting date inside tantivy: date ranges searched as range queries give the results
the set of passing ids gave, unfiltered rankings are those of the schema before it, and an
index of that older schema is rebuilt from the store."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import lexical_folder, lexical_tantivy
from index.base import LexicalText, Query
from index.embedder import HashingEmbedder
from index.lexical_tantivy import (
    DATE_FIELD,
    FOLDER,
    TantivyIndex,
    date_number,
    date_only,
    read_state,
    store_texts,
    write_state,
)
from index.lock import write_lock
from index.store import Filters, Store
from indexing.writer import IndexWriter
from qa_service.config import Settings
from qa_service.retriever import Engine

# about fostering, and with no date in its name, text or manifest row
UNDATED = (
    "Fostering panel notes\n\nThe panel reviewed foster carer recruitment and placement "
    "sufficiency for looked after children, and the support offered to carers.\n"
)
QUERIES = [
    ("placement", "sufficiency"),
    ("foster", "carers", "recruitment"),
    ("ofsted",),
    ("looked after children",),
    ("performance", "report"),
]
RANGES = [
    ("2015-01-01", "2019-12-31"),
    ("2023-01-01", None),  # holds a revised paper and the one it supersedes
    (None, "2016-01-01"),
    ("2018-06-19", "2018-06-19"),  # one day, both bounds inclusive
    ("1990-01-01", "1990-12-31"),  # passes nothing
    ("2000-01-01", None),  # passes most passages: over-fetched first
]


@pytest.fixture
def dated_index(tmp_path: Path, small_corpus: Path) -> Path:
    """The small corpus and one paper without a meeting date, ingested by commits."""
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    (corpus / "fostering-panel-notes.txt").write_text(UNDATED, encoding="utf-8")
    index_dir = tmp_path / "index"
    with IndexWriter(index_dir, HashingEmbedder()).open() as writer:
        writer.ingest([corpus])
    return index_dir


def _open(index_dir: Path) -> tuple[Store, TantivyIndex]:
    store = Store.open(index_dir)
    return store, TantivyIndex.load(index_dir, store)


def _ids(index: TantivyIndex, terms: tuple[str, ...], k: int, filters: Filters | None) -> list:
    return [i for i, _ in index.search(Query(text=" ".join(terms), terms=terms), k, filters)]


def _old_schema(index_dir: Path, store: Store) -> None:
    """Replace the folder's tantivy index by one written with the schema before the date
    field (the same passages, no ``meeting_date``), current at the store's generation."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    for name in lexical_folder._FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name=lexical_folder._ANALYZER)
    shutil.rmtree(index_dir / FOLDER)
    (index_dir / FOLDER).mkdir()
    old = lexical_folder.with_analyzer(tantivy.Index(builder.build(), path=str(index_dir / FOLDER)))
    writer = old.writer(heap_size=64 * 1024 * 1024, num_threads=1)
    for rowid, (heading, body, context) in store_texts(store):
        writer.add_document(
            tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
        )
    writer.commit()
    writer.wait_merging_threads()
    write_state(index_dir, store.generation(), store.generation())


def test_the_undated_paper_is_indexed_without_a_date(dated_index: Path) -> None:
    store, tantivy = _open(dated_index)
    undated = store.allowed_rowids(Filters(include_superseded=True)).tolist()
    dated = store.allowed_rowids(Filters(date_from="1900-01-01", include_superseded=True))
    assert tantivy.dated and 0 < len(dated) < len(undated)
    no_date = set(undated) - set(dated.tolist())
    found = set(_ids(tantivy, ("fostering", "panel", "notes"), 50, None))
    assert found & no_date  # the undated paper is searched when no date is asked


@pytest.mark.parametrize("over_fetch", [False, True], ids=["range", "over-fetched-first"])
@pytest.mark.parametrize("rebuilt", [False, True], ids=["by-commits", "rebuilt"])
@pytest.mark.parametrize("bounds", RANGES)
def test_a_date_range_inside_tantivy_gives_what_the_id_set_gave(
    dated_index: Path,
    rebuilt: bool,
    bounds: tuple[str | None, str | None],
    over_fetch: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not over_fetch:  # every date range goes to tantivy as a range query
        monkeypatch.setattr(lexical_tantivy, "_DATE_OVER_FETCH", 0)
    store, tantivy = _open(dated_index)
    if rebuilt:  # dates read from the store's tables, not from the writer's commits
        with write_lock(dated_index):
            tantivy = TantivyIndex.load(dated_index, store, writer=True)
            tantivy.rebuild()
            tantivy.close()
    filters = Filters(date_from=bounds[0], date_to=bounds[1])
    assert date_only(filters)
    allowed = set(store.allowed_rowids(filters).tolist())
    for terms in QUERIES:
        inside = tantivy.search(Query(text=" ".join(terms), terms=terms), 6, filters)
        assert {i for i, _ in inside} <= allowed
        # today's path against the one before: the filter as the set of passing ids
        before = TantivyIndex(dated_index, store, tantivy._index)
        before.dated = False
        outside = before.search(Query(text=" ".join(terms), terms=terms), 6, filters)
        assert [i for i, _ in inside] == [i for i, _ in outside]
        assert [s for _, s in inside] == pytest.approx([s for _, s in outside])
        unfiltered = _ids(tantivy, terms, 500, None)
        assert [i for i, _ in inside] == [i for i in unfiltered if i in allowed][:6]


def test_a_range_whose_hits_are_superseded_falls_back_to_the_id_set(
    dated_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too few of the range's hits pass (superseded papers): the id set decides."""
    monkeypatch.setattr(lexical_tantivy, "_DATE_OVER_FETCH", 0)  # the range first
    monkeypatch.setattr(lexical_tantivy, "_DATE_FETCH", 0.0)  # fetch k * 0 + 10
    store, tantivy = _open(dated_index)
    filters = Filters(date_from="2023-01-01")
    allowed = set(store.allowed_rowids(filters).tolist())
    wide = set(store.allowed_rowids(Filters(date_from="2023-01-01", include_superseded=True)))
    assert allowed < wide  # the range holds passages the filter drops
    terms = ("performance", "report")
    unfiltered = _ids(tantivy, terms, 500, None)
    expected = [i for i in unfiltered if i in allowed][:40]
    assert len(expected) > 10
    assert _ids(tantivy, terms, 40, filters) == expected


@pytest.mark.parametrize("terms", QUERIES)
def test_unfiltered_rankings_are_those_of_the_schema_before(
    dated_index: Path, tmp_path: Path, terms: tuple[str, ...]
) -> None:
    store, tantivy = _open(dated_index)
    copy = tmp_path / "old"
    shutil.copytree(dated_index, copy)
    old_store = Store.open(copy)
    _old_schema(copy, old_store)
    old = TantivyIndex(copy, old_store, lexical_folder._open_readable(copy))
    assert not old.dated
    with write_lock(dated_index):
        rebuilt = TantivyIndex.load(dated_index, store, writer=True)
        rebuilt.rebuild()  # both from the store, so both without deleted passages
        rebuilt.close()
    tantivy = _open(dated_index)[1]
    # every match, so that no tie at the cut is settled by the segments' order, which a
    # multi-threaded rebuild does not fix
    new = tantivy.search(Query(text=" ".join(terms), terms=terms), 1000)
    before = old.search(Query(text=" ".join(terms), terms=terms), 1000)
    assert len(new) < 1000
    assert new and [i for i, _ in new] == [i for i, _ in before]
    assert [s for _, s in new] == [s for _, s in before]  # not approximately: exactly


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("2019-03-12", 20190312),
        ("1999-12-31", 19991231),
        (None, None),
        ("", None),
        ("2019", None),
        ("2019-3-12", None),
        ("12/03/2019", None),
        ("2019-03-12T10:00", None),
    ],
)
def test_only_iso_dates_become_numbers(value: str | None, number: int | None) -> None:
    assert date_number(value) == number


@pytest.mark.parametrize(
    ("filters", "inside"),
    [
        (Filters(date_from="2019-01-01"), True),
        (Filters(date_to="2019-01-01", include_superseded=True), True),
        (Filters(date_from="2019-01-01", date_to="2020-01-01"), True),
        (Filters(), False),
        (Filters(date_from="2019"), False),  # compared as text by SQL: not a range here
        (Filters(council=("Northmoor",), date_from="2019-01-01"), False),
        (Filters(date_from="2019-01-01", has_decision=True), False),
        (Filters(date_from="2019-01-01", exclude_document_ids=("x",)), False),
    ],
)
def test_which_filters_are_searched_as_a_range(filters: Filters, inside: bool) -> None:
    assert date_only(filters) is inside


def test_an_index_of_the_older_schema_is_rebuilt_by_a_reader(
    dated_index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(dated_index)
    _old_schema(dated_index, store)
    filters = Filters(date_from="2015-01-01", date_to="2019-12-31")
    with caplog.at_level(logging.WARNING, logger="index.lexical_tantivy"):
        engine = Engine(dated_index, HashingEmbedder(), Settings(index=dated_index))
    try:
        assert "before the meeting-date field" in caplog.text
        assert engine.lexical.dated and engine.lexical.usable(store.generation())
        assert engine.lexical.count() == store.stats().passages
        assert (lexical_folder._schema_of(dated_index) or [])[-1:] == [DATE_FIELD]
        assert engine.ask("placement sufficiency", 3, filters=filters).hits
    finally:
        engine.close()


def test_an_index_of_the_older_schema_is_rebuilt_by_the_next_ingest(dated_index: Path) -> None:
    store = Store.open(dated_index)
    _old_schema(dated_index, store)
    with IndexWriter(dated_index, HashingEmbedder()).open() as writer:
        assert writer.lexical.dated
        assert writer.lexical.count() == store.stats().passages
    assert read_state(dated_index) == (store.generation(), store.generation())


def test_a_reader_searches_the_older_schema_while_a_writer_rebuilds(dated_index: Path) -> None:
    """The writer holds the lock (and builds the new index beside the old one): the reader
    opens the old index with its own schema and filters dates by the set of passing ids,
    with the same results."""
    store, tantivy = _open(dated_index)
    filters = Filters(date_from="2015-01-01", date_to="2019-12-31")
    expected = {terms: _ids(tantivy, terms, 6, filters) for terms in QUERIES}
    _old_schema(dated_index, store)
    write_state(dated_index, -1, store.generation())
    with write_lock(dated_index):  # a writer at work
        old = TantivyIndex.load(dated_index, store)
        assert not old.dated
        for terms in QUERIES:
            assert _ids(old, terms, 6, filters) == expected[terms]


def test_an_upgrade_killed_midway_is_rebuilt_whole(
    dated_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(dated_index)
    passages = store.stats().passages
    _old_schema(dated_index, store)
    real = lexical_tantivy.store_rows

    def dies_midway(given: Store) -> Iterator[tuple[int, LexicalText, int | None]]:
        for n, row in enumerate(real(given)):
            if n == passages // 2:
                raise KeyboardInterrupt  # as a kill would stop it
            yield row

    monkeypatch.setattr(lexical_tantivy, "store_rows", dies_midway)
    with pytest.raises(KeyboardInterrupt), write_lock(dated_index):
        TantivyIndex.load(dated_index, store, writer=True)
    assert read_state(dated_index) != (store.generation(), store.generation())
    # the old index is still in its place, whole, beside the half-built one
    assert (dated_index / (FOLDER + ".new")).exists()
    assert DATE_FIELD not in (lexical_folder._schema_of(dated_index) or [DATE_FIELD])
    with write_lock(dated_index):  # as while the writer was at work: readers search it
        assert TantivyIndex.load(dated_index, store).count() == passages
    monkeypatch.setattr(lexical_tantivy, "store_rows", real)
    engine = Engine(dated_index, HashingEmbedder(), Settings(index=dated_index))
    try:
        assert engine.lexical.dated and engine.lexical.count() == passages
        assert engine.lexical.usable(store.generation())
    finally:
        engine.close()
    assert sorted(p.name for p in dated_index.iterdir() if p.name.startswith(FOLDER)) == [
        FOLDER,
        FOLDER + ".state",
    ]


def test_a_replace_killed_between_its_renames_is_rebuilt(dated_index: Path) -> None:
    store = Store.open(dated_index)
    generation = store.generation()
    write_state(dated_index, -1, generation)
    (dated_index / FOLDER).rename(dated_index / (FOLDER + ".old"))  # the first rename only
    with IndexWriter(dated_index, HashingEmbedder()).open() as writer:
        assert writer.lexical.dated
        assert writer.lexical.count() == store.stats().passages
    assert read_state(dated_index) == (generation, generation)
    assert not (dated_index / (FOLDER + ".old")).exists()
