"""Borrowed unanswerable rows for the abstention classifier, measured out of fold.

    python bench/abstention_borrowed.py [--index-root DIR] [--cache FILE] [--others N] [--nested]

The classifier (qa_service/abstention.py) learns "not in the papers" from 71 unanswerable
questions, most of them near misses: a question about something its council's papers do not
give.  Two ways to make more rows of that kind from the answerable questions:

- **withheld** (kept: bench/fit_abstention.py trains on them, ``Case.withheld``): each
  answerable question asked again with the passages that answer it (its gold passages, by
  the hit rule) taken out of every search (``withheld_evidence``).  The papers are on its
  topic and the answer is not in them.  Such a row belongs to its question's councils.
- **swapped** (not kept): a question that names its council (in its words or its labelled
  council filter) asked of another council of the same index, its name swapped for that
  council's (``swap_council``).  Some of those councils' papers do answer it (a generic
  question asked of a council with the same services), so the label is noisy.  Such a row
  touches its question's councils and the council it was asked of.

A row trains only the folds that touch none of its councils (``evaluation.crossval``), so no
fit that judges a council has seen that council's questions or papers.  The logistic
regression is fitted on the real questions and the rows (``fit_borrowed``: bench/
fit_abstention.py's ``fit_rows``, the rows together weighing ``share`` times the real
unanswerable ones, the classes then balanced); the cut points are chosen on the real
questions only.  Figures are reported on the real questions only: unanswerable caught /
answerable refused, per set and pooled, for each ``share`` (0: the rule without rows).
``--nested`` also chooses the withheld rows' share inside each fold (``nested_borrowed``),
the figure for the whole rule.

``--cache`` keeps the captured evidence (a pickle) so that a rerun only refits.
"""

from __future__ import annotations

import argparse
import calendar
import os
import pickle
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.fit_abstention import Case, fit_rows, state  # noqa: E402
from bench.quality_all import SETS, SHARED  # noqa: E402
from evaluation.crossval import question_councils  # noqa: E402
from evaluation.metrics import Retrieved, is_hit  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from evaluation.runner import council_of_file, question_filters, run_questions  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.filters import Allowed  # noqa: E402
from index.passages import PassageRecord  # noqa: E402
from index.store import Filters  # noqa: E402
from qa_service.abstention import ANSWERED, Evidence, Model  # noqa: E402
from qa_service.answers import Answer  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.query_filters import council_pattern, council_short_name  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

SHARES = (0.0, 0.25, 0.5, 1.0, 2.0)
OTHERS = 3  # other councils each answerable question is asked of (all, where fewer)


@dataclass
class Borrowed:
    """One answerable question asked of another council: labelled unanswerable."""

    set_name: str
    qid: str
    text: str
    council: str  # the council it is asked of
    named_in_text: bool  # the council was swapped in the question's words (else: filter)
    group: tuple[str, ...]  # the question's councils, then the council asked of
    case: Case


def swap_council(text: str, own: str, other: str) -> str | None:
    """``text`` with the distinctive name of council ``own`` written as ``other``'s (a
    possessive kept, lower case kept where the question writes the name so); None when the
    text does not name ``own``."""
    pattern = council_pattern(council_short_name(own))
    name = council_short_name(other)

    def put(match: re.Match[str]) -> str:
        found = match.group(0)
        possessive = re.search(r"['’]s$", found)
        tail = possessive.group(0) if possessive else ""
        return (name.lower() if found.islower() else name) + tail

    swapped, count = pattern.subn(put, text)
    return swapped if count else None


def borrowed_questions(
    questions: Sequence[Question],
    groups: Sequence[tuple[str, ...]],
    councils: Sequence[str],
    named: dict[str, list[str]],
    others: int = OTHERS,
) -> list[tuple[Question, str, str, bool, tuple[str, ...]]]:
    """(question, text, council, named in text, group) for each answerable question whose
    gold lies in one council that it names (in its words or its labelled council filter),
    asked of ``others`` other councils of the index (chosen by a generator seeded with the
    question's id, so the same each run)."""
    out: list[tuple[Question, str, str, bool, tuple[str, ...]]] = []
    for q, group in zip(questions, groups, strict=True):
        if not q.answerable or len(group) != 1:
            continue
        own = group[0]
        in_text = named.get(q.id, []) == [own]
        given = q.filters.get("council")
        in_filter = given == own or given == [own]
        if not (in_text or in_filter):
            continue
        pool = sorted(c for c in councils if c and c != own)
        chosen = random.Random(q.id).sample(pool, min(others, len(pool)))
        for other in chosen:
            text = swap_council(q.question, own, other) if in_text else q.question
            if text is None:
                continue
            out.append((q, text, other, in_text, (*group, other)))
    return out


