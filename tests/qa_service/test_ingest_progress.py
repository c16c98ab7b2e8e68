"""What ``cqa ingest`` shows while it works: a bar with an ETA on a terminal, plain lines else."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexing.embed_batch
from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter, Progress
from qa_service.cli import main
from qa_service.ingest_progress import IngestDisplay, estimated_passages


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def _ingest(folder: Path, index_dir: Path, display: IngestDisplay) -> int:
    with IndexWriter(index_dir, HashingEmbedder()).open() as writer, display:
        return writer.ingest([folder], display).passages_added


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Progress(5, 20, "a.pdf", "added", passages_read=100), (400, False)),
        (Progress(20, 20, "z.pdf", "added", passages_read=397), (397, True)),
        (Progress(0, 20, "", "embedded"), (0, True)),
        (Progress(3, 4, "c.txt", "unchanged", passages_read=0), (0, False)),
    ],
)
def test_the_total_is_estimated_from_the_files_read_until_all_are(
    progress: Progress, expected: tuple[int, bool]
) -> None:
    assert estimated_passages(progress) == expected


def test_a_terminal_gets_a_bar_counting_passages_with_an_eta(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # several updates from a small corpus
    monkeypatch.setattr(indexing.embed_batch, "EMBED_CHUNK", 8)
    screen = Terminal()
    passages = _ingest(small_corpus, tmp_path / "idx", IngestDisplay(screen))
    frames = [f for f in re.split(r"[\r\n]", screen.getvalue()) if f.strip()]
    assert frames and all(f.startswith("embedding ") for f in frames)
    assert all("ETA" in f for f in frames)
    assert f"embedding {passages}/{passages} passages" in frames[-1] and "100%" in frames[-1]
    assert "files 5/5]" in frames[-1]
    assert any("/~" in f for f in frames[:-1])  # the total was estimated until all were read
    assert "[1/5]" not in screen.getvalue()  # no per-file lines under a bar


def test_without_a_terminal_plain_lines_follow_the_embedding(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexing.embed_batch, "EMBED_CHUNK", 8)
    log = io.StringIO()
    passages = _ingest(small_corpus, tmp_path / "idx", IngestDisplay(log))
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and "|" not in log.getvalue()
    assert [ln.split("]")[0] for ln in lines if ln.startswith("[")] == [
        f"[{n}/5" for n in range(1, 6)
    ]
    embedded = [ln for ln in lines if ln.startswith("embedded ")]
    assert embedded and embedded[-1].startswith(
        f"embedded {passages} of {passages} passages (100%)"
    )
    assert lines[-1] == embedded[-1]  # the last word is the embedding, not a file read before it


def test_cqa_ingest_prints_plain_lines_when_stderr_is_not_a_terminal(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda settings, **_: HashingEmbedder())
    r = CliRunner().invoke(main, ["ingest", str(small_corpus), "--index", str(tmp_path / "i")])
    assert r.exit_code == 0, r.output
    assert re.search(r"^embedded (\d+) of \1 passages \(100%\)", r.output, re.MULTILINE)
    assert "ETA" not in r.output


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_pseudo_terminal_gets_the_bar_and_a_file_does_not(tmp_path: Path) -> None:
    main_fd, other_fd = os.openpty()
    try:
        with os.fdopen(other_fd, "w") as pty:
            assert IngestDisplay(pty).tty
    finally:
        os.close(main_fd)
    with (tmp_path / "log").open("w") as log:
        assert not IngestDisplay(log).tty


def test_a_long_batch_gets_plain_lines_while_it_is_embedded(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexing.embed_batch, "EMBED_CHUNK", 8)
    monkeypatch.setattr("qa_service.ingest_progress.PLAIN_EVERY", 0.0)  # a line every chunk
    log = io.StringIO()
    passages = _ingest(small_corpus, tmp_path / "idx", IngestDisplay(log))
    counts = [int(ln.split()[1]) for ln in log.getvalue().splitlines() if ln.startswith("embed")]
    assert counts == sorted(set(counts)) and counts[-1] == passages
    assert len(counts) == -(-passages // 8)  # one per chunk of 8 (the 5 files are one batch)
