"""The answering sentence on new questions (stop 31): every answer@1 miss of the three
shared sets and the consumed blind batches, by cause, and the general changes tried.

    python bench/answer_sentence.py capture --index-root DIR OUT.pkl [BATCH ...]
    python bench/answer_sentence.py misses CAPTURE.pkl [--list]
    python bench/answer_sentence.py within CAPTURE.pkl [--list]
    python bench/answer_sentence.py fit CAPTURE.pkl
    python bench/answer_sentence.py logit CAPTURE.pkl

``capture`` asks every question of the three shared sets (``questions.jsonl``) and of the
named blind batches (``tests/labels/ask_heldout_*.jsonl``, each question of its set's
index, as bench/ask_heldout.py asks them; name only batches that are no longer held out)
and keeps, for every answerable question, the ten passages ranked (file, place in the
paper, text, the sentences and the question's cosine to each) and the councils it touches
(``evaluation.crossval.question_councils``).

``misses`` chooses the rank-1 highlight again with this checkout's rule (the settings'
``SpanRule``) and sorts the questions whose rank-1 passage hits but whose highlight does
not show the evidence (answer@1's ``highlight_answers``) by one main cause (``primary``) and
along the axes the misses differ on (``axes``): where the gold sentence lies from the span
shown, how many sentences the span shows, how far the gold sentence scores below the one
chosen, its length against the one chosen, a table.  ``--list`` prints each miss.

``within`` sorts the rank-1 misses by where the first gold passage is: ranks 2-5 of the
same paper as rank 1 (and whether it is the passage next to it), another paper, lower.

``fit`` tries general one-parameter changes of the sentence choice (``CANDIDATES``: a
weight on a reading of each sentence added to the rule's adjusted score, through the
service's own ``highlight.choose``), each weight chosen on the other councils' questions
(leaving one council out, ``evaluation.crossval.out_of_fold``; ties to the smallest
weight), and prints answer@1 of the rank-1 hits, sets and batches apart: the stored rule,
in-sample and out of fold; then the upper bound of a better reading of the kind asked
(``oracle_kinds``), and sweeps of the tie margin, of the share of a sentence's words that
makes it a restatement, and of a wider span shown (``widened``).  ``logit`` fits every
reading at once (a conditional logit over each passage's sentences, its score read in the
rule's units) the same way: a diagnostic of what the readings could do together.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cqa_core.text import Span, words  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import Retrieved, highlight_answers, is_hit  # noqa: E402
from evaluation.questions import GoldEntry  # noqa: E402
from qa_service import highlight, highlight_read  # noqa: E402
from qa_service.answer_kind import Kind, introduces_item, reports_question  # noqa: E402
from qa_service.highlight_read import Asked as Reading  # noqa: E402
from qa_service.highlight_read import Flags, _content, _fold, _holds, _is_content, _named  # noqa: E402
from qa_service.span_rule import SpanRule  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")


@dataclass
class Passage:
    """One ranked passage: its file, text, sentences and the question's cosine to each."""

    source: str
    text: str
    spans: list[tuple[int, int]]
    scores: np.ndarray
    is_table: bool = False
    ordinal: int = -1  # the passage's place in its paper

    def sentences(self) -> list[str]:
        return [self.text[a:b] for a, b in self.spans]


@dataclass
class Asked:
    """One answerable question and what the service ranked for it."""

    group: str  # the set or batch
    set_name: str
    id: str
    question: str
    gold: list[GoldEntry]
    councils: tuple[str, ...]
    ranked: list[Passage] = field(default_factory=list)

    def gold_of(self, rank: int) -> list[GoldEntry]:
        """The gold entries the passage at ``rank`` (from 1) hits."""
        if rank > len(self.ranked):
            return []
        p = self.ranked[rank - 1]
        return [g for g in self.gold if is_hit(g, Retrieved(p.source, p.text))]


