"""How well decisions are found, with their subject and procedural flag, against hand labels.

``tests/labels/decisions_gold.json`` marks every decision of 31 documents across the three
shared sets (written by reading the documents, before the extractor was run on them).  A
found decision matches a marked one when its span overlaps the marked quote; each marked
decision is matched at most once.  Only the marked documents are scored, so a decision
found in them that matches no label is a false positive.

Run ``python -m bench.records_quality [INDEX]`` for the markdown tables in docs/quality.md
(with INDEX, an index of the three sets, the discharge of commitments and the trend points
too).  ``python -m bench.records_quality INDEX --trend [LABELS ...]`` scores the trend points
only: of the named label files, or of every batch with a line over all of them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ingest.commitments import Commitment
from ingest.decisions import Decision
from ingest.manifest import read_manifest
from ingest.models import Document
from ingest.pipeline import process_file

T = TypeVar("T", Decision, Commitment)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DECISION_LABELS = REPO / "tests" / "labels" / "decisions_gold.json"
HELD_OUT_LABELS = REPO / "tests" / "labels" / "decisions_heldout.json"
COMMITMENT_LABELS = REPO / "tests" / "labels" / "commitments_gold.json"
MORE_COMMITMENTS = REPO / "tests" / "labels" / "commitments_more.json"
HELD_OUT_COMMITMENTS = REPO / "tests" / "labels" / "commitments_heldout.json"
COMMITMENT_BATCHES = (COMMITMENT_LABELS, MORE_COMMITMENTS, HELD_OUT_COMMITMENTS)
TREND_LABELS = REPO / "tests" / "labels" / "trend_gold.json"
TREND_HELD_OUT = REPO / "tests" / "labels" / "trend_heldout.json"
TREND_BLIND_AFTER = REPO / "tests" / "labels" / "trend_heldout2.json"
TREND_FIFTH = REPO / "tests" / "labels" / "trend_heldout3.json"
TREND_SIXTH = REPO / "tests" / "labels" / "trend_heldout4.json"
TREND_SEVENTH = REPO / "tests" / "labels" / "trend_heldout5.json"
TREND_EIGHTH = REPO / "tests" / "labels" / "trend_heldout6.json"
TREND_NINTH = REPO / "tests" / "labels" / "trend_heldout7.json"
TREND_TENTH = REPO / "tests" / "labels" / "trend_heldout8.json"
TREND_ELEVENTH = REPO / "tests" / "labels" / "trend_heldout9.json"
TREND_TWELFTH = REPO / "tests" / "labels" / "trend_heldout10.json"
TREND_THIRTEENTH = REPO / "tests" / "labels" / "trend_heldout11.json"
TREND_FOURTEENTH = REPO / "tests" / "labels" / "trend_heldout12.json"
TREND_FIFTEENTH = REPO / "tests" / "labels" / "trend_heldout13.json"
TREND_SIXTEENTH = REPO / "tests" / "labels" / "trend_heldout14.json"
TREND_SEVENTEENTH = REPO / "tests" / "labels" / "trend_heldout15.json"
TREND_EIGHTEENTH = REPO / "tests" / "labels" / "trend_heldout16.json"
TREND_NINETEENTH = REPO / "tests" / "labels" / "trend_heldout17.json"
TREND_TWENTIETH = REPO / "tests" / "labels" / "trend_heldout18.json"
TREND_TWENTY_FIRST = REPO / "tests" / "labels" / "trend_heldout19.json"
TREND_TWENTY_SECOND = REPO / "tests" / "labels" / "trend_heldout20.json"
TREND_TWENTY_THIRD = REPO / "tests" / "labels" / "trend_heldout21.json"
TREND_TWENTY_FOURTH = REPO / "tests" / "labels" / "trend_heldout22.json"
TREND_TWENTY_FIFTH = REPO / "tests" / "labels" / "trend_heldout23.json"
TREND_TWENTY_SIXTH = REPO / "tests" / "labels" / "trend_heldout24.json"
TREND_TWENTY_SEVENTH = REPO / "tests" / "labels" / "trend_heldout25.json"
TREND_TWENTY_EIGHTH = REPO / "tests" / "labels" / "trend_heldout26.json"
TREND_TWENTY_NINTH = REPO / "tests" / "labels" / "trend_heldout27.json"
TREND_THIRTIETH = REPO / "tests" / "labels" / "trend_heldout28.json"
TREND_THIRTY_FIRST = REPO / "tests" / "labels" / "trend_heldout29.json"
TREND_BATCHES = (
    ("in-sample", TREND_LABELS),
    ("held out", TREND_HELD_OUT),
    ("blind after the fixes", TREND_BLIND_AFTER),
    ("fifth batch", TREND_FIFTH),
    ("sixth batch", TREND_SIXTH),
    ("seventh batch", TREND_SEVENTH),
    ("eighth batch", TREND_EIGHTH),
    ("ninth batch", TREND_NINTH),
    ("tenth batch", TREND_TENTH),
    ("eleventh batch", TREND_ELEVENTH),
    ("twelfth batch", TREND_TWELFTH),
    ("thirteenth batch", TREND_THIRTEENTH),
    ("fourteenth batch", TREND_FOURTEENTH),
    ("fifteenth batch", TREND_FIFTEENTH),
    ("sixteenth batch", TREND_SIXTEENTH),
    ("seventeenth batch", TREND_SEVENTEENTH),
    ("eighteenth batch", TREND_EIGHTEENTH),
    ("nineteenth batch", TREND_NINETEENTH),
    ("twentieth batch", TREND_TWENTIETH),
    ("twenty-first batch", TREND_TWENTY_FIRST),
    ("twenty-second batch", TREND_TWENTY_SECOND),
    ("twenty-third batch", TREND_TWENTY_THIRD),
    ("twenty-fourth batch", TREND_TWENTY_FOURTH),
    ("twenty-fifth batch", TREND_TWENTY_FIFTH),
    ("twenty-sixth batch", TREND_TWENTY_SIXTH),
    ("twenty-seventh batch", TREND_TWENTY_SEVENTH),
    ("twenty-eighth batch", TREND_TWENTY_EIGHTH),
    ("twenty-ninth batch", TREND_TWENTY_NINTH),
    ("thirtieth batch", TREND_THIRTIETH),
    ("thirty-first batch", TREND_THIRTY_FIRST),
)


def ratio(num: int, den: int) -> float:
    """``num / den``, or 0 when there is nothing to divide by."""
    return num / den if den else 0.0


def measure_table(rows: list[tuple[str, str]]) -> str:
    """A two-column markdown table (measure, value) for docs/quality.md."""
    lines = ["| measure | value |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


@dataclass
class Extraction:
    """What an extraction found against the labels: marked, found, and matched of both."""

    marked: int = 0
    found: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.matched, self.found)

    @property
    def recall(self) -> float:
        return ratio(self.matched, self.marked)

    def rows(self, what: str, measure: str = "") -> list[tuple[str, str]]:
        """The table's first rows: the counts of ``what``, then ``measure`` precision and recall."""
        return [
            (f"{what} marked / found / matched", f"{self.marked} / {self.found} / {self.matched}"),
            (f"{measure}precision", f"{self.precision:.2f}"),
            (f"{measure}recall", f"{self.recall:.2f}"),
        ]


