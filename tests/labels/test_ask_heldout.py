"""The blind ask batches, ``tests/labels/ask_heldout_*.jsonl``, checked against ../shared.

Each batch is in the shared sets' ``questions.jsonl`` format and names papers of the three
shared corpora (dev-set, dev-set-2, real-dev-set).  Every gold entry must hold: its file is
in one corpus's manifest, and its evidence is in the file's text as the sets' ``verify.py``
extracts it (pypdf ``extract_text()`` of the named page, BeautifulSoup ``get_text(" ")``
for HTML, python-docx paragraphs then table cells for Word, the raw text otherwise),
whitespace collapsed and case ignored, as the hit rule compares.  Ids are unique across the
batches and the shared sets; types are the shared sets' own; a council filter names a
council of the manifests, and gold files come from that council.  No batch reuses a gold
sentence of the shared sets (a blind batch asks what nobody tuned on).

The format checks run everywhere; those that read ../shared skip without it.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest

from evaluation.questions import QUESTION_TYPES, UNANSWERABLE, Question, load_questions
from tests.conftest import SHARED

LABELS = Path(__file__).resolve().parent
BATCHES = sorted(LABELS.glob("ask_heldout_*.jsonl"))
SETS = ("dev-set", "dev-set-2", "real-dev-set")
MIN_WORDS, MAX_WORDS = 6, 40  # dev-set's floor, real-dev-set's ceiling

needs_shared = pytest.mark.skipif(
    not all((SHARED / s / "corpus").is_dir() for s in SETS),
    reason="../shared with the three sets is not beside the repository",
)


def _batch(path: Path) -> list[Question]:
    return load_questions(path)  # the project's own reader checks the format line by line


def _gold_entries() -> list[tuple[str, str, int]]:
    """(batch name, question id, index of the gold entry), one per gold entry."""
    return [
        (path.name, q.id, i) for path in BATCHES for q in _batch(path) for i in range(len(q.gold))
    ]


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


@cache
def _manifest() -> dict[str, tuple[str, dict[str, str]]]:
    """file name -> (set name, manifest row), over the three sets."""
    rows: dict[str, tuple[str, dict[str, str]]] = {}
    for name in SETS:
        with (SHARED / name / "corpus" / "manifest.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                assert row["file"] not in rows, f"{row['file']} is in two sets' manifests"
                rows[row["file"]] = (name, row)
    return rows


@cache
def _units(set_name: str, file: str) -> tuple[str, ...]:
    """The file's text as verify.py extracts it, normalised: one unit a PDF page, else one."""
    path = SHARED / set_name / "corpus" / file
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdf

        return tuple(_norm(p.extract_text() or "") for p in pypdf.PdfReader(path).pages)
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "lxml")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        return (_norm(soup.get_text(" ")),)
    if suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        seen: list[object] = []
        for table in doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    # a merged cell is listed once for each grid cell it spans: take it once
                    if not any(cell._tc is tc for tc in seen):
                        seen.append(cell._tc)
                        parts.append(cell.text)
        return (_norm("\n".join(parts)),)
    return (_norm(path.read_text(encoding="utf-8", errors="replace")),)


def _question(batch: str, qid: str) -> Question:
    (q,) = [q for q in _batch(LABELS / batch) if q.id == qid]
    return q


def test_there_is_a_batch() -> None:
    assert BATCHES, "no tests/labels/ask_heldout_*.jsonl"


@pytest.mark.parametrize("path", BATCHES, ids=lambda p: p.name)
def test_types_are_the_shared_sets_and_gold_matches_them(path: Path) -> None:
    for q in _batch(path):
        assert q.type in QUESTION_TYPES, f"{q.id}: type {q.type!r}"
        assert (q.type == UNANSWERABLE) == (not q.gold), f"{q.id}: gold and type disagree"
        assert set(q.filters) <= {"council", "date_from", "date_to"}, f"{q.id}: {q.filters}"


def test_ids_are_unique_across_the_batches() -> None:
    seen: dict[str, str] = {}
    for path in BATCHES:
        for q in _batch(path):
            assert q.id not in seen, f"{q.id} is in {seen[q.id]} and {path.name}"
            seen[q.id] = path.name


@needs_shared
def test_ids_are_not_the_shared_sets() -> None:
    shared = {q.id for s in SETS for q in load_questions(SHARED / s / "questions.jsonl")}
    ours = {q.id for path in BATCHES for q in _batch(path)}
    assert not ours & shared


@needs_shared
@pytest.mark.parametrize("path", BATCHES, ids=lambda p: p.name)
def test_council_filters_name_a_council_of_the_manifests(path: Path) -> None:
    councils = {row["council"] for _, row in _manifest().values()}
    for q in _batch(path):
        council = q.filters.get("council")
        assert council is None or council in councils, f"{q.id}: {council!r}"


@needs_shared
@pytest.mark.parametrize(("batch", "qid", "i"), _gold_entries())
def test_gold_evidence_is_in_the_extracted_text(batch: str, qid: str, i: int) -> None:
    q = _question(batch, qid)
    gold = q.gold[i]
    assert gold.file in _manifest(), f"{gold.file} is in no set's manifest"
    set_name, row = _manifest()[gold.file]
    council = q.filters.get("council")
    assert council is None or row["council"] == council, f"{gold.file} is not {council}'s"
    assert MIN_WORDS <= len(gold.evidence.split()) <= MAX_WORDS
    units = _units(set_name, gold.file)
    needle = _norm(gold.evidence)
    if gold.file.lower().endswith(".pdf"):
        assert gold.page is not None and 1 <= gold.page <= len(units), f"page {gold.page}"
        found = [n for n, unit in enumerate(units, start=1) if needle in unit]
        assert needle in units[gold.page - 1], f"not on page {gold.page} (found on {found})"
    else:
        assert gold.page is None, "a page is given for a file that has no pages"
        assert needle in units[0]


@needs_shared
@pytest.mark.parametrize("path", BATCHES, ids=lambda p: p.name)
def test_no_gold_sentence_of_the_shared_sets_is_reused(path: Path) -> None:
    shared = [
        _norm(g.evidence)
        for s in SETS
        for q in load_questions(SHARED / s / "questions.jsonl")
        for g in q.gold
    ]
    for q in _batch(path):
        for g in q.gold:
            ours = _norm(g.evidence)
            assert not [s for s in shared if ours in s or s in ours], f"{q.id}: {g.evidence}"


def test_the_batches_are_json_lines() -> None:
    # one object a line and nothing else, so a diff shows one question per changed line
    for path in BATCHES:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line and isinstance(json.loads(line), dict), path.name
