"""What a blind batch is made of, beside the batches before it (stop 31, issue 14).

    python bench/batch_profile.py CAPTURE.pkl [CAPTURE.pkl ...] [--list]
    python bench/batch_profile.py --abstention CACHE.pkl --batches FILE.jsonl ...

Reads bench/rank1_capture.py pickles (several may be given: the questions are pooled, a
batch captured twice counts once) and prints, per real or fictional set and batch, R@1 of
its answerable questions (re-ranked as the service does, ``bench.rank1_within.order``) in
all and by

- the question's kind (``type`` in the labels: factoid, paraphrase, ...);
- a *formality* of the meeting (``FORMALITIES``: declarations of interest, apologies, who
  attended, when the committee last met, where or when it met), read from the question and
  its gold evidence;
- a meeting *named by another of its items* (``NAMED_BY_ITEM``: "the meeting where Anna
  Burns was congratulated", "the meeting that looked at care home fee levels");
- how many papers the question's council has in the shared sets (1 or more).

With ``--list`` every formality question is listed with its rank 1 or miss.

With ``--abstention`` it reads a bench/abstention_parts.py (or bench/fit_abstention.py)
cache captured with ``--batches FILE ...`` and lists each batch question as the *stored*
fit judges it (the service's own state, as bench/ask_heldout.py scores it): answered or
refused, the parts that refuse (``bench.abstention_parts.Verdict.makers``), the checks that
fire and the probability, by the question's id from the batch files.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import bench.rank1_capture as capture  # noqa: E402
from bench.rank1_capture import Row  # noqa: E402
from bench.rank1_new import Paper, is_real, manifests  # noqa: E402
from bench.rank1_within import first_hit, order  # noqa: E402

# A formality of the meeting, by what the question asks (and, for attendance, what the gold
# evidence says): the short procedural items every set of minutes opens with
FORMALITIES = {
    "declarations": re.compile(r"\bdeclar\w*\b[^?]*\binterest|\binterest\b[^?]*\bdeclar", re.I),
    "apologies": re.compile(r"\bapolog", re.I),
    "attendance": re.compile(
        r"\bwho (chaired|attended)\b|\bsubstitut\w*\b[^?]*\bcouncillor|\bfilled in for\b"
        r"|^in attendance\b",
        re.I,
    ),
    "last met": re.compile(r"\blast (met|meet)\b", re.I),
    "venue": re.compile(r"\bvenue\b|\bwhere\b[^?]*\bmeet\b|\bwhat time did\b", re.I),
}
# A meeting named by another item on its agenda, not by its date
NAMED_BY_ITEM = re.compile(
    r"\bmeeting (where|that|at which)\b|\b(before|when) it (looked at|considered)\b", re.I
)


# What an unanswerable question asks for, by its first words: a person, a date, a figure,
# or anything else (a decision, a reason, a list)
ASKED = {
    "a person": re.compile(
        r"^(who\b|which (\w+ )?(councillor|member|officer|cabinet member)\b|what is the name\b)",
        re.I,
    ),
    "a date": re.compile(r"^(when\b|on what date\b|by when\b|what date\b)", re.I),
    "a figure": re.compile(
        r"^(how (many|much|far|long)\b|what (share|percentage|proportion|rate|number)\b)"
        r"|\b(cost|rate|figure|total)\b",
        re.I,
    ),
}


def asked(question: str) -> str:
    """What the question asks for (``ASKED``), "other" when none reads it."""
    for name, pattern in ASKED.items():
        if pattern.search(question.strip()):
            return name
    return "other"


def formality(row: Row) -> str | None:
    """The formality the question asks about, or None."""
    for name, pattern in FORMALITIES.items():
        if pattern.search(row.question):
            return name
        if name == "attendance" and any(pattern.search(e.strip()) for _, e in row.gold):
            return name
    return None


def named_by_item(row: Row) -> bool:
    return bool(NAMED_BY_ITEM.search(row.question))


def council_papers(row: Row, papers: dict[str, Paper]) -> int:
    """How many papers of the question's (first) council the shared sets hold."""
    depth = Counter(p.council for p in papers.values())
    return depth.get(row.group[0] if row.group else "", 0)


def _cell(hits: Sequence[bool]) -> str:
    return f"{sum(hits)}/{len(hits)}" if hits else "–"


