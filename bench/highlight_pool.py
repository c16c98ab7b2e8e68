"""The highlight's rule fitted across councils on the shared sets and the consumed blind batches.

    python bench/highlight_pool.py capture --index-root DIR OUT.pkl [BATCH ...]
    python bench/highlight_pool.py fit POOL.pkl

``capture`` asks every question of the three shared sets (``questions.jsonl``) and of the
named blind batches (``tests/labels/ask_heldout_*.jsonl``, each question of its set's index,
as bench/ask_heldout.py asks them; name only batches that are no longer held out), and keeps,
for every answerable question whose rank-1 passage hits a gold entry, what the highlight
chooses from (bench/fit_highlight.py's ``Case``), the councils the question touches
(``evaluation.crossval.question_councils``), the question's sentence vector (to score
sentences cut otherwise, ``bench/sentence_spans.py``) and each group's answerable count.

``fit`` runs bench/fit_highlight.py's grid on the whole pool: the rule chosen on all of it
(in-sample) and, leaving one council out, the rule of each fold (out of fold), and prints
answer@1 per set and batch for the stored rule (the settings' defaults), the in-sample rule
and the out-of-fold rules, with how often each fold chose each value of each axis.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fit_highlight import AXES, Case, best_rule  # noqa: E402
from evaluation.crossval import out_of_fold, question_councils  # noqa: E402
from evaluation.metrics import is_hit  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from qa_service.highlight import SpanRule  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")
AXIS_NAMES = ("kind_bonus", "restate_penalty", "after_bonus", "follow_bonus", "tie_margin")


@dataclass
class Pool:
    """The kept cases, each with its group (set or batch), councils and sentence vector."""

    cases: list[Case] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # the set or batch of each case
    councils: list[tuple[str, ...]] = field(default_factory=list)  # fold first
    vectors: list[np.ndarray] = field(default_factory=list)  # the question's sentence vector
    answerable: Counter[str] = field(default_factory=Counter)  # per group


def capture(index_root: Path, batches: Sequence[Path]) -> Pool:
    """Every question of the three sets and of ``batches``, rank-1 hits kept."""
    from bench.ask_heldout import assign, declared_sets, read_manifests
    from evaluation.runner import council_of_file, run_questions
    from qa_service.cli_common import load_settings, open_engine

    where = read_manifests(SHARED)
    asked: dict[str, list[tuple[str, Question]]] = {name: [] for name in SETS}
    for name in SETS:
        asked[name] += [(name, q) for q in load_questions(SHARED / name / "questions.jsonl")]
    for path in batches:
        questions = load_questions(path)
        sets = assign(questions, where, declared_sets(path))
        for q in questions:
            asked[sets[q.id]].append((path.stem, q))
    pool = Pool()
    for name in SETS:
        engine = open_engine(load_settings(index_root / name))
        councils = council_of_file(engine)

        def named(text: str, engine: object = engine) -> list[str]:
            return list(engine.reader.councils_named(text)[0])  # type: ignore[attr-defined]

        questions = [q for _, q in asked[name]]
        for (group, q), (result, answer) in zip(
            asked[name], run_questions(engine, questions), strict=True
        ):
            if not q.answerable:
                continue
            pool.answerable[group] += 1
            hits = answer.hits
            if not result.ranked or not hits or hits[0].sentence_scores is None:
                continue
            gold = [g for g in q.gold if is_hit(g, result.ranked[0])]
            if not gold:
                continue
            top = hits[0]
            pool.cases.append(
                Case(
                    group,
                    q.question,
                    top.passage.text,
                    top.sentence_spans,
                    np.asarray(top.sentence_scores, dtype=np.float64),
                    gold,
                )
            )
            pool.groups.append(group)
            pool.councils.append(question_councils(q, councils, named, name))
            understood = engine.reader.read(q.question)
            pool.vectors.append(np.asarray(engine._encode(understood)[1], dtype=np.float32))
        engine.close()
    return pool


class _Unpickler(pickle.Unpickler):
    """Finds ``Pool`` here when the pool was written by this script run as ``__main__``."""

    def find_class(self, module: str, name: str) -> object:
        return super().find_class(__name__ if name == "Pool" else module, name)


def load(path: Path) -> Pool:
    """A captured pool."""
    with path.open("rb") as fh:
        pool: Pool = _Unpickler(fh).load()
    # read again with this checkout's code (the flags are read when a case is made)
    pool.cases = [
        Case(c.set_name, c.question, c.text, c.spans, c.scores, c.gold) for c in pool.cases
    ]
    return pool


def table(pool: Pool, columns: dict[str, list[bool]]) -> str:
    """answer@1 per group (and pooled over the sets and over the batches) per column."""
    names = list(dict.fromkeys(pool.groups))
    rows = ["| group | answerable | rank-1 hits | " + " | ".join(columns) + " |"]
    rows.append("| --- | ---: | ---: |" + " ---: |" * len(columns))
    parts = [[g] for g in names]
    parts += [[g for g in names if g in SETS], [g for g in names if g not in SETS]]
    for part, label in zip(parts, [*names, "sets pooled", "batches pooled"], strict=True):
        idx = [i for i, g in enumerate(pool.groups) if g in part]
        n = sum(pool.answerable[g] for g in part)
        cells = " | ".join(f"{sum(col[i] for i in idx)}" for col in columns.values())
        rows.append(f"| {label} | {n} | {len(idx)} | {cells} |")
    return "\n".join(rows)


def fit(pool: Pool) -> str:
    """The stored, in-sample and out-of-fold rules' answer@1 and the folds' choices."""
    chosen = best_rule(pool.cases)
    fitted: dict[str, SpanRule] = {}

    def remember(training: list[Case]) -> SpanRule:
        rule = best_rule(training)
        fitted[str(len(fitted))] = rule
        return rule

    oof = out_of_fold(pool.cases, pool.councils, remember, lambda r, c: c.ok(r))
    stored = SpanRule()
    columns = {
        "stored rule": [c.ok(stored) for c in pool.cases],
        "in-sample": [c.ok(chosen) for c in pool.cases],
        "out of fold": list(oof),
    }
    lines = [f"stored rule: {stored}", f"in-sample rule: {chosen}", table(pool, columns), ""]
    lines.append(f"folds: {len(fitted)}; each axis's values as the folds chose them:")
    for name, values in zip(AXIS_NAMES, AXES, strict=True):
        count = Counter(getattr(r, name) for r in fitted.values())
        lines.append(f"  {name}: " + ", ".join(f"{v}: {count[v]}" for v in values))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture or fit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--index-root", type=Path, required=True)
    c.add_argument("out", type=Path)
    c.add_argument("batches", nargs="*", type=Path)
    f = sub.add_parser("fit")
    f.add_argument("pool", type=Path)
    args = parser.parse_args(argv)
    if args.command == "capture":
        pool = capture(args.index_root, args.batches)
        with args.out.open("wb") as fh:
            pickle.dump(pool, fh)
        print(f"kept {len(pool.cases)} rank-1 hits of {sum(pool.answerable.values())} answerable")
        return 0
    print(fit(load(args.pool)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