def capture(index_root: Path, batches: Sequence[Path]) -> list[Asked]:
    """Every answerable question of the three sets and of ``batches``."""
    from bench.highlight_pool import answered

    out: list[Asked] = []
    for one in answered(index_root, batches):
        q = one.question
        kept = Asked(one.group, one.set_name, q.id, q.question, list(q.gold), one.councils())
        for h in one.answer.hits:
            scores = h.sentence_scores
            kept.ranked.append(
                Passage(
                    h.passage.document.source,
                    h.passage.text,
                    [(s.start, s.end) for s in h.sentence_spans],
                    np.zeros(0) if scores is None else np.asarray(scores, dtype=np.float64),
                    bool(h.passage.is_table),
                    h.passage.ordinal,
                )
            )
        out.append(kept)
    return out


class _Unpickler(pickle.Unpickler):
    """Finds this module's classes when the capture was written by it run as ``__main__``."""

    def find_class(self, module: str, name: str) -> object:
        here = name in {"Asked", "Passage"}
        return super().find_class(__name__ if here else module, name)


def load(path: Path) -> list[Asked]:
    """A capture."""
    with path.open("rb") as fh:
        kept: list[Asked] = _Unpickler(fh).load()
    return kept


# --- the rank-1 hits, read as the highlight reads them ----------------------------------


@dataclass
class Hit:
    """A rank-1 hit as the highlight chooses from it."""

    asked: Asked
    part: str  # "sets" or "batches"
    sentences: list[str]
    spans: list[Span]
    scores: np.ndarray
    reading: Reading
    flags: Flags
    gold: list[GoldEntry]  # the gold entries the passage hits
    y: np.ndarray  # per sentence: shows a gold evidence alone

    @property
    def text(self) -> str:
        return self.asked.ranked[0].text

    def shown(self, extra: np.ndarray | None = None, rule: SpanRule | None = None) -> list[int]:
        """The sentences (from 0) of the span shown, ``extra`` added to the adjusted scores."""
        with _added(extra):
            chosen = highlight.choose(self.spans, self.scores, self.flags, rule or SpanRule())
        return _inside(self.spans, chosen.shown)

    def ok(self, extra: np.ndarray | None = None, rule: SpanRule | None = None) -> bool:
        """Whether the span shown shows a gold evidence (answer@1 of a rank-1 hit)."""
        at = self.shown(extra, rule)
        if not at:
            return False
        text = self.text[self.spans[min(at)].start : self.spans[max(at)].end]
        return any(highlight_answers(g, text) for g in self.gold)


@contextmanager
def _added(extra: np.ndarray | None) -> Iterator[None]:
    """``highlight.adjusted_scores`` with ``extra`` added, while inside."""
    if extra is None:
        yield
        return
    stored = highlight.adjusted_scores
    highlight.adjusted_scores = lambda s, f, r: stored(s, f, r) + extra  # type: ignore[assignment]
    try:
        yield
    finally:
        highlight.adjusted_scores = stored  # type: ignore[assignment]


def _inside(spans: Sequence[Span], chosen: Sequence[Span]) -> list[int]:
    return [
        i
        for i, s in enumerate(spans)
        if chosen and chosen[0].start <= s.start and s.end <= chosen[0].end
    ]


def _part(group: str) -> str:
    return "sets" if group in SETS else "batches"


def hits_of(kept: Sequence[Asked]) -> list[Hit]:
    """The rank-1 hits of a capture (with sentence scores)."""
    out = []
    for a in kept:
        gold = a.gold_of(1)
        if not gold or not len(a.ranked[0].scores):
            continue
        p = a.ranked[0]
        sentences = p.sentences()
        reading = highlight.asked_of(a.question, set(words(a.question)))
        y = np.array([any(highlight_answers(g, s) for g in gold) for s in sentences], dtype=float)
        out.append(
            Hit(
                a,
                _part(a.group),
                sentences,
                [Span(x, z) for x, z in p.spans],
                p.scores,
                reading,
                highlight.flags_of(sentences, reading, SpanRule()),
                gold,
                y,
            )
        )
    return out


# --- the misses ------------------------------------------------------------------------


