"""The abstention's misses by general mode, and candidate evidence for them, out of fold.

    python bench/abstention_modes.py [--index-root DIR] [--misses]

Runs every question of the three shared sets once, as bench/fit_abstention.py does, and keeps
what the abstention's evidence is gathered from (the hits, the question as read, the filters,
the key concepts' weights).  Then:

- ``--misses``: every question the stored classifier's rule judges wrongly out of fold
  (unanswerable answered, answerable refused), with its evidence and the top passage's
  highlighted answer: what the modes in docs/quality.md ("Abstention, stop 18") were read from;
- for each candidate piece of evidence (``CANDIDATES``): how often it fires per set and class,
  its separation alone (ROC AUC, answerable as the positive class) and the classifier's
  figures when it is added to the stored evidence, in-sample and out of fold across councils
  (``evaluation.crossval``, the rule of bench/fit_abstention.py), with the questions whose
  out-of-fold state changes.

Nothing here changes the service: a candidate that pays would be moved into
``qa_service/abstention.py`` and refitted with bench/fit_abstention.py.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.fit_abstention import Case, fit, state  # noqa: E402
from bench.quality_all import SETS, SHARED, run_set  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.store import Filters, Store  # noqa: E402
from qa_service import retriever  # noqa: E402
from qa_service.abstention import ANSWERED, FEATURES, Evidence  # noqa: E402
from qa_service.answer_kind import Kind, answer_kinds, holds_answer, is_label, restates, words  # noqa: E402
from qa_service.answers import Hit  # noqa: E402
from qa_service.highlight import split_sentences  # noqa: E402
from qa_service.query import Understanding  # noqa: E402
from qa_service.rerank import YearPreference, named_weight  # noqa: E402
from qa_service.second_stage import asked_about, concept_weights  # noqa: E402


@dataclass
class Row:
    """One question: its label and evidence, and what the evidence was gathered from."""

    set_name: str
    qid: str
    question: str
    answerable: bool
    group: tuple[str, ...]
    evidence: Evidence | None
    shown: str = ""  # the top passage's highlighted answer
    passages: list[str] = field(default_factory=list)  # top hits' texts, best first
    sentences: list[list[str]] = field(default_factory=list)  # ... split into sentences
    weights: dict[tuple[str, ...], float] = field(default_factory=dict)  # key concepts
    lacking: list[str] = field(default_factory=list)  # key terms the index lacks
    in_scope: dict[tuple[str, ...], int] = field(default_factory=dict)  # passages naming each
    preferred: YearPreference | None = None  # the year asked about
    # an answerable question asked again with its answering passages withheld (--withheld)
    withheld: Row | None = None


# --- candidate evidence (each 1.0 where it counts against answering, unless said) ---------

# A question insisting on what happened in the end, and a shown sentence that only states a
# plan, an estimate or a quote.  The adverbs were read off real-dev-set's misses, so this
# list is sized to those questions: measured, not a candidate to ship (docs/quality.md).
OUTCOME = re.compile(
    r"\b(?:actually|finally|in the end|end(?:ed|s)? up|eventually|ultimately)\b", re.IGNORECASE
)
CONDITIONAL = re.compile(r"\b(?:would|will|could|might|expected|planned|due)\b", re.IGNORECASE)
TENTATIVE = re.compile(
    r"\b(?:estimated?|estimates?|expected|anticipated|projected|forecasts?|proposed|proposals?|"
    r"planned|planning|plans?|quotes?|quotations?|quoted|awaited|would|will|likely|"
    r"approximately|provisional|intends?|intended)\b",
    re.IGNORECASE,
)
_MONTH = r"january|february|march|april|may|june|july|august|september|october|november|december"
DAY_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\b|\b(?:{_MONTH})\s+\d{{1,2}}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)
GRADE_VALUE = re.compile(
    r"\b(?:outstanding|good|requires improvement|inadequate|satisfactory|adequate|poor|"
    r"excellent|weak|strong|level\s+\d|\d\s+out\s+of\s+\d|\d\s*stars?|grade\s+\d)\b",
    re.IGNORECASE,
)


def rarest(weights: Mapping[tuple[str, ...], float], k: int) -> dict[tuple[str, ...], float]:
    """The ``k`` highest-weighted (rarest) key concepts."""
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[:k])


def scoped_lacking(row: Row) -> float:
    """Share of the key concepts' weight that no passage of the searched papers (the named
    council's, when one is named) names: ``lacking`` read within the filters."""
    total = sum(row.weights.values())
    missing = sum(w for f, w in row.weights.items() if row.in_scope.get(f, 0) == 0)
    return missing / total if total > 0 else 0.0


