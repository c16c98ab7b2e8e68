"""What an engine reads from the store at each open, kept beside it for the next open.

At 10M passages an engine's open from a cold page cache took 48 s, ~40 of them reading
SQLite pages scattered over a 24 GB store: the councils and committees named (~22 s), the
passages' documents and the two sets of passages every question and every "what was
decided" starts from (~20 s); warm, the same reads took ~6 s (docs/performance.md,
"Start-up at 10M, stop 34").  An engine that worked them out saves them here, once a store
generation, in one file of a few tens of MB read sequentially; the next open of the same
generation reads them back instead.  Any commit makes a new generation, so a file of
another generation is ignored (and replaced by the next open that works them out).

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
from typing import Any

import numpy as np

FILE = "open-cache.npz"
OPEN_CACHE_MIN = 1_000_000  # passages


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
