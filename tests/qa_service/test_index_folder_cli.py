"""The index folder at the CLI: a new index only in an empty or new folder, an index never
read as papers, and a first ingest that never finished named by every command.

``cqa ingest --index ~`` (or ``cqa serve`` with ``CQA_INDEX=/``) wrote meta.sqlite,
dense-*.faiss, lexical/ and write.lock among the folder's own files; ``cqa ingest .`` from a
folder holding an index printed a skip per index file and added its stored uploads as new
papers; ``cqa doctor`` over a database without its schema passed as clean.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from qa_service.cli import main

pytestmark = pytest.mark.usefixtures("fake_cli_model")

PAPER = "Minutes. Item 1. RESOLVED that the {word} budget be agreed by the committee.\n"


def _paper(path: Path, word: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAPER.format(word=word), encoding="utf-8")
    return path


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _free_port() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


@pytest.mark.parametrize("how", ["ingest", "ray", "serve", "CQA_INDEX"])
def test_a_folder_of_other_files_is_not_made_an_index(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    _paper(home / "notes.txt", "private")
    (home / "photos").mkdir()
    before = _tree(home)
    corpus = tmp_path / "corpus"
    _paper(corpus / "a.txt", "quokka")
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    args, env = {
        "ingest": (["ingest", str(corpus), "--index", str(home)], {}),
        "ray": (["ingest", str(corpus), "--engine", "ray", "--index", str(home)], {}),
        "serve": (
            ["serve", "--port", _free_port(), "--corpus", str(corpus), "--index", str(home)],
            {},
        ),
        "CQA_INDEX": (["ingest", str(corpus)], {"CQA_INDEX": str(home)}),
    }[how]
    r = CliRunner().invoke(main, args, env=env)
    assert r.exit_code == 1 and not started, r.output
    assert "Traceback" not in r.output
    assert r.output.strip() == (
        f"Error: {home} is not empty and is not an index: "
        "choose an empty or new folder for the index (--index or CQA_INDEX)"
    )
    assert _tree(home) == before  # nothing written


def test_the_writer_refuses_it_too(tmp_path: Path) -> None:
    # what every other maker of an index goes through (uploads, cqa eval's own indexes)
    from cqa_core.errors import IndexFolderError

    _paper(tmp_path / "home" / "notes.txt", "private")
    with pytest.raises(IndexFolderError), IndexWriter(tmp_path / "home", HashingEmbedder()).open():
        pass
    assert _tree(tmp_path / "home") == ["notes.txt"]


@pytest.mark.parametrize("left", [[], ["write.lock"], ["write.lock", "meta.sqlite"]])
def test_an_empty_folder_or_a_first_ingests_start_is_written(
    tmp_path: Path, left: list[str]
) -> None:
    # an empty folder, and what a first ingest stopped at once leaves: the next one resumes
    index = tmp_path / "idx"
    index.mkdir()
    for name in left:
        (index / name).write_bytes(b"")
    _paper(tmp_path / "corpus" / "a.txt", "quokka")
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "corpus"), "--index", str(index)])
    assert r.exit_code == 0, r.output
    assert "1 added" in r.output


def test_a_new_path_is_made(tmp_path: Path) -> None:
    _paper(tmp_path / "corpus" / "a.txt", "quokka")
    index = tmp_path / "new" / "idx"
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "corpus"), "--index", str(index)])
    assert r.exit_code == 0 and "1 added" in r.output, r.output


def test_an_index_inside_the_papers_is_one_skip_and_its_uploads_are_not_papers(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    _paper(corpus / "a.txt", "quokka")
    _paper(corpus / "sub" / "b.txt", "wombat")
    other = corpus / "old-index"  # another index, with an upload it holds
    with IndexWriter(other, HashingEmbedder()).open() as writer:
        writer.ingest([_paper(tmp_path / "elsewhere" / "c.txt", "bilby")])
    _paper(other / "uploads" / ("0" * 32 + ".txt"), "numbat")
    own = corpus / "idx"  # the index being written to, inside the folder ingested
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--index", str(own)])
    assert r.exit_code == 0, r.output
    skips = [line for line in r.output.splitlines() if line.startswith("skipped: ")]
    assert skips == [
        f"skipped: {own}: an index folder (its files and uploads are not new papers)",
        f"skipped: {other}: an index folder (its files and uploads are not new papers)",
    ]
    assert "files: 2 added" in r.output and "2 skipped" in r.output
    # again: the index now holds both papers, nothing of either index is read
    _paper(own / "uploads" / ("1" * 32 + ".txt"), "dingo")
    r = CliRunner().invoke(main, ["ingest", str(corpus), str(other), "--index", str(own)])
    assert r.exit_code == 0, r.output
    assert "files: 0 added, 0 updated, 2 unchanged" in r.output
    assert f"skipped: {other}: an index folder" in r.output  # given by name, too


@pytest.mark.parametrize("command", [["doctor"], ["export", "--format", "opensearch"]])
def test_a_first_ingest_that_never_finished_is_named(tmp_path: Path, command: list[str]) -> None:
    # an empty meta.sqlite: ask, list and stats said so; doctor passed it as clean, exit 0
    index = tmp_path / "idx"
    index.mkdir()
    (index / "meta.sqlite").write_bytes(b"")
    out = tmp_path / "out"
    args = [*command, "--index", str(index)] + ([str(out)] if command[0] == "export" else [])
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1, r.output
    assert r.output.strip() == (
        f"Error: no index at {index} yet (a first ingest has not finished): run 'cqa ingest PATH'"
    )
    assert not out.exists()
