"""bench/decisions_verdict.py: each rule's verdict and the passages the decisions fall in."""

from __future__ import annotations

from pathlib import Path

from bench.decisions_verdict import RULES, listed
from index.embedder import HashingEmbedder
from qa_service.config import Settings
from qa_service.retriever import Engine


def test_each_rule_gives_a_verdict_and_the_decisions_come_from_decision_passages(
    small_index: Path,
) -> None:
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        verdicts, passages = listed(engine, "What did the committee decide about agency staff?")
        decision_texts = {
            d.passage.text for d in engine.store.decisions(None, procedural=False, limit=500)
        }
    finally:
        engine.close()
    assert tuple(verdicts) == RULES
    assert verdicts["none (always list)"] is True
    assert verdicts["both"] == (verdicts["decision passages"] and verdicts["all passages"])
    assert passages and len(passages) <= 5
    assert all(p.text in decision_texts for p in passages)
    assert len({p.text for p in passages}) == len(passages)
