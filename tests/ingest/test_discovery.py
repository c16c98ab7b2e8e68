"""One bad entry never stops an ingest (ingest/discovery.py, indexing/supersedes.py).

A name that is not UTF-8, a symbolic link loop (inside a folder or given as an argument),
a broken link, an unreadable folder, a FIFO (given directly or met in a folder), a README
and other files that are not papers: each is one ``skipped: PATH: REASON`` line, counted in
the summary, and every good file beside it is indexed.  A supersedes cycle is reported and
broken, so its documents do not all vanish.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.store import Store
from indexing.supersedes import Link, cycle_cuts
from ingest.discovery import find_papers
from ingest.pipeline import SUPPORTED_SUFFIXES
from qa_service.cli import main

PAPER = "Item 1. The {word} budget was agreed by the committee after a long debate.\n"


pytestmark = pytest.mark.usefixtures("fake_cli_model")


def _paper(path: Path, word: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAPER.format(word=word))
    return path


def _ingest(*args: str | Path) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["ingest", *map(str, args)])
    return r.exit_code, r.stdout, r.stderr


def _skips(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("skipped: ")]


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """Two good papers among every kind of entry that is not one."""
    folder = tmp_path / "papers"
    _paper(folder / "a.txt", "quokka")
    _paper(folder / "sub" / "b.md", "wombat")
    _paper(folder / "README.md", "readme")
    _paper(folder / "LICENSE.txt", "licence")
    (folder / "setup.exe").write_bytes(b"MZ")
    os.mkfifo(folder / "pipe.txt")
    (folder / "sub" / "up").symlink_to(folder)  # a link back to a folder above
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a loop
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")  # broken
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(PAPER.format(word="latin"))
    (folder / ".hidden.txt").write_text("hidden")
    return folder


EXPECTED = {
    "README.md": "not a paper",
    "LICENSE.txt": "not a paper",
    "setup.exe": "unsupported file type .exe",
    "pipe.txt": "a FIFO",
    "up": "a link back to a folder above it",
    "self.txt": "a symbolic link loop",
    "gone.txt": "a broken symbolic link",
    "caf\\xe9.txt": "not valid UTF-8",
}


def test_every_odd_entry_is_one_reported_skip(tmp_path: Path, odd_folder: Path) -> None:
    code, out, err = _ingest(odd_folder, "--index", tmp_path / "idx")
    assert code == 0, err
    skips = _skips(err)
    for name, reason in EXPECTED.items():
        lines = [ln for ln in skips if ln.split(": ")[1].endswith("/" + name)]
        assert len(lines) == 1 and reason in lines[0], (name, skips)
    assert len(skips) == len(EXPECTED), skips
    assert "2 added" in out and f"{len(EXPECTED)} skipped" in out
    assert "hidden" not in err and "Traceback" not in out + err
    store = Store.open(tmp_path / "idx")
    assert sorted(d.source for d in store.list_documents()) == ["a.txt", "b.md"]
    store.close()


def test_the_json_summary_lists_the_skips(tmp_path: Path, odd_folder: Path) -> None:
    code, out, _err = _ingest(odd_folder, "--index", tmp_path / "idx", "--json")
    assert code == 0
    skipped = json.loads(out)["skipped"]
    assert {Path(s["source"]).name for s in skipped} == set(EXPECTED)
    assert all(s["reason"] for s in skipped)


@pytest.mark.parametrize("kind", ["fifo", "loop", "bad-name", "broken-link"])
def test_an_odd_argument_is_skipped_and_the_rest_ingested(tmp_path: Path, kind: str) -> None:
    good = _paper(tmp_path / "good.txt", "quokka")
    odd = tmp_path / "odd.txt"
    if kind == "fifo":
        os.mkfifo(odd)  # read, it would block the ingest for ever
    elif kind == "loop":
        odd.symlink_to(tmp_path / "odd2.txt")
        (tmp_path / "odd2.txt").symlink_to(odd)
    elif kind == "bad-name":
        odd = tmp_path / os.fsdecode(b"r\xe9sum\xe9.txt")
        odd.write_text(PAPER.format(word="latin"))
    else:
        odd.symlink_to(tmp_path / "missing.txt")
    code, out, err = _ingest(odd, good, "--index", tmp_path / "idx")
    assert code == 0 and "Traceback" not in err, err
    assert len(_skips(err)) == 1 and "1 added" in out and "1 skipped" in out, err


def test_an_unreadable_folder_is_a_reported_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod cannot lock out root, who runs CI: os.scandir refuses the folder instead
    _paper(tmp_path / "top" / "ok.txt", "quokka")
    _paper(tmp_path / "top" / "locked" / "hidden.txt", "wombat")
    real = os.scandir

    def scandir(path: os.PathLike[str] | str):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("ingest.discovery.os.scandir", scandir)
    files, skipped = find_papers([tmp_path / "top"], SUPPORTED_SUFFIXES)
    assert [f.name for f in files] == ["ok.txt"]
    assert skipped == [(str(tmp_path / "top" / "locked"), "folder cannot be read "
                        "(Permission denied)")]  # fmt: skip


def test_a_missing_argument_is_still_an_error(tmp_path: Path) -> None:
    code, _out, err = _ingest(tmp_path / "nope", "--index", tmp_path / "idx")
    assert code == 1 and "no such file or folder" in err
    assert not (tmp_path / "idx").exists()  # no empty index left behind


# --- supersedes cycles ----------------------------------------------------------------


def test_cycle_cuts_keep_the_newest_of_each_cycle() -> None:
    links = [
        Link(1, "a.txt", "b.txt", "2020-01-01"),
        Link(2, "b.txt", "c.txt", "2021-01-01"),
        Link(3, "c.txt", "a.txt", "2019-01-01"),
        Link(4, "d.txt", "d.txt", None),  # itself: hides nothing
        Link(5, "e.txt", "a.txt", None),  # into the cycle, not part of it
        Link(6, "x.txt", "y.txt", None),
        Link(7, "y.txt", "x.txt", None),
    ]
    cuts = cycle_cuts(links)
    assert [c.rowid for c in cuts] == [1, 6]  # b.txt (2021) kept: a no longer supersedes it
    assert "a.txt -> b.txt -> c.txt -> a.txt" in cuts[0].warning
    assert "b.txt is kept" in cuts[0].warning
    assert cycle_cuts([Link(1, "a", "b", None), Link(2, "b", "c", None)]) == []
    chain = [Link(i, f"{i}", f"{i + 1}", None) for i in range(5000)]
    assert len(cycle_cuts([*chain, Link(5000, "5000", "0", None)])) == 1


def test_a_supersedes_cycle_is_reported_and_broken(tmp_path: Path) -> None:
    folder = tmp_path / "cycle"
    for name, word in (("a.txt", "quokka"), ("b.txt", "wombat"), ("c.txt", "numbat")):
        _paper(folder / name, word)
    (folder / "manifest.csv").write_text(
        "file,council,meeting_date,supersedes\n"
        "a.txt,C,2020-01-01,b.txt\nb.txt,C,2021-01-01,c.txt\nc.txt,C,2019-01-01,a.txt\n"
    )
    index = tmp_path / "idx"
    code, out, err = _ingest(folder, "--index", index)
    assert code == 0
    assert "warning: supersedes cycle a.txt -> b.txt -> c.txt -> a.txt" in err
    store = Store.open(index)
    current = [d.source for d in store.list_documents() if not d.superseded_by]
    store.close()
    assert current == ["b.txt"], "the newest of the cycle answers; the others are superseded"
    code, out, err = _ingest(folder, "--index", index)
    assert "3 unchanged" in out and "supersedes cycle" not in err
