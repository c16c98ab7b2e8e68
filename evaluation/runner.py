"""Running labelled question sets through the engine; the scoring itself is pure
(:mod:`evaluation.metrics`, :mod:`evaluation.scoring`) and shared with the benchmarks.

A set is either a ``questions.jsonl`` file scored against the open index, or a set folder
as ``../shared`` lays them out (``questions.jsonl`` beside ``corpus/``), scored against an
index of its own corpus, built on first use and reused after.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cqa_core.text import counted
from evaluation.metrics import QuestionResult, Retrieved
from evaluation.questions import COMPARE, Question, load_questions
from evaluation.report import format_report, format_sets, report_to_dict
from evaluation.scoring import EvalReport, score
from index.store import Filters
from qa_service.answers import Answer, Hit
from qa_service.retriever import Engine

DEPTH = 10  # MRR@10 and nDCG@10 need ten passages
PER_COUNCIL = 3
QUESTIONS_FILE = "questions.jsonl"


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


def highlight_text(hit: Hit) -> str:
    """The highlighted span(s) of a hit, as a reader sees them."""
    text = hit.passage.text
    return " ".join(text[s.start : s.end] for s in hit.highlights)


def _retrieved(hit: Hit) -> Retrieved:
    p = hit.passage
    return Retrieved(
        p.document.source, p.text, p.page, p.document.meta.council, highlight_text(hit)
    )


def run_question(
    engine: Engine, q: Question, label_filters: bool = True, depth: int = DEPTH
) -> tuple[QuestionResult, Answer]:
    """Ask one question as a user would (and compare, for compare questions).

    With ``label_filters`` the question's labelled filters are applied, as a user who set
    them in the form would; without, only what the engine reads from the question's words.
    Returns the result to score and the engine's answer (its confidence and evidence).
    """
    filters = question_filters(q) if label_filters else Filters()
    started = time.perf_counter()
    answer = engine.ask(q.question, depth, filters)
    latency = (time.perf_counter() - started) * 1000
    compare = None
    if q.type == COMPARE:
        columns = engine.compare(q.question, None, PER_COUNCIL, filters)
        compare = {c.council: [_retrieved(h) for h in c.answer.hits] for c in columns}
    result = QuestionResult(
        q, [_retrieved(h) for h in answer.hits], answer.answered, latency, compare
    )
    return result, answer


def run_questions(
    engine: Engine, questions: Sequence[Question], label_filters: bool = True, depth: int = DEPTH
) -> list[tuple[QuestionResult, Answer]]:
    """Every question of a set, after one warm-up question (``depth`` passages each)."""
    engine.ask("warm up the model", 1)
    return [run_question(engine, q, label_filters, depth) for q in questions]


def council_of_file(engine: Engine) -> dict[str, str]:
    """``file -> council`` of every document in the engine's index."""
    return {d.source: d.meta.council or "" for d in engine.store.list_documents()}


def evaluate(
    engine: Engine, questions_path: Path, label_filters: bool = True
) -> tuple[str, dict[str, Any]]:
    """Score every question of a file; returns the printable report and its JSON form."""
    questions = load_questions(questions_path)
    results = [r for r, _ in run_questions(engine, questions, label_filters)]
    report = score(results, council_of_file(engine))
    return format_report(report), report_to_dict(report)


# --- several sets ----------------------------------------------------------------------


@dataclass(frozen=True)
class EvalSet:
    """A question set and, for a set folder, the corpus its index is built from."""

    name: str
    questions: Path
    corpus: Path | None = None


def eval_set(path: Path) -> EvalSet:
    """A questions file, or a set folder holding ``questions.jsonl`` and ``corpus/``."""
    if path.is_dir():
        corpus = path / "corpus"
        return EvalSet(
            path.resolve().name, path / QUESTIONS_FILE, corpus if corpus.is_dir() else None
        )
    return EvalSet(path.stem, path)


def evaluate_sets(
    sets: Sequence[EvalSet], engine_for: Callable[[EvalSet], Engine], label_filters: bool = True
) -> tuple[str, dict[str, Any]]:
    """Score each set with the engine ``engine_for`` gives it; the per-set reports, then one
    table of every set's overall figures."""
    reports: dict[str, EvalReport] = {}
    texts: list[str] = []
    for s in sets:
        engine = engine_for(s)
        questions = load_questions(s.questions)
        results = [r for r, _ in run_questions(engine, questions, label_filters)]
        reports[s.name] = score(results, council_of_file(engine))
        texts.append(
            f"== {s.name} ({counted(len(questions), 'question')})\n{format_report(reports[s.name])}"
        )
    if len(reports) == 1:  # one set reads as it always has
        (report,) = reports.values()
        return format_report(report), report_to_dict(report)
    texts.append(format_sets({n: r.overall for n, r in reports.items()}))
    return "\n\n".join(texts), {n: report_to_dict(r) for n, r in reports.items()}