def rarest_absent(row: Row, k: int = 1) -> float:
    """Share of the ``k`` rarest concepts' weight that no passage of the searched papers names."""
    top = rarest(row.weights, k)
    total = sum(top.values())
    return sum(w for f, w in top.items() if row.in_scope.get(f, 0) == 0) / total if total else 0.0


def kind_unnamed(row: Row, k: int = 1, hits: int = 3) -> float:
    """1 when the question asks for a kind of answer and no sentence of the top ``hits``
    passages both names one of its ``k`` rarest concepts and holds that kind."""
    kinds = answer_kinds(row.question)
    top = rarest(row.weights, k)
    if not kinds or not top:
        return 0.0
    for sentences in row.sentences[:hits]:
        for s in sentences:
            if named_weight(s, top) > 0 and any(holds_answer(s, kind) for kind in kinds):
                return 0.0
    return 1.0


def year_unnamed(row: Row, k: int = 1, hits: int = 3) -> float:
    """1 when the question asks about a year and no sentence of the top ``hits`` passages
    both writes that year and names one of its ``k`` rarest concepts (the years' own tokens
    left out): the measure is given, but for other years."""
    if row.preferred is None:
        return 0.0
    weights = {f: w for f, w in row.weights.items() if not f[0][:1].isdigit()}
    top = rarest(weights, k)
    if not top:
        return 0.0
    for sentences in row.sentences[:hits]:
        for s in sentences:
            if row.preferred.written(s) and named_weight(s, top) > 0:
                return 0.0
    return 1.0


def outcome_over_plan(row: Row) -> float:
    """1 when the question insists on the outcome (and is not itself about a plan) and the
    shown sentence is tentative (an estimate, a plan, a quote)."""
    q = row.question
    asked = OUTCOME.search(q) and not CONDITIONAL.search(q)
    return 1.0 if asked and TENTATIVE.search(row.shown) else 0.0


def day_missed(row: Row) -> float:
    """1 when a date is asked for and the shown sentence writes no day of a month."""
    return (
        1.0 if Kind.DATE in answer_kinds(row.question) and not DAY_DATE.search(row.shown) else 0.0
    )


def grade_missed(row: Row) -> float:
    """1 when a grade is asked for and the top passage states no grade's value (only, say,
    "notes the score judgement")."""
    asked = Kind.GRADE in answer_kinds(row.question)
    return 1.0 if asked and not GRADE_VALUE.search(row.passages[0] if row.passages else "") else 0.0


# --- stop 19: mode A read from grammar, mode C, the shown sentence a label ----------------

# A question asked in the past tense: its auxiliary or copula is a past form (a closed
# class), and it holds no modal or future form itself ("what would it cost").
PAST_ASKED = re.compile(r"\b(?:did|was|were|had)\b", re.IGNORECASE)
FUTURE_ASKED = re.compile(
    r"\b(?:will|would|shall|should|may|might|could|can|going to|due to)\b", re.IGNORECASE
)
# A sentence stating something as not (yet) so: a modal verb, or a future "be to" / "due to"
# / "going to" (closed classes) ...
MODAL = re.compile(
    r"\b(?:will|would|shall|should|may|might|could|going to|due to|(?:is|are|was|were) to be)\b",
    re.IGNORECASE,
)
# ... and, wider, the participles and nouns that state a figure as reckoned before the fact
RECKONED = re.compile(
    r"\b(?:estimated?|estimates?|expected|projected|anticipated|forecasts?|proposed|"
    r"quotes?|quoted|quotations?)\b",
    re.IGNORECASE,
)


def asked_in_past(question: str) -> bool:
    """The question's verb is a past form (did, was, were, had) and it has no modal or
    future form of its own."""
    return bool(PAST_ASKED.search(question)) and not FUTURE_ASKED.search(question)


def modal_shown(row: Row) -> float:
    """1 when the question asks in the past tense and the shown sentence holds a modal or
    future form: a plan or a promise shown where an outcome is asked (mode A by grammar)."""
    return 1.0 if asked_in_past(row.question) and MODAL.search(row.shown) else 0.0


