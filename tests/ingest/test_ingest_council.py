"""A folder without a manifest: a warning that councils will be blank, or ``--council NAME``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from ingest.manifest import with_council
from ingest.models import DocMeta
from qa_service.cli import main

PAPER = (
    "Corporate Parenting Panel\n\nMinutes\n\n"
    + "The panel noted that {n} children were placed out of area and asked for a report "
    "on the sufficiency of local placements before the next meeting. " * 12
)


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda settings, **_: HashingEmbedder())


@pytest.fixture
def bare_folder(tmp_path: Path) -> Path:
    """Two papers and no manifest.csv."""
    folder = tmp_path / "papers"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"minutes-{n}.txt").write_text(PAPER.format(n=n * 7), encoding="utf-8")
    return folder


def _councils(index_dir: Path) -> dict[str, str | None]:
    r = CliRunner().invoke(main, ["list", "--json", "--index", str(index_dir)])
    return {d["source"]: d["council"] for d in json.loads(r.output)}


def test_a_folder_without_a_manifest_is_warned_about(bare_folder: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["ingest", str(bare_folder), "--index", str(tmp_path / "i")])
    assert r.exit_code == 0, r.output
    assert (
        f"warning: {bare_folder}: no manifest.csv, so the council of its 2 files will be blank "
        "(give one with 'cqa ingest --council NAME', or add a manifest.csv)"
    ) in r.output.splitlines()
    assert _councils(tmp_path / "i") == {"minutes-1.txt": None, "minutes-2.txt": None}


def test_council_sets_one_for_a_whole_folder(bare_folder: Path, tmp_path: Path) -> None:
    index_dir = str(tmp_path / "i")
    args = ["ingest", str(bare_folder), "--index", index_dir]
    r = CliRunner().invoke(main, [*args, "--council", " Ravensholt City Council "])
    assert r.exit_code == 0, r.output
    assert "warning" not in r.output
    assert set(_councils(tmp_path / "i").values()) == {"Ravensholt City Council"}
    # the council is part of the file's metadata: naming another one updates the documents
    r = CliRunner().invoke(main, [*args, "--council", "Northmoor Borough Council"])
    assert "2 updated" in r.output
    assert set(_councils(tmp_path / "i").values()) == {"Northmoor Borough Council"}


def test_a_blank_council_is_refused(bare_folder: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main, ["ingest", str(bare_folder), "--council", " ", "--index", str(tmp_path / "i")]
    )
    assert r.exit_code == 2 and "--council" in r.output and not (tmp_path / "i").exists()


def test_a_manifests_own_council_is_kept_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,council\n")
    files = [
        (folder / "a.txt", DocMeta(council="Northmoor Borough Council")),
        (folder / "b.txt", DocMeta(council="Northmoor Borough Council", title="B")),
        (folder / "c.txt", DocMeta(title="C")),
        (folder / "d.txt", DocMeta(council="Ravensholt City Council")),
    ]
    out, warnings = with_council(files, "Ravensholt City Council")
    assert [m.council for _, m in out] == [
        "Northmoor Borough Council",
        "Northmoor Borough Council",
        "Ravensholt City Council",
        "Ravensholt City Council",
    ]
    assert out[2][1].title == "C"  # only the council is filled
    assert warnings == [
        "--council Ravensholt City Council: 2 files keep the council "
        "'Northmoor Borough Council' that their manifests give"
    ]
    assert with_council(files, None) == (files, [])  # the folder has a manifest


def test_a_folder_with_a_manifest_is_not_warned_about(small_corpus: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["ingest", str(small_corpus), "--index", str(tmp_path / "i")])
    assert r.exit_code == 0 and "no manifest.csv" not in r.output
