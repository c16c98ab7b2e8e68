"""Fit the discharge search's subject test across councils (``qa_service.followthrough``).

For every labelled commitment of ``tests/labels/commitments_*.json`` found in an index of the
three sets, the discharge search is run with each setting of ``SUBJECT_SHARE`` (the least
idf-weighted share of the commitment's subject words a discharging passage holds) and of
``ASK_SUBJECT`` (ask the engine the subject, not the clause alone). Leaving one council out at
a time, the setting with the best F1 of discharge on the other councils (ties: the lower share,
then the clause alone) is applied to the council left out; the out-of-fold claims are summed.

    python -m bench.fit_followthrough INDEX
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.records_quality import COMMITMENT_BATCHES, norm, ratio
from index.filters import Filters
from index.records import CommitmentRecord, commitments

AS_OF = date(2026, 12, 1)
SHARES = tuple(round(0.05 * i, 2) for i in range(13))  # 0.0 .. 0.6
ASKS = (False, True)


@dataclass(frozen=True)
class Case:
    """One labelled commitment found in the index."""

    batch: str
    council: str
    record: CommitmentRecord
    marked: str | None  # the paper that brings it back, or None


@dataclass
class Tally:
    """Discharge counts: marked as brought back, claimed, claimed right."""

    marked: int = 0
    claimed: int = 0
    right: int = 0

    def add(self, other: Tally) -> None:
        self.marked += other.marked
        self.claimed += other.claimed
        self.right += other.right

    @property
    def f1(self) -> float:
        p, r = ratio(self.right, self.claimed), ratio(self.right, self.marked)
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (
            f"{self.marked} / {self.claimed} / {self.right} "
            f"(precision {ratio(self.right, self.claimed):.2f}, "
            f"recall {ratio(self.right, self.marked):.2f})"
        )


def cases(engine: Any) -> list[Case]:
    """Every labelled commitment the index holds, with the paper marked as bringing it back."""
    stored = commitments(engine.store, Filters())
    out = []
    for path in COMMITMENT_BATCHES:
        for m in json.loads(path.read_text(encoding="utf-8"))["commitments"]:
            held = [
                c
                for c in stored
                if c.passage.document.source == m["file"] and norm(m["quote"]) in norm(c.text)
            ]
            if held:
                council = held[0].passage.document.meta.council or ""
                out.append(Case(path.name, council, held[0], m["discharged_by"]))
    return out


def memoised(ask: Callable[..., Any]) -> Callable[..., Any]:
    """``engine.ask`` answering each (question, k, filters) once."""
    seen: dict[tuple, Any] = {}

    def cached(question: str, k: int, filters: Filters, **kw: Any) -> Any:
        key = (question, k, filters, tuple(sorted(kw.items())))
        if key not in seen:
            seen[key] = ask(question, k, filters, **kw)
        return seen[key]

    return cached


def claims(engine: Any, all_cases: list[Case]) -> dict[tuple[bool, float], list[str | None]]:
    """The paper each setting says brought each case back (None: none)."""
    from qa_service import followthrough

    out: dict[tuple[bool, float], list[str | None]] = {}
    for ask in ASKS:
        for share in SHARES:
            followthrough.ASK_SUBJECT, followthrough.SUBJECT_SHARE = ask, share
            got = []
            for case in all_cases:
                hit = followthrough.follow(engine, case.record, AS_OF).discharged_by
                got.append(hit.passage.document.source if hit else None)
            out[(ask, share)] = got
    return out


def tally(all_cases: list[Case], got: list[str | None], keep: Callable[[Case], bool]) -> Tally:
    """Discharge counts over the cases ``keep`` selects."""
    t = Tally()
    for case, paper in zip(all_cases, got, strict=True):
        if keep(case):
            t.marked += case.marked is not None
            t.claimed += paper is not None
            t.right += paper is not None and paper == case.marked
    return t


def main(index_dir: Path) -> None:
    """Print the in-sample table per setting and the leave-one-council-out result."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = Settings(index=index_dir)
    engine = Engine(index_dir, make_query_embedder(settings), settings)
    engine.ask = memoised(engine.ask)  # type: ignore[method-assign]
    all_cases = cases(engine)
    got = claims(engine, all_cases)
    print(f"{len(all_cases)} labelled commitments in the index\n")
    print("| ask subject | share | marked / claimed / right, all label files |")
    print("| --- | --- | --- |")
    for (ask, share), papers in got.items():
        print(f"| {ask} | {share:.2f} | {tally(all_cases, papers, lambda _c: True)} |")
    councils = sorted({c.council for c in all_cases})
    out_of_fold = Tally()
    print("\n| council left out | chosen (ask, share) | out of fold |")
    print("| --- | --- | --- |")
    for council in councils:

        def inside(c: Case, council: str = council) -> bool:
            return c.council != council

        def left_out(c: Case, council: str = council) -> bool:
            return c.council == council

        best = max(
            got,
            key=lambda s: (tally(all_cases, got[s], inside).f1, -s[1], not s[0]),
        )
        held = tally(all_cases, got[best], left_out)
        out_of_fold.add(held)
        print(f"| {council} | {best} | {held} |")
    print(f"\nout of fold, {len(councils)} councils: {out_of_fold}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
