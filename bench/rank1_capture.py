"""Every answerable question's re-scored candidates, for the rank-1 analysis of stop 26.

    python bench/rank1_capture.py --index-root DIR --out FILE.pkl [--sets-only | --batches-only]

Asks the questions of the three shared sets (as bench/quality_all.py asks them, ten passages
each) and of the consumed blind ask batches (``tests/labels/ask_heldout_*.jsonl``, as
bench/ask_heldout.py routes them), and keeps for each answerable question every candidate
the second stage scored (its ``Features``, its place in the dense, lexical and fused lists,
whether it hits a gold entry), the final order shown and the councils of its fold.  The
pickle is read by bench/rank1_misses.py (the table of misses) and bench/rank1_fit.py.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import qa_service.retriever as retriever  # noqa: E402
import qa_service.second_stage as second_stage  # noqa: E402
from bench.ask_heldout import BATCHES, SHARED, assign, declared_sets, read_manifests  # noqa: E402
from bench.quality_all import SETS, run_set  # noqa: E402
from evaluation.metrics import first_hit_rank, is_hit  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from evaluation.runner import council_of_file, run_questions  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa_service.cli_common import load_settings, open_engine  # noqa: E402


@dataclass
class Cand:
    """One re-scored candidate."""

    rowid: int
    source: str
    text: str
    heading: str
    features: Any
    score: float
    hit: bool
    dense_rank: int | None
    lexical_rank: int | None
    fused_rank: int
    is_table: bool
    meeting_date: str | None
    ordinal: int
    title: str = ""
    sentences: list[tuple[int, int, float]] = field(default_factory=list)  # span, cosine


@dataclass
class Row:
    """One answerable question and its candidates, best first as the second stage left
    them (before near-duplicates fold)."""

    qid: str
    batch: str  # a shared set's name or a batch's
    set_name: str
    question: str
    qtype: str
    group: tuple[str, ...]
    gold: list[tuple[str, str]]
    cands: list[Cand] = field(default_factory=list)
    final_rank: int | None = None
    concepts: dict[tuple[str, ...], float] = field(default_factory=dict)  # the idf weights


_LAST: dict[str, Any] = {}


def _install() -> None:
    """Record, per question, the first-stage lists and the scored candidates."""
    fuse = retriever.reciprocal_rank_fusion
    keep = retriever.keep_best
    weigh = second_stage.concept_weights

    def weights(*a: Any, **kw: Any) -> Any:
        out = weigh(*a, **kw)
        _LAST["concepts"] = out
        return out

    def fusion(rankings: Any, **kw: Any) -> Any:
        out = fuse(rankings, **kw)
        _LAST["dense"] = {r: i for i, (r, _) in enumerate(rankings[0], start=1)}
        _LAST["lexical"] = {r: i for i, (r, _) in enumerate(rankings[1], start=1)}
        _LAST["fused"] = {r: i for i, (r, _) in enumerate(out, start=1)}
        return out

    def kept(hits: Any, top_k: int, understood: Any, *a: Any, **kw: Any) -> Any:
        # the first ask of a question is the one scored (a compare question asks again,
        # once per council)
        _LAST.setdefault("by_question", {}).setdefault(
            understood.question,
            (
                list(hits),
                dict(_LAST["dense"]),
                dict(_LAST["lexical"]),
                dict(_LAST["fused"]),
                dict(_LAST.get("concepts", {})),
            ),
        )
        return keep(hits, top_k, understood, *a, **kw)

    retriever.reciprocal_rank_fusion = fusion  # type: ignore[assignment]
    retriever.keep_best = kept
    second_stage.concept_weights = weights


def _row(result: Any, answer: Any, batch: str, set_name: str, group: tuple[str, ...]) -> Row:
    q = result.question
    hits, dense, lexical, fused, concepts = _LAST["by_question"][answer.question]
    row = Row(
        q.id,
        batch,
        set_name,
        q.question,
        q.type,
        group,
        [(g.file, g.evidence) for g in q.gold],
        final_rank=first_hit_rank(q, result.ranked),
        concepts=concepts,
    )
    for h in hits:
        p = h.passage
        hit = any(
            is_hit(g, _Fake(p.document.source, p.text))  # type: ignore[arg-type]
            for g in q.gold
        )
        row.cands.append(
            Cand(
                p.rowid,
                p.document.source,
                p.text,
                " > ".join(p.heading_path),
                h.features,
                h.score,
                hit,
                dense.get(p.rowid),
                lexical.get(p.rowid),
                fused.get(p.rowid, 0),
                bool(p.is_table),
                p.document.meta.meeting_date,
                p.ordinal,
                p.document.meta.title or "",
                [
                    (sp.start, sp.end, float(sc))
                    for sp, sc in zip(
                        h.sentence_spans,
                        [] if h.sentence_scores is None else h.sentence_scores,
                        strict=False,
                    )
                ],
            )
        )
    return row


@dataclass
class _Fake:
    source: str
    text: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sets-only", action="store_true")
    parser.add_argument("--batches-only", action="store_true")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        help="batch names left out (held out: ask_heldout_real5 ...)",
    )
    args = parser.parse_args(argv)
    _install()
    rows: list[Row] = []
    if not args.batches_only:
        embedder = SentenceTransformerEmbedder(lazy=True)
        for name in SETS:
            _LAST.clear()
            run = run_set(name, args.index_root, embedder)
            for result, answer, group in zip(run.results, run.answers, run.groups, strict=True):
                if result.question.answerable:
                    rows.append(_row(result, answer, name, name, tuple(group)))
    if not args.sets_only:
        where = read_manifests(SHARED)
        for path in BATCHES:
            if path.stem in args.skip:
                continue
            questions = load_questions(path)
            sets = assign(questions, where, declared_sets(path))
            for name in dict.fromkeys(sets[q.id] for q in questions):
                engine = open_engine(load_settings(args.index_root / name))
                by_file = council_of_file(engine)
                asked = [q for q in questions if sets[q.id] == name]
                _LAST.clear()
                for result, answer in run_questions(engine, asked):
                    if result.question.answerable:
                        q = result.question
                        councils = tuple(sorted({by_file.get(g.file, "") for g in q.gold}))
                        rows.append(_row(result, answer, path.stem, name, councils))
                engine.close()
    with args.out.open("wb") as fh:
        pickle.dump(rows, fh)
    print(f"{len(rows)} answerable questions captured to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
