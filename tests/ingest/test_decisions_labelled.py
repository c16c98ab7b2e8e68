"""Decision extraction against decisions marked by hand in dev-set minutes and reports.

``decisions_labelled.json`` holds, per document, the resolutions and recommendations a
person would mark, as exact substrings of the extracted text.  A found decision matches a
marked one when their spans overlap by at least half of their union.
Run ``pytest tests/ingest/test_decisions_labelled.py -s`` to print the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.decisions import find_decisions
from ingest.models import DocMeta
from ingest.pipeline import process_file
from tests.conftest import DEV_CORPUS

LABELS = Path(__file__).with_name("decisions_labelled.json")
Span = tuple[int, int]


def overlap(a: Span, b: Span) -> float:
    """Intersection over union of two character spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match_counts(found: list[Span], marked: list[Span], threshold: float = 0.5) -> int:
    """How many found spans match a marked span (each marked span matched at most once)."""
    free = list(marked)
    hits = 0
    for span in found:
        best = max(free, key=lambda m: overlap(span, m), default=None)
        if best is not None and overlap(span, best) >= threshold:
            free.remove(best)
            hits += 1
    return hits


@pytest.mark.parametrize(
    ("found", "marked", "hits"),
    [
        ([], [], 0),
        ([(0, 10)], [], 0),
        ([], [(0, 10)], 0),
        ([(0, 10)], [(0, 10)], 1),
        ([(0, 10)], [(4, 10)], 1),
        ([(0, 10)], [(6, 10)], 0),
        ([(0, 10), (0, 9)], [(0, 10)], 1),
    ],
)
def test_match_counts(found: list[Span], marked: list[Span], hits: int) -> None:
    assert match_counts(found, marked) == hits


def test_extraction_precision_and_recall_on_the_dev_set() -> None:
    if not DEV_CORPUS.is_dir():
        pytest.skip("../shared/dev-set is not beside the repository")
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    n_found = n_marked = n_hits = n_kind = 0
    for name, marked in labels.items():
        doc = process_file(DEV_CORPUS / name, DocMeta())
        spans = []
        for m in marked:
            # PDF line breaks inside a sentence are joined one for one (ingest.pdf_text),
            # so a label holding the raw break is found with the break read as a space
            start = doc.text.replace("\n", " ").find(m["text"].replace("\n", " "))
            assert start >= 0, f"label not in {name}: {m['text'][:60]!r}"
            spans.append((start, start + len(m["text"])))
        found = find_decisions(doc.text, doc.passages)
        n_found += len(found)
        n_marked += len(marked)
        n_hits += match_counts([(d.char_start, d.char_end) for d in found], spans)
        kinds = {s: m["kind"] for s, m in zip(spans, marked, strict=True)}
        n_kind += sum(1 for d in found if kinds.get((d.char_start, d.char_end)) == d.kind)
    precision = n_hits / n_found
    recall = n_hits / n_marked
    print(
        f"\ndecision extraction on {len(labels)} documents: {n_marked} marked, {n_found} found, "
        f"{n_hits} matched; precision {precision:.3f}, recall {recall:.3f}; "
        f"kind right on {n_kind} exact matches"
    )
    assert precision >= 0.9
    assert recall >= 0.85
