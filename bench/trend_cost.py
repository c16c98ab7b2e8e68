"""What reading the question's word weights costs a quantity question, before and after.

``qa_service.trend.question_weights`` used to read the whole vocabulary table into a dict
and scan it once per key word, on every trend, results page and timeline that reads
figures. It now reads only the question's words (a range of the table's key per stem)
and the largest count once per index generation. This measures both in the same run on
the same index, over the gold trend questions: the weights alone, and a whole trend
(``trend.trend``) with each way of weighting.

Run ``python -m bench.trend_cost INDEX [REPEATS]`` over an index of the three sets; it
prints medians (ms) and the ratio old / new.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.records_quality import TREND_BLIND_AFTER, TREND_HELD_OUT, TREND_LABELS
from qa_service import trend as trend_module
from qa_service.retriever import Engine
from qa_service.trend_words import stems


def whole_vocabulary_weights(engine: Engine, question: str) -> dict[str, float]:
    """The weights as main computed them: every word of the vocabulary read, every call."""
    vocabulary = engine.store.vocabulary()
    total = max(vocabulary.values(), default=1)
    out = {}
    for stem in stems(question):
        df = max((n for w, n in vocabulary.items() if w.startswith(stem)), default=0)
        out[stem] = math.log((total + 1) / (df + 1)) + 1.0
    return out


def questions() -> list[str]:
    """The distinct gold trend questions of the three labelled batches."""
    seen: dict[str, None] = {}
    for path in (TREND_LABELS, TREND_HELD_OUT, TREND_BLIND_AFTER):
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            seen.setdefault(q["question"], None)
    return list(seen)


def median_ms(run: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``run`` over ``repeats`` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(index_dir: Path, repeats: int = 5) -> None:
    """Print the medians of the weights alone and of whole trends, old and new ways."""
    from qa_service.config import Settings
    from qa_service.runtime import make_query_embedder

    settings = Settings(index=index_dir)
    engine = Engine(index_dir, make_query_embedder(settings), settings)
    asked = questions()
    new_way = trend_module.question_weights
    for q in asked:  # the same weights either way
        old, new = whole_vocabulary_weights(engine, q), new_way(engine, q)
        assert old.keys() == new.keys() and all(abs(old[k] - new[k]) < 1e-9 for k in old), q
    stats = engine.store.stats()
    print(f"index: {stats.passages} passages; {len(asked)} questions; {repeats} repeats\n")
    print("| measure | old (ms) | new (ms) | old / new |\n| --- | --- | --- | --- |")
    old_ms = median_ms(lambda: [whole_vocabulary_weights(engine, q) for q in asked], repeats)
    new_ms = median_ms(lambda: [new_way(engine, q) for q in asked], repeats)
    print(f"| weights of all questions | {old_ms:.1f} | {new_ms:.1f} | {old_ms / new_ms:.0f} |")
    for q in asked:
        engine.ask(q, trend_module.CANDIDATES)  # warm the searches before timing trends
    pairs = []
    for way in (whole_vocabulary_weights, new_way):
        trend_module.question_weights = way
        try:
            pairs.append(median_ms(lambda: [trend_module.trend(engine, q) for q in asked], repeats))
        finally:
            trend_module.question_weights = new_way
    old_t, new_t = pairs
    print(f"| trends of all questions | {old_t:.0f} | {new_t:.0f} | {old_t / new_t:.2f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
