"""The interface every index of a folder shares: dense (FAISS) and lexical (tantivy) alike.

Like txtai's ANN base, each index has one lifecycle: ``load`` it from the folder, ``add``
and ``remove`` passages, ``search`` and ``count``, ``save`` a generation, ``close``.  The
SQLite store is the source of truth; an index is a structure derived from its rows, so an
index that does not match the store's last commit is rebuilt from the store when loaded.

Each index class also has ``load(index_dir, store, writer=False)``, which opens the
folder's index as of the store's generation (``writer``: the caller holds the write lock).

A commit goes through the list of indexes (``indexing.writer``): each stages its removals
and additions, then ``save(generation)`` makes them durable *before* the store's
transaction that names the generation commits, and ``committed(generation)`` drops what
older generations left once it has.  A crash anywhere leaves the previous commit usable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from index.filters import Filters

# A passage as keyword search reads it: heading path, body text, and document facts
LexicalText = tuple[str, str, str]


@dataclass(frozen=True)
class Query:
    """A question as the indexes see it: its text, its vector, and its lexical terms."""

    text: str
    vector: np.ndarray | None = None
    terms: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Batch:
    """Passages to add to every index: row ids, their vectors, and their lexical text.

    Each index takes the part it reads: the dense index the vectors, the lexical one the text.
    """

    ids: np.ndarray  # int64 passage row ids
    vectors: np.ndarray  # float32, one row per id
    texts: Sequence[LexicalText]  # one per id

    @classmethod
    def empty(cls, dim: int) -> Batch:
        """A batch of no passages (a commit that only removes)."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), ())

    def __len__(self) -> int:
        return len(self.ids)


class SearchIndex(Protocol):
    """The read side: ``(passage rowid, score)`` pairs, best first, at most ``k``."""

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best passages passing ``filters``."""
        ...

    def count(self) -> int:
        """How many passages the index holds."""
        ...


class Index(SearchIndex, Protocol):
    """The whole lifecycle, as the writer drives it (see the module notes)."""

    def add(self, batch: Batch) -> None:
        """Stage passages to add."""
        ...

    def remove(self, ids: np.ndarray) -> None:
        """Stage passages to remove, by row id (unknown ids are ignored)."""
        ...

    def save(self, generation: int) -> dict[str, str]:
        """Make the staged changes durable as ``generation``, before the store commits it;
        returns the ``meta`` entries the store's transaction records beside it."""
        ...

    def committed(self, generation: int) -> None:
        """The store now holds ``generation``: drop whatever older generations left."""
        ...

    def close(self) -> None:
        """Release files, locks and threads."""
        ...
