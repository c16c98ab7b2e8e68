"""The abstention fit's questions beyond the shared sets: the consumed blind ask batches.

The blind ask batches (``tests/labels/ask_heldout_*.jsonl``) are labelled questions of the
shared sets' kind, written on the same councils' papers, and once a stop has scored them
they are consumed: no later judge is spoilt by fitting on them.  Their unanswerable
questions are the near misses the writers write (a measure named, its value never given; a
plan where the outcome is asked), which the shared sets hold few of (docs/quality.md, "Why
abstention does not transfer, stop 25").  bench/fit_abstention.py ``--batches`` fits on
them beside the shared sets (docs/quality.md, "Abstention, stop 29: the consumed batches as
training questions").

``captured_batches`` asks each batch question of its set's index as bench/ask_heldout.py
asks it (the same choice of set, labelled filters, ``cqa eval``'s runner) and gives it the
councils it touches as the shared sets' questions get theirs (``question_councils``), so
that leaving one council out leaves out its set questions and its batch questions together.
``load_or_capture`` keeps a capture in a pickle, for the variants to be refitted without
asking again.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "labels"
# The batches scored at stops 25 to 28 and consumed; the fifth pair is sealed for the stop's
# own judging and never fitted on (docs/quality.md, "Abstention, stop 29")
CONSUMED = tuple(
    LABELS / f"ask_heldout_{kind}{n}.jsonl" for kind in ("real", "fict") for n in (1, 2, 3, 4)
)

if TYPE_CHECKING:
    from evaluation.metrics import QuestionResult
    from qa_service.abstention import Evidence
    from qa_service.answers import Answer

Captured = tuple[str, "QuestionResult", "Answer", tuple[str, ...], "Evidence | None"]


def captured_batches(index_root: Path, batches: Sequence[Path]) -> Iterator[Captured]:
    """Every question of ``batches`` as bench/fit_abstention.py's ``captured`` gives a set's:
    its batch (the file's stem), result, answer, the councils it touches (fold first; a
    question naming none is grouped with its set's council-less questions) and, for an
    answerable one, its evidence with the passages that answer it withheld."""
    from bench.abstention_borrowed import withheld_evidence
    from bench.ask_heldout import SHARED, assign, declared_sets, read_manifests
    from evaluation.crossval import question_councils
    from evaluation.questions import load_questions
    from evaluation.runner import council_of_file, run_questions
    from index.embedder import SentenceTransformerEmbedder
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    embedder = SentenceTransformerEmbedder(lazy=True)
    where = read_manifests(SHARED)
    engines: dict[str, Engine] = {}
    try:
        for path in batches:
            questions = load_questions(path)
            sets = assign(questions, where, declared_sets(path))
            for name in dict.fromkeys(sets[q.id] for q in questions):
                if name not in engines:
                    settings = Settings(index=index_root / name, abstention="threshold")
                    query = make_query_embedder(settings, embedder)
                    engines[name] = Engine(settings.index, query, settings)
                engine = engines[name]
                group = [q for q in questions if sets[q.id] == name]
                councils = council_of_file(engine)

                def named(text: str, engine: Engine = engine) -> list[str]:
                    return list(engine.reader.councils_named(text)[0])

                pairs = run_questions(engine, group)
                held = withheld_evidence(engine, group)
                for (result, answer), withheld in zip(pairs, held, strict=True):
                    touched = question_councils(result.question, councils, named, name)
                    yield path.stem, result, answer, touched, withheld
    finally:
        for engine in engines.values():
            engine.close()


def load_or_capture(cache: Path | None, key: Any, capture: Callable[[], list[Any]]) -> list[Any]:
    """``capture()``, kept in ``cache`` under ``key`` (the readings it was captured with):
    read back when the cache holds the same key, else captured and stored."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            stored_key, rows = pickle.load(fh)
        if stored_key == key:
            return list(rows)
    rows = capture()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump((key, rows), fh)
    return rows
