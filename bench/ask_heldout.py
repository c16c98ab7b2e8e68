"""The blind ask batches (``tests/labels/ask_heldout_*.jsonl``) scored as ``cqa eval`` scores them.

    python bench/ask_heldout.py --index-root DIR [BATCH ...] [--out FILE]

``DIR`` holds one index a shared set (``dev-set``, ``dev-set-2``, ``real-dev-set``), built
by ``cqa eval SET --index-root DIR`` or bench/quality_all.py; they are only read.  Each
question is asked of the index of the set its papers are in: the set of its gold files, else
of the council its filter names (../shared manifests), else of the councils its words name,
else the set most of its batch's questions use.  The questions run through ``cqa eval``'s
own code (evaluation.runner, with their labelled filters) and are scored by
evaluation.scoring.

Prints, for each batch and for all batches pooled: R@1, R@5, MRR@10, answer@1, abstentions on
the unanswerable questions and false abstentions on the answerable ones (as shares and
counts), then the misses: answerable questions not hit at rank 1 or whose rank-1 highlight is
not the answer, answerable questions abstained on, and unanswerable questions answered, each
with the rank-1 passage's file and highlight.  ``--out`` writes the same per question as JSON.
``--fit FILE`` scores with an abstention fit written by bench/fit_abstention.py
``--model-out`` in place of the stored one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluation.metrics import QuestionResult  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from evaluation.report import format_sets  # noqa: E402
from evaluation.runner import council_of_file, run_questions  # noqa: E402
from evaluation.scoring import EvalReport, score  # noqa: E402
from qa_service.cli_common import load_settings, open_engine  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")
BATCHES = sorted((REPO / "tests" / "labels").glob("ask_heldout_*.jsonl"))


@dataclass(frozen=True)
class Where:
    """Which set's papers hold each file and each council (from the shared manifests)."""

    set_of_file: dict[str, str]
    sets_of_council: dict[str, set[str]]


