"""manifest.csv parsing, discovery of files, and metadata inference."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqa_core.errors import IngestError, ManifestError
from ingest.manifest import read_manifest
from ingest.metadata import infer_meeting_date
from ingest.models import DocMeta
from ingest.pipeline import discover, document_id_for, process_file

HEADER = "file,council,committee,meeting_date,title,doc_type,source_url,supersedes\n"


def _folder(tmp_path: Path, manifest: str, files: tuple[str, ...] = ("a.txt",)) -> Path:
    for name in files:
        (tmp_path / name).write_text("The Committee noted the report.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    return tmp_path


def test_blank_fields_become_none(tmp_path: Path) -> None:
    folder = _folder(tmp_path, HEADER + " a.txt , Oakhaven Borough Council ,,, , minutes,,\n")
    metas, warnings = read_manifest(folder)
    assert metas == {"a.txt": DocMeta(council="Oakhaven Borough Council", doc_type="minutes")}
    assert warnings == []


def test_bom_missing_columns_and_extra_columns(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "a.txt").write_text("x", encoding="utf-8")
    (folder / "manifest.csv").write_bytes(
        "\ufefffile,title,notes\na.txt,Cabinet minutes,x\na.txt,Cabinet,x,y,z\n".encode()
    )
    metas, warnings = read_manifest(folder)
    assert metas["a.txt"] == DocMeta(title="Cabinet")
    # extra columns and cells are ignored, each with a word (issue 19)
    assert any("unknown column(s) 'notes'; ignored" in w for w in warnings), warnings
    assert any("line 3 has 2 cell(s) more than the header" in w for w in warnings), warnings


@pytest.mark.parametrize("bad", ["23/06/2015", "2015-02-30", "2015-6-3", "June 2015"])
def test_bad_dates_warn_and_become_none(tmp_path: Path, bad: str) -> None:
    folder = _folder(tmp_path, HEADER + f"a.txt,C,,{bad},,,,\n")
    metas, warnings = read_manifest(folder)
    assert metas["a.txt"].meeting_date is None
    assert len(warnings) == 1 and "meeting_date" in warnings[0]


def test_duplicates_and_missing_files_warn(tmp_path: Path) -> None:
    folder = _folder(tmp_path, HEADER + "a.txt,First,,,,,,\na.txt,Second,,,,,,\nzz.pdf,X,,,,,,\n")
    metas, warnings = read_manifest(folder)
    assert metas["a.txt"].council == "Second"
    assert any("duplicate" in w for w in warnings)
    assert any("zz.pdf" in w and "not in the folder" in w for w in warnings)


def test_no_file_column_is_an_error_but_discover_goes_on(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "name,council\na.txt,X\n")
    with pytest.raises(ManifestError):
        read_manifest(folder)
    files, warnings = discover([folder])
    assert files == [(folder.resolve() / "a.txt", DocMeta())]
    assert any("no 'file' column" in w for w in warnings)


def test_discover_recurses_skips_hidden_and_warns_unsupported(tmp_path: Path) -> None:
    folder = _folder(tmp_path, HEADER + "a.txt,Northmoor County Council,,2015-06-23,,,,\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.md").write_text("# B", encoding="utf-8")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "c.txt").write_text("x", encoding="utf-8")
    (folder / "d.xlsx").write_bytes(b"x")
    files, warnings = discover([folder])
    names = [p.name for p, _ in files]
    assert names == ["a.txt", "b.md"]
    assert files[0][1].meeting_date == "2015-06-23"
    assert [w for w in warnings if "d.xlsx" in w]


def test_discover_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(IngestError):
        discover([tmp_path / "nope"])


def test_discover_says_when_the_folders_hold_no_paper(tmp_path: Path) -> None:
    # an empty folder gave only "files: 0 added, ..." with no word on stderr
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / ".draft.txt").write_text("x", encoding="utf-8")
    (tmp_path / "hidden" / "manifest.csv").write_text(HEADER, encoding="utf-8")
    empty, hidden = tmp_path / "empty", tmp_path / "hidden"
    files, warnings = discover([empty, hidden])
    assert files == []
    kinds = ".docx, .htm, .html, .md, .pdf, .txt"
    assert warnings == [f"{empty}, {hidden}: no papers to ingest (no {kinds} file in it)"]
    (tmp_path / "one").mkdir()
    assert not discover([_folder(tmp_path / "one", HEADER)])[1], "not when a paper is found"


def test_document_id_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    assert document_id_for(path) == document_id_for(tmp_path / "." / "a.txt")
    assert len(document_id_for(path)) == 16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Minutes of the meeting held on Tuesday 23 June 2015 at 10.00 am", "2015-06-23"),
        (
            "Meeting: Scrutiny Committee - Tuesday, 28th November, 2023 5.00 pm (Item 33)",
            "2023-11-28",
        ),
        ("To approve the minutes of the meeting held on 26 November 2024.", None),
        ("The report was published on 12 May 2015.", None),
        ("Minutes of the meeting held on Tuesday 31 June 2015", None),
    ],
)
def test_infer_meeting_date(text: str, expected: str | None) -> None:
    assert infer_meeting_date(text) == expected


def test_title_and_date_filled_but_never_council(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_text(
        "NORTHMOOR COUNTY COUNCIL\n\nMinutes of the meeting held on Tuesday 23 June 2015.\n",
        encoding="utf-8",
    )
    doc = process_file(path, DocMeta())
    assert doc.meta.title == "NORTHMOOR COUNTY COUNCIL"
    assert doc.meta.meeting_date == "2015-06-23"
    assert doc.meta.council is None
    kept = process_file(path, DocMeta(title="Given", meeting_date="2015-01-01"))
    assert (kept.meta.title, kept.meta.meeting_date) == ("Given", "2015-01-01")