@dataclass
class Scores(Extraction):
    """Decisions: counts over the marked documents, and the figures made from them."""

    subject_right: int = 0
    kind_right: int = 0
    procedural_right: int = 0
    procedural_marked: int = 0  # marked procedural, and matched
    procedural_caught: int = 0  # ... and flagged procedural
    procedural_flagged: int = 0  # matched and flagged procedural

    @property
    def subject(self) -> float:
        return ratio(self.subject_right, self.matched)

    @property
    def procedural(self) -> float:
        return ratio(self.procedural_right, self.matched)


def norm(text: str) -> str:
    """Lower case letters and digits, single-spaced: how titles are compared."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def subject_matches(found: tuple[str | None, str | None], item: str | None, title: str) -> bool:
    """Whether a found (number, title) names the marked agenda item.

    The title must hold the marked one (a page may prefix "Agenda item:") without being
    much longer; a marked number must be the found one.
    """
    number, found_title = found
    if item is not None and norm(number or "") != norm(item):
        return False
    want, got = norm(title), norm(found_title or "")
    return bool(want) and want in got and len(got) <= 2 * len(want) + 20


def match(text: str, found: Sequence[T], marked: Sequence[dict]) -> list[tuple[dict, T]]:
    """Pairs of (marked, found): a found decision matches the first free label it overlaps."""
    spans = []
    for m in marked:
        places = [x.start() for x in re.finditer(re.escape(m["quote"]), text)]
        nth = m.get("nth")
        if not places or (nth is None and len(places) > 1) or (nth or 0) >= len(places):
            raise ValueError(f"label quote missing or not unique: {m['quote'][:60]!r}")
        at = places[nth or 0]
        spans.append((at, at + len(m["quote"]), m))
    pairs = []
    free = sorted(spans, key=lambda s: s[0])
    for d in found:
        hit = next((s for s in free if d.char_start < s[1] and s[0] < d.char_end), None)
        if hit is not None:
            free.remove(hit)
            pairs.append((hit[2], d))
    return pairs


def load_document(set_name: str, file: str) -> Document:
    """One shared document processed as ingest does, with its manifest metadata."""
    folder = SHARED / set_name / "corpus"
    metas, _ = read_manifest(folder)
    return process_file(folder / file, metas[file])


def score_decisions(labels_path: Path = DECISION_LABELS) -> Scores:
    """Decisions found in every marked document, scored against the labels."""
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    s = Scores()
    for entry in labels["documents"]:
        doc = load_document(entry["set"], entry["file"])
        marked = entry["decisions"]
        s.marked += len(marked)
        s.found += len(doc.decisions)
        for m, d in match(doc.text, doc.decisions, marked):
            s.matched += 1
            s.subject_right += subject_matches((d.item, d.subject), m["item"], m["subject"])
            s.kind_right += d.kind == m["kind"]
            s.procedural_right += d.procedural == m["procedural"]
            s.procedural_marked += m["procedural"]
            s.procedural_caught += m["procedural"] and d.procedural
            s.procedural_flagged += d.procedural
    return s


def table(s: Scores) -> str:
    """The markdown table for docs/quality.md."""
    rows = [
        *s.rows("decisions", "extraction "),
        ("subject right (of matched)", f"{s.subject:.2f}"),
        ("procedural flag right (of matched)", f"{s.procedural:.2f}"),
        (
            "procedural: precision / recall",
            f"{ratio(s.procedural_caught, s.procedural_flagged):.2f} / "
            f"{ratio(s.procedural_caught, s.procedural_marked):.2f}",
        ),
        ("kind right (of matched)", f"{ratio(s.kind_right, s.matched):.2f}"),
    ]
    return measure_table(rows)


@dataclass
class CommitmentScores(Extraction):
    """Commitments found in the marked documents against the labels."""

    due_right: int = 0  # same date, or both unknown
    committee_right: int = 0
    misses: list[str] = field(default_factory=list)  # what went wrong, one line each


def score_commitments(labels_path: Path = COMMITMENT_LABELS) -> CommitmentScores:
    """Commitments found at ingest in every document holding a marked one, and in every
    document the labels say was read and holds none (``read_without_commitments``)."""
    data = json.loads(labels_path.read_text(encoding="utf-8"))
    by_file: dict[tuple[str, str], list[dict]] = {}
    for c in data["commitments"]:
        by_file.setdefault((c["set"], c["file"]), []).append(c)
    for r in data.get("read_without_commitments", ()):
        by_file.setdefault((r["set"], r["file"]), [])
    s = CommitmentScores()
    for (set_name, file), marked in by_file.items():
        doc = load_document(set_name, file)
        s.marked += len(marked)
        s.found += len(doc.commitments)
        pairs = match(doc.text, doc.commitments, marked)
        for m, c in pairs:
            s.matched += 1
            s.due_right += c.due == m["due"]
            expecting = c.expecting or doc.meta.committee
            s.committee_right += norm(expecting or "") == norm(m["committee"] or "")
            if c.due != m["due"] or norm(expecting or "") != norm(m["committee"] or ""):
                s.misses.append(
                    f"{file}: {m['quote'][:50]!r}: due {c.due} / {m['due']}, "
                    f"committee {expecting} / {m['committee']}"
                )
        got = {id(c) for _, c in pairs}
        s.misses += [
            f"{file}: found, not marked: {c.text[:90]!r}"
            for c in doc.commitments
            if id(c) not in got
        ]
        s.misses += [
            f"{file}: missed: {m['quote'][:70]!r}"
            for m in marked
            if all(m is not x for x, _ in pairs)
        ]
    return s


def open_engine(index_dir: Path) -> Any:
    """The service's engine over ``index_dir``, with the default settings."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = Settings(index=index_dir)
    return Engine(index_dir, make_query_embedder(settings), settings)