def tentative_shown(row: Row) -> float:
    """``modal_shown``, or the shown sentence states its figure as reckoned before the fact
    (estimated, expected, proposed, a quote)."""
    if not asked_in_past(row.question):
        return 0.0
    return 1.0 if MODAL.search(row.shown) or RECKONED.search(row.shown) else 0.0


_NAME = re.compile(r"\b(?:[A-Z][\w'’-]*\s+)+[A-Z][\w'’-]*\b")


def sibling_shown(row: Row) -> float:
    """1 when the question names something by a proper name of two or more words ("Tintern
    Village Hall") and the nearest name ending in the same word at or before the shown
    sentence in the top passage is another ("Llandogo Hall"), while the shown sentence does
    not write the asked name: the figure shown is said of a sibling (mode C)."""
    if not row.passages or not row.shown:
        return 0.0
    text = row.passages[0]
    end = text.find(row.shown)
    end = len(text) if end < 0 else end + len(row.shown)
    names = [m.group(0) for m in _NAME.finditer(row.question)]
    for name in names:
        words = name.split()
        if name in row.shown or words[0] == row.question.split()[0]:
            continue
        head = words[-1]
        before = [m.group(0) for m in _NAME.finditer(text[:end]) if m.group(0).split()[-1] == head]
        if before and before[-1] != name and not before[-1].endswith(name):
            return 1.0
    return 0.0


def label_shown(row: Row) -> float:
    """1 when the shown sentence is a label (a heading, an agenda line, a contents line):
    the passage had no sentence better to show."""
    return 1.0 if row.shown and is_label(row.shown) else 0.0


def restated_shown(row: Row) -> float:
    """1 when the shown sentence only restates the question (``answer_kind.restates``: a
    reported question, or mostly the question's own words): a near miss that names the
    measure without its value."""
    return 1.0 if row.shown and restates(row.shown, words(row.question)) else 0.0


def capital_lacking(row: Row) -> float:
    """1 when a word the index lacks is capitalised inside the question (a place or body
    the papers never name: "Cardiff Council")."""
    tokens = re.findall(r"[A-Za-z][\w'’-]*", row.question)
    capitals = {re.split(r"['’]", t)[0].lower() for t in tokens[1:] if t[0].isupper()}
    return 1.0 if any(t in capitals for t in row.lacking) else 0.0


CANDIDATES: dict[str, Callable[[Row], float]] = {
    "scoped_lacking": scoped_lacking,
    "rarest_absent (1)": rarest_absent,
    "rarest_absent (2)": lambda r: rarest_absent(r, 2),
    "kind_unnamed (rarest, top passage)": lambda r: kind_unnamed(r, 1, 1),
    "kind_unnamed (rarest, top 3)": kind_unnamed,
    "kind_unnamed (two rarest, top 3)": lambda r: kind_unnamed(r, 2, 3),
    "year_unnamed (rarest, top 3)": year_unnamed,
    "year_unnamed (two rarest, top 3)": lambda r: year_unnamed(r, 2, 3),
    "outcome_over_plan": outcome_over_plan,
    "day_missed": day_missed,
    "grade_missed": grade_missed,
    "capital_lacking": capital_lacking,
    "modal_shown (stop 19)": modal_shown,
    "tentative_shown (stop 19)": tentative_shown,
    "sibling_shown (stop 19)": sibling_shown,
    "label_shown (stop 19)": label_shown,
    "restated_shown (stop 19)": restated_shown,
}


# --- running the sets --------------------------------------------------------------------


@contextmanager
def kept_inputs() -> Iterator[dict[int, dict[str, Any]]]:
    """While open, every answer's evidence inputs, by the id of its ``Evidence``."""
    seen: dict[int, dict[str, Any]] = {}
    original = retriever.evidence_of

    def spy(
        hits: list[Hit],
        understood: Understanding,
        filters: Filters,
        preferred: YearPreference | None,
        agreeing: list[tuple[float, float]],
        vocabulary: Mapping[str, int],
        passages: int,
    ) -> Evidence:
        evidence = original(hits, understood, filters, preferred, agreeing, vocabulary, passages)
        weights = concept_weights(asked_about(understood, filters), vocabulary, passages)
        seen[id(evidence)] = {"hits": list(hits), "understood": understood}
        seen[id(evidence)].update(filters=filters, weights=weights, preferred=preferred)
        return evidence

    retriever.evidence_of = spy
    try:
        yield seen
    finally:
        retriever.evidence_of = original


