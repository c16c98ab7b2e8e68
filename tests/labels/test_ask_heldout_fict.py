"""The blind ask batch on the fictional papers, ask_heldout_fict1.jsonl (docs/quality.md,
"Issue 14, a blind ask batch on fictional papers, stop 25"), checked against the corpus
text of ../shared/dev-set and ../shared/dev-set-2, as their READMEs define it: every gold
sentence is in its file (on its page, for a PDF), in no other file of its set, and the ids
are new."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest

from bench.baselines import extract
from evaluation.questions import UNANSWERABLE, collapse, load_questions

LABELS = Path(__file__).resolve().parent / "ask_heldout_fict1.jsonl"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SETS = ("dev-set", "dev-set-2")

needs_shared = pytest.mark.skipif(
    not all((SHARED / name / "corpus").is_dir() for name in SETS),
    reason="../shared/dev-set and ../shared/dev-set-2 are not beside the repository",
)


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line]


@cache
def _files(name: str) -> dict[str, str]:
    """The set's corpus files by name (from its manifest) -> council."""
    with (SHARED / name / "corpus" / "manifest.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row["council"] for row in csv.DictReader(handle)}


@cache
def _pages(name: str, file: str) -> tuple[str, ...]:
    """The file's text, whitespace collapsed: one entry per PDF page, else one entry."""
    text, starts = extract(SHARED / name / "corpus" / file)
    if starts is None:
        return (collapse(text),)
    ends = [*starts[1:], len(text) + 1]
    return tuple(collapse(text[a : b - 1]) for a, b in zip(starts, ends, strict=True))


def test_the_batch_loads_and_is_made_up_as_documented() -> None:
    questions = load_questions(LABELS)
    rows = _rows()
    assert [q.id for q in questions] == [f"fq{i:02d}" for i in range(1, len(rows) + 1)]
    assert {str(r["set"]) for r in rows} == set(SETS)
    unanswerable = [q for q in questions if q.type == UNANSWERABLE]
    assert len(questions) == 43 and len(unanswerable) == 20
    assert all(not q.gold for q in unanswerable)
    assert all(q.gold for q in questions if q.type != UNANSWERABLE)
    for name in SETS:
        own = [r for r in rows if r["set"] == name]
        assert len(own) >= 20
        assert sum(1 for r in own if r["type"] == UNANSWERABLE) == 10


@needs_shared
def test_ids_are_new_to_the_sets() -> None:
    theirs = {
        json.loads(line)["id"]
        for name in SETS
        for line in (SHARED / name / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not theirs & {str(r["id"]) for r in _rows()}


@needs_shared
def test_every_council_of_both_sets_is_asked_about() -> None:
    for name in SETS:
        councils = {c.split()[0].lower() for c in _files(name).values()}
        asked = " ".join(str(r["question"]).lower() for r in _rows() if r["set"] == name)
        assert {c for c in councils if c not in asked} == set()


@needs_shared
@pytest.mark.parametrize("row", _rows(), ids=lambda r: str(r["id"]))
def test_gold_is_in_its_file_and_page_only(row: dict[str, object]) -> None:
    name = str(row["set"])
    files = _files(name)
    gold = row["gold"]
    assert isinstance(gold, list)
    gold_files = {g["file"] for g in gold}
    for entry in gold:
        file, evidence = entry["file"], collapse(entry["evidence"])
        assert file in files, f"{file} is not in {name}'s manifest"
        assert 6 <= len(evidence.split()) <= 20
        pages = _pages(name, file)
        if file.endswith(".pdf"):
            page = entry["page"]
            assert evidence in pages[page - 1], f"not on page {page} of {file}: {evidence}"
        else:
            assert "page" not in entry
            assert evidence in pages[0], f"not in {file}: {evidence}"
        elsewhere = [
            other
            for other in files
            if other not in gold_files and evidence in " ".join(_pages(name, other))
        ]
        assert elsewhere == [], f"{evidence!r} is also in {elsewhere}"


@needs_shared
def test_no_gold_sentence_of_the_sets_is_reused() -> None:
    for name in SETS:
        theirs = [
            collapse(g["evidence"])
            for line in (SHARED / name / "questions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
            for g in json.loads(line)["gold"]
        ]
        for row in _rows():
            if row["set"] != name:
                continue
            for entry in row["gold"]:  # type: ignore[attr-defined]
                mine = collapse(entry["evidence"])
                assert not [t for t in theirs if t in mine or mine in t], row["id"]
