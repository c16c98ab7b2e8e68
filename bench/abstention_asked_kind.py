"""The kind of answer asked, not shown: a check for abstention, measured out of fold.

    python bench/abstention_asked_kind.py [--index-root DIR] [--cache FILE]
        [--batches FILE ...] [--list] [--refits sets,batches]

A question asks for a *kind* of answer: a person or body ("who ...", "which councillor
..."), a date ("when ..."), a figure ("how many / how much ...", "what percentage ..."), a
grade ("what rating ..."), read by the service's own question reader
(``answer_kind.answer_kinds``).  A near miss the batch writers write often asks for a kind
the papers never give: the councillor who signed a policy off where the minutes say only
"That the Allocations Policy be approved."; the date a consultation closes where the report
says only that one is held.  This bench reads, for every question of the three shared sets
and of the consumed blind ask batches, whether what the service shows holds an answer of the
kind asked (``kind_unshown``: 0 when the top passage's answering sentence (its core
highlight) holds one, or no such kind is asked; 0.5 when only the top passage around it
does; 1 when neither does), with the service's span readers only
(``answer_kind.holds_answer``, ``abstention_value.states_grade``):

- **a person** (``Kind.PERSON``): a person, an office or a body as ``holds_answer`` reads one
  (an honorific or an office, a body's noun, or a name of two capitalised words); where the
  question asks for a person by a noun of one ("which councillor / member / officer /
  cabinet member / director / person", ``answer_kind``'s reading of "which ..."), a person
  named by an honorific (``PERSON_NAME``: "Councillor R J Kendrick", "Cllrs Evans &
  Hillard", "Dr Sally Richardson") or, a37's form, without one beside an office
  (``UNHONOURED_NAME``: "Catherine Wilson, Strategic Lead ...");
- **a date** (``Kind.DATE``): a month, a year, a season, a numeric date; not read where the
  meeting's own date, printed in every citation, answers it: a decision asked
  (``query_words.ASKS_DECISION``, "When did Oakhaven decide ...?") or the latest time
  (``ASKS_LATEST``, "when did it last ..."), nor where only a yes-or-no question's form asks
  it (``kinds_of_form``);
- **a figure** (``Kind.NUMBER``): a figure that is not a date or an item number;
- **a grade** (``Kind.GRADE``): a grade's word or value (``states_grade``).

It is judged, leaving one council out (a council's set and batch questions together), as
main's rule is fitted (the classifier fitted on the other councils' *set* questions, caps
``period``, ``plan``, ``intent``, ``counted``) and as bench/fit_abstention.py ``--batches``
fits it (on the other councils' set *and* batch questions): as a cap (where it fires, at
best a weak match; firing at 0.5 and above, or at 1 only) and as a piece of the classifier's
evidence (weighed, the withheld near misses carrying their own reading).  Every variant's
figures are printed beside main's from the same run.  ``--list`` prints every question it
fires on that the classifier answers.  docs/quality.md, "Abstention, stop 32: the asked kind
not shown".
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import abstention_reading  # noqa: E402
from bench.abstention_reading import LABELS, Row, Shown, widened  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from qa_service.abstention_value import states_grade  # noqa: E402
from qa_service.answer_kind import Kind, answer_kinds, holds_answer, kinds_of_form  # noqa: E402
from qa_service.asked_kind_shown import PERSON_NAME, UNHONOURED_NAME, WHICH_PERSON  # noqa: E402
from qa_service.query_words import ASKS_DECISION, ASKS_LATEST  # noqa: E402

# The consumed blind ask batches at stop 32 (real8 and fict8 are held out by the stop's
# helpers; the sixth pair was lost with stop 28's machine; the tenth is sealed)
BATCHES = tuple(
    LABELS / f"ask_heldout_{kind}{n}.jsonl"
    for n in (1, 2, 3, 4, 5, 7, 9)
    for kind in ("real", "fict")
)
CAPS = "period,plan,intent,counted"  # main's caps
KINDS = (Kind.PERSON, Kind.DATE, Kind.NUMBER, Kind.GRADE)


@dataclass(frozen=True)
class Form:
    """How the check reads: the kinds it reads (``KINDS``' names); whether a "who" that
    names no noun of a person ("Who talks to runaway children?") is read (its answer may be
    a body or a role written in lower case, "the charity", which no span reader here reads),
    or only "which councillor / member / ..." (``WHICH_PERSON``, a name required); whether
    a date is left unread where the meeting's own date answers (a decision asked, or the
    latest time); whether a person is read named without an honorific too
    (``UNHONOURED_NAME``: "Catherine Wilson, Strategic Lead ...", stop 32's a37) or only by
    one (``PERSON_NAME``, a35's form)."""

    kinds: tuple[str, ...] = tuple(KINDS)
    plain_who: bool = False
    meeting_date: bool = True
    unhonoured: bool = True

    def label(self) -> str:
        parts = ["+".join(self.kinds)]
        parts.append("every who" if self.plain_who else "which-person only")
        parts.append("meeting date answers" if self.meeting_date else "date always read")
        if not self.unhonoured:
            parts.append("honorific only")
        return ", ".join(parts)


# The form settled on (stop 32), and those measured beside it, in the order they were run
FORM = Form()
FORMS = (
    Form(plain_who=True),  # the form first run
    FORM,
    Form(unhonoured=False),  # a35's stored form: a person named by an honorific only
    Form(plain_who=True, meeting_date=False),
    *(Form(kinds=(k,)) for k in KINDS),
)


def asked_kinds(question: str, form: Form = FORM) -> list[str]:
    """The kinds of answer ``question`` asks for that this check reads (``form.kinds``), in
    words (not a yes-or-no question's form alone), a person not by a bare "who" unless
    ``form.plain_who``, a date not where the meeting's own date answers (a decision asked,
    or the latest time) with ``form.meeting_date``."""
    shape = kinds_of_form(question)
    kinds = [k for k in answer_kinds(question) if k in form.kinds and k not in shape]
    if Kind.PERSON in kinds and not form.plain_who and not WHICH_PERSON.search(question):
        kinds.remove(Kind.PERSON)
    if (
        Kind.DATE in kinds
        and form.meeting_date
        and (ASKS_DECISION.search(question) or ASKS_LATEST.search(question))
    ):
        kinds.remove(Kind.DATE)
    return kinds


def shows(text: str, kind: str, question: str, form: Form = FORM) -> bool:
    """Whether ``text`` holds an answer of ``kind`` to ``question``: for a person asked by a
    noun of one, a person named by an honorific (``PERSON_NAME``) or, with
    ``form.unhonoured``, without one (``UNHONOURED_NAME``)."""
    if kind == Kind.PERSON and WHICH_PERSON.search(question):
        return bool(PERSON_NAME.search(text) or (form.unhonoured and UNHONOURED_NAME.search(text)))
    if kind == Kind.GRADE:
        return states_grade(text, score=True) or holds_answer(text, kind)
    return holds_answer(text, kind)


def kind_unshown(question: str, shown: str, passage: str, form: Form = FORM) -> float:
    """0 when ``question`` asks no kind read here or ``shown`` holds every kind it asks; 0.5
    when the ``passage`` around it holds those it lacks; 1 when neither does."""
    missing = [k for k in asked_kinds(question, form) if not shows(shown, k, question, form)]
    if not missing:
        return 0.0
    return 1.0 if any(not shows(passage, k, question, form) for k in missing) else 0.5


# --- the capture: abstention_reading's, each hit's core highlight kept too ------------------


@dataclass
class Held(Shown):
    """``abstention_reading.Shown`` with the core answer's spans (what the evidence reads)."""

    core: list[tuple[int, int]] | None = None


def _shown(hit: Any) -> Held:
    base = _plain_shown(hit)
    return Held(**base.__dict__, core=[(s.start, s.end) for s in hit.core])


_plain_shown = abstention_reading._shown


def capture(index_root: Path, batches: Sequence[Path]) -> dict[str, Any]:
    """``abstention_reading.capture`` (the stored caps' readings on), each hit's core kept."""
    from bench.fit_abstention import capped_pieces, switched
    from qa_service import abstention_value
    from qa_service.abstention import CHECK_PIECES

    caps = capped_pieces(CAPS)
    on = ",".join(f"{n}=on" for n, p in CHECK_PIECES.items() if p in caps)
    # main's rule before this check: the reading read here, never by the evidence
    abstention_value.STORED = switched(abstention_value.STORED, f"{on},kind=off")
    abstention_reading._shown = _shown  # type: ignore[assignment]
    try:
        return abstention_reading.capture(index_root, batches)
    finally:
        abstention_reading._shown = _plain_shown  # type: ignore[assignment]


def core_text(hit: Shown) -> str:
    """The hit's core answer (its highlight without the display's margin, where kept)."""
    spans = getattr(hit, "core", None) or hit.highlights
    return " ".join(hit.text[a:b] for a, b in spans)


def reading(question: str, hits: Sequence[Shown] | None, form: Form = FORM) -> float | None:
    """``kind_unshown`` of the top hit (None without hits)."""
    if not hits:
        return None
    return kind_unshown(question, core_text(hits[0]), hits[0].text, form)


# --- judging out of fold -----------------------------------------------------------------


def _cases(rows: Sequence[Row], values: Sequence[float | None], held: Sequence[float | None]):
    from bench.fit_abstention import Case

    out = []
    for r, v, h in zip(rows, values, held, strict=True):
        ev = widened(r.evidence, [v or 0.0]) if r.evidence is not None else None
        wh = widened(r.withheld, [h or 0.0]) if r.withheld is not None else None
        out.append(Case(r.name, r.answerable, ev, r.confidence, wh, r.councils))
    return out


def states_of(
    rows: Sequence[Row],
    values: Sequence[float | None],
    held: Sequence[float | None],
    weighed: bool,
    with_batches: bool,
) -> list[str]:
    """Each question's state out of fold: the classifier (caps ``CAPS``) fitted on the other
    councils' set questions (``with_batches``: and their batch questions), with the reading
    weighed as a piece of its evidence or (not ``weighed``) left out of it."""
    from bench.fit_abstention import capped_pieces, fit_capped, on_sets, state
    from evaluation.crossval import out_of_fold

    caps = capped_pieces(CAPS)
    if weighed:
        cases = _cases(rows, values, held)
    else:
        cases = _cases(rows, [0.0] * len(rows), [0.0] * len(rows))
    chosen: Callable[[list[Any]], list[Any]] = (lambda t: t) if with_batches else on_sets
    return out_of_fold(
        cases,
        [c.councils for c in cases],
        lambda training: fit_capped(chosen(training), caps),
        state,
    )


def capped(states: Sequence[str], values: Sequence[float | None], at: float) -> list[str]:
    """``states`` with the reading as a cap: at or above ``at``, at best a weak match."""
    return [
        "weak_match" if s == "answered" and v is not None and v >= at else s
        for s, v in zip(states, values, strict=True)
    ]


def groups_of(rows: Sequence[Row]) -> dict[str, list[int]]:
    """Row indexes per set, per batch and on the batches pooled ("batches", empty without
    batch rows)."""
    out: dict[str, list[int]] = {name: [] for name in (*SETS, "batches")}
    for i, r in enumerate(rows):
        if r.name in SETS:
            out[r.name].append(i)
        else:
            out.setdefault(r.name, []).append(i)
            out["batches"].append(i)
    return out


def tally(rows: Sequence[Row], states: Sequence[str], idx: Sequence[int]) -> tuple[int, ...]:
    """(caught, unanswerable, refused, answerable) over ``idx``."""
    un = [i for i in idx if not rows[i].answerable]
    an = [i for i in idx if rows[i].answerable]
    return (
        sum(states[i] != "answered" for i in un),
        len(un),
        sum(states[i] != "answered" for i in an),
        len(an),
    )


def fires_table(
    rows: Sequence[Row],
    forms: Sequence[Form],
    values: dict[Form, list[float | None]],
    states: Sequence[str],
) -> str:
    """Per form of the check, on the sets pooled and on the batches: the questions asking a
    kind it reads, and its fires (0.5 and above; at 1), unanswerable / answerable, on every
    question and on those main answers out of fold."""
    groups = groups_of(rows)
    pooled = {"sets": [i for n in SETS for i in groups[n]], "batches": groups["batches"]}
    heads = ["asked", "fires ≥ 0.5", "fires = 1", "answered, ≥ 0.5", "answered, = 1"]
    lines = [
        "| form | " + " | ".join(f"{g}: {h}" for g in pooled for h in heads) + " |",
        "| --- |" + " ---: |" * (len(heads) * len(pooled)),
    ]
    for form in forms:
        vals = values[form]
        cells = []
        for idx in pooled.values():
            asked = [i for i in idx if rows[i].hits and asked_kinds(rows[i].question, form)]
            for at, answered in (
                (0.0, False),
                (0.5, False),
                (1.0, False),
                (0.5, True),
                (1.0, True),
            ):
                hit = [
                    i
                    for i in asked
                    if (vals[i] or 0.0) >= at and (not answered or states[i] == "answered")
                ]
                u = sum(not rows[i].answerable for i in hit)
                cells.append(f"{u} / {len(hit) - u}")
        lines.append(f"| {form.label()} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _top_core(row: Row) -> str:
    return core_text(row.hits[0]) if row.hits else ""


def variants_table(
    rows: Sequence[Row], named: Sequence[tuple[str, Sequence[str]]], per_batch: bool = False
) -> str:
    """caught / unanswerable, refused / answerable per set and on the batches (and per
    batch), and the mistakes over every question, per variant."""
    groups = groups_of(rows)
    names = [*SETS, "batches"]
    if per_batch:
        names += sorted(n for n in groups if n not in (*SETS, "batches"))
    lines = [
        "| variant | " + " | ".join(names) + " | mistakes, sets | mistakes, batches |",
        "| --- |" + " --- |" * len(names) + " ---: | ---: |",
    ]
    for label, states in named:
        cells = []
        for n in names:
            c, u, r, a = tally(rows, states, groups[n])
            cells.append(f"{c}/{u}, {r}/{a}")
        sets_idx = [i for n in SETS for i in groups[n]]
        ms = [tally(rows, states, ix) for ix in (sets_idx, groups["batches"])]
        wrong = [u - c + r for c, u, r, _ in ms]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {wrong[0]} | {wrong[1]} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--batches", nargs="*", type=Path, default=list(BATCHES))
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--per-batch", action="store_true")
    parser.add_argument(
        "--refits",
        default="sets,batches",
        help="fits to run: 'sets' (main's rule), 'batches' (fitted on the batches too)",
    )
    args = parser.parse_args(argv)
    data = abstention_reading.cached(args.cache, lambda: capture(args.index_root, args.batches))
    from bench.fit_abstention import capped_pieces, switched
    from qa_service import abstention_value
    from qa_service.abstention import CHECK_PIECES

    caps = capped_pieces(CAPS)
    on = ",".join(f"{n}=on" for n, p in CHECK_PIECES.items() if p in caps)
    # main's rule before this check: the reading read here, never by the evidence
    abstention_value.STORED = switched(abstention_value.STORED, f"{on},kind=off")
    rows: list[Row] = data["rows"]
    values = {form: [reading(r.question, r.hits, form) for r in rows] for form in FORMS}
    held = [reading(r.question, r.held_hits) for r in rows]
    named: list[tuple[str, list[str]]] = []
    fits = [f.strip() for f in args.refits.split(",") if f.strip()]
    main_states: list[str] | None = None
    for fit_on in fits:
        both = fit_on == "batches"
        where = "sets and batches" if both else "sets (main's rule)"
        base = states_of(rows, values[FORM], held, weighed=False, with_batches=both)
        main_states = main_states or base
        part = [(f"main, fitted on the {where}", base)]
        for form in FORMS:
            for at in (0.5, 1.0):
                label = f"+ cap at {at:g}{' and above' if at < 1 else ''} ({form.label()})"
                part.append((label, capped(base, values[form], at)))
        weighed = states_of(rows, values[FORM], held, weighed=True, with_batches=both)
        part.append((f"+ weighed ({FORM.label()})", weighed))
        print(f"## Out of fold, fitted on the {where}\n")
        print(variants_table(rows, part), flush=True)
        print()
        named += [(f"{label}; fitted on the {where}", states) for label, states in part]
    if args.per_batch:
        print("## Per batch\n")
        print(variants_table(rows, named, per_batch=True))
    if main_states is not None:
        print("\n## Fires, by form (unanswerable / answerable)\n")
        print(fires_table(rows, FORMS, values, main_states))
    if args.list and main_states is not None:
        print("\n## Every fire of a form on a question main answers out of fold\n")
        for i, r in enumerate(rows):
            fired = [f.label() for f in FORMS[:3] if values[f][i] and main_states[i] == "answered"]
            if fired:
                label = "answerable" if r.answerable else "unanswerable"
                kinds = ",".join(asked_kinds(r.question, Form(plain_who=True, meeting_date=False)))
                top = max(values[f][i] or 0.0 for f in FORMS[:3])
                print(f"{r.name} | {label} | {top} | {kinds} | {r.question}")
                print(f"    forms: {'; '.join(fired)}")
                print(f"    shown: {_top_core(r)[:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
