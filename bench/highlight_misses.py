"""The questions whose rank-1 passage hits but whose highlight does not show the answer.

    python bench/highlight_misses.py --index-root DIR --capture FILE   # run and keep
    python bench/highlight_misses.py --replay FILE [--all]             # choose again

``--capture`` asks every question of the blind ask batches (``tests/labels/ask_heldout_*``,
each of its set's index, as bench/ask_heldout.py asks them) and of the three shared sets'
``questions.jsonl`` (in-sample: the rule of the settings), and keeps, for every answerable
question whose rank-1 passage hits a gold entry, the passage's sentences and the question's
cosine to each (a pickle).  ``--replay`` chooses every highlight again with the code of this
checkout (``qa_service.highlight``, the default ``SpanRule``) from what was kept, so a change
of the sentence choice is measured in seconds, and prints answer@1 of the rank-1 hits per
batch and set, then each miss: the sentences chosen and the gold sentences (``--all``: also
the ones it answers).  Ranks do not move (the highlight plays no part in the ranking); the
abstention's evidence reads the rank-1 highlight, so a change is still judged by
bench/ask_heldout.py and bench/quality_all.py.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cqa_core.text import Span, words  # noqa: E402
from evaluation.metrics import highlight_answers, is_hit  # noqa: E402
from evaluation.questions import GoldEntry, Question, load_questions  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")


@dataclass
class Kept:
    """One answerable question whose rank-1 passage hits: what the highlight chooses from."""

    group: str  # the batch or set
    id: str
    question: str
    text: str
    spans: list[tuple[int, int]]
    scores: np.ndarray
    gold: list[GoldEntry]
    shown: str  # the highlight when captured


def _kept(group: str, q: Question, result: object, answer: object) -> Kept | None:
    ranked = result.ranked  # type: ignore[attr-defined]
    hits = answer.hits  # type: ignore[attr-defined]
    if not q.answerable or not ranked or not hits or hits[0].sentence_scores is None:
        return None
    gold = [g for g in q.gold if is_hit(g, ranked[0])]
    if not gold:
        return None
    top = hits[0]
    return Kept(
        group,
        q.id,
        q.question,
        top.passage.text,
        [(s.start, s.end) for s in top.sentence_spans],
        np.asarray(top.sentence_scores, dtype=np.float64),
        gold,
        ranked[0].highlight or "",
    )


def capture(index_root: Path) -> list[Kept]:
    """Every question of the blind batches and the three sets, rank-1 hits kept."""
    from bench.ask_heldout import BATCHES, assign, declared_sets, read_manifests
    from evaluation.runner import run_questions
    from qa_service.cli_common import load_settings, open_engine

    where = read_manifests(SHARED)
    asked: dict[str, list[tuple[str, Question]]] = {name: [] for name in SETS}
    for path in BATCHES:
        questions = load_questions(path)
        sets = assign(questions, where, declared_sets(path))
        for q in questions:
            asked[sets[q.id]].append((path.stem, q))
    for name in SETS:
        asked[name] += [(name, q) for q in load_questions(SHARED / name / "questions.jsonl")]
    kept: list[Kept] = []
    for name in SETS:
        engine = open_engine(load_settings(index_root / name))
        questions = [q for _, q in asked[name]]
        for (group, q), (result, answer) in zip(
            asked[name], run_questions(engine, questions), strict=True
        ):
            one = _kept(group, q, result, answer)
            if one is not None:
                kept.append(one)
        engine.close()
    return kept


def replay(kept: list[Kept], show_all: bool = False) -> str:
    """answer@1 of the rank-1 hits with this checkout's highlight, and the misses."""
    from qa_service.highlight import answer_span, asked_of

    lines: list[str] = []
    tally: dict[str, list[int]] = {}
    for k in kept:
        spans = [Span(a, b) for a, b in k.spans]
        asked = asked_of(k.question, set(words(k.question)))
        chosen = answer_span(k.text, spans, k.scores, asked).shown
        shown = k.text[chosen[0].start : chosen[0].end] if chosen else ""
        ok = any(highlight_answers(g, shown) for g in k.gold)
        was = any(highlight_answers(g, k.shown) for g in k.gold)
        row = tally.setdefault(k.group, [0, 0, 0])
        row[0] += 1
        row[1] += ok
        row[2] += was
        if ok and not show_all and ok == was:
            continue
        mark = "ok " if ok else "MISS"
        moved = "" if ok == was else f"  (was {'ok' if was else 'miss'})"
        lines.append(f"{mark} {k.group} {k.id}{moved}: {k.question}")
        for i, (a, b) in enumerate(k.spans):
            sentence = " ".join(k.text[a:b].split())
            inside = bool(chosen) and chosen[0].start <= a and b <= chosen[0].end
            gold = any(highlight_answers(g, k.text[a:b]) for g in k.gold)
            if inside or gold:
                tag = ("H" if inside else " ") + ("G" if gold else " ")
                lines.append(f"    {tag} [{i}] {k.scores[i]:.3f} {sentence[:220]}")
        if not any(
            highlight_answers(g, k.text[a:b]) for g in k.gold for a, b in k.spans
        ):  # the evidence spans sentences
            lines.append(f"    gold: {' / '.join(' '.join(g.evidence.split()) for g in k.gold)}")
    head = ["| group | rank-1 hits | answer@1 now | captured |", "| --- | ---: | ---: | ---: |"]
    for group, (n, now, then) in tally.items():
        head.append(f"| {group} | {n} | {now} | {then} |")
    return "\n".join([*head, "", *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, help="one index a set (only read)")
    parser.add_argument("--capture", type=Path, help="run the questions, keep them here")
    parser.add_argument("--replay", type=Path, help="choose the highlights again from these")
    parser.add_argument("--all", action="store_true", help="list the answered ones too")
    args = parser.parse_args(argv)
    if args.capture:
        if args.index_root is None:
            parser.error("--capture needs --index-root")
        with args.capture.open("wb") as fh:
            pickle.dump(capture(args.index_root), fh)
        path = args.capture
    else:
        path = args.replay
    if path is None:
        parser.error("name --capture or --replay")
    with path.open("rb") as fh:
        print(replay(pickle.load(fh), args.all))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