def primary(h: Hit, shown: Sequence[int]) -> str:
    """A miss's one main cause, in this order: the evidence in no single sentence; a
    heading or label shown; the question read as asking no kind of answer; the gold
    sentence holding the kind asked and the span not; the span holding it and the gold
    sentence not (the kind misread on one side); both holding it (the closer chosen);
    neither holding it."""
    gold = [i for i, v in enumerate(h.y) if v]
    if not gold:
        return "evidence in no single sentence"
    if any(h.flags.empty[i] for i in shown) and not any(h.flags.answers[i] for i in shown):
        return "a heading, label or restatement shown"
    if not h.flags.kind_asked:
        return "no kind asked (as read): the topic shown"
    g = any(h.flags.answers[i] for i in gold)
    s = any(h.flags.answers[i] for i in shown)
    if g and not s:
        return "kind asked: gold holds it, the span not"
    if s and not g:
        return "kind asked: the span holds it, gold not"
    if g:
        return "kind asked: both hold it, the closer chosen"
    return "kind asked: neither holds it"


def axes(h: Hit, shown: Sequence[int]) -> list[str]:
    """A miss read along the axes the misses differ on."""
    gold = [i for i, v in enumerate(h.y) if v]
    if not gold or not shown:
        return []
    d = min((g - s for g in gold for s in shown), key=abs)
    where = f"{d:+d}" if abs(d) <= 2 else ("+3 or more" if d > 0 else "-3 or more")
    out = [
        f"gold {where} from the span",
        f"span of {min(len(shown), 3)}{'+' if len(shown) > 2 else ''} sentences",
    ]
    adjusted = highlight.adjusted_scores(h.scores, h.flags, SpanRule())
    best = max(shown, key=lambda i: adjusted[i])
    g = min(gold, key=lambda i: abs(i - best))
    gap = float(adjusted[best] - adjusted[g])
    out.append(
        "adjusted gap < 0.1"
        if gap < 0.1
        else "adjusted gap 0.1-0.2"
        if gap < 0.2
        else "adjusted gap >= 0.2"
    )
    if g == int(np.argmax(h.scores)):
        out.append("gold the closest by cosine")
    gl, sl = len(words(h.sentences[g])), len(words(h.sentences[best]))
    out.append(
        "gold 1.5x longer"
        if gl > 1.5 * sl
        else "gold 1.5x shorter"
        if 1.5 * gl < sl
        else "lengths alike"
    )
    if h.asked.ranked[0].is_table or "|" in h.sentences[g]:
        out.append("a table")
    return out


def misses(kept: Sequence[Asked], listing: bool = False) -> str:
    """The misses by main cause and along the axes (sets and batches apart)."""
    tally: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for h in hits_of(kept):
        tally[(h.part, "rank-1 hits")] += 1
        if not h.flags.kind_asked:
            tally[(h.part, "rank-1 hits asking no kind")] += 1
        shown = h.shown()
        if h.ok():
            continue
        tally[(h.part, "misses")] += 1
        cause = primary(h, shown)
        tally[(h.part, f"cause: {cause}")] += 1
        for axis in axes(h, shown):
            tally[(h.part, axis)] += 1
        if listing:
            a = h.asked
            lines.append(f"- {a.group} {a.id}: {a.question}  [{', '.join(h.reading.kinds) or '-'}]")
            lines.append(f"    {cause}; {'; '.join(axes(h, shown))}")
            adjusted = highlight.adjusted_scores(h.scores, h.flags, SpanRule())
            closest = int(np.argmax(h.scores))
            for i, s in enumerate(h.sentences):
                if i in shown or h.y[i] or i == closest:
                    tag = ("S" if i in shown else " ") + ("G" if h.y[i] else " ")
                    tag += ("c" if i == closest else " ") + ("k" if h.flags.answers[i] else " ")
                    text = " ".join(s.split())[:180]
                    lines.append(f"    {tag} [{i}] {h.scores[i]:.3f}/{adjusted[i]:.3f} {text}")
    head = ["| reading | sets | consumed batches |", "| --- | ---: | ---: |"]
    order = sorted(
        {k for _, k in tally}, key=lambda k: (not k.startswith(("rank", "misses", "cause")), k)
    )
    for c in order:
        head.append(f"| {c} | {tally[('sets', c)]} | {tally[('batches', c)]} |")
    return "\n".join([*head, "", *lines])


