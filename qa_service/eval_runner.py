"""Running a labelled question set through the engine; the scoring itself is pure
(``qa_service.evaluation``) and shared with the benchmarks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from index.store import Filters
from qa_service.evaluation import (
    Question,
    QuestionResult,
    Retrieved,
    format_report,
    load_questions,
    report_to_dict,
    score,
)
from qa_service.retriever import Engine, Hit

DEPTH = 10  # MRR@10 and nDCG@10 need ten passages
PER_COUNCIL = 3


def question_filters(q: Question) -> Filters:
    """A labelled question's ``filters`` object as index filters."""
    f = q.filters or {}

    def many(key: str) -> tuple[str, ...]:
        value = f.get(key)
        if value is None:
            return ()
        return tuple(value) if isinstance(value, list) else (str(value),)

    return Filters(
        council=many("council"),
        committee=many("committee"),
        doc_type=many("doc_type"),
        date_from=f.get("date_from"),
        date_to=f.get("date_to"),
    )


def _retrieved(hit: Hit) -> Retrieved:
    p = hit.passage
    return Retrieved(p.document.source, p.text, p.page, p.document.meta.council)


def run_question(engine: Engine, q: Question, label_filters: bool = True) -> QuestionResult:
    """Ask one question as a user would (and compare, for compare questions).

    With ``label_filters`` the question's labelled filters are applied, as a user who set
    them in the form would; without, only what the engine reads from the question's words.
    """
    filters = question_filters(q) if label_filters else Filters()
    started = time.perf_counter()
    answer = engine.ask(q.question, DEPTH, filters)
    latency = (time.perf_counter() - started) * 1000
    compare = None
    if q.type == "compare":
        columns = engine.compare(q.question, None, PER_COUNCIL, filters)
        compare = {c.council: [_retrieved(h) for h in c.answer.hits] for c in columns}
    return QuestionResult(
        q, [_retrieved(h) for h in answer.hits], answer.answered, latency, compare
    )


def evaluate(
    engine: Engine, questions_path: Path, label_filters: bool = True
) -> tuple[str, dict[str, Any]]:
    """Score every question of a file; returns the printable report and its JSON form."""
    questions = load_questions(questions_path)
    engine.ask("warm up the model", 1)
    results = [run_question(engine, q, label_filters) for q in questions]
    council_of_file = {d.source: d.meta.council or "" for d in engine.store.list_documents()}
    report = score(results, council_of_file)
    return format_report(report), report_to_dict(report)
