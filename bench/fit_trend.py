"""Fit the trend reader's numbers by cross-validation across councils:
``qa_service.trend_sentence.WINDOW`` (words either side of a figure read as what it counts)
and, with ``--common-share``, ``qa_service.trend_phrase.COMMON_SHARE`` (the share of passages
holding a pair of the question's key words that makes it a common phrase).

The labelled questions the reader has been changed against (``tests/labels/trend_gold.json``
and the third to thirteenth batches, ``trend_heldout.json`` to ``trend_heldout11.json``) are
grouped by council; for each council, the window that scores
best (most right points, then fewest plotted) on the other councils' questions is chosen and
that council's points are scored with it. The out-of-fold totals are what the window is
worth on a council it was not chosen on; the newest batch (``trend_heldout12.json``) is then
scored once with every window, for the record.

Run ``python -m bench.fit_trend INDEX [--common-share]`` over an index of the three sets
(bundled model).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.records_quality import (
    TREND_BLIND_AFTER,
    TREND_EIGHTH,
    TREND_ELEVENTH,
    TREND_FIFTH,
    TREND_FOURTEENTH,
    TREND_HELD_OUT,
    TREND_LABELS,
    TREND_NINTH,
    TREND_SEVENTH,
    TREND_SIXTH,
    TREND_TENTH,
    TREND_THIRTEENTH,
    TREND_TWELFTH,
)

WINDOWS = (2, 3, 5, 8, 12)
# COMMON_SHARE's candidates; 1.0 is no common phrase at all (the reader before the rule)
SHARES = (0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.06, 1.0)


def _counts(points: set[tuple[str, float]], gold: set[tuple[str, float]]) -> tuple[int, int, int]:
    return len(gold), len(points), len(points & gold)


def main(index_dir: Path, windows: Sequence[int] = WINDOWS, share: bool = False) -> None:
    """Print the out-of-fold choice per council and the totals per window (with ``share``:
    per common phrases' share, ``SHARES``, at the reader's window)."""
    from index.store import Filters
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder
    from qa_service.trend import candidates, select
    from qa_service.trend_phrase import free_words
    from qa_service.trend_sentence import WINDOW

    settings = Settings(index=index_dir)
    engine = Engine(index_dir, make_query_embedder(settings), settings)

    def scores(path: Path) -> list[tuple[str, dict[int, tuple[int, int, int]]]]:
        out = []
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            hits, asked = candidates(engine, q["question"], Filters(council=(q["council"],)))
            gold = {(g["file"], float(g["value"])) for g in q["points"]}
            per = {}
            for w in windows:
                if share:  # ``w`` indexes SHARES
                    asked.free = free_words(
                        q["question"],
                        asked.weights,
                        engine.lexical.phrase_frequency,
                        engine.lexical.count(),
                        SHARES[w],
                    )
                got = {
                    (p.hit.passage.document.source, p.figure.value)
                    for p in select(hits, asked, WINDOW if share else w)
                    if not p.flagged
                }
                per[w] = _counts(got, gold)
            out.append((q["council"], per))
        return out

    def total(rows: list[dict[int, tuple[int, int, int]]], w: int) -> tuple[int, int, int]:
        g, p, r = (sum(row[w][i] for row in rows) for i in range(3))
        return g, p, r

    rows = [
        row
        for path in (
            TREND_LABELS,
            TREND_HELD_OUT,
            TREND_BLIND_AFTER,
            TREND_FIFTH,
            TREND_SIXTH,
            TREND_SEVENTH,
            TREND_EIGHTH,
            TREND_NINTH,
            TREND_TENTH,
            TREND_ELEVENTH,
            TREND_TWELFTH,
            TREND_THIRTEENTH,
        )
        for row in scores(path)
    ]
    councils = sorted({c for c, _ in rows})
    oof = [0, 0, 0]
    for council in councils:
        train = [per for c, per in rows if c != council]
        # most right, then fewest plotted; then the smaller window, or the larger share
        # (fewer phrases taken as common)
        chosen = max(
            windows, key=lambda w: (total(train, w)[2], -total(train, w)[1], w if share else -w)
        )
        test = total([per for c, per in rows if c == council], chosen)
        oof = [a + b for a, b in zip(oof, test, strict=True)]
        name = f"common share {SHARES[chosen]}" if share else f"window {chosen}"
        print(f"{council}: {name}, gold/plotted/right {test}")
    g, p, r = oof
    print(f"out of fold: gold {g}, plotted {p}, right {r}", end="")
    print(f", precision {r / p:.2f}, recall {r / g:.2f}")
    held = [per for _, per in scores(TREND_FOURTEENTH)]
    for w in windows:
        a, b = total([per for _, per in rows], w), total(held, w)
        print(f"common share {SHARES[w]}" if share else f"window {w}", end="")
        print(f": fitted on {a[2] / a[1]:.2f}/{a[2] / a[0]:.2f}", end="")
        print(f", fourteenth batch {b[2] / b[1]:.2f}/{b[2] / b[0]:.2f}  (precision/recall)")


if __name__ == "__main__":
    if "--common-share" in sys.argv[2:]:
        main(Path(sys.argv[1]), range(len(SHARES)), share=True)
    else:
        main(Path(sys.argv[1]))
