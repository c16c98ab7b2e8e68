"""The same bytes under another name: one document, and the ingest or the upload says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from indexing.duplicates import SameBytes
from indexing.writer import IndexWriter
from ingest.models import DocMeta

PAPER = (
    "Schools Forum\n\nMinutes\n\nThe forum agreed to move {n} per cent of the schools block "
    "to the high needs block, after a consultation with every maintained school. " * 6
).encode()


def papers_with_a_copy(tmp_path: Path) -> Path:
    """a.txt, its byte-for-byte copy b.txt, and a different paper c.txt; no manifest
    (tests/qa_service/test_duplicates_upload.py uses them too)."""
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "a.txt").write_bytes(PAPER.replace(b"{n}", b"0.5"))
    (papers / "b.txt").write_bytes(PAPER.replace(b"{n}", b"0.5"))
    (papers / "c.txt").write_bytes(PAPER.replace(b"{n}", b"1.5"))
    return papers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return papers_with_a_copy(tmp_path)


def _sources(index_dir: Path) -> list[str]:
    with IndexWriter(index_dir, HashingEmbedder()).open() as writer:
        return sorted(d.source for d in writer.store.list_documents())


def test_a_copy_in_the_same_run_is_not_a_second_document(folder: Path, tmp_path: Path) -> None:
    with IndexWriter(tmp_path / "idx", HashingEmbedder()).open() as writer:
        summary = writer.ingest([folder])
        doc_a = next(d.document_id for d in writer.store.list_documents() if d.source == "a.txt")
    assert summary.added == ["a.txt", "c.txt"]
    assert summary.duplicates == [("b.txt", doc_a, "a.txt")]
    assert _sources(tmp_path / "idx") == ["a.txt", "c.txt"]
    with IndexWriter(tmp_path / "idx", HashingEmbedder()).open() as writer:
        again = writer.ingest([folder])
    assert again.unchanged == ["a.txt", "c.txt"] and [d[0] for d in again.duplicates] == ["b.txt"]


def test_a_copy_in_a_later_run_names_the_indexed_one(folder: Path, tmp_path: Path) -> None:
    (folder / "b.txt").rename(tmp_path / "b.txt")
    with IndexWriter(tmp_path / "idx", HashingEmbedder()).open() as writer:
        writer.ingest([folder])
        summary = writer.ingest([tmp_path / "b.txt"])
    assert not summary.added and [(d[0], d[2]) for d in summary.duplicates] == [("b.txt", "a.txt")]


def test_the_same_bytes_at_two_meetings_stay_two_documents(folder: Path, tmp_path: Path) -> None:
    (folder / "manifest.csv").write_text(
        "file,council,meeting_date\n"
        "a.txt,Northmoor Borough Council,2019-01-10\n"
        "b.txt,Northmoor Borough Council,2019-03-14\n"
    )
    with IndexWriter(tmp_path / "idx", HashingEmbedder()).open() as writer:
        summary = writer.ingest([folder])
    assert summary.added == ["a.txt", "b.txt", "c.txt"] and not summary.duplicates


@pytest.mark.parametrize(
    ("given", "bytes_only", "duplicate"),
    [
        (DocMeta(), False, True),  # nothing given: the copy adds nothing
        (DocMeta(council="N", meeting_date="2019-01-10"), False, True),  # the same record
        (DocMeta(council="N", meeting_date="2020-01-10"), False, False),  # another meeting
        (DocMeta(council="N", meeting_date="2020-01-10"), True, True),  # an upload
    ],
)
def test_which_copies_are_duplicates(given: DocMeta, bytes_only: bool, duplicate: bool) -> None:
    known = {"doc1": ("digest", DocMeta(council="N", meeting_date="2019-01-10"))}
    copies = SameBytes(known, bytes_only=bytes_only)
    found = copies.find("digest", given)
    assert (found is not None and found.document_id == "doc1") is duplicate
    assert copies.find("other digest", DocMeta()) is None
