"""The highlight's rule fitted across councils on the shared sets and the consumed blind batches.

    python bench/highlight_pool.py capture --index-root DIR OUT.pkl [BATCH ...]
    python bench/highlight_pool.py fit POOL.pkl
    python bench/highlight_pool.py margin POOL.pkl
    python bench/highlight_pool.py causes POOL.pkl

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
``margin`` fits, after the grid, how close a neighbour must score to be shown with a
one-sentence core answer (``SpanRule.margin``, the display's margin; the core answer keeps
``highlight.CORE_MARGIN``), also alone on the stored rule, and prints the words the span
shows.  ``causes``
sorts the stored rule's misses by what went wrong mechanically (``causes``).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fit_highlight import (  # noqa: E402
    AXES,
    MARGINS,
    Case,
    best_rule,
    best_rule_with_margin,
    with_best_margin,
)
from cqa_core.text import words  # noqa: E402
from evaluation.crossval import out_of_fold, question_councils  # noqa: E402
from evaluation.metrics import is_hit  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from qa_service.highlight import CORE_MARGIN, SpanRule  # noqa: E402

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


@dataclass
class Answered:
    """One answerable question of ``answered``, as its set's engine answered it."""

    set_name: str  # the shared set whose index answered it
    group: str  # the set's name, or the batch file's stem
    question: Question
    result: Any  # ``evaluation.runner``'s ranked result
    answer: Any  # the engine's answer
    engine: Any  # open while the question is handed out
    councils: Callable[[], list[str]]  # ``question_councils`` of the question


def answered(index_root: Path, batches: Sequence[Path]) -> Iterator[Answered]:
    """Every answerable question of the three sets and of ``batches`` (each asked of its
    set's index, ``bench.ask_heldout``'s assignment), set by set, in file order."""
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
    for name in SETS:
        engine = open_engine(load_settings(index_root / name))
        of_file = council_of_file(engine)

        def named(text: str, engine: object = engine) -> list[str]:
            return list(engine.reader.councils_named(text)[0])  # type: ignore[attr-defined]

        questions = [q for _, q in asked[name]]
        for (group, q), (result, answer) in zip(
            asked[name], run_questions(engine, questions), strict=True
        ):
            if not q.answerable:
                continue

            def councils(q: Question = q, of_file: Any = of_file, named: Any = named,
                         name: str = name) -> list[str]:  # fmt: skip
                return question_councils(q, of_file, named, name)

            yield Answered(name, group, q, result, answer, engine, councils)
        engine.close()


def capture(index_root: Path, batches: Sequence[Path]) -> Pool:
    """Every question of the three sets and of ``batches``, rank-1 hits kept."""
    pool = Pool()
    for one in answered(index_root, batches):
        group, q, result, hits = one.group, one.question, one.result, one.answer.hits
        pool.answerable[group] += 1
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
        pool.councils.append(one.councils())
        understood = one.engine.reader.read(q.question)
        pool.vectors.append(np.asarray(one.engine._encode(understood)[1], dtype=np.float32))
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


def judged(
    pool: Pool, choose: Callable[[Sequence[Case]], SpanRule]
) -> tuple[SpanRule, list[SpanRule], dict[str, list[bool]]]:
    """``choose``'s rule on every case, each fold's rule (one council left out), and the
    stored, in-sample and out-of-fold rules' answer@1 per case (``table``'s columns)."""
    chosen = choose(pool.cases)
    fitted: list[SpanRule] = []

    def remember(training: list[Case]) -> SpanRule:
        fitted.append(choose(training))
        return fitted[-1]

    oof = out_of_fold(pool.cases, pool.councils, remember, lambda r, c: c.ok(r))
    stored = SpanRule()
    columns = {
        "stored rule": [c.ok(stored) for c in pool.cases],
        "in-sample": [c.ok(chosen) for c in pool.cases],
        "out of fold": list(oof),
    }
    return chosen, fitted, columns


def fit(pool: Pool) -> str:
    """The stored, in-sample and out-of-fold rules' answer@1 and the folds' choices."""
    chosen, fitted, columns = judged(pool, best_rule)
    lines = [f"stored rule: {SpanRule()}", f"in-sample rule: {chosen}", table(pool, columns), ""]
    lines.append(f"folds: {len(fitted)}; each axis's values as the folds chose them:")
    for name, values in zip(AXIS_NAMES, AXES, strict=True):
        count = Counter(getattr(r, name) for r in fitted)
        lines.append(f"  {name}: " + ", ".join(f"{v}: {count[v]}" for v in values))
    return "\n".join(lines)