def capture(
    index_root: Path, others: int
) -> tuple[list[Case], list[tuple[str, ...]], list[Borrowed]]:
    """The real questions' cases and groups, and the borrowed rows, of the three sets."""
    embedder = SentenceTransformerEmbedder(lazy=True)
    cases: list[Case] = []
    groups: list[tuple[str, ...]] = []
    borrowed: list[Borrowed] = []
    for name in SETS:
        settings = Settings(index=index_root / name, abstention="threshold")
        engine = Engine(settings.index, make_query_embedder(settings, embedder), settings)
        questions = load_questions(SHARED / name / "questions.jsonl")
        pairs = run_questions(engine, questions)
        of_file = council_of_file(engine)
        named = {q.id: list(engine.reader.councils_named(q.question)[0]) for q in questions}
        set_groups = [
            question_councils(q, of_file, partial(named_for, engine), name) for q in questions
        ]
        for (result, answer), group in zip(pairs, set_groups, strict=True):
            cases.append(Case(name, result.question.answerable, answer.evidence, answer.confidence))
            groups.append(group)
        councils = sorted(set(of_file.values()) - {""})
        for q, text, other, in_text, group in borrowed_questions(
            questions, set_groups, councils, named, others
        ):
            # the labelled council filter moves to the other council; its dates were the
            # own council's meetings, so they are left out
            filters = replace(question_filters(q), council=(other,), date_from=None, date_to=None)
            if in_text and not q.filters.get("council"):
                filters = Filters()
            answer = engine.ask(text, 10, filters)
            case = Case(name, False, answer.evidence, answer.confidence)
            borrowed.append(Borrowed(name, q.id, text, other, in_text, group, case))
        borrowed.extend(withheld_rows(engine, name, questions, set_groups))
        engine.close()
    return cases, groups, borrowed


WITHHELD = "(its answer withheld)"  # the ``council`` of a withheld row


def withheld_rows(
    engine: Engine, set_name: str, questions: Sequence[Question], groups: Sequence[tuple[str, ...]]
) -> list[Borrowed]:
    """``withheld_evidence`` as borrowed rows, each touching its question's councils."""
    held = withheld_evidence(engine, questions)
    return [
        Borrowed(set_name, q.id, q.question, WITHHELD, False, group, Case(set_name, False, e, 0.0))
        for q, group, e in zip(questions, groups, held, strict=True)
        if q.answerable
    ]


def withheld_evidence(engine: Engine, questions: Sequence[Question]) -> list[Evidence | None]:
    """Per question: for an answerable one, its evidence when asked again (with its labelled
    filters) with the passages that answer it (its gold passages, by the hit rule) taken
    out of every search: the papers are on its topic and the answer is not in them, a near
    miss made from a labelled answer; None for an unanswerable one."""
    return [a.evidence if a is not None else None for a in withheld_answers(engine, questions)]


def withheld_answers(engine: Engine, questions: Sequence[Question]) -> list[Answer | None]:
    """Per question: for an answerable one, its answer with its answering passages withheld
    (``withheld_evidence``'s, whole: bench/abstention_reading.py reads its hits); None for
    an unanswerable one."""
    store = engine.store
    every = store.passages([int(i) for i in store.allowed_rowids(Filters(include_superseded=True))])
    original = store.allowed
    out: list[Answer | None] = []
    try:
        for q in questions:
            if not q.answerable:
                out.append(None)
                continue
            gone = withheld_ids(q, every)
            store.allowed = partial(_without, original, gone)  # type: ignore[method-assign]
            answer = engine.ask(q.question, 10, question_filters(q))
            if any(h.passage.rowid in gone for h in answer.hits):
                raise RuntimeError(f"{q.id}: a withheld passage was returned")
            out.append(answer)
    finally:
        store.allowed = original  # type: ignore[method-assign]
    return out


def withheld_ids(q: Question, passages: dict[int, PassageRecord]) -> frozenset[int]:
    """The row ids of the passages that hit one of ``q``'s gold entries."""
    return frozenset(
        rowid
        for rowid, p in passages.items()
        if any(is_hit(g, Retrieved(p.document.source, p.text)) for g in q.gold)
    )