def capture(index_root: Path, withheld: bool = False) -> list[Row]:
    """Every question of the three sets with its evidence and what it was gathered from;
    with ``withheld``, each answerable one's row also holds the row of the same question
    asked with its answering passages withheld (the fit's extra unanswerable rows)."""
    embedder = SentenceTransformerEmbedder(lazy=True)
    rows: list[Row] = []
    for name in SETS:
        with kept_inputs() as seen:
            run = run_set(name, index_root, embedder, settings_changes={"abstention": "threshold"})
        store = Store.open(index_root / name)
        scopes: dict[str, list[str]] = {}
        for result, answer, group in zip(run.results, run.answers, run.groups, strict=True):
            q = result.question
            row = Row(name, q.id, q.question, q.answerable, group, answer.evidence)
            got = seen.get(id(answer.evidence)) if answer.evidence is not None else None
            if got is not None:
                _fill(row, got, store, scopes)
            rows.append(row)
        store.close()
        if withheld:
            _attach_withheld(index_root, name, embedder, [r for r in rows if r.set_name == name])
    return rows


def _attach_withheld(
    index_root: Path, name: str, embedder: SentenceTransformerEmbedder, rows: Sequence[Row]
) -> None:
    """Each answerable row's ``withheld``: its question asked with the passages that answer
    it out of every search (bench/abstention_borrowed.py ``withheld_evidence``)."""
    from bench.abstention_borrowed import _without, withheld_ids
    from evaluation.runner import question_filters
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = Settings(index=index_root / name, abstention="threshold")
    engine = Engine(settings.index, make_query_embedder(settings, embedder), settings)
    questions = {q.id: q for q in load_questions(SHARED / name / "questions.jsonl")}
    every = engine.store.passages(
        [int(i) for i in engine.store.allowed_rowids(Filters(include_superseded=True))]
    )
    original = engine.store.allowed
    store = Store.open(index_root / name)
    scopes: dict[str, list[str]] = {}
    try:
        with kept_inputs() as seen:
            for row in rows:
                if not row.answerable:
                    continue
                q = questions[row.qid]
                gone = withheld_ids(q, every)
                engine.store.allowed = partial(_without, original, gone)  # type: ignore[method-assign]
                answer = engine.ask(q.question, 10, question_filters(q))
                engine.store.allowed = original  # type: ignore[method-assign]
                held = Row(name, q.id, q.question, False, row.group, answer.evidence)
                got = seen.get(id(answer.evidence)) if answer.evidence is not None else None
                if got is not None:
                    _fill(held, got, store, scopes)
                row.withheld = held
    finally:
        engine.store.allowed = original  # type: ignore[method-assign]
        store.close()
        engine.close()


def _fill(row: Row, got: dict[str, Any], store: Store, scopes: dict[str, list[str]]) -> None:
    hits, understood = got["hits"], got["understood"]
    top = hits[0]
    row.shown = " ".join(top.passage.text[s.start : s.end] for s in top.core)  # as gather
    row.passages = [h.passage.text for h in hits]
    row.sentences = [
        [
            h.passage.text[s.start : s.end]
            for s in (h.sentence_spans or split_sentences(h.passage.text))
        ]
        for h in hits[:3]
    ]
    row.weights = dict(got["weights"])
    row.preferred = got["preferred"]
    asked = {c[0] for c in understood.key_concepts}
    row.lacking = [t for t in understood.key_terms if t not in asked]
    key = repr(got["filters"])
    if key not in scopes:
        records = store.passages([int(i) for i in store.allowed_rowids(got["filters"])])
        scopes[key] = [" ".join(r.heading_path) + " " + r.text for r in records.values()]
    texts = scopes[key]
    row.in_scope = {f: sum(named_weight(t, {f: 1.0}) > 0 for t in texts) for f in row.weights}


# --- measuring ---------------------------------------------------------------------------