def profile(rows: Sequence[Row], papers: dict[str, Paper]) -> list[str]:
    """The table's lines: one per set or batch, real ones first."""
    kinds = sorted({r.qtype for r in rows})
    by: dict[str, list[tuple[Row, bool]]] = {}
    for row in rows:
        by.setdefault(row.batch, []).append((row, first_hit(row, order(row)) == 1))
    head = ["set or batch", "answerable", "R@1", *kinds, "formality", "named by an item"]
    head += ["council: 1 paper", "council: 2+ papers"]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for batch in sorted(by, key=lambda b: (not is_real(by[b][0][0]), b)):
        got = by[batch]
        ok = [h for _, h in got]
        cells = [batch, str(len(got)), f"{sum(ok) / len(ok):.2f}"]
        cells += [_cell([h for r, h in got if r.qtype == k]) for k in kinds]
        cells.append(_cell([h for r, h in got if formality(r)]))
        cells.append(_cell([h for r, h in got if named_by_item(r)]))
        cells.append(_cell([h for r, h in got if council_papers(r, papers) <= 1]))
        cells.append(_cell([h for r, h in got if council_papers(r, papers) > 1]))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def formality_list(rows: Sequence[Row]) -> list[str]:
    out = []
    for row in rows:
        kind = formality(row)
        if kind:
            rank = first_hit(row, order(row))
            flag = " (named by an item)" if named_by_item(row) else ""
            out.append(f"{row.batch} {row.qid} {kind}{flag}: rank {rank} | {row.question}")
    return out


class _Rows(pickle.Unpickler):
    """A capture pickled by the script run as ``__main__`` read back from here."""

    def find_class(self, module: str, name: str) -> type:
        if module == "__main__" and name in ("Row", "Cand"):
            return getattr(capture, name)  # type: ignore[no-any-return]
        return super().find_class(module, name)  # type: ignore[no-any-return]


def pooled(captures: Sequence[Path]) -> list[Row]:
    """The captures' rows, a (batch, question) seen before dropped."""
    seen: set[tuple[str, str]] = set()
    rows: list[Row] = []
    for path in captures:
        with path.open("rb") as fh:
            for row in _Rows(fh).load():
                if (row.batch, row.qid) not in seen:
                    seen.add((row.batch, row.qid))
                    rows.append(row)
    return rows


def abstention_lines(cache: Path, batches: Sequence[Path]) -> list[str]:
    """Each batch question as the stored fit judges it."""
    from bench.abstention_parts import STORED_CAPS, stored_model, verdict
    from bench.fit_abstention import as_cases

    with cache.open("rb") as fh:
        _, captured = pickle.load(fh)
    cases, questions = as_cases(captured)
    ids: dict[tuple[str, str], tuple[str, str]] = {}
    for path in batches:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                ids[(path.stem, q["question"])] = (q["id"], q["type"])
    model = stored_model()
    out = []
    table: dict[tuple[str, str], list[bool]] = {}
    for case, text in zip(cases, questions, strict=True):
        key = (case.set_name, text)
        if key not in ids:
            continue
        qid, kind = ids[key]
        v = verdict(model, case)
        state = "refused" if v.refused(STORED_CAPS) else "answered"
        right = state == ("answered" if case.answerable else "refused")
        if not case.answerable:
            table.setdefault((case.set_name, asked(text)), []).append(state == "refused")
        makers = ", ".join(v.makers(STORED_CAPS)) or "-"
        out.append(
            f"{case.set_name} | {qid} | {kind} | {state}{'' if right else ' (wrong)'} | "
            f"{makers} | p={v.probability:.3f} | checks {','.join(v.caps) or '-'} | {text}"
        )
    kinds = [*ASKED, "other"]
    out += ["", "| batch | " + " | ".join(f"asks {k}: caught" for k in kinds) + " |"]
    out.append("| --- |" + " ---: |" * len(kinds))
    for batch in sorted({b for b, _ in table}):
        cells = [_cell(table.get((batch, k), [])) for k in kinds]
        out.append(f"| {batch} | " + " | ".join(cells) + " |")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("captures", nargs="*", type=Path)
    parser.add_argument("--list", action="store_true", help="every formality question")
    parser.add_argument("--abstention", type=Path, default=None, help="an abstention cache")
    parser.add_argument("--batches", nargs="*", type=Path, default=[])
    args = parser.parse_args(argv)
    if args.captures:
        rows = pooled(args.captures)
        print("\n".join(profile(rows, manifests())))
        if args.list:
            print()
            print("\n".join(formality_list(rows)))
    if args.abstention is not None:
        print()
        print("\n".join(abstention_lines(args.abstention, args.batches)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
