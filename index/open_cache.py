"""What an engine reads from the store at each open, kept beside it for the next open.

At 10M passages an engine's open from a cold page cache took 48 s, ~40 of them reading
SQLite pages scattered over a 24 GB store: the councils and committees named (~22 s), the
passages' documents and the two sets of passages every question and every "what was
decided" starts from (~20 s); warm, the same reads took ~6 s (docs/performance.md,
"Start-up at 10M, stop 34").  The writer, as it closes, or else the first engine to work
them out, saves them here once a store generation, in one file read sequentially (140 MB at
10M); the next open of the same generation reads them back instead.  Any commit makes a new
generation, so a file of another generation is ignored (and replaced by the next open
that works them out).

Only above ``OPEN_CACHE_MIN`` passages: below it the reads take well under a second and an
index folder stays as it was.  Saving is best effort (a read-only folder keeps none), and
a file that cannot be read is ignored: the store is the only truth.
"""

from __future__ import annotations

import contextlib
import os
import threading
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.filters import Filters

if TYPE_CHECKING:
    from index.store import Store

FILE = "open-cache.npz"
OPEN_CACHE_MIN = 1_000_000  # passages
# The passage sets every open works out: the usual filters', and "what was decided"'s.
OPEN_SETS = (Filters(), Filters(has_decision=True))
FACETS = ("council", "committee")


def prepare(store: Store, index_dir: Path, generation: int, passages: int) -> dict[str, list[str]]:
    """What an open needs from ``store`` at ``generation`` (``passages``: its passage
    count, which the caller has read): the councils and committees named (returned, by
    facet) and ``OPEN_SETS`` worked out in the store, read from the saved file when it
    holds them; else read from the store and, above ``OPEN_CACHE_MIN`` passages, saved
    unless a commit came in between."""
    large = passages >= OPEN_CACHE_MIN
    cached = saved(store, index_dir, generation) if large else None
    if cached is not None and not store.restore(generation, cached, OPEN_SETS):
        cached = None
    facets = {
        name: cached[name].tolist() if cached is not None and name in cached
        else store.facet_values(name)
        for name in FACETS
    }  # fmt: skip
    for filters in OPEN_SETS:  # ready before a question
        store.allowed(filters)
    if large and cached is None:
        arrays = store.snapshot(generation, OPEN_SETS)
        if arrays is not None and store.generation() == generation:
            named = {name: np.array(values, dtype=str) for name, values in facets.items()}
            stamp = {RULES: np.array(_rules(store), dtype=str)}
            save(index_dir, generation, {**arrays, **named, **stamp})
    return facets


# The decisions a store holds are read again when their rules change (``index.records.
# refresh_decisions``, at a writer's open) without a new generation: a saved "what was
# decided" set is of the rules it was read with.
RULES = "decisions_version"


def _rules(store: Store) -> str:
    return store.get_meta(RULES) or ""


def saved(store: Store, index_dir: Path, generation: int) -> dict[str, np.ndarray] | None:
    """``load``, unless the store's decisions were read again since it was saved."""
    found = load(index_dir, generation)
    if found is None or RULES not in found or str(found[RULES]) != _rules(store):
        return None
    return found


def load(index_dir: Path, generation: int) -> dict[str, np.ndarray] | None:
    """The arrays saved for ``generation``, or None (none saved, another generation's, or
    unreadable)."""
    try:
        with np.load(index_dir / FILE, allow_pickle=False) as data:
            if "generation" not in data.files or int(data["generation"]) != generation:
                return None
            return {k: np.asarray(data[k]) for k in data.files if k != "generation"}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def _compact(values: np.ndarray) -> np.ndarray:
    """Row ids as 4 bytes where they fit (half the file: ~140 MB at 10M passages)."""
    if values.dtype.kind != "i" or not len(values):
        return values
    if int(values.min()) >= 0 and int(values.max()) < 2**32:
        return values.astype(np.uint32)
    return values


def save(index_dir: Path, generation: int, arrays: Mapping[str, np.ndarray]) -> bool:
    """Write ``arrays`` for ``generation`` (beside, then renamed into place, so that a
    reader never sees half a file); False if the folder cannot be written."""
    partial = index_dir / f".{FILE}.{os.getpid()}.{threading.get_ident()}.partial"
    try:
        with partial.open("wb") as out:
            saved: dict[str, Any] = {"generation": np.int64(generation)}
            saved |= {name: _compact(values) for name, values in arrays.items()}
            np.savez(out, allow_pickle=False, **saved)
        os.replace(partial, index_dir / FILE)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