@dataclass
class DischargeScores:
    """Which later paper brings each marked commitment back, against the labels."""

    marked: int = 0  # commitments marked as brought back by a paper in the sets
    claimed: int = 0  # commitments the service says came back
    right: int = 0  # ... by the marked paper
    status_right: int = 0
    scored: int = 0  # marked commitments found in the index
    misses: list[str] | None = None  # what went wrong, one line each


def score_discharge(
    index_dir: Path, as_of: date, labels_path: Path = COMMITMENT_LABELS
) -> DischargeScores:
    """Discharge of the marked commitments through the service, over an index of the sets.

    Each marked commitment is looked up among the stored ones by its quote; the service's
    discharging paper (or none) is compared with the marked one, and its status with the
    one the labels imply on ``as_of`` (came back / due / overdue).
    """
    from qa_service.followthrough import follow_through

    items = follow_through(open_engine(index_dir), as_of=as_of)
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["commitments"]
    s = DischargeScores(misses=[])
    for m in labels:
        held = [
            i
            for i in items
            if i.commitment.passage.document.source == m["file"]
            and norm(m["quote"]) in norm(i.commitment.text)
        ]
        if not held:
            assert s.misses is not None
            s.misses.append(f"not found: {m['file']}: {m['quote'][:60]}")
            continue
        item = held[0]
        s.scored += 1
        s.marked += m["discharged_by"] is not None
        got = item.discharged_by.passage.document.source if item.discharged_by else None
        s.claimed += got is not None
        s.right += got is not None and got == m["discharged_by"]
        want = (
            "discharged"
            if m["discharged_by"]
            else ("overdue" if m["due"] and m["due"] < as_of.isoformat() else "due")
        )
        s.status_right += item.status == want
        if got != m["discharged_by"] or item.status != want:
            assert s.misses is not None
            s.misses.append(
                f"{m['file']}: {m['quote'][:50]!r}: marked {m['discharged_by']} ({want}), "
                f"got {got} ({item.status}, due {item.due})"
            )
    return s


