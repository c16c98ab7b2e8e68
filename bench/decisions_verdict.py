"""Which verdict should ``/api/decisions?q=`` follow: the engine's over the passages holding
a decision, or over all passages (what ``/api/ask`` answers for the question itself)?

    python bench/decisions_verdict.py [--index-root DIR]

For each shared set (its index under DIR, built as bench/quality_all.py builds it), asks
every precedent and every unanswerable question twice, five passages each, with no filter
but those the engine reads from the question: once among the passages holding a decision
(``Filters.has_decision``, whose decisions are the ones listed) and once among all passages.
Prints, per set and pooled, under each rule: the precedent questions that list decisions,
those whose listed decisions fall in a gold passage (the first five passages they cite, as
tests/integration/test_precedent.py counts), and the unanswerable questions that list
nothing.  The verdicts are the stored abstention fit's (in-sample for these questions).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality_all import SETS, SHARED  # noqa: E402
from evaluation.metrics import Retrieved, first_hit_rank  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.store import Filters  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.precedent import RELEVANT_PASSAGES  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

RULES = ("none (always list)", "decision passages", "all passages", "both")


def listed(engine: Engine, question: str) -> tuple[dict[str, bool], list[Retrieved]]:
    """Each rule's verdict (``RULES``: always list, the engine over the passages holding a
    decision, over all passages, both), and the passages the listed decisions fall in (the
    first five)."""
    understood, query = engine.understand(question)
    among = engine.ask(
        question,
        RELEVANT_PASSAGES,
        Filters(has_decision=True),
        query=query,
        understood=understood,
    )
    overall = engine.ask(question, RELEVANT_PASSAGES, query=query, understood=understood)
    rowids = [h.passage.rowid for h in among.hits]
    out: list[Retrieved] = []
    for d in engine.store.decisions(among.filters, rowids=rowids, limit=20, procedural=False):
        p = d.passage
        if not any(r.text == p.text for r in out):
            out.append(Retrieved(p.document.source, p.text, p.page, p.document.meta.council))
    both = among.answered and overall.answered
    verdicts = dict(zip(RULES, (True, among.answered, overall.answered, both), strict=True))
    return verdicts, out[:5]


def main(argv: Sequence[str] | None = None) -> int:
    """Ask, count, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    args = parser.parse_args(argv)
    embedder = SentenceTransformerEmbedder(lazy=True)
    totals: dict[tuple[str, str], list[int]] = {}
    print(
        "| set | rule | precedent: list decisions | precedent: gold among them "
        "| unanswerable: list nothing |"
    )
    print("| --- | --- | ---: | ---: | ---: |")
    for name in (*SETS, "pooled"):
        if name != "pooled":
            settings = Settings(index=args.index_root / name)
            engine = Engine(settings.index, make_query_embedder(settings, embedder), settings)
            questions = load_questions(SHARED / name / "questions.jsonl")
            for q in questions:
                if q.type != "precedent" and q.answerable:
                    continue
                verdicts, passages = listed(engine, q.question)
                gold = q.answerable and first_hit_rank(q, passages) is not None
                for rule, answered in verdicts.items():
                    counts = totals.setdefault((name, rule), [0, 0, 0, 0, 0])
                    pooled = totals.setdefault(("pooled", rule), [0, 0, 0, 0, 0])
                    for c in (counts, pooled):
                        if q.answerable:
                            c[0] += 1
                            c[1] += answered
                            c[2] += answered and gold
                        else:
                            c[3] += 1
                            c[4] += not answered
            engine.close()
        for rule in RULES:
            n, lists, gold, m, silent = totals.get((name, rule), [0, 0, 0, 0, 0])
            print(f"| {name} | {rule} | {lists}/{n} | {gold}/{n} | {silent}/{m} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
