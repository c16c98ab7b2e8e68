"""The one interface that dense and lexical search share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from index.store import Filters


@dataclass(frozen=True)
class Query:
    """A question as the indexes see it: its text, its vector, and its lexical terms."""

    text: str
    vector: np.ndarray | None = None
    terms: tuple[str, ...] = field(default=())


class SearchIndex(Protocol):
    """Search returns ``(passage rowid, score)`` pairs, best first, at most ``k``."""

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best passages passing ``filters``."""
        ...

    def count(self) -> int:
        """How many passages the index holds."""
        ...