def commitment_table(s: CommitmentScores) -> str:
    """The markdown table of commitment extraction for docs/quality.md."""
    rows = [
        *s.rows("commitments"),
        ("due date right (of matched)", f"{ratio(s.due_right, s.matched):.2f}"),
        ("expecting committee right (of matched)", f"{ratio(s.committee_right, s.matched):.2f}"),
    ]
    return measure_table(rows)


@dataclass
class TrendScores:
    """Plotted trend points against the gold points a human would plot."""

    gold: int = 0
    plotted: int = 0
    right: int = 0  # plotted, from the gold paper, with the gold value
    misses: list[str] | None = None


def score_trend(
    index_dir: Path, batch: str | None = None, labels: Path = TREND_LABELS
) -> TrendScores:
    """``qa_service.trend`` on each gold question (for its council), point by point.

    ``batch`` keeps the questions of one labelling batch ("second batch"; "" the first);
    ``labels`` is the file of questions (``TREND_HELD_OUT``: the held-out batch).
    """
    return score_trend_engine(open_engine(index_dir), batch, labels)


def score_trend_engine(engine: Any, batch: str | None, labels: Path) -> TrendScores:
    """``score_trend`` over an engine already open (or one that replays kept answers)."""
    from index.store import Filters
    from qa_service.trend import trend

    s = TrendScores(misses=[])
    for q in json.loads(labels.read_text(encoding="utf-8"))["questions"]:
        if batch is not None and q.get("added", "") != batch:
            continue
        points = [
            p
            for p in trend(engine, q["question"], Filters(council=(q["council"],)))
            if not p.flagged
        ]
        gold = {(g["file"], float(g["value"])) for g in q["points"]}
        got = {(p.hit.passage.document.source, p.figure.value) for p in points}
        s.gold += len(gold)
        s.plotted += len(got)
        s.right += len(gold & got)
        assert s.misses is not None
        s.misses += [f"{q['id']} missed {g}" for g in sorted(gold - got)]
        s.misses += [f"{q['id']} wrong {g}" for g in sorted(got - gold)]
    return s


