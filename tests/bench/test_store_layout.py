"""bench.store_layout: copies of every layout from one store, read the same by every reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench import store_layout
from index.store import DB_NAME, Store


def test_copies_of_every_layout_read_the_same(small_index: Path, tmp_path: Path) -> None:
    source = small_index / DB_NAME
    held = {v: store_layout.copy_store(source, tmp_path / f"v{v}" / DB_NAME, 12, v) for v in "123"}
    assert held == {"1": 12, "2": 12, "3": 12}
    sizes = {v: store_layout.sizes(tmp_path / f"v{v}" / DB_NAME, 12) for v in "123"}
    assert "passage_rows" in sizes["2"]["by"] and "passage_rows" not in sizes["1"]["by"]  # type: ignore[operator]
    # version 3 holds no vector in its rows: they are in the base beside it, as float16
    assert sizes["3"]["by"]["passage_rows"] < sizes["2"]["by"]["passage_rows"]  # type: ignore[index]
    lean, full = Store.open(tmp_path / "v3"), Store.open(tmp_path / "v2")
    assert lean.conn.execute("SELECT count(embedding) FROM passages").fetchone()[0] == 0
    (ids, vectors), (same, exact) = lean.all_embeddings(), full.all_embeddings()
    assert np.array_equal(ids, same)
    assert np.array_equal(vectors, exact.astype(np.float16).astype(np.float32))
    lean.close()
    full.close()
    # a copy of version 1 from the version-3 copy: a source of any layout, its vectors
    # read from its base
    again = store_layout.copy_store(tmp_path / "v3" / DB_NAME, tmp_path / "x" / DB_NAME, None, "1")
    assert again == 12
    table = store_layout.time_readers(tmp_path, rounds=1, questions=3)
    store = Store.open(tmp_path / "v1")
    assert set(table) == set(store_layout.readers(store, 3, 0))
    store.close()
    assert all(row["ratio"] > 0 for row in table.values())


def test_a_migrated_copy_drops_the_vectors_its_base_holds(
    small_index: Path, tmp_path: Path
) -> None:
    source = small_index / DB_NAME
    held = store_layout.copy_store(source, tmp_path / "v2" / DB_NAME, None, "2")
    report = store_layout.migrate_copy(tmp_path, "2", held)
    assert report["fold"]["dropped"] == held  # type: ignore[index]
    store = Store.open(tmp_path / "v2")
    assert store.get_meta("schema_version") == "3"
    assert store.conn.execute("SELECT count(embedding) FROM passages").fetchone()[0] == 0
    assert len(store.all_embeddings()[0]) == held
    store.close()


def test_a_copy_kept_in_memory_holds_every_vector_as_float32(
    small_index: Path, tmp_path: Path
) -> None:
    source = small_index / DB_NAME
    store_layout.copy_store(source, tmp_path / "v3" / DB_NAME, None, "3", fold=False)
    copy, built = Store.open(tmp_path / "v3"), Store.open(small_index)
    (ids, vectors), (same, exact) = copy.all_embeddings(), built.all_embeddings()
    assert not copy.get_meta("vector_base")
    assert np.array_equal(ids, same) and np.array_equal(vectors, exact)
    copy.close()
    built.close()
