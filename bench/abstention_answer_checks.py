"""Answer checks for abstention (stop 26): the shown answer against what the question asks.

    python bench/abstention_answer_checks.py --index-root DIR --cache FILE [--fires] [--fit]

Captures every question of the three shared sets (with its withheld near miss, as
bench/fit_abstention.py captures them) and of the consumed blind ask batches
(``tests/labels/ask_heldout_*.jsonl``, as bench/ask_heldout.py asks them), keeping, beside
each ``Evidence``, what the checks read: the question, the shown highlight, the top
passage's text, its heading and document title, its meeting date and the years the question
asks about (``Shown``).  The checks of ``qa_service.asked_slot`` are then computed from the
cache (so a rule can be re-read without asking again).  ``--fires`` lists each check's fires
(question ids) per group; ``--fit`` refits with each check on (out of fold over council
folds, bench/fit_abstention.py's fit) and prints caught / false per set, on the near-miss
subset and on the consumed batches (in-sample for this pass): docs/quality.md, "Answer
checks for abstention, stop 26".
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_transfer import Row  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from qa_service import asked_slot  # noqa: E402
from qa_service.abstention import ANSWERED, NOT_IN_PAPERS, Evidence, Model  # noqa: E402

if TYPE_CHECKING:
    from bench.fit_abstention import Case

# The consumed blind ask batches (the four of stop 25 and the judges of stops 26 and 27); the
# batches sealed for the next stop are judges and are not read here until they are consumed
CONSUMED = tuple(f"ask_heldout_{kind}{n}.jsonl" for kind in ("fict", "real") for n in (1, 2, 3, 4))


@dataclass(frozen=True)
class Shown:
    """What the answer checks read of one answer."""

    question: str
    shown: str
    passage: str
    heading: tuple[str, ...]
    title: str
    meeting_date: str | None
    years: tuple[str, ...]  # the years asked about (``YearPreference.years``), () if none
    date_from: str | None
    date_to: str | None


@dataclass(frozen=True)
class CRow(Row):
    """One question's capture (bench/abstention_transfer.py's ``Row``: ``source`` "shared" or
    "blind", ``withheld`` its near miss) with what the checks read of its answer and of its
    near miss's (named, never by position)."""

    shown: Shown | None = field(default=None, kw_only=True)
    withheld_shown: Shown | None = field(default=None, kw_only=True)


# keyed by the evidence's id, the evidence kept alive beside it so that no id is reused
_SEEN: dict[int, tuple[Evidence, Shown]] = {}


def _recording() -> None:
    """Wrap ``abstention.gather`` (as second_stage calls it) to keep each evidence's input."""
    from qa_service import abstention, second_stage

    original = abstention.gather

    def gather(
        hits: Any, understood: Any, weights: Any, passages: Any, preferred: Any, agreeing: Any
    ) -> Evidence:
        evidence = original(hits, understood, weights, passages, preferred, agreeing)
        top = hits[0]
        shown = " ".join(top.passage.text[s.start : s.end] for s in top.core)  # as gather
        meta = top.passage.document.meta
        _SEEN[id(evidence)] = (
            evidence,
            Shown(
                understood.question,
                shown,
                top.passage.text,
                tuple(top.passage.heading_path),
                getattr(meta, "title", "") or "",
                meta.meeting_date,
                tuple(sorted(preferred.years)) if preferred is not None else (),
                preferred.date_from if preferred is not None else None,
                preferred.date_to if preferred is not None else None,
            ),
        )
        return evidence

    abstention.gather = gather
    second_stage.gather = gather


def _shown(evidence: Evidence | None) -> Shown | None:
    got = _SEEN.get(id(evidence)) if evidence is not None else None
    return got[1] if got is not None and got[0] is evidence else None


def capture(index_root: Path) -> list[CRow]:
    """Every shared and blind question, with its ``Shown``."""
    from bench.abstention_transfer import capture_blind, capture_shared

    _recording()
    rows = [_with_shown(r) for r in capture_shared(index_root)]
    batches = [REPO / "tests" / "labels" / name for name in CONSUMED]
    return rows + [_with_shown(r) for r in capture_blind(index_root, batches)]


def _with_shown(row: Row) -> CRow:
    """``row`` with what was shown for its answer and its near miss's (a blind row has none)."""
    return CRow(**vars(row), shown=_shown(row.evidence), withheld_shown=_shown(row.withheld))


def load(index_root: Path, cache: Path) -> list[CRow]:
    if cache.exists():
        with cache.open("rb") as fh:
            return list(pickle.load(fh))
    rows = capture(index_root)
    with cache.open("wb") as fh:
        pickle.dump(rows, fh)
    return rows