def within(kept: Sequence[Asked], listing: bool = False) -> str:
    """The rank-1 misses by where the first gold passage is."""
    tally: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for a in kept:
        part = _part(a.group)
        tally[(part, "answerable")] += 1
        if a.ranked and a.gold_of(1):
            continue
        tally[(part, "rank-1 misses")] += 1
        first = next((r for r in range(2, len(a.ranked) + 1) if a.gold_of(r)), None)
        if first is None:
            where = "gold not among the ten"
        else:
            g, top = a.ranked[first - 1], a.ranked[0]
            depth = "2-5" if first <= 5 else "6-10"
            if g.source != top.source:
                where = f"gold at {depth}, another paper"
            else:
                step = g.ordinal - top.ordinal
                next_to = (
                    " (the next passage)"
                    if step == 1
                    else " (the passage before)"
                    if step == -1
                    else ""
                )
                where = f"gold at {depth}, the same paper as rank 1{next_to}"
        tally[(part, where)] += 1
        if listing:
            lines.append(f"- {a.group} {a.id} ({where}, first gold {first}): {a.question}")
    head = ["| rank-1 miss | sets | consumed batches |", "| --- | ---: | ---: |"]
    for c in sorted({k for _, k in tally}):
        head.append(f"| {c} | {tally[('sets', c)]} | {tally[('batches', c)]} |")
    return "\n".join([*head, "", *lines])


# --- general changes tried, each one weight fitted leaving one council out ---------------


def _share_named(h: Hit) -> np.ndarray:
    """The share of the question's content words each sentence names (in any form)."""
    content = frozenset(_fold(w) for w in h.reading.words if _is_content(w))
    if not content:
        return np.zeros(len(h.sentences))
    return np.array([len(_named(s, content)) / len(content) for s in h.sentences])


def _idf_named(h: Hit) -> np.ndarray:
    """The question's content words each sentence names, each weighted by how few of the
    passage's sentences name it (an inverse document frequency within the passage)."""
    content = frozenset(_fold(w) for w in h.reading.words if _is_content(w))
    named = [_named(s, content) for s in h.sentences]
    n = len(h.sentences)
    df = {w: sum(w in x for x in named) for w in content}
    idf = {w: float(np.log((n + 1) / (df[w] + 0.5))) for w in content if df[w]}
    total = sum(idf.values()) or 1.0
    return np.array([sum(idf[w] for w in x) / total for x in named])


def _restated(h: Hit) -> np.ndarray:
    """The share of each sentence's content words the question gives."""
    content = frozenset(_fold(w) for w in h.reading.words if _is_content(w))
    out = []
    for s in h.sentences:
        own = _content(s)
        out.append(len(own & content) / len(own) if own else 0.0)
    return np.array(out)


def _outcome(h: Hit) -> np.ndarray:
    """For a question read as asking no kind, the sentences stating a figure, a date or a
    decision (what came of the topic); 0 elsewhere."""
    if h.flags.kind_asked:
        return np.zeros(len(h.sentences))
    kinds = (Kind.NUMBER, Kind.DATE, Kind.DECISION)
    return np.array([float(any(_holds(s, k, h.reading) for k in kinds)) for s in h.sentences])


def _introduces(h: Hit) -> np.ndarray:
    """A sentence only introducing the item, whatever it holds (the rule reads one as a
    heading only when it holds none of the kind asked)."""
    return -np.array([float(introduces_item(s)) for s in h.sentences])


def _selective_kind(h: Hit) -> np.ndarray:
    """The kind bonus moved by how few of the passage's sentences hold the kind asked
    (more when few do, less when most do)."""
    held = np.asarray(h.flags.answers, dtype=float)
    return held * (0.5 - held.mean()) if len(held) else held


