"""Whether the answer state a user sees depends on how many passages they ask for.

    python -m bench.answer_state_depth INDEX QUESTIONS.jsonl [--top-k 1 3 5] [--depth 10]

Each question is asked as ``cqa eval`` asks it (its labelled filters, ``--depth`` passages,
the depth the abstention is fitted and measured at) and again at each ``--top-k`` (the web
form's, the API's and the CLI's default is 5).  Printed per ``top_k``: how many questions
keep the same first passages, and how many change state, by (state at k, state at depth,
answerable or not).  Read-only: copy an index first if another job may write to it.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.questions import Question, load_questions
from evaluation.runner import question_filters
from qa_service.config import Settings
from qa_service.retriever import Engine
from qa_service.runtime import make_query_embedder


@dataclass(frozen=True)
class DepthRow:
    """One ``top_k`` against the depth: how many questions keep the depth's first passages,
    and how many change state, by (state at k, state at depth, answerable or not)."""

    top_k: int
    questions: int
    same_hits: int
    changed: Counter[tuple[str, str, str]]


def compare_depths(
    engine: Engine, questions: Sequence[Question], top_ks: Sequence[int], depth: int = 10
) -> list[DepthRow]:
    """Each question asked at ``depth`` and at each of ``top_ks``, as ``cqa eval`` asks it."""
    deep = {q.id: engine.ask(q.question, depth, question_filters(q)) for q in questions}
    rows = []
    for k in top_ks:
        same_hits = 0
        changed: Counter[tuple[str, str, str]] = Counter()
        for q in questions:
            shallow = engine.ask(q.question, k, question_filters(q))
            ids = [h.passage.passage_id for h in shallow.hits]
            if ids == [h.passage.passage_id for h in deep[q.id].hits][:k]:
                same_hits += 1
            if shallow.state != deep[q.id].state:
                kind = "answerable" if q.gold else "unanswerable"
                changed[(shallow.state, deep[q.id].state, kind)] += 1
        rows.append(DepthRow(k, len(questions), same_hits, changed))
    return rows


def report(rows: Sequence[DepthRow], depth: int) -> list[str]:
    """The lines printed: one per ``top_k``, then one per kind of change."""
    lines = []
    for row in rows:
        lines.append(
            f"top_k {row.top_k}: {row.same_hits}/{row.questions} same first passages, "
            f"{sum(row.changed.values())} change state"
        )
        for (at_k, at_depth, kind), n in sorted(row.changed.items()):
            lines.append(f"  {n} {kind}: {at_k} at top_k {row.top_k}, {at_depth} at {depth}")
    return lines


def main() -> None:
    """Print, for each top_k, the questions whose hits or state differ from the depth's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--top-k", type=int, nargs="+", default=[1, 3, 5])
    parser.add_argument("--depth", type=int, default=10)
    args = parser.parse_args()
    settings = Settings(index=args.index)
    engine = Engine(args.index, make_query_embedder(settings), settings)
    rows = compare_depths(engine, load_questions(args.questions), args.top_k, args.depth)
    print("\n".join(report(rows, args.depth)))


if __name__ == "__main__":
    main()
