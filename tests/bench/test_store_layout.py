"""bench.store_layout: copies of both layouts from one store, read the same by every reader."""

from __future__ import annotations

from pathlib import Path

from bench import store_layout
from index.store import DB_NAME, Store


def test_copies_of_both_layouts_read_the_same(small_index: Path, tmp_path: Path) -> None:
    source = small_index / DB_NAME
    held = {v: store_layout.copy_store(source, tmp_path / f"v{v}" / DB_NAME, 12, v) for v in "12"}
    assert held == {"1": 12, "2": 12}
    sizes = {v: store_layout.sizes(tmp_path / f"v{v}" / DB_NAME, 12) for v in "12"}
    assert "passage_rows" in sizes["2"]["by"] and "passage_rows" not in sizes["1"]["by"]  # type: ignore[operator]
    # a second copy of version 1 from the version-2 copy: a source of either layout
    again = store_layout.copy_store(tmp_path / "v2" / DB_NAME, tmp_path / "x" / DB_NAME, None, "1")
    assert again == 12
    table = store_layout.time_readers(tmp_path, rounds=1, questions=3)
    store = Store.open(tmp_path / "v1")
    assert set(table) == set(store_layout.readers(store, 3, 0))
    store.close()
    assert all(row["v2/v1"] > 0 for row in table.values())
