"""Seconds spent in each ingest stage, summed over a run, so the split is measurable.

Stages: ``parse`` (read, load and structure a file, and fill its metadata), ``chunk``
(passages, decisions and sentence spans), ``lookup`` (text hashes and the embedding cache),
``embed`` (the model's own time), ``write`` (the SQLite and FAISS commit, of which ``faiss``
is the dense index's update and save).  A ``perf_counter`` pair per stage and file costs
about a microsecond, nothing beside the work it times.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

STAGES = ("parse", "chunk", "lookup", "embed", "write")


@dataclass
class StageTimes:
    """Seconds per stage; ``faiss`` is the part of ``write`` spent on the dense index."""

    parse: float = 0.0
    chunk: float = 0.0
    lookup: float = 0.0
    embed: float = 0.0
    write: float = 0.0
    faiss: float = 0.0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent inside the ``with`` block to stage ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            setattr(self, name, getattr(self, name) + time.perf_counter() - started)

    def total(self) -> float:
        """The seconds of all the stages (``faiss`` is inside ``write``)."""
        return sum(getattr(self, name) for name in STAGES)

    def as_dict(self) -> dict[str, float]:
        """The seconds by stage, rounded to the millisecond."""
        return {name: round(value, 3) for name, value in asdict(self).items()}

    def describe(self, seconds: float) -> str:
        """One line for people: each stage's seconds and share of ``seconds``."""
        share = (lambda v: f"{100 * v / seconds:.0f}%") if seconds > 0 else (lambda v: "-")
        parts = [
            f"{name} {getattr(self, name):.2f}s ({share(getattr(self, name))})" for name in STAGES
        ]
        other = max(0.0, seconds - self.total())
        parts.append(f"other {other:.2f}s ({share(other)})")
        return "stages: " + ", ".join(parts) + f"; FAISS {self.faiss:.2f}s of write"
