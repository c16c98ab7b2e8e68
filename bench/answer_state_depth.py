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
from pathlib import Path

from evaluation.questions import load_questions
from evaluation.runner import question_filters
from qa_service.config import Settings
from qa_service.retriever import Engine
from qa_service.runtime import make_query_embedder


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
    questions = load_questions(args.questions)
    deep = {q.id: engine.ask(q.question, args.depth, question_filters(q)) for q in questions}
    for k in args.top_k:
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
        print(
            f"top_k {k}: {same_hits}/{len(questions)} same first passages, "
            f"{sum(changed.values())} change state"
        )
        for (at_k, at_depth, kind), n in sorted(changed.items()):
            print(f"  {n} {kind}: {at_k} at top_k {k}, {at_depth} at {args.depth}")


if __name__ == "__main__":
    main()
