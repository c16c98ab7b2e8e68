"""Clean terminal output: nothing from a document or a manifest reaches the terminal raw.

Escape sequences in HTML entities (``&#27;``), in plain text, in manifest titles and
councils and in file names are removed from what ``cqa ingest``, ``ask``, ``list`` and
``stats`` print (an OSC 52 clipboard write, cursor moves, a carriage return, bidirectional
overrides); the API keeps the text as stored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings
from qa_service.terminal import clean

# what a terminal acts on: C0 but tab and newline, DEL, C1, bidirectional controls
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes "rm -rf ~" to the clipboard


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"before{OSC52}after", "beforeafter"),
        ("a\x1b]52;c;eA==\x1b\\b", "ab"),  # OSC ended by ST
        ("a\x1b]0;title", "a"),  # unterminated: dropped to the end
        ("x\x1b[2A\x1b[2Ky", "xy"),  # cursor up, erase line
        ("\x1b[31mred\x1b[0m", "red"),
        ("8-bit\x9b2Jcsi", "8-bitcsi"),
        ("over\rwrite", "overwrite"),
        ("back\x08\x08space", "backspace"),
        ("bell\x07 del\x7f nul\x00", "bell del nul"),
        ("\u202eevil\u202c txt", "evil txt"),
        ("Café – £5m “quoted”", "Café – £5m “quoted”"),
        ("line one\n\tline two", "line one\n\tline two"),
    ],
)
def test_clean_removes_whole_sequences_and_controls(raw: str, shown: str) -> None:
    assert clean(raw) == shown
    assert not UNSAFE.search(clean(raw, one_line=True))
    assert "\n" not in clean(raw, one_line=True)


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "page.html").write_text(
        "<html><body><main><h1>Budget &#27;[2A&#27;[2Kreport</h1><p>The quokka budget "
        f"&#27;]52;c;cm0gLXJmIH4=&#7;was agreed by the committee{' and noted' * 20}.</p>"
        "</main></body></html>"
    )
    name = "minutes\x1b[31m.txt"
    prose = "The wombat budget was agreed by the committee after a long debate. " * 10
    (folder / name).write_text(f"{prose}\x1b[1A\r Forged line.\n\n{prose}")
    (folder / "manifest.csv").write_text(
        "file,council,committee,title\n"
        f"page.html,Evil\x1b]52;c;eA==\x07 Council,Cab\x9b2Jinet,Title\x1b[2J here\n"
        f'"{name}",Plain Council,,\u202eTitle reversed\n'
    )
    return folder


def test_no_escape_reaches_the_terminal(tmp_path: Path, hostile_folder: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda settings, **_: HashingEmbedder())
    monkeypatch.setattr(
        "qa_service.runtime.make_query_embedder", lambda settings, model=None: HashingEmbedder()
    )
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    outputs = []
    for args in (
        ["ingest", str(hostile_folder), "--index", idx],
        ["ask", "quokka budget agreed", "--index", idx],
        ["list", "--index", idx],
        ["stats", "--index", idx],
    ):
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output
        outputs.append(r.stdout + r.stderr)
        assert not UNSAFE.search(r.stdout + r.stderr), (args, repr(r.stdout + r.stderr))
    ingest, ask, listing, stats = outputs
    assert "2 added" in ingest and "minutes[31m" not in ingest and "minutes.txt" in ingest
    assert "Evil Council" in ask and "was agreed by the committee" in ask
    assert "cm0gLXJmIH4=" not in ask and "[2A" not in ask
    assert "Title here" in listing and "Title reversed" in listing and "Cabinet" in listing
    assert "Evil Council" in stats


def test_the_api_keeps_the_text_as_stored(tmp_path: Path, hostile_folder: Path) -> None:
    from tests.conftest import build_index

    index = build_index(tmp_path / "idx", [hostile_folder], HashingEmbedder())
    app = create_app(Settings(index=index), HashingEmbedder())
    with TestClient(app) as client:
        docs = client.get("/api/documents").json()["documents"]
        page = next(d for d in docs if d["source"] == "page.html")
        assert page["council"] == "Evil\x1b]52;c;eA==\x07 Council"
        text = client.get(f"/api/documents/{page['document_id']}").json()["text"]
        assert "\x1b]52;c;cm0gLXJmIH4=\x07" in text