def _after_no_kind(h: Hit) -> np.ndarray:
    """For a question read as asking no kind, the second sentence after the closest."""
    out = np.zeros(len(h.sentences))
    closest = int(np.argmax(h.scores))
    if not h.flags.kind_asked and closest + 2 < len(out):
        out[closest + 2] = 1.0
    return out


WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)
# name: (reading per sentence, weights tried)
CANDIDATES: dict[str, tuple[Callable[[Hit], np.ndarray], tuple[float, ...]]] = {
    "share of the question's words named": (_share_named, WEIGHTS),
    "the same, weighted within the passage (idf)": (_idf_named, WEIGHTS),
    "share of the sentence's words the question gives": (_restated, WEIGHTS),
    "no kind asked: a figure, date or decision held": (_outcome, WEIGHTS),
    "an introduction of the item marked down, whatever it holds": (_introduces, WEIGHTS),
    "kind bonus by how few sentences hold the kind": (
        _selective_kind,
        (-0.4, -0.2, -0.1, *WEIGHTS),
    ),
    "no kind asked: the second sentence after the closest": (_after_no_kind, WEIGHTS),
}


def fit_one(
    hits: Sequence[Hit], reading: Callable[[Hit], np.ndarray], weights: Sequence[float]
) -> tuple[float, list[float], dict[str, tuple[int, int, int]]]:
    """``reading`` added at each weight: the in-sample weight, each fold's, and per part
    (answer@1 at weight 0, in-sample, out of fold)."""
    extra = [reading(h) for h in hits]
    table = np.array(
        [[h.ok(w * x if w else None) for h, x in zip(hits, extra, strict=True)] for w in weights]
    )

    def best(idx: Sequence[int]) -> int:
        counts = table[:, idx].sum(axis=1)
        return max(range(len(weights)), key=lambda k: (counts[k], -abs(weights[k])))

    chosen: list[float] = []

    def fold(training: list[int]) -> int:
        k = best(training)
        chosen.append(weights[k])
        return k

    idx = list(range(len(hits)))
    oof = out_of_fold(idx, [h.asked.councils for h in hits], fold, lambda k, i: bool(table[k, i]))
    inside = best(idx)
    zero = weights.index(0.0)
    parts = {}
    for part in ("sets", "batches"):
        sel = [i for i, h in enumerate(hits) if h.part == part]
        parts[part] = (
            int(table[zero, sel].sum()),
            int(table[inside, sel].sum()),
            int(sum(oof[i] for i in sel)),
        )
    return weights[inside], chosen, parts