def _without(
    allowed: Callable[[Filters | None], Allowed], gone: frozenset[int], filters: Filters | None
) -> Allowed:
    """``allowed(filters)`` less the row ids ``gone``."""
    found = allowed(filters)
    ids = found.ids()
    return Allowed.of(ids[~np.isin(ids, np.fromiter(gone, dtype=np.int64, count=len(gone)))])


def named_for(engine: Engine, text: str) -> list[str]:
    """The councils ``text`` names in ``engine``'s index."""
    return list(engine.reader.councils_named(text)[0])


_CALENDAR = frozenset(calendar.month_name[1:]) | frozenset(calendar.day_name)
_TITLES = frozenset({"Council", "Councillor", "Cllr", "The", "Mr", "Mrs", "Ms", "Dr"})


def names_proper(evidence: Sequence[str], councils: Sequence[str]) -> bool:
    """Whether a gold evidence sentence names something by a proper name: a capitalised
    word past its first that is not all capitals, a month or a day, a title, or a word of a
    council's name ("Strover-Leader", "Llandogo", "Mark Bearcroft").  Such a question asks
    about a thing of its own council's, which another council's papers cannot answer: the
    cleanest borrowed rows."""
    council_words = {w for c in councils for w in c.split()}
    for sentence in evidence:
        for word in re.findall(r"[A-Za-z][\w'’&-]*", sentence)[1:]:
            bare = re.sub(r"['’]s$", "", word)
            if (
                word[0].isupper()
                and not word.isupper()
                and bare not in _CALENDAR
                and bare not in _TITLES
                and bare not in council_words
            ):
                return True
    return False


def fit_borrowed(real: Sequence[Case], borrowed: Sequence[Case], share: float) -> Model:
    """bench/fit_abstention.py's fit (``fit_rows``) with the evidence of ``borrowed`` as
    unanswerable rows weighing ``share`` together; standardised on, and cut on, the real
    rows only."""
    return fit_rows(real, [c.evidence for c in borrowed if c.evidence is not None], share)


def out_of_fold_borrowed(
    cases: Sequence[Case],
    groups: Sequence[Sequence[str]],
    borrowed: Sequence[Borrowed],
    share: float,
    hard: bool = False,
) -> list[str]:
    """Per real case, its state under a model fitted on the real and borrowed rows that
    touch none of the councils of its fold.  With ``hard``, only the borrowed rows that the
    fold's fit without them does not put under ``weak_at`` are added (the near misses: the
    easy ones are caught already)."""
    fitted: dict[str, Model] = {}
    out = []
    for case, touched in zip(cases, groups, strict=True):
        fold = touched[0]
        if fold not in fitted:
            real = [c for c, g in zip(cases, groups, strict=True) if fold not in g]
            extra = [b.case for b in borrowed if fold not in b.group and b.case.evidence]
            if hard:
                plain = fit_borrowed(real, [], 0.0)
                extra = [c for c in extra if plain.probability(c.evidence) >= plain.weak_at]  # type: ignore[arg-type]
            fitted[fold] = fit_borrowed(real, extra, share)
        out.append(state(fitted[fold], case))
    return out


def choose_share(
    cases: Sequence[Case],
    groups: Sequence[Sequence[str]],
    borrowed: Sequence[Borrowed],
    shares: Sequence[float] = SHARES,
) -> float:
    """The share with the fewest questions judged wrongly out of fold across the councils
    of ``cases`` (ties: the smaller, so 0, the stored rule, when none helps)."""
    wrong = {}
    for share in shares:
        got = out_of_fold_borrowed(cases, groups, borrowed, share)
        wrong[share] = sum((s == ANSWERED) != c.answerable for s, c in zip(got, cases, strict=True))
    return min(wrong, key=lambda s: (wrong[s], s))


def nested_borrowed(
    cases: Sequence[Case],
    groups: Sequence[Sequence[str]],
    borrowed: Sequence[Borrowed],
    shares: Sequence[float] = SHARES,
) -> tuple[list[str], dict[str, float]]:
    """Out of fold with the share itself chosen inside each fold (``choose_share`` on the
    real and borrowed rows that fold trains on): the figure for the whole rule.  Also
    returns each fold's share."""
    fitted: dict[str, Model] = {}
    chosen: dict[str, float] = {}
    out = []
    for case, touched in zip(cases, groups, strict=True):
        fold = touched[0]
        if fold not in fitted:
            keep = [fold not in g for g in groups]
            real = [c for c, k in zip(cases, keep, strict=True) if k]
            real_groups = [g for g, k in zip(groups, keep, strict=True) if k]
            extra = [b for b in borrowed if fold not in b.group]
            chosen[fold] = choose_share(real, real_groups, extra, shares)
            fitted[fold] = fit_borrowed(real, [b.case for b in extra], chosen[fold])
        out.append(state(fitted[fold], case))
    return out, chosen