# Each check: its ``Readings`` switch, the ``Evidence`` piece it sets, and its reading of a
# captured answer
CHECKS: dict[str, tuple[str, Callable[[Shown], float]]] = {
    "period": (
        "other_period",
        lambda sh: asked_slot.other_period(sh.question, sh.shown, sh.passage, sh.meeting_date),
    ),
    "plan": ("plan_only", lambda sh: asked_slot.plan_only(sh.question, sh.shown)),
    "sibling": ("other_item", lambda sh: asked_slot.other_item(sh.question, sh.passage)),
    # stop 27 (docs/quality.md, "Abstention checks, stop 27")
    "intent": ("intent_only", lambda sh: asked_slot.intent_only(sh.question, sh.shown)),
    "counted": (
        "count_unbound",
        lambda sh: asked_slot.count_unbound(sh.question, sh.shown, sh.passage),
    ),
}
# agreeing at or above this marks a near miss (bench/abstention_transfer.py's NEAR)
NEAR = 1.2


def with_checks(
    evidence: Evidence | None, shown: Shown | None, on: Sequence[str]
) -> Evidence | None:
    """``evidence`` with the pieces of the checks ``on`` read from ``shown`` (the others 0)."""
    if evidence is None:
        return None
    pieces = {piece: 0.0 for piece, _ in CHECKS.values()}
    for name in on:
        piece, read = CHECKS[name]
        pieces[piece] = read(shown) if shown is not None else 0.0
    return replace(evidence, **pieces)


def fires(rows: Sequence[CRow], name: str) -> dict[tuple[str, str], list[str]]:
    """The ids where check ``name`` fires, by (group, label): group a shared set or "blind
    BATCH"; label "answerable", "unanswerable" or "withheld" (the near miss made from an
    answerable question)."""
    _, read = CHECKS[name]
    out: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        group = r.batch if r.source == "shared" else f"blind {r.batch.removeprefix('ask_heldout_')}"
        label = "answerable" if r.answerable else "unanswerable"
        for lab, shown in ((label, r.shown), ("withheld", r.withheld_shown)):
            if shown is not None and read(shown):
                out.setdefault((group, lab), []).append(r.qid)
    return out


@dataclass(frozen=True)
class Tally:
    """Caught / unanswerable and refused / answerable of one group."""

    caught: int
    unanswerable: int
    refused: int
    answerable: int

    def __str__(self) -> str:
        return f"{self.caught}/{self.unanswerable}, {self.refused}/{self.answerable}"


def tally(rows: Sequence[CRow], states: Sequence[str]) -> Tally:
    una = [s for r, s in zip(rows, states, strict=True) if not r.answerable]
    ans = [s for r, s in zip(rows, states, strict=True) if r.answerable]
    return Tally(
        sum(s != ANSWERED for s in una), len(una), sum(s != ANSWERED for s in ans), len(ans)
    )


_FITS: dict[tuple[str, ...], tuple[list[Model], Model]] = {}


def _shared_cases(
    rows: Sequence[CRow], on: Sequence[str]
) -> tuple[list[CRow], list[Case], list[tuple[str, ...]]]:
    """The shared sets' rows, their fit cases with the checks ``on`` read (the withheld
    answer's too), and their council folds."""
    from bench.fit_abstention import Case

    shared = [r for r in rows if r.source == "shared"]
    cases = [
        Case(
            r.batch,
            r.answerable,
            with_checks(r.evidence, r.shown, on),
            0.0,
            with_checks(r.withheld, r.withheld_shown, on),
            r.councils,
        )
        for r in shared
    ]
    return shared, cases, [r.councils or (r.batch,) for r in shared]


def judged(rows: Sequence[CRow], on: Sequence[str], veto: Sequence[str] = ()) -> dict[str, Tally]:
    """The classifier fitted with the checks ``on`` read, those of ``veto`` among them as
    caps (bench/fit_abstention.py's ``fit_capped``: fitted without them, and where one fires
    at best a weak match) and the others as fitted pieces: out of fold over council folds
    on each shared set and on its near misses; fitted on every shared question, on each
    consumed batch and on them all."""
    from functools import partial

    from bench.fit_abstention import fit_capped, state
    from evaluation.crossval import out_of_fold

    pieces = tuple(CHECKS[n][0] for n in veto)
    shared, cases, groups = _shared_cases(rows, on)
    fitted = tuple(n for n in on if n not in veto)
    if fitted not in _FITS:  # the fit depends on the weighed pieces alone: kept for the caps
        _FITS[fitted] = (
            out_of_fold(cases, groups, partial(fit_capped, pieces=pieces), lambda m, c: m),
            fit_capped(cases, pieces),
        )
    models, model = _FITS[fitted]
    folded = [state(replace(m, caps=pieces), c) for m, c in zip(models, cases, strict=True)]
    model = replace(model, caps=pieces)
    out = {}
    for name in SETS:
        part = [i for i, r in enumerate(shared) if r.batch == name]
        out[f"OOF {name}"] = tally([shared[i] for i in part], [folded[i] for i in part])
    near = [
        i
        for i, r in enumerate(shared)
        if r.answerable or (r.evidence is not None and r.evidence.agreeing >= NEAR)
    ]
    out["OOF shared near misses"] = tally([shared[i] for i in near], [folded[i] for i in near])
    out["OOF shared"] = tally(shared, folded)
    inside = [state(model, c) for c in cases]
    out["in-sample shared"] = tally(shared, inside)
    blind = [r for r in rows if r.source == "blind"]
    got = [
        model.state(e) if (e := with_checks(r.evidence, r.shown, on)) is not None else NOT_IN_PAPERS
        for r in blind
    ]
    for batch in dict.fromkeys(r.batch for r in blind):
        part = [i for i, r in enumerate(blind) if r.batch == batch]
        out[batch.removeprefix("ask_heldout_")] = tally(
            [blind[i] for i in part], [got[i] for i in part]
        )
    out["blind four"] = tally(blind, got)
    return out