def trend_table(s: TrendScores) -> str:
    """The markdown table of trend points for docs/quality.md."""
    rows = [
        ("gold points / plotted / right", f"{s.gold} / {s.plotted} / {s.right}"),
        ("point precision (target ≥ 0.90)", f"{ratio(s.right, s.plotted):.2f}"),
        ("point recall (target ≥ 0.80)", f"{ratio(s.right, s.gold):.2f}"),
    ]
    return measure_table(rows)


def discharge_table(s: DischargeScores) -> str:
    """The markdown table of discharge for docs/quality.md."""
    rows = [
        ("marked commitments found in the index", f"{s.scored}"),
        (
            "marked as brought back / said to come back / right",
            f"{s.marked} / {s.claimed} / {s.right}",
        ),
        ("discharge precision", f"{ratio(s.right, s.claimed):.2f}"),
        ("discharge recall", f"{ratio(s.right, s.marked):.2f}"),
        ("status right", f"{ratio(s.status_right, s.scored):.2f}"),
    ]
    return measure_table(rows)


def print_trends(index_dir: Path, batches: Sequence[tuple[str, Path]]) -> None:
    """The trend table and misses of each batch, then one line over all of them."""
    total = TrendScores()
    for name, path in batches:
        scores = score_trend(index_dir, labels=path)
        print(f"\ntrend points, {name}: {path.name}\n")
        print(trend_table(scores))
        print("\n".join(scores.misses or []))
        total.gold += scores.gold
        total.plotted += scores.plotted
        total.right += scores.right
    if len(batches) > 1:
        print(f"\ntrend points, all {len(batches)} files\n")
        print(trend_table(total))


def print_commitments(index_dir: Path | None, batches: Sequence[Path]) -> None:
    """The commitment tables of each label file, and with an index their discharge."""
    for path in batches:
        print(f"\ncommitments: {path.name}\n")
        found_here = score_commitments(path)
        print(commitment_table(found_here))
        print("\n".join(found_here.misses))
        if index_dir is not None:
            found = score_discharge(index_dir, date(2026, 12, 1), path)
            print(f"\ndischarge, status on 2026-12-01: {path.name}\n")
            print(discharge_table(found))
            print("\n".join(found.misses or []))


if __name__ == "__main__":
    if "--commitments" in sys.argv[1:]:  # commitments and their discharge only
        args = [a for a in sys.argv[1:] if a != "--commitments"]
        print_commitments(Path(args[0]) if args else None, COMMITMENT_BATCHES)
        sys.exit(0)
    if "--trend" in sys.argv[2:]:  # the trend points only, of the named files or of all
        named = [Path(a) for a in sys.argv[sys.argv.index("--trend") + 1 :]]
        print_trends(
            Path(sys.argv[1]), [(p.stem, p) for p in named] if named else list(TREND_BATCHES)
        )
        sys.exit(0)
    for name, path in (("written against", DECISION_LABELS), ("held out", HELD_OUT_LABELS)):
        print(f"\n{name}: {path.name}\n")
        print(table(score_decisions(path)))
    # with an index of the three sets built with the real model: discharge and trends too
    print_commitments(Path(sys.argv[1]) if len(sys.argv) > 1 else None, COMMITMENT_BATCHES)
    if len(sys.argv) > 1:
        print_trends(Path(sys.argv[1]), TREND_BATCHES)
