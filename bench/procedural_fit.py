"""Fit the ``procedural`` weight (qa_service/rerank.py) leaving one council out, on a
bench/rank1_capture.py pickle, and count the questions about the meeting itself.

    python bench/procedural_fit.py CAPTURE.pkl [--values 0 0.1 0.2 ...]

A question about one of a meeting's standard procedural items (``procedural_items``:
apologies, declarations of interest, the minutes of the last meeting, ...) is re-scored
offline with what the change reads of it: its item asked (``asked_item``), a question asking
for apologies or who attended read as asking who attended (the head of the minutes
answers), the passage under the asked item's heading not marked as front matter, and that
passage's ``procedural`` signal at each weight (``title_block``, ``opening`` and
``procedural`` recomputed from the captured passage's text, place in its paper and heading
path; every other feature as captured; tables demoted as the service demotes them; near-
duplicate folding not redone).  Any other question's candidates keep their captured
features, so its rank is unchanged.

Prints, per set or batch, how many questions ask about a procedural item and their ranks as
captured (main) and out of fold, the weight of best MRR@10 on all the questions (in-sample)
and, for each council, on the questions of the other councils only (``evaluation.crossval``:
a council's set and batch questions share its fold), and each weight's gains and losses.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rank1_capture import Cand, Row  # noqa: E402, F401 (the pickle reads them here)
from bench.rank1_fit import fit_weight, print_weights  # noqa: E402
from qa_service.figures import asks_for_figures  # noqa: E402
from qa_service.procedural_items import asked_item  # noqa: E402
from qa_service.query_words import ASKS_ATTENDANCE  # noqa: E402
from qa_service.rerank import (  # noqa: E402
    Features,
    Weights,
    front_matter_mark,
    opening_mark,
    procedural_mark,
)

VALUES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0)


@dataclass(frozen=True)
class _Passage:
    """What the marks read of a captured candidate."""

    text: str
    ordinal: int
    heading_path: tuple[str, ...]


def features_of(row: Row) -> list[Features]:
    """Each candidate's features as the change computes them (the captured ones for a
    question asking about no procedural item)."""
    item = asked_item(row.question)
    if item is None:
        return [c.features for c in row.cands]
    attendance = bool(ASKS_ATTENDANCE.search(row.question)) or item in ("apologies", "attendance")
    passages = [
        _Passage(c.text, c.ordinal, tuple(c.heading.split(" > ")) if c.heading else ())
        for c in row.cands
    ]
    ordinals: dict[str, set[int]] = {}
    for c in row.cands:
        ordinals.setdefault(c.source, set()).add(c.ordinal)
    out = []
    for c, p in zip(row.cands, passages, strict=True):
        front = front_matter_mark(p, attendance, item)  # type: ignore[arg-type]
        out.append(
            replace(
                c.features,
                title_block=front,
                opening=opening_mark(p, front, ordinals[c.source]),  # type: ignore[arg-type]
                procedural=procedural_mark(p, item),  # type: ignore[arg-type]
            )
        )
    return out


def rank(row: Row, features: Sequence[Features], weights: Weights) -> int | None:
    """1-based rank of the first hit under ``weights``."""
    scores = [round(f.score(weights), 6) for f in features]
    order = sorted(range(len(row.cands)), key=lambda i: -scores[i])
    if not asks_for_figures(row.question):
        order = [i for i in order if not row.cands[i].is_table] + [
            i for i in order if row.cands[i].is_table
        ]
    return next((r for r, i in enumerate(order, start=1) if row.cands[i].hit), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("--values", type=float, nargs="+", default=list(VALUES))
    args = parser.parse_args(argv)
    with args.capture.open("rb") as fh:
        rows: list[Row] = pickle.load(fh)
    base = replace(Weights(), procedural=0.0)
    values = sorted(set(args.values) | {0.0}, key=abs)
    features = [features_of(r) for r in rows]
    main_ranks = [rank(r, [c.features for c in r.cands], base) for r in rows]
    ranks = {
        (w, i): rank(r, features[i], replace(base, procedural=w))
        for w in values
        for i, r in enumerate(rows)
    }

    every = list(range(len(rows)))
    chosen, oof, picked = fit_weight(rows, values, ranks)
    print(f"in-sample choice {chosen}; the folds' choices {Counter(picked).most_common()}")
    print(
        "| set | answerable | asking a procedural item | their ranks, main | "
        "their ranks, out of fold | R@1 main | R@1 in-sample | R@1 out of fold |"
    )
    print("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: |")
    for batch in dict.fromkeys(r.batch for r in rows):
        idx = [i for i in every if rows[i].batch == batch]
        asking = [i for i in idx if asked_item(rows[i].question) is not None]
        cells = [
            str(len(idx)),
            str(len(asking)),
            " ".join(f"{rows[i].qid}:{main_ranks[i]}" for i in asking) or "-",
            " ".join(f"{rows[i].qid}:{oof[i]}" for i in asking) or "-",
            str(sum(main_ranks[i] == 1 for i in idx)),
            str(sum(ranks[chosen, i] == 1 for i in idx)),
            str(sum(oof[i] == 1 for i in idx)),
        ]
        print(f"| {batch} | " + " | ".join(cells) + " |")
    total = [sum(main_ranks[i] == 1 for i in every), sum(oof[i] == 1 for i in every)]
    print(f"all: R@1 {total[0]} main, {total[1]} out of fold of {len(rows)}")
    print_weights(rows, values, ranks, main_ranks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
