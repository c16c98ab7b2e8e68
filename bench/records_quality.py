"""How well decisions are found, with their subject and procedural flag, against hand labels.

``tests/labels/decisions_gold.json`` marks every decision of 31 documents across the three
shared sets (written by reading the documents, before the extractor was run on them).  A
found decision matches a marked one when its span overlaps the marked quote; each marked
decision is matched at most once.  Only the marked documents are scored, so a decision
found in them that matches no label is a false positive.

Run ``python -m bench.records_quality`` for the markdown table in docs/quality.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.decisions import Decision
from ingest.manifest import read_manifest
from ingest.models import Document
from ingest.pipeline import process_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DECISION_LABELS = REPO / "tests" / "labels" / "decisions_gold.json"
HELD_OUT_LABELS = REPO / "tests" / "labels" / "decisions_heldout.json"


@dataclass
class Scores:
    """Counts over the marked documents, and the figures made from them."""

    marked: int = 0
    found: int = 0
    matched: int = 0
    subject_right: int = 0
    kind_right: int = 0
    procedural_right: int = 0
    procedural_marked: int = 0  # marked procedural, and matched
    procedural_caught: int = 0  # ... and flagged procedural
    procedural_flagged: int = 0  # matched and flagged procedural

    def ratio(self, num: int, den: int) -> float:
        return num / den if den else 0.0

    @property
    def precision(self) -> float:
        return self.ratio(self.matched, self.found)

    @property
    def recall(self) -> float:
        return self.ratio(self.matched, self.marked)

    @property
    def subject(self) -> float:
        return self.ratio(self.subject_right, self.matched)

    @property
    def procedural(self) -> float:
        return self.ratio(self.procedural_right, self.matched)


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


def match(
    text: str, found: Sequence[Decision], marked: Sequence[dict]
) -> list[tuple[dict, Decision]]:
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
        ("decisions marked / found / matched", f"{s.marked} / {s.found} / {s.matched}"),
        ("extraction precision", f"{s.precision:.2f}"),
        ("extraction recall", f"{s.recall:.2f}"),
        ("subject right (of matched)", f"{s.subject:.2f}"),
        ("procedural flag right (of matched)", f"{s.procedural:.2f}"),
        (
            "procedural: precision / recall",
            f"{s.ratio(s.procedural_caught, s.procedural_flagged):.2f} / "
            f"{s.ratio(s.procedural_caught, s.procedural_marked):.2f}",
        ),
        ("kind right (of matched)", f"{s.ratio(s.kind_right, s.matched):.2f}"),
    ]
    return "\n".join(["| measure | value |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows])


if __name__ == "__main__":
    for name, path in (("written against", DECISION_LABELS), ("held out", HELD_OUT_LABELS)):
        print(f"\n{name}: {path.name}\n")
        print(table(score_decisions(path)))