def missed(rows: Sequence[CRow], caps: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """The unanswerable questions answered with the checks ``caps`` read as caps: (group,
    id, question, shown answer), out of fold on the shared sets and with the fit on every
    shared question on the consumed batches (``judged``'s forms)."""
    from functools import partial

    from bench.fit_abstention import fit_capped, state
    from evaluation.crossval import out_of_fold

    pieces = tuple(CHECKS[n][0] for n in caps)
    shared, cases, groups = _shared_cases(rows, caps)
    models = out_of_fold(cases, groups, partial(fit_capped, pieces=pieces), lambda m, c: m)
    model = replace(fit_capped(cases, pieces), caps=pieces)
    out = []
    for m, c, r in zip(models, cases, shared, strict=True):
        if not r.answerable and state(replace(m, caps=pieces), c) == ANSWERED:
            out.append((f"OOF {r.batch}", r.qid, r.question, r.shown.shown if r.shown else ""))
    for r in rows:
        if r.source != "blind" or r.answerable:
            continue
        e = with_checks(r.evidence, r.shown, caps)
        if e is not None and model.state(e) == ANSWERED:
            batch = r.batch.removeprefix("ask_heldout_")
            out.append((batch, r.qid, r.question, r.shown.shown if r.shown else ""))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or read the cache), then list fires and fit as asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--fires", action="store_true", help="list each check's fires")
    parser.add_argument("--fit", action="store_true", help="refit with each check on")
    parser.add_argument("--caps-only", action="store_true", help="with --veto: no fitted forms")
    parser.add_argument(
        "--veto", action="store_true", help="with --fit, also each check as a cap, not fitted"
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list the unanswerables answered with the --with caps (out of fold on the shared "
        "sets, the stored-fit form on the batches), each with its shown answer",
    )
    parser.add_argument(
        "--checks", default=",".join(CHECKS), help="the checks to list and fit (comma-separated)"
    )
    parser.add_argument(
        "--with",
        dest="base",
        default="",
        help="caps read in every form, e.g. 'period,plan' (the stored fit's): each check is "
        "then judged beside them",
    )
    args = parser.parse_args(argv)
    names = [n for n in args.checks.split(",") if n]
    base = tuple(n for n in args.base.split(",") if n)
    unknown = [n for n in (*names, *base) if n not in CHECKS]
    if unknown:
        raise SystemExit(f"unknown checks {unknown}; known: {sorted(CHECKS)}")
    rows = load(args.index_root, args.cache)
    if args.fires:
        for name in names:
            print(f"\n{name} ({CHECKS[name][0]}):")
            for (group, label), ids in sorted(fires(rows, name).items()):
                print(f"  {group} {label}: {len(ids)}: {' '.join(ids)}")
    if args.misses:
        for group, qid, question, shown in missed(rows, base):
            print(f"{group} {qid}: {question}\n    shown: {' '.join(shown.split())[:300]}")
    if args.fit:
        lead = f"caps {'+'.join(base)}" if base else "none (the stored pieces)"
        forms: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [(lead, base, base)]
        with_base = f"{'+'.join(base)} + " if base else ""
        if not args.caps_only:
            forms += [(f"{with_base}{n}, fitted", (*base, n), base) for n in names]
            forms.append((f"{with_base}all of {'+'.join(names)}, fitted", (*base, *names), base))
        if args.veto:
            forms += [(f"{with_base}{n}, a cap", (*base, n), (*base, n)) for n in names]
            every = (*base, *names)
            forms.append((f"{with_base}all of {'+'.join(names)}, caps", every, every))
        results = {label: judged(rows, on, veto) for label, on, veto in forms}
        keys = list(next(iter(results.values())))
        print("\n| checks on | " + " | ".join(keys) + " |")
        print("| --- |" + " --- |" * len(keys))
        for label, got in results.items():
            print(f"| {label} | " + " | ".join(str(got[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