def fit(kept: Sequence[Asked]) -> str:
    """Each candidate fitted leaving one council out; the tie margin, the restatement's
    share and a wider span shown, swept."""
    hits = hits_of(kept)
    n = Counter(h.part for h in hits)
    lines = [
        f"rank-1 hits: sets {n['sets']}, batches {n['batches']}",
        "| change | sets: stored / in-sample / out of fold | batches: the same "
        "| in-sample weight | folds' weights |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for name, (reading, weights) in CANDIDATES.items():
        w, chosen, parts = fit_one(hits, reading, weights)
        folds = ", ".join(f"{v}: {c}" for v, c in Counter(chosen).most_common())
        cells = " | ".join(" / ".join(map(str, parts[p])) for p in ("sets", "batches"))
        lines.append(f"| {name} | {cells} | {w} | {folds} |")
    lines.append("")
    lines.append(
        "tie margin (how close sentences holding the kind must score to be told apart by words):"
    )
    for t in (0.1, 0.2, 0.3, 0.5, 1.0):
        rule = replace(SpanRule(), tie_margin=t)
        counts = {
            p: sum(h.ok(None, rule) for h in hits if h.part == p) for p in ("sets", "batches")
        }
        lines.append(f"  {t}: sets {counts['sets']}, batches {counts['batches']}")
    lines.append("")
    lines.append(
        "questions read as asking no kind, given the kinds the gold sentence holds (an oracle):"
    )
    lines.extend(f"  {row}" for row in oracle_kinds(hits))
    lines.append("")
    lines.append("a restatement: the share of a sentence's words the question gives, at least:")
    for share in (0.4, 0.5, 0.6, 0.7, 0.8):
        with _restating_at(share):
            again = hits_of(kept)
        counts = {p: sum(h.ok() for h in again if h.part == p) for p in ("sets", "batches")}
        lines.append(f"  {share}: sets {counts['sets']}, batches {counts['batches']}")
    lines.append("")
    lines.append("the span shown, a core of two sentences widened by the one after within m:")
    for m in (None, 0.1, 0.2, 0.3, 0.5, 1.0):
        counts, shown_words = Counter[str](), []
        for h in hits:
            at = widened(h, m)
            text = h.text[h.spans[min(at)].start : h.spans[max(at)].end]
            counts[h.part] += any(highlight_answers(g, text) for g in h.gold)
            shown_words.append(len(words(text)))
        lines.append(
            f"  {'none (stored)' if m is None else m}: sets {counts['sets']}, batches "
            f"{counts['batches']}, mean words shown {np.mean(shown_words):.1f}"
        )
    return "\n".join(lines)


ORACLE_KINDS = (Kind.NUMBER, Kind.DATE, Kind.DECISION, Kind.PERSON, Kind.GRADE)


def oracle_kinds(hits: Sequence[Hit]) -> list[str]:
    """The upper bound of a better reading of the kind asked: each question read as asking
    no kind is given the kinds its gold sentence holds (all of them, or only those the span
    shown does not hold) and chosen again; answer@1 before and after, sets and batches."""
    rows = []
    for only_new in (False, True):
        moved: Counter[tuple[str, bool, bool]] = Counter()
        for h in hits:
            gold = [i for i, v in enumerate(h.y) if v]
            if h.flags.kind_asked or not gold:
                continue
            shown = h.shown()
            kinds = tuple(
                k
                for k in ORACLE_KINDS
                if any(_holds(h.sentences[g], k, h.reading) for g in gold)
                and not (only_new and any(_holds(h.sentences[i], k, h.reading) for i in shown))
            )
            before = h.ok()
            after = before
            if kinds:
                reading = replace(h.reading, kinds=kinds)
                flags = highlight.flags_of(h.sentences, reading, SpanRule())
                after = replace(h, reading=reading, flags=flags).ok()
            moved[(h.part, before, after)] += 1
        label = "held by gold, not by the span" if only_new else "held by gold"
        for part in ("sets", "batches"):
            n = sum(v for (p, _, _), v in moved.items() if p == part)
            right = moved[(part, True, True)] + moved[(part, True, False)]
            rows.append(
                f"{label}: {part} {n} questions, right before {right}, "
                f"gained {moved[(part, False, True)]}, lost {moved[(part, True, False)]}"
            )
    return rows


@contextmanager
def _restating_at(share: float) -> Iterator[None]:
    """``answer_kind.restates`` with another share of the question's words (stored 0.6),
    as the highlight reads it, while inside."""
    stored = highlight_read.restates

    def restates(sentence: str, question_words: Collection[str]) -> bool:
        if reports_question(sentence):
            return True
        own = set(words(sentence))
        if not own or not question_words:
            return False
        return len(own & set(question_words)) / len(own) >= share

    highlight_read.restates = restates  # type: ignore[assignment]
    try:
        yield
    finally:
        highlight_read.restates = stored  # type: ignore[assignment]


def widened(h: Hit, margin: float | None) -> list[int]:
    """The span shown, and when it is a core of two sentences, the sentence after it too
    when that scores within ``margin`` of the better of the two and is no heading."""
    shown = h.shown()
    if margin is None or len(shown) != 2:
        return shown
    adjusted = highlight.adjusted_scores(h.scores, h.flags, SpanRule())
    after = max(shown) + 1
    top = max(adjusted[i] for i in shown)
    if after < len(h.spans) and not h.flags.empty[after] and adjusted[after] >= top - margin:
        return [*shown, after]
    return shown


# --- every reading at once: a conditional logit over each passage's sentences -----------

LOGIT_READINGS: dict[str, Callable[[Hit], np.ndarray]] = {
    "adjusted": lambda h: highlight.adjusted_scores(h.scores, h.flags, SpanRule()),
    "cosine below the closest": lambda h: h.scores - h.scores.max(),
    "holds the kind": lambda h: np.asarray(h.flags.answers, dtype=float) * h.flags.kind_asked,
    "heading or restatement": lambda h: np.asarray(h.flags.empty, dtype=float),
    "share named": _share_named,
    "share restated": _restated,
    "words (log)": lambda h: np.log1p([len(words(s)) for s in h.sentences]),
    "place in the passage": lambda h: np.arange(len(h.sentences)) / max(1, len(h.sentences) - 1),
    "introduces the item": _introduces,
    "no kind: the closest": lambda h: (
        (np.arange(len(h.sentences)) == np.argmax(h.scores)) * (not h.flags.kind_asked)
    ),
    "no kind: next to the closest": lambda h: (
        (np.arange(len(h.sentences)) == np.argmax(h.scores) + 1) * (not h.flags.kind_asked)
    ),
    "no kind: second after the closest": _after_no_kind,
}


def _logit_fit(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], l2: float) -> np.ndarray:
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = l2 * float(w @ w), 2 * l2 * w
        for x, y in zip(xs, ys, strict=True):
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            py = float(p @ y)
            total -= np.log(py + 1e-12)
            grad -= x.T @ (p * y / max(py, 1e-12) - p)
        return total, grad

    return np.asarray(minimize(loss, np.zeros(xs[0].shape[1]), jac=True, method="L-BFGS-B").x)


