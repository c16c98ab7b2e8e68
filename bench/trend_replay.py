"""The trend points of every label file, with the engine's retrieval read once and replayed.

    python -m bench.trend_replay INDEX --cache FILE [LABELS ...]

The reader (``qa_service.trend``) is scored as ``bench.records_quality --trend`` scores it,
file by file and pooled, but the engine's answers (``Engine.ask``, ``Engine.understand``)
are kept in ``FILE`` the first time and replayed after: a change to how sentences are read
is measured in seconds instead of minutes. The answers do not depend on the reader, so the
figures are the bench's (``records_quality`` stays the reference: check one run against it).
Without LABELS, every file of ``records_quality.TREND_BATCHES``.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

from bench.records_quality import TREND_BATCHES, TrendScores, ratio, score_trend_engine


class Replayed:
    """An engine whose ``ask`` answers are read from ``answers`` when held, else asked of
    ``engine`` and kept; every other attribute is the engine's."""

    def __init__(self, engine: Any, answers: dict[str, Any]) -> None:
        self._engine = engine
        self.answers = answers
        self.asked = 0  # answers not held, asked of the engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def understand(self, question: str) -> tuple[None, None]:
        """Nothing read: ``ask`` reads the question again when it must ask."""
        return None, None

    def ask(self, question: str, top_k: int = 5, filters: Any = None, **_: Any) -> Any:
        """The engine's answer, as kept (the question's reading is the engine's own)."""
        key = repr((question.strip(), top_k, filters))
        if key not in self.answers:
            self.answers[key] = self._engine.ask(question, top_k, filters)
            self.asked += 1
        return self.answers[key]


def score(engine: Any, labels: Path) -> TrendScores:
    """``records_quality.score_trend`` over ``engine``."""
    return score_trend_engine(engine, None, labels)


def line(name: str, s: TrendScores) -> str:
    """Right of plotted for gold, precision / recall."""
    p, r = ratio(s.right, s.plotted), ratio(s.right, s.gold)
    return f"{name}: {s.right} of {s.plotted} for {s.gold}: {p:.2f} / {r:.2f}"


def main(argv: list[str]) -> None:
    """``INDEX --cache FILE [--misses] [LABELS ...]``."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    index_dir = Path(argv[0])
    cache = Path(argv[argv.index("--cache") + 1])
    misses = "--misses" in argv
    named = [Path(a) for a in argv[1:] if a.endswith(".json")]
    files = named or [p for _, p in TREND_BATCHES]
    answers = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    settings = Settings(index=index_dir)
    engine = Replayed(Engine(index_dir, make_query_embedder(settings), settings), answers)
    total = TrendScores()
    for path in files:
        s = score(engine, path)
        print(line(path.stem, s), flush=True)
        if misses:
            print("\n".join(s.misses or []))
        total.gold += s.gold
        total.plotted += s.plotted
        total.right += s.right
    print(line(f"all {len(files)} files", total))
    if engine.asked:
        cache.write_bytes(pickle.dumps(engine.answers))


if __name__ == "__main__":
    main(sys.argv[1:])
