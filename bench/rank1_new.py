"""Every rank-1 miss of the answerable questions, by what ranked first (stop 31, issue 14).

    python bench/rank1_new.py CAPTURE.pkl [--list] [--fit]

Reads a bench/rank1_capture.py pickle, re-ranks each question's captured candidates as the
service does (``bench.rank1_within.order``: the ``Features`` at the shipped weights, tables
demoted unless figures are asked for) and, for every answerable question whose rank-1
passage is no hit, says what won instead:

- ``same paper, before`` / ``same paper, after``: another passage of a gold paper, earlier
  or later than the first gold passage ranked (``adjacent`` when next to it); ``opening``
  when it is the paper's first passage; ``table`` when it is a table;
- ``same paper, evidence split``: the gold paper's passage ranked first holds half or more
  of a gold evidence's words in order but not all of it, and no candidate holds all of it
  (the answer cut across two passages);
- ``same council, same meeting`` / ``older meeting`` / ``newer meeting`` / ``undated``:
  another paper of a gold paper's council (the shared sets' manifests), by its meeting
  date against the gold paper's;
- ``other council``; ``no gold candidate`` when no candidate scored hits at all.

For each miss with a gold candidate it also prints the gold passage's rank, the score gap to
the passage ranked first, and the second-stage signal whose weight would close the gap by
the smallest change (the gap over the gold passage's lead on that signal).  Tables are per
real and fictional papers (real: real-dev-set and the ``ask_heldout_real*`` batches), with
R@1 by how many papers the question's council has in the sets (its depth).

With ``--fit`` it tries general, few-parameter changes to the second stage, each fitted by
MRR@10 leaving one council out over every captured question (a council's set and batch
questions in one fold, ``evaluation.crossval``), and prints R@1 at the shipped settings,
in-sample and out of fold, for all questions and for the real ones:

- a signal added at a weight from ``bench.rank1_within.WEIGHTS`` (``SIGNALS_TRIED``): the
  passage's length; an earlier passage of a paper whose next (or any later) passage is a
  candidate, a later one whose previous passage is; the passage's place among its paper's
  candidates; how far its closest sentence stands above its mean or median sentence, or above
  its second closest (as it is and relative to its paper's best); how many candidates its
  paper has; a meeting in the month the question names;
- ``coverage`` reshaped (``COVERAGE_FORMS``): its key terms' weights raised to a power
  (0: unweighted), the share raised to a power, and the share of the headings' words in it;
- the five main weights (fused, passage, sentence, coverage, answer) refitted jointly, by
  coordinate descent over multiples of the shipped ones.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import pickle
import re
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rank1_capture import Cand, Row  # noqa: E402
from bench.rank1_within import WEIGHTS, first_hit, order, relative  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import _in_order, words  # noqa: E402
from qa_service.figures import asks_for_figures  # noqa: E402
from qa_service.rerank import Features, Weights, named_weight  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")
SIGNALS = tuple(f.name for f in fields(Features))
S = TypeVar("S", bound=Hashable)


@dataclass(frozen=True)
class Paper:
    council: str
    committee: str
    date: str


def manifests(shared: Path = SHARED) -> dict[str, Paper]:
    """file -> its council, committee and meeting date, over the three sets."""
    out: dict[str, Paper] = {}
    for name in SETS:
        path = shared / name / "corpus" / "manifest.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                out[r["file"]] = Paper(r["council"], r["committee"], r["meeting_date"])
    return out


def is_real(row: Row) -> bool:
    return row.batch == "real-dev-set" or "real" in row.batch


def _share(evidence: str, text: str) -> float:
    need = words(evidence)
    return _in_order(need, words(text)) / len(need) if need else 0.0


def classify(row: Row, ranked: list[int], papers: dict[str, Paper]) -> str:
    """What ranked first, for a question whose rank-1 passage is no hit."""
    top = row.cands[ranked[0]]
    gold_files = {f for f, _ in row.gold}
    hits = [row.cands[i] for i in ranked if row.cands[i].hit]
    if top.source in gold_files:
        if not hits or all(h.source != top.source for h in hits):
            split = any(f == top.source and 0.5 <= _share(e, top.text) < 1 for f, e in row.gold)
            return "same paper, evidence split" if split else "same paper, gold passage unscored"
        gold = next(h for h in hits if h.source == top.source)
        where = "before" if top.ordinal < gold.ordinal else "after"
        kind = []
        if top.ordinal == 0:
            kind.append("opening")
        if abs(top.ordinal - gold.ordinal) == 1:
            kind.append("adjacent")
        if top.is_table:
            kind.append("table")
        return f"same paper, {where}" + (f" ({', '.join(kind)})" if kind else "")
    mine = papers.get(top.source)
    theirs = [papers[f] for f in gold_files if f in papers]
    if not hits and not theirs:
        return "no gold candidate"
    if mine is not None and any(p.council == mine.council for p in theirs):
        same = [p for p in theirs if p.council == mine.council]
        dates = [p.date for p in same if p.date]
        if not mine.date or not dates:
            label = "same council, undated"
        elif mine.date in dates:
            label = "same council, same meeting"
        elif mine.date < min(dates):
            label = "same council, older meeting"
        else:
            label = "same council, newer meeting"
        return label if hits else label + " (no gold candidate)"
    return "other council" if hits else "other council (no gold candidate)"


def lift(top: Cand, gold: Cand, weights: Weights) -> tuple[float, str]:
    """The score gap and the signal whose weight closes it by the smallest change."""
    gap = top.features.score(weights) - gold.features.score(weights)
    best = ("none", float("inf"))
    for name in SIGNALS:
        lead = getattr(gold.features, name) - getattr(top.features, name)
        if abs(lead) > 1e-6:
            change = gap / lead
            if abs(change) < abs(best[1]):
                best = (name, change)
    return gap, f"{best[0]} {best[1]:+.2f}" if best[0] != "none" else "none"


# --- general changes tried (``--fit``) ----------------------------------------------------


def _ordinals(row: Row) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for c in row.cands:
        out.setdefault(c.source, set()).add(c.ordinal)
    return out


def _cosines(cand: Cand) -> list[float]:
    return sorted((s for _, _, s in cand.sentences), reverse=True)


def length(row: Row) -> list[float]:
    return [math.log(max(len(c.text), 20) / 500) for c in row.cands]


def earlier_next(row: Row) -> list[float]:
    """A passage past the opening whose next passage is a candidate too (the opening
    itself is ``opening``'s)."""
    o = _ordinals(row)
    return [
        float(c.ordinal > 0 and c.ordinal + 1 in o[c.source] and c.features.title_block <= 0)
        for c in row.cands
    ]


def earlier_any(row: Row) -> list[float]:
    o = _ordinals(row)
    return [
        float(c.ordinal > 0 and max(o[c.source]) > c.ordinal and c.features.title_block <= 0)
        for c in row.cands
    ]


def later_next(row: Row) -> list[float]:
    o = _ordinals(row)
    return [float(c.ordinal - 1 in o[c.source]) for c in row.cands]


def place(row: Row) -> list[float]:
    o = _ordinals(row)
    out = []
    for c in row.cands:
        s = sorted(o[c.source])
        out.append(s.index(c.ordinal) / (len(s) - 1) if len(s) > 1 else 0.0)
    return out


def peak_mean(row: Row) -> list[float]:
    return [s[0] - float(np.mean(s)) if len(s := _cosines(c)) > 1 else 0.0 for c in row.cands]


def peak_median(row: Row) -> list[float]:
    return [s[0] - float(np.median(s)) if len(s := _cosines(c)) > 2 else 0.0 for c in row.cands]


def peak_second(row: Row) -> list[float]:
    return [s[0] - s[1] if len(s := _cosines(c)) > 1 else 0.0 for c in row.cands]


def paper_count(row: Row) -> list[float]:
    n = Counter(c.source for c in row.cands)
    return [math.log(n[c.source]) for c in row.cands]


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(
    r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\s+(\d{4})\b",
    re.IGNORECASE,
)


def named_months(question: str) -> set[str]:
    """The months a question names with their year, as ``YYYY-MM``."""
    return {f"{y}-{_MONTHS.index(m[:3].lower()) + 1:02d}" for m, y in _MONTH_YEAR.findall(question)}


def month_named(row: Row) -> list[float]:
    months = named_months(row.question)
    return [float((c.meeting_date or "")[:7] in months) for c in row.cands]


def _within(signal: Callable[[Row], list[float]]) -> Callable[[Row], list[float]]:
    return lambda row: relative(row, signal(row))


SIGNALS_TRIED: dict[str, Callable[[Row], list[float]]] = {
    "length (log characters)": length,
    "earlier, its next passage a candidate": earlier_next,
    "earlier, a later passage a candidate": earlier_any,
    "later, its previous passage a candidate": later_next,
    "place among its paper's candidates": place,
    "closest sentence over the mean": peak_mean,
    "closest sentence over the mean, within the paper": _within(peak_mean),
    "closest sentence over the median": peak_median,
    "closest sentence over the median, within the paper": _within(peak_median),
    "closest sentence over the second": peak_second,
    "closest sentence over the second, within the paper": _within(peak_second),
    "the paper's candidates (log count)": paper_count,
    "a meeting in the month named": month_named,
}


@dataclass
class Matrix:
    """One question's candidates as arrays, for refits with many settings."""

    features: np.ndarray  # candidates x signals (``SIGNALS``)
    demote: np.ndarray  # tables put last unless figures are asked for
    hit: np.ndarray
    named: np.ndarray  # candidates x key terms: named by the passage or its headings
    named_text: np.ndarray  # by the passage's own text
    term_weights: np.ndarray
    real: bool
    group: tuple[str, ...]


def matrices(rows: Sequence[Row]) -> list[Matrix]:
    out = []
    for row in rows:
        keys = list(row.concepts)
        full = np.zeros((len(row.cands), len(keys)))
        text = np.zeros_like(full)
        for i, c in enumerate(row.cands):
            headed = c.heading.replace(" > ", " ") + " " + c.text
            for j, key in enumerate(keys):
                full[i, j] = named_weight(headed, {key: 1.0}) > 0
                text[i, j] = named_weight(c.text, {key: 1.0}) > 0
        figures = asks_for_figures(row.question)
        out.append(
            Matrix(
                np.array([[getattr(c.features, n) for n in SIGNALS] for c in row.cands]),
                np.array([-100.0 if c.is_table and not figures else 0.0 for c in row.cands]),
                np.array([c.hit for c in row.cands], dtype=bool),
                full,
                text,
                np.array([row.concepts[k] for k in keys]),
                is_real(row),
                row.group or (f"{row.batch}: no council",),
            )
        )
    return out


def rank_of(
    m: Matrix,
    weights: np.ndarray,
    coverage: np.ndarray | None = None,
    extra: np.ndarray | None = None,
) -> int | None:
    """1-based rank of the first hit, scored as the service scores (``coverage`` replacing
    the captured one when given, ``extra`` added to the score)."""
    features = m.features
    if coverage is not None:
        features = features.copy()
        features[:, SIGNALS.index("coverage")] = coverage
    scores = features @ weights + (0.0 if extra is None else extra)
    scores = np.round(scores, 6) + m.demote
    found = np.nonzero(m.hit[np.argsort(-scores, kind="stable")])[0]
    return int(found[0]) + 1 if len(found) else None


def reshaped(m: Matrix, power: float, share: float, headings: float) -> np.ndarray | None:
    """``coverage`` with the key terms' weights to ``power``, the share to ``share``, and
    the headings' words counted at ``headings`` (1: as shipped)."""
    if not len(m.term_weights):
        return None
    w = m.term_weights**power
    named = headings * (m.named @ w) + (1 - headings) * (m.named_text @ w)
    return np.asarray((named / w.sum()) ** share)


def _mrr(ranks: Sequence[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r is not None and r <= 10)


def grid_fit(
    items: Sequence[Matrix], settings: Sequence[S], ranks: Mapping[S, list[int | None]]
) -> tuple[S, list[int | None]]:
    """The setting of best MRR@10 in-sample and each question's rank out of fold (the
    first of ``settings`` wins ties: put the shipped one first)."""

    def best(training: list[int]) -> S:
        return max(
            settings,
            key=lambda s: (round(_mrr([ranks[s][i] for i in training]), 9), -settings.index(s)),
        )

    every = list(range(len(items)))
    groups = [m.group for m in items]
    oof = out_of_fold(every, groups, best, lambda s, i: ranks[s][i])
    return best(every), oof


def joint_fit(items: Sequence[Matrix], base: np.ndarray) -> tuple[np.ndarray, list[int | None]]:
    """The five main weights refitted by coordinate descent (two rounds over multiples of
    the shipped ones), in-sample and out of fold."""
    tuned = [SIGNALS.index(n) for n in ("fused", "passage", "sentence", "coverage", "answer")]
    multiples = (1.0, 0.0, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0)

    def descend(training: list[int]) -> np.ndarray:
        w = base.copy()
        best = _mrr([rank_of(items[i], w) for i in training])
        for _ in range(2):
            for j in tuned:
                for k in multiples:
                    v = w.copy()
                    v[j] = base[j] * k
                    got = _mrr([rank_of(items[i], v) for i in training])
                    if got > best + 1e-9:
                        best, w = got, v
        return w

    every = list(range(len(items)))
    oof = out_of_fold(every, [m.group for m in items], descend, lambda w, i: rank_of(items[i], w))
    return descend(every), oof


def _line(
    name: str,
    items: Sequence[Matrix],
    at0: Sequence[int | None],
    inside: Sequence[int | None],
    oof: Sequence[int | None],
    chosen: object,
) -> str:
    def count(ranks: Sequence[int | None], real: bool | None = None) -> int:
        return sum(r == 1 for r, m in zip(ranks, items, strict=True) if real in (None, m.real))

    cells = [f"{count(r)} / {count(r, True)}" for r in (at0, inside, oof)]
    return f"| {name} | " + " | ".join(cells) + f" | {chosen} |"


def try_changes(rows: Sequence[Row]) -> None:
    """Print the table of the general changes tried (see the module's docstring)."""
    items = matrices(rows)
    base = np.array([getattr(Weights(), n) for n in SIGNALS])
    shipped = [rank_of(m, base) for m in items]
    print(
        "\n| change | R@1 at the shipped settings (all / real) | in-sample | out of fold | choice |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, signal in SIGNALS_TRIED.items():
        added = [np.asarray(signal(r)) for r in rows]
        ranks = {
            w: [rank_of(m, base, extra=w * a) for m, a in zip(items, added, strict=True)]
            for w in WEIGHTS
        }
        weight, oof = grid_fit(items, WEIGHTS, ranks)
        print(_line(name, items, shipped, ranks[weight], oof, weight), flush=True)
    forms = list(
        itertools.product((1.0, 0.0, 0.5, 1.5, 2.0, 3.0), (1.0, 0.5, 0.75, 1.5, 2.0), (1.0,))
    )
    forms += [(1.0, 1.0, h) for h in (0.0, 0.25, 0.5, 0.75)]
    reshapes = {f: [rank_of(m, base, reshaped(m, *f)) for m in items] for f in forms}
    chosen, oof = grid_fit(items, forms, reshapes)
    print(
        _line(
            "coverage reshaped (term power, share power, headings)",
            items,
            shipped,
            reshapes[chosen],
            oof,
            chosen,
        )
    )
    weights, oof = joint_fit(items, base)
    inside = [rank_of(m, weights) for m in items]
    picked = dict(
        zip(
            ("fused", "passage", "sentence", "coverage", "answer"),
            (
                round(float(weights[SIGNALS.index(n)]), 3)
                for n in ("fused", "passage", "sentence", "coverage", "answer")
            ),
            strict=True,
        )
    )
    print(_line("five main weights refitted jointly", items, shipped, inside, oof, picked))


def depth_table(rows: Sequence[Row], papers: dict[str, Paper]) -> None:
    """R@1 by how many papers of the question's council the sets hold."""
    depth = Counter(p.council for p in papers.values())
    table: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        d = depth.get(row.group[0] if row.group else "", 0)
        bucket = "1" if d <= 1 else "2-4" if d <= 4 else "5-9" if d <= 9 else "10+"
        key = ("real" if is_real(row) else "fictional", bucket)
        cell = table.setdefault(key, [0, 0])
        cell[0] += 1
        cell[1] += first_hit(row, order(row)) == 1
    print("\n| papers | council's papers | answerable | R@1 |")
    print("| --- | --- | ---: | ---: |")
    for (kind, bucket), (n, ok) in sorted(table.items()):
        print(f"| {kind} | {bucket} | {n} | {ok} ({ok / n:.3f}) |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("--list", action="store_true", help="one line per miss")
    parser.add_argument("--fit", action="store_true", help="the general changes tried")
    args = parser.parse_args(argv)
    with args.capture.open("rb") as fh:
        rows: list[Row] = pickle.load(fh)
    papers = manifests()
    weights = Weights()
    counts: dict[str, Counter[str]] = {"real": Counter(), "fictional": Counter()}
    answerable: Counter[str] = Counter()
    hits1: Counter[str] = Counter()
    gold_ranks: dict[str, Counter[str]] = {"real": Counter(), "fictional": Counter()}
    lines = []
    for row in rows:
        kind = "real" if is_real(row) else "fictional"
        answerable[kind] += 1
        ranked = order(row)
        rank = first_hit(row, ranked)
        if rank == 1:
            hits1[kind] += 1
            continue
        label = classify(row, ranked, papers)
        counts[kind][label.split(" (")[0]] += 1
        bucket = "none" if rank is None else str(rank) if rank <= 5 else ">5"
        gold_ranks[kind][bucket] += 1
        top = row.cands[ranked[0]]
        if rank is not None:
            gold = row.cands[ranked[rank - 1]]
            gap, needed = lift(top, gold, weights)
            detail = f"gold rank {rank}, gap {gap:.2f}, closes: {needed}"
        else:
            detail = "gold not among the candidates"
        lines.append(f"{row.batch:>24} {row.qid:>9} | {label} | {detail}")
    for kind in ("real", "fictional"):
        n, ok = answerable[kind], hits1[kind]
        print(f"\n{kind}: {n} answerable, R@1 {ok} ({ok / max(1, n):.3f}), misses {n - ok}")
        print("| what ranked first | misses |")
        print("| --- | ---: |")
        for label, c in counts[kind].most_common():
            print(f"| {label} | {c} |")
        print("gold rank among the misses:", dict(sorted(gold_ranks[kind].items())))
    depth_table(rows, papers)
    if args.list:
        print()
        print("\n".join(lines))
    if args.fit:
        try_changes(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
