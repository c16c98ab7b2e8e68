"""The synthetic corpus: identical bytes by seed, the passages asked for, every format loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import FORMATS, documents, write_corpus
from ingest.manifest import read_manifest
from ingest.pipeline import discover, process_file


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 150, seed=3)
    second = write_corpus(tmp_path / "b", 150, seed=3)
    assert first == second > 3
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    write_corpus(tmp_path / "c", 150, seed=4)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")


def test_every_format_is_written() -> None:
    docs = list(documents(200, seed=0))
    assert {d.fmt for d in docs} == set(FORMATS)
    assert all(d.filename.endswith("." + d.fmt) for d in docs)
    assert all(d.meta.council and d.meta.meeting_date and d.meta.title for d in docs)
    assert len({d.filename for d in docs}) == len(docs)
    years = {int(d.meta.meeting_date[:4]) for d in docs if d.meta.meeting_date}
    assert min(years) >= 2012 and max(years) <= 2026


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_pipeline_makes_the_passages_asked_for(tmp_path: Path, fmt: str) -> None:
    asked = 300
    write_corpus(tmp_path, asked, seed=1, formats=(fmt,))
    files, warnings = discover([tmp_path])
    assert warnings == []
    manifest, problems = read_manifest(tmp_path)
    assert problems == [] and set(manifest) == {p.name for p, _ in files}
    passages = 0
    for path, meta in files:
        document = process_file(path, meta)  # raises IngestError if a loader rejects it
        assert document.meta.council == meta.council
        passages += len(document.passages)
    assert abs(passages - asked) <= asked * 0.10


def test_text_is_the_txt_file(tmp_path: Path) -> None:
    write_corpus(tmp_path, 60, seed=2, formats=("txt",))
    for doc in documents(60, seed=2, formats=("txt",)):
        assert (tmp_path / doc.filename).read_text(encoding="utf-8") == doc.text


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        next(documents(10, formats=("docx",)))
