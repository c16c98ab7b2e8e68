"""The engine takes keyword searches from an impact index only when told to and current."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("numba")  # the [bench] extra

from index.embedder import HashingEmbedder
from index.impact import FOLDER, build_ranges
from index.lexical_folder import analyzer
from index.lexical_tantivy import store_texts
from index.store import Store
from qa_service.config import Settings
from qa_service.retriever import Engine


def _impact(index: Path, generation: int) -> None:
    store = Store.open(index)
    try:
        build_ranges(store_texts(store), analyzer(), index / FOLDER, generation=generation)
    finally:
        store.close()


@pytest.mark.parametrize("on", [True, False])
def test_the_engine_opens_a_current_impact_index_when_the_setting_is_on(
    small_index: Path, on: bool
) -> None:
    store = Store.open(small_index)
    generation = store.generation()
    store.close()
    _impact(small_index, generation)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index, impact_index=on))
    try:
        assert (engine.lexical.impact is not None) == on
        if on:
            assert engine.lexical.impact.passages == engine.lexical.count()
        assert engine.ask("looked after children placements").hits  # searched through it
    finally:
        engine.close()


def test_a_stale_impact_index_is_not_opened(small_index: Path) -> None:
    store = Store.open(small_index)
    generation = store.generation()
    store.close()
    _impact(small_index, generation - 1)  # built before the last commit
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index, impact_index=True))
    try:
        assert engine.lexical.impact is None
    finally:
        engine.close()
