"""Which dense index a folder holds: in memory (``index.dense``) or on disk
(``index.dense_ondisk``).

Both implement the one ``index.base.Index`` lifecycle, so the writer and the engine hold
either as a ``DenseSearch`` and never ask which.  Two things depend on the kind:

- ``load_dense`` opens the one the store's last commit names (an on-disk index's
  generation file is a numpy archive naming its base; anything else is a FAISS file), and
  falls back to an in-memory index rebuilt from the store when an on-disk base is gone;
- ``outgrown`` replaces an in-memory index holding more than ``dense_ondisk_min`` passages
  by an on-disk one built from the store.  An on-disk index never goes back: it compacts
  itself into a new base as it changes (``OnDiskDenseIndex.save``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cqa_core.limits import DEFAULT_NPROBE
from index.base import Index, Query
from index.dense import DenseIndex
from index.dense_ondisk import OnDiskDenseIndex, is_ondisk_file

if TYPE_CHECKING:
    from index.store import Store


class DenseSearch(Index, Protocol):
    """A dense index of either kind, as the writer and the engine use it."""

    nprobe: int

    @property
    def kind(self) -> str:
        """What FAISS structure holds the vectors (``exact``, ``ivf<n>,sq8``, ...)."""
        ...

    def similarity(self, query: Query, rowids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given passages."""
        ...


def load_dense(
    index_dir: Path, store: Store, writer: bool = False, nprobe: int = DEFAULT_NPROBE
) -> DenseSearch:
    """The dense index of the store's last commit, of whichever kind it was saved as."""
    dense: DenseSearch
    name = store.get_meta("dense_file")
    try:
        if not name or not is_ondisk_file(index_dir / name):
            raise ValueError("an in-memory index")
        dense = OnDiskDenseIndex.load(index_dir, store, writer)
    except (OSError, RuntimeError, ValueError):
        # An in-memory index, or an on-disk one whose base is gone: the store is the source
        # of truth, and the writer's next commit goes on disk again if the size calls for it.
        dense = DenseIndex.load(index_dir, store, writer)
    dense.nprobe = nprobe
    return dense


def outgrown(dense: DenseSearch, ondisk_min: int) -> DenseSearch:
    """``dense``, or an on-disk index built from its store once an in-memory index holds
    more than ``ondisk_min`` passages (called by the writer before it saves a commit)."""
    if not isinstance(dense, DenseIndex) or dense.count() <= ondisk_min or dense.store is None:
        return dense
    from index.ondisk_build import from_store  # the write path, only when it is due

    ondisk = from_store(dense.store, dense.nprobe)
    ondisk.index_dir = dense.index_dir
    return ondisk