class _Fixed:
    """Evidence as its vector, computed once (``Evidence.vector`` rebuilds it at each call,
    and the nested fit asks for it some millions of times)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def vector(self) -> np.ndarray:
        return self.values


def fixed(case: Case) -> Case:
    """``case`` with its evidence's vector computed once."""
    if case.evidence is None:
        return case
    return replace(case, evidence=_Fixed(case.evidence.vector()))  # type: ignore[arg-type]


def figures(cases: Sequence[Case], states: Sequence[str]) -> str:
    """Per set and pooled: unanswerable caught / all, answerable refused / all."""
    cells = []
    for name in (*SETS, None):
        part = [(c, s) for c, s in zip(cases, states, strict=True) if name in (None, c.set_name)]
        unans = [s != ANSWERED for c, s in part if not c.answerable]
        ans = [s != ANSWERED for c, s in part if c.answerable]
        cells.append(f"{sum(unans)}/{len(unans)}, {sum(ans)}/{len(ans)}")
    return " | ".join(cells)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or load), then print each share's in-sample and out-of-fold figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, help="pickle of the captured evidence")
    parser.add_argument("--others", type=int, default=OTHERS)
    parser.add_argument(
        "--nested", action="store_true", help="also choose the share inside each fold (minutes)"
    )
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.exists():
        cases, groups, borrowed = pickle.loads(args.cache.read_bytes())
    else:
        cases, groups, borrowed = capture(args.index_root, args.others)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps((cases, groups, borrowed)))
    print(
        f"borrowed rows: {len(borrowed)} ({sum(b.case.evidence is None for b in borrowed)} "
        "without passages)"
    )
    for name in SETS:
        part = [b for b in borrowed if b.set_name == name]
        print(f"  {name}: {len(part)}, named in text {sum(b.named_in_text for b in part)}")
    gold = {
        (name, q.id): [g.evidence for g in q.gold]
        for name in SETS
        for q in load_questions(SHARED / name / "questions.jsonl")
    }
    councils = sorted({b.council for b in borrowed})
    print("| rows | share | " + " | ".join(SETS) + " | pooled |")
    print("| --- | ---: |" + " --- |" * (len(SETS) + 1))
    # the first is the one fixed before the run; the others read how it fails
    withheld = [b for b in borrowed if b.council == WITHHELD]
    borrowed = [b for b in borrowed if b.council != WITHHELD]
    variants = {
        "answer withheld": (withheld, False),
        "answer withheld, with all borrowed": ([*withheld, *borrowed], False),
        "all borrowed": (borrowed, False),
        "named in text": ([b for b in borrowed if b.named_in_text], False),
        "gold names a proper name": (
            [b for b in borrowed if names_proper(gold[(b.set_name, b.qid)], councils)],
            False,
        ),
        "real-dev-set's only": ([b for b in borrowed if b.set_name == SETS[-1]], False),
        "near misses only": (borrowed, True),
    }
    if args.nested:
        quick = [replace(b, case=fixed(b.case)) for b in withheld]
        got, chosen = nested_borrowed([fixed(c) for c in cases], groups, quick)
        label = "answer withheld, share chosen in each fold, out of fold"
        print(f"| {label} | – | {figures(cases, got)} |")
        print(f"shares chosen: { {s: list(chosen.values()).count(s) for s in SHARES} }")
        every = choose_share([fixed(c) for c in cases], groups, quick)
        print(f"share chosen on every question: {every}")
    for label, (rows, hard) in variants.items():
        for share in SHARES:
            if share == 0 and label != "answer withheld":
                continue
            folded = out_of_fold_borrowed(cases, groups, rows, share, hard)
            print(f"| {label} ({len(rows)}), out of fold | {share} | {figures(cases, folded)} |")
            if not hard:
                model = fit_borrowed(cases, [b.case for b in rows], share)
                inside = [state(model, c) for c in cases]
                print(f"| {label}, in-sample | {share} | {figures(cases, inside)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