class _Vector:
    """Evidence as a bare vector, for bench/fit_abstention.py's fit."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = np.asarray(values, dtype=np.float64)

    def vector(self) -> np.ndarray:
        return self.values


def states(
    rows: Sequence[Row], extra: Sequence[Callable[[Row], float]] = ()
) -> tuple[list[str], list[str]]:
    """In-sample and out-of-fold states of the classifier on the stored evidence plus
    ``extra``, fitted as bench/fit_abstention.py fits it."""

    def vector(r: Row | None) -> Any:
        if r is None or r.evidence is None:
            return None
        return _Vector([*r.evidence.vector(), *(f(r) for f in extra)])

    # the withheld rows, where captured, train the fit as bench/fit_abstention.py's do
    cases = [Case(r.set_name, r.answerable, vector(r), 0.0, vector(r.withheld)) for r in rows]
    model = fit(cases)
    inside = [state(model, c) for c in cases]
    folded = out_of_fold(cases, [r.group for r in rows], fit, state)
    return inside, folded


def figures(rows: Sequence[Row], got: Sequence[str]) -> str:
    """Per set: unanswerable not answered / all, answerable not answered / all."""
    cells = []
    for name in SETS:
        part = [(r, s) for r, s in zip(rows, got, strict=True) if r.set_name == name]
        unans = [s != ANSWERED for r, s in part if not r.answerable]
        ans = [s != ANSWERED for r, s in part if r.answerable]
        cells.append(f"{sum(unans)}/{len(unans)}, {sum(ans)}/{len(ans)}")
    return " | ".join(cells)


def separation(rows: Sequence[Row], feature: Callable[[Row], float]) -> str:
    """ROC AUC of the feature alone per set (answerable positive; below 0.5: it counts
    against answering), and how often it fires on each class."""
    from sklearn.metrics import roc_auc_score

    cells = []
    for name in SETS:
        part = [r for r in rows if r.set_name == name and r.evidence is not None]
        values = [feature(r) for r in part]
        labels = [r.answerable for r in part]
        fired_u = sum(v > 0 for v, a in zip(values, labels, strict=True) if not a)
        fired_a = sum(v > 0 for v, a in zip(values, labels, strict=True) if a)
        cells.append(f"{roc_auc_score(labels, values):.2f} (u{fired_u} a{fired_a})")
    return " / ".join(cells)


def misses(rows: Sequence[Row], got: Sequence[str]) -> str:
    """The questions judged wrongly, with their evidence and the shown sentence."""
    out = []
    for row, s in zip(rows, got, strict=True):
        if (s == ANSWERED) == row.answerable:
            continue
        label = "answerable" if row.answerable else "unanswerable"
        values = (
            " ".join(f"{k}={v:.2f}" for k, v in zip(FEATURES, row.evidence.vector(), strict=True))
            if row.evidence is not None
            else "no passage"
        )
        out.append(
            f"{row.set_name} {row.qid} | {label} -> {s} | {row.question}\n    {values}\n"
            f"    shown: {row.shown[:300]}"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture, then print the misses and each candidate's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--misses", action="store_true", help="list the out-of-fold misses")
    parser.add_argument("--cache", type=Path, help="pickle of the captured rows (reused)")
    parser.add_argument("--only", help="measure only the candidates whose name holds this")
    parser.add_argument("--fired", action="store_true", help="list where each candidate fires")
    parser.add_argument(
        "--withheld",
        action="store_true",
        help="also capture the withheld-answer rows and fit with them (the stored rule)",
    )
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = capture(args.index_root, args.withheld)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(rows))
    inside, folded = states(rows)
    if args.misses:
        print(misses(rows, folded) + "\n")
    print("| evidence | AUC alone (fires: unanswerable, answerable) | " + " | ".join(SETS) + " |")
    print("| --- | --- |" + " --- |" * len(SETS))
    print(f"| stored 8, in-sample | – | {figures(rows, inside)} |")
    print(f"| stored 8, out of fold | – | {figures(rows, folded)} |")
    for name, feature in CANDIDATES.items():
        if args.only and args.only not in name:
            continue
        _, with_it = states(rows, [feature])
        print(f"| + {name}, out of fold | {separation(rows, feature)} | {figures(rows, with_it)} |")
        if args.fired:
            for r in rows:
                if r.evidence is not None and feature(r) > 0:
                    label = "answerable" if r.answerable else "unanswerable"
                    print(f"    fires: {r.set_name} {r.qid} {label} | {r.question}")
                    print(f"        shown: {r.shown[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