def logit(kept: Sequence[Asked]) -> str:
    """Every reading at once, fitted leaving one council out; its score, divided by its
    weight on the adjusted score (so the rule's margins keep their units), chooses."""
    hits = [h for h in hits_of(kept) if h.y.sum()]
    xs = [np.column_stack([f(h) for f in LOGIT_READINGS.values()]).astype(float) for h in hits]
    lines = []
    for l2 in (1.0, 3.0, 10.0):

        def train(idx: list[int], l2: float = l2) -> np.ndarray:
            return _logit_fit([xs[i] for i in idx], [hits[i].y for i in idx], l2)

        def judge(w: np.ndarray, i: int) -> bool:
            score = xs[i] @ w / max(w[0], 1e-3)
            base = highlight.adjusted_scores(hits[i].scores, hits[i].flags, SpanRule())
            return hits[i].ok(score - base)

        idx = list(range(len(hits)))
        oof = out_of_fold(idx, [h.asked.councils for h in hits], train, judge)
        w_all = train(idx)
        cells = []
        for part in ("sets", "batches"):
            sel = [i for i, h in enumerate(hits) if h.part == part]
            stored = sum(hits[i].ok() for i in sel)
            inside = sum(judge(w_all, i) for i in sel)
            cells.append(f"{part} {stored} / {inside} / {sum(oof[i] for i in sel)}")
        weights = ", ".join(
            f"{k} {v / max(w_all[0], 1e-3):+.2f}"
            for k, v in zip(LOGIT_READINGS, w_all, strict=True)
        )
        lines.append(f"L2 {l2}: stored / in-sample / out of fold: {'; '.join(cells)}")
        lines.append(f"  weights (adjusted = 1): {weights}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture, or read a capture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--index-root", type=Path, required=True)
    c.add_argument("out", type=Path)
    c.add_argument("batches", nargs="*", type=Path)
    for name in ("misses", "within", "fit", "logit"):
        s = sub.add_parser(name)
        s.add_argument("capture", type=Path)
        if name in ("misses", "within"):
            s.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "capture":
        kept = capture(args.index_root, args.batches)
        with args.out.open("wb") as fh:
            pickle.dump(kept, fh)
        print(f"kept {len(kept)} answerable questions")
        return 0
    if args.command in ("misses", "within"):
        report = {"misses": misses, "within": within}[args.command]
        print(report(load(args.capture), args.list))
        return 0
    print({"fit": fit, "logit": logit}[args.command](load(args.capture)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
