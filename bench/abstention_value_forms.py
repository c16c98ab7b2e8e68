"""The forms of ``value_missed`` measured out of fold, and the form chosen inside each fold.

    python bench/abstention_value_forms.py [--index-root DIR] [--cache FILE]

``value_missed`` (qa_service/abstention_value.py) reads whether the shown sentence states
the grade or the count a question asks for, and falls back on the top passage around it.
Its form was chosen on the three shared sets (docs/quality.md, "Abstention, stop 20"), so
this prints, per form, the classifier's figures in-sample and out of fold across councils
(bench/fit_abstention.py's fit, with the withheld-answer rows), then the figures when the
form is chosen inside each fold by the same cross-validation on that fold's own councils
(nested): the figure for the rule with that choice included.  Leaving one council out
inside each of the 35 folds too takes from 4 minutes to an hour on the shared cores,
depending on their load; ``--chunks 5`` deals each fold's training councils into 5 inner
folds instead.

The forms: none (the stored evidence without it); the kept one (0, 0.5 where only the
passage states the value, 1); the shown sentence alone (0 or 1); the shown sentence and the
passage both lacking it (0 or 1).  Rows come from bench/abstention_modes.py's capture with
the withheld rows (``--cache`` keeps them, so that a rerun only refits).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_modes import Row, _Vector, capture, figures  # noqa: E402
from bench.fit_abstention import Case, fit, state  # noqa: E402
from evaluation.crossval import out_of_fold  # noqa: E402
from qa_service.abstention import ANSWERED, FEATURES  # noqa: E402
from qa_service.abstention_value import lacks_value, value_missed  # noqa: E402

AT = FEATURES.index("value_missed")


def _passage(row: Row) -> str:
    return row.passages[0] if row.passages else ""


FORMS: dict[str, Callable[[Row], float] | None] = {
    "none": None,
    "kept": lambda r: value_missed(r.question, r.shown, _passage(r)),
    "shown sentence alone": lambda r: float(lacks_value(r.question, r.shown)),
    "shown sentence and passage": lambda r: float(
        lacks_value(r.question, r.shown) and lacks_value(r.question, _passage(r))
    ),
}


def form_cases(rows: Sequence[Row], form: Callable[[Row], float] | None) -> list[Case]:
    """The rows as cases, with the stored ``value_missed`` replaced by ``form`` (dropped
    for None), their withheld rows likewise."""

    def vector(r: Row | None) -> Any:
        if r is None or r.evidence is None:
            return None
        values = list(r.evidence.vector())
        del values[AT]
        if form is not None:
            values.append(form(r))
        return _Vector(values)

    return [Case(r.set_name, r.answerable, vector(r), 0.0, vector(r.withheld)) for r in rows]


def mistakes(cases: Sequence[Case], groups: Sequence[Sequence[str]]) -> int:
    """Questions judged wrongly out of fold across the councils of ``cases``."""
    got = out_of_fold(cases, groups, fit, state)
    return sum((s == ANSWERED) != c.answerable for s, c in zip(got, cases, strict=True))


def chunked(groups: Sequence[Sequence[str]], chunks: int) -> list[tuple[str, ...]]:
    """``groups`` with each council replaced by one of ``chunks`` chunks, the councils dealt
    round-robin in the order they first appear (0: the councils themselves)."""
    if chunks <= 0:
        return [tuple(g) for g in groups]
    order = list(dict.fromkeys(c for g in groups for c in g))
    deal = {c: f"chunk {i % chunks}" for i, c in enumerate(order)}
    return [tuple(dict.fromkeys(deal[c] for c in g)) for g in groups]


def nested(
    by_form: dict[str, list[Case]], groups: Sequence[Sequence[str]], chunks: int = 0
) -> tuple[list[str], dict[str, str]]:
    """Out-of-fold states with the form chosen in each fold (fewest mistakes out of fold
    on the fold's training councils, leave one council out, or with ``chunks`` their
    councils dealt into that many folds; ties: the earlier form), and each fold's form."""
    names = list(by_form)
    count = len(groups)
    out: list[str] = [""] * count
    chosen: dict[str, str] = {}
    for fold in dict.fromkeys(g[0] for g in groups):
        train = [i for i in range(count) if fold not in groups[i]]
        inner = chunked([groups[i] for i in train], chunks)
        name = min(names, key=lambda n: mistakes([by_form[n][i] for i in train], inner))
        chosen[fold] = name
        model = fit([by_form[name][i] for i in train])
        for i in range(count):
            if groups[i][0] == fold:
                out[i] = state(model, by_form[name][i])
    return out, chosen


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or load), then print each form's figures and the nested ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, help="pickle of the captured rows (reused)")
    parser.add_argument(
        "--chunks",
        type=int,
        default=0,
        help="inner folds of the nested choice: councils dealt into this many (0: one each)",
    )
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = capture(args.index_root, withheld=True)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(rows))
    groups = [r.group for r in rows]
    by_form = {name: form_cases(rows, form) for name, form in FORMS.items()}
    print("| form | in-sample | out of fold |\n| --- | --- | --- |")
    for name, cases in by_form.items():
        model = fit(cases)
        inside = [state(model, c) for c in cases]
        folded = out_of_fold(cases, groups, fit, state)
        print(f"| {name} | {figures(rows, inside)} | {figures(rows, folded)} |", flush=True)
    got, chosen = nested(by_form, groups, args.chunks)
    tally = {name: sum(c == name for c in chosen.values()) for name in FORMS}
    print(f"| chosen in each fold {tally} | – | {figures(rows, got)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