def fit_margin(pool: Pool) -> str:
    """The display's neighbour margin fitted after the grid: answer@1 of the core answer
    alone (the stored rule at ``CORE_MARGIN``), of the stored, in-sample and out-of-fold
    rules, and of the stored rule with the margin alone refitted in each fold; the folds'
    margins, and the words shown."""
    chosen, fitted, columns = judged(pool, best_rule_with_margin)
    stored = SpanRule()
    core = replace(stored, margin=CORE_MARGIN)
    alone: list[SpanRule] = []

    def margin_alone(training: list[Case]) -> SpanRule:
        alone.append(with_best_margin(stored, training))
        return alone[-1]

    columns = {
        "core answer": [c.ok(core) for c in pool.cases],
        **columns,
        "margin alone, out of fold": list(
            out_of_fold(pool.cases, pool.councils, margin_alone, lambda r, c: c.ok(r))
        ),
    }
    lines = [f"in-sample rule: {chosen}", table(pool, columns), ""]
    for label, rules in (("grid and margin", fitted), ("margin alone", alone)):
        count = Counter(r.margin for r in rules)
        lines.append(
            f"margin as the folds chose it ({label}): "
            + ", ".join(f"{m}: {count[m]}" for m in MARGINS)
        )
    for label, rule in (("core answer", core), ("stored", stored), ("in-sample", chosen)):
        shown = [len(words(c.shown(rule))) for c in pool.cases]
        width = [len(c.positions(rule)) for c in pool.cases]
        lines.append(
            f"{label}: mean words shown {np.mean(shown):.1f}, mean sentences {np.mean(width):.2f}"
        )
    return "\n".join(lines)


def causes(pool: Pool) -> str:
    """The stored rule's misses by what went wrong, mechanically: the evidence in no single
    sentence (it crosses our sentence cuts), the span shown a heading or label (a sentence
    the rule reads as empty), or the nearest sentence holding the evidence one, two or more
    sentences before or after the span shown; and, over every rank-1 hit, where the evidence
    lies from the closest sentence."""
    rule = SpanRule()
    tally: Counter[tuple[str, str]] = Counter()
    for c in pool.cases:
        part = "sets" if c.set_name in SETS else "batches"
        gold = c.gold_positions()
        closest = int(np.argmax(np.asarray(c.scores))) + 1
        if not gold:
            tally[(part, "all hits: evidence in no single sentence")] += 1
        else:
            d = min((g - closest for g in gold), key=abs)
            tally[
                (
                    part,
                    f"all hits: evidence {d:+d} from the closest"
                    if abs(d) <= 2
                    else "all hits: evidence 3+ from the closest",
                )
            ] += 1
        if c.ok(rule):
            continue
        at = c.positions(rule)
        tally[(part, "misses")] += 1
        tally[
            (part, f"misses: span of {min(len(at), 3)}{'+' if len(at) > 2 else ''} sentences")
        ] += 1
        if any(c.flags.empty[p - 1] for p in at):
            tally[(part, "misses: a heading, label or restatement shown")] += 1
        if not gold:
            tally[(part, "misses: evidence in no single sentence")] += 1
            continue
        d = min((g - p for g in gold for p in at), key=abs)
        where = f"{d:+d}" if abs(d) <= 2 else "3+ away"
        tally[(part, f"misses: evidence {where} from the span")] += 1
    lines = ["| cause | sets | consumed batches |", "| --- | ---: | ---: |"]
    for cause in sorted({k for _, k in tally}):
        lines.append(f"| {cause} | {tally[('sets', cause)]} | {tally[('batches', cause)]} |")
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
    m = sub.add_parser("margin")
    m.add_argument("pool", type=Path)
    k = sub.add_parser("causes")
    k.add_argument("pool", type=Path)
    args = parser.parse_args(argv)
    if args.command == "capture":
        pool = capture(args.index_root, args.batches)
        with args.out.open("wb") as fh:
            pickle.dump(pool, fh)
        print(f"kept {len(pool.cases)} rank-1 hits of {sum(pool.answerable.values())} answerable")
        return 0
    report = {"fit": fit, "margin": fit_margin, "causes": causes}[args.command]
    print(report(load(args.pool)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