def read_manifests(shared: Path) -> Where:
    """The three sets' manifests as file -> set and council -> sets."""
    files: dict[str, str] = {}
    councils: dict[str, set[str]] = {}
    for name in SETS:
        with (shared / name / "corpus" / "manifest.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                files[row["file"]] = name
                councils.setdefault(row["council"], set()).add(name)
    return Where(files, councils)


# words of council names that do not tell one council from another
_GENERIC_WORDS = (
    "borough city community council county district london metropolitan of parish royal the "
    "town west east north south"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())


def _named_in(question: str, council: str) -> bool:
    names = [w for w in re.findall(r"[a-z]+", council.lower()) if w not in _GENERIC]
    return any(re.search(rf"\b{w}\b", question.lower()) for w in names)


def set_of(q: Question, where: Where) -> str | None:
    """The set whose index answers ``q``: its gold files', else its filter council's, else
    that of the councils its words name; None if none says (a council in no corpus)."""
    named = {where.set_of_file[g.file] for g in q.gold if g.file in where.set_of_file}
    council = q.filters.get("council")
    if not named and isinstance(council, str):
        named = where.sets_of_council.get(council, set())
    if not named:
        named = {
            s for c, sets in where.sets_of_council.items() if _named_in(q.question, c) for s in sets
        }
    if len(named) > 1:
        raise SystemExit(f"{q.id}: its papers are in several sets ({sorted(named)})")
    return next(iter(named), None)


def declared_sets(path: Path) -> dict[str, str]:
    """``id -> set`` for the rows of a batch file that name their set (a ``"set"`` field)."""
    sets: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("set") in SETS:
                sets[row["id"]] = row["set"]
    return sets


def assign(
    questions: list[Question], where: Where, declared: dict[str, str] | None = None
) -> dict[str, str]:
    """``id -> set`` for every question: the set its row names, else the one its papers or
    council say; one no set claims goes to its batch's main set."""
    declared = declared or {}
    sets = {q.id: declared.get(q.id) or set_of(q, where) for q in questions}
    counts = Counter(s for s in sets.values() if s is not None)
    if not counts:
        raise SystemExit("no question of the batch names a paper or council of ../shared")
    main = counts.most_common(1)[0][0]
    return {qid: s or main for qid, s in sets.items()}


def run_batch(
    questions: list[Question], sets: dict[str, str], engine_of: dict[str, Engine]
) -> list[QuestionResult]:
    """Every question asked of its set's engine, in the batch's order."""
    by_id: dict[str, QuestionResult] = {}
    for name in dict.fromkeys(sets[q.id] for q in questions):
        group = [q for q in questions if sets[q.id] == name]
        for result, _ in run_questions(engine_of[name], group):
            by_id[result.question.id] = result
    return [by_id[q.id] for q in questions]


def _counts(results: list[QuestionResult]) -> str:
    unans = [r for r in results if not r.question.answerable]
    ans = [r for r in results if r.question.answerable]
    caught = sum(not r.answered for r in unans)
    false = sum(not r.answered for r in ans)
    return f"abstains {caught}/{len(unans)}, false abstentions {false}/{len(ans)}"


def _short(text: str | None, limit: int = 150) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def misses_text(report: EvalReport, results: list[QuestionResult]) -> str:
    """The misses of one batch, for a reader to judge."""
    lines = ["answerable, not right at rank 1 (rank of first hit; answer@1):"]
    for m in report.misses:
        lines.append(
            f"  {m.id} {m.type}: rank {m.rank}, answer@1 {m.answer_ok}, top {m.top1_source}"
            f"\n      Q: {m.question}\n      highlight: {_short(m.highlight)}"
        )
    lines.append("answerable, abstained on:")
    for r in results:
        if r.question.answerable and not r.answered:
            lines.append(f"  {r.question.id} {r.question.type}: {r.question.question}")
    lines.append("unanswerable, answered (rank-1 file and highlight):")
    for r in results:
        if not r.question.answerable and r.answered:
            top = r.ranked[0] if r.ranked else None
            lines.append(
                f"  {r.question.id}: {r.question.question}\n"
                f"      top {top.source if top else None}: "
                f"{_short(top.highlight or top.text if top else None)}"
            )
    return "\n".join(lines)


def detail(result: QuestionResult, set_name: str) -> dict[str, Any]:
    """One question's outcome, for ``--out``."""
    q = result.question
    top = result.ranked[0] if result.ranked else None
    return {
        "id": q.id,
        "type": q.type,
        "set": set_name,
        "answerable": q.answerable,
        "answered": result.answered,
        "top": asdict(top) if top else None,
        "sources": [r.source for r in result.ranked],
    }


def use_fit(path: Path) -> None:
    """Every engine opened after this reads the abstention fit stored as JSON at ``path``
    (bench/fit_abstention.py ``--model-out``), not qa_service/abstention_fit.py: a fit
    measured and not stored, scored through the service (docs/quality.md, "Abstention, stop
    29")."""
    import qa_service.retriever as retriever
    from qa_service.abstention import Model

    data = json.loads(path.read_text(encoding="utf-8"))
    Model.from_data(data)  # a fit of other features fails here, not mid-run
    retriever.FITTED = data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batches", nargs="*", type=Path, default=BATCHES)
    parser.add_argument("--index-root", type=Path, required=True, help="one index a set")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=None, help="per-question JSON")
    parser.add_argument(
        "--fit",
        type=Path,
        default=None,
        help="an abstention fit (JSON, bench/fit_abstention.py --model-out) used in place of "
        "the stored one, in this run only",
    )
    args = parser.parse_args(argv)
    if args.fit is not None:
        use_fit(args.fit)

    where = read_manifests(args.shared)
    batches = {p.stem: load_questions(p) for p in args.batches}
    declared = {p.stem: declared_sets(p) for p in args.batches}
    sets = {name: assign(qs, where, declared[name]) for name, qs in batches.items()}
    needed = sorted({s for by_id in sets.values() for s in by_id.values()})
    engine_of = {s: open_engine(load_settings(args.index_root / s)) for s in needed}
    councils: dict[str, str] = {}
    for engine in engine_of.values():
        councils.update(council_of_file(engine))

    results = {name: run_batch(qs, sets[name], engine_of) for name, qs in batches.items()}
    reports = {name: score(rs, councils) for name, rs in results.items()}
    pooled = [r for rs in results.values() for r in rs]
    figures = {name: rep.overall for name, rep in reports.items()}
    if len(results) > 1:
        figures["pooled"] = score(pooled, councils).overall
    print(format_sets(figures))
    for name, rs in results.items():
        used = Counter(sets[name].values())
        print(f"\n== {name}: {_counts(rs)}; asked of {dict(sorted(used.items()))}")
        print(misses_text(reports[name], rs))
    if len(results) > 1:
        print(f"\n== pooled: {_counts(pooled)}")
    if args.out is not None:
        out = {
            name: [detail(r, sets[name][r.question.id]) for r in rs] for name, rs in results.items()
        }
        args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
