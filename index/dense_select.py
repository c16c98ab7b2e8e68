"""Which dense index a folder holds: in memory (``index.dense``) or on disk
(``index.dense_ondisk``).

Both implement the one ``index.base.Index`` lifecycle, so the writer and the engine hold
either as a ``DenseSearch`` and never ask which.  Two things depend on the kind:

- ``load_dense`` opens the one the store's last commit names (an on-disk index's
  generation file is a numpy archive naming its base; anything else is a FAISS file).  When
  an on-disk base is gone or unreadable it builds a new base from the store, shard by
  shard, never holding every vector in memory (an in-memory rebuild would read 15 GB at
  10M passages), and writes the commit's generation file again to name it; that is a
  write, so it is done by the writer, or by a reader that finds the folder's write lock
  free (as tantivy's rebuild is).  The vectors the old base alone held are read from its
  ``vectors.f16`` (``index.vectors``): a base whose vector file is gone cannot be rebuilt,
  and the index must be ingested again.  A small index (at most ``ONDISK_MIN`` passages, or one
  whose generation file was never an on-disk one) is rebuilt in memory, as before;
- ``outgrown`` replaces an in-memory index holding more than ``dense_ondisk_min`` passages
  by an on-disk one built from the store.  An on-disk index never goes back: it compacts
  itself into a new base as it changes (``OnDiskDenseIndex.save``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cqa_core.errors import IndexBusyError
from cqa_core.limits import DEFAULT_NPROBE
from index.base import Index, Query
from index.dense import DenseIndex, dense_file_name
from index.dense_ondisk import ONDISK_MIN, OnDiskDenseIndex, is_ondisk_file
from index.lock import write_lock
from index.vectors import BASE_META

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
        # of truth (see the module notes for which kind is rebuilt).
        path = index_dir / name if name else None
        if _was_ondisk(path, store):
            dense = _rebuild_ondisk(index_dir, store, writer)
        else:
            dense = DenseIndex.load(index_dir, store, writer)
    dense.nprobe = nprobe
    return dense


def _was_ondisk(path: Path | None, store: Store) -> bool:
    """Whether the commit's dense index was (or, its file gone, would be) on disk."""
    if path is not None and path.exists():
        return is_ondisk_file(path)
    return bool(store.get_meta(BASE_META)) or store.passage_count() > ONDISK_MIN


def _rebuild_ondisk(index_dir: Path, store: Store, writer: bool) -> OnDiskDenseIndex:
    """A new base from the store, named by the commit's generation file written again."""
    from index.ondisk_build import from_store  # the write path, only when it is due

    def build() -> OnDiskDenseIndex:
        dense = from_store(store)
        dense.index_dir = index_dir
        # the file named a base that is gone: naming the new one instead loses nothing
        name = store.get_meta("dense_file") or dense_file_name(store.generation())
        dense.write_file(index_dir / name)
        dense.fold()  # the new base holds every vector now (the old one's, read from it)
        return dense

    if writer:
        return build()
    try:
        with write_lock(index_dir):
            return build()
    except IndexBusyError as exc:  # the writer at work rebuilds it when it next opens it
        raise IndexBusyError(
            f"the dense index at {index_dir} is being rebuilt by the process writing to it; "
            "try again when it has finished"
        ) from exc


def outgrown(dense: DenseSearch, ondisk_min: int) -> DenseSearch:
    """``dense``, or an on-disk index built from its store once an in-memory index holds
    more than ``ondisk_min`` passages (called by the writer before it saves a commit)."""
    if not isinstance(dense, DenseIndex) or dense.count() <= ondisk_min or dense.store is None:
        return dense
    from index.ondisk_build import from_store  # the write path, only when it is due

    ondisk = from_store(dense.store, dense.nprobe)
    ondisk.index_dir = dense.index_dir
    return ondisk
