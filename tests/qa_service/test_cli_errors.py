"""The CLI's one-line errors: pydantic's wording rewritten, and a busy port found before serving."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_service.cli import main
from qa_service.cli_errors import check_port

pytestmark = pytest.mark.usefixtures("fake_cli_model")


def _error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--date-from", "2020-02-02", "--date-to", "2019-01-01"],
            "Error: --date-from must not be after --date-to",
        ),
        (["--top-k", "0"], "Error: --top-k: must be at least 1"),
        (["--top-k", "51"], "Error: --top-k: must be at most 50"),
        (["--council", "x" * 201], "Error: --council: must be at most 200 characters"),
    ],
)
def test_a_bad_ask_option_is_named_as_typed(tmp_path: Path, args: list[str], message: str) -> None:
    r = CliRunner().invoke(main, ["ask", "care leavers", *args, "--index", str(tmp_path)])
    assert r.exit_code == 1
    assert _error_line(r.output) == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["ask", "x", "--date-from", "2020-02-30"],
            "Error: Invalid value for '--date-from': '2020-02-30' is not a real date",
        ),
        (
            ["ask", "x", "--date-to", "2020/01/01"],
            "Error: Invalid value for '--date-to': '2020/01/01' is not a date written YYYY-MM-DD",
        ),
        (
            ["ask", "x", "--sort", "best"],
            "Error: Invalid value for '--sort': 'best' is not one of 'relevance', 'newest', "
            "'oldest'.",
        ),
        (["ask", "x", "--top-k", "five"], "Error: Invalid value for '--top-k': 'five' is not"),
        (["ask"], "Error: Missing argument 'QUESTION'."),
        # raised by click's parser without a context: the hint was left off
        (["ask", "x", "--council"], "Error: Option '--council' requires an argument."),
        (["eval", "--index"], "Error: Option '--index' requires an argument."),
        (["eval", "/no/such.jsonl"], "Error: Invalid value for 'SETS...': Path '/no/such.jsonl'"),
        (["no-such-command"], "Error: No such command 'no-such-command'."),
        (["--no-such-option"], "Error: No such option '--no-such-option'."),
    ],
)
def test_a_usage_error_is_one_line_too(tmp_path: Path, args: list[str], message: str) -> None:
    # shared/INTERFACE.md: "a one-line message on stderr"; click's own usage errors printed
    # the usage line and a hint above it (and called 2020-02-30 not of the form %Y-%m-%d)
    r = CliRunner().invoke(main, args, prog_name="cqa", env={"CQA_INDEX": str(tmp_path)})
    assert r.exit_code == 2
    line = _error_line(r.output)
    assert line.startswith(message) and line.endswith("--help')"), line
    assert not r.stdout


def test_a_real_date_reaches_the_request(tmp_path: Path, small_corpus: Path) -> None:
    index = str(tmp_path / "idx")
    assert CliRunner().invoke(main, ["ingest", str(small_corpus), "--index", index]).exit_code == 0
    args = ["ask", "inspection", "--json", "--index", index, "--date-from", "2020-02-29"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert '"date_from": "2020-02-29"' in r.output


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("   ", "Error: QUESTION: the question is empty"),
        ("a" * 2000, "Error: QUESTION: must be at most 1999 characters"),
    ],
)
def test_a_bad_question_is_one_line(tmp_path: Path, question: str, message: str) -> None:
    r = CliRunner().invoke(main, ["ask", question, "--index", str(tmp_path)])
    assert r.exit_code == 1 and _error_line(r.output) == message


def test_a_bad_setting_names_its_variable(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["stats", "--index", str(tmp_path)], env={"CQA_CANDIDATES": "1"})
    assert r.exit_code == 1
    assert _error_line(r.output) == "Error: CQA_CANDIDATES: must be at least 5"


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something else is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield int(other.getsockname()[1])


def test_serve_on_a_busy_port_fails_in_one_line_before_serving(
    tmp_path: Path, busy_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    r = CliRunner().invoke(
        main, ["serve", "--port", str(busy_port), "--index", str(tmp_path / "idx")]
    )
    assert r.exit_code == 1 and not started
    assert _error_line(r.output) == (
        f"Error: port {busy_port} on 127.0.0.1 is already in use: "
        "stop the other server or choose another with --port"
    )
    assert not (tmp_path / "idx").exists()  # nothing was built for a server that cannot start


def test_serve_on_a_free_port_starts(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    r = CliRunner().invoke(
        main,
        ["serve", "--port", str(port), "--corpus", str(small_corpus), "--index", str(tmp_path)],
    )
    assert r.exit_code == 0, r.output
    assert started == [port] and f"serving on http://127.0.0.1:{port}/" in r.output


def test_check_port_names_an_unknown_host() -> None:
    problem = check_port("no-such-host.invalid", 8000)
    assert problem is not None and "no-such-host.invalid" in problem


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0.0.0.0"])
def test_check_port_finds_the_port_busy_on_every_address_the_server_would_use(
    busy_port: int, host: str
) -> None:
    problem = check_port(host, busy_port)
    assert problem is not None and f"port {busy_port} on {host} is already in use" in problem


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (b"\x00garbage" * 500, "file is not a database"),
        (b"", "a first ingest has not finished"),
    ],
)
def test_serve_on_a_broken_index_fails_in_one_line_before_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meta: bytes, message: str
) -> None:
    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / "meta.sqlite").write_bytes(meta)
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    r = CliRunner().invoke(main, ["serve", "--port", str(port), "--index", str(tmp_path / "idx")])
    assert r.exit_code == 1 and not started
    line = _error_line(r.output)
    assert line.startswith("Error: ") and message in line and "serving on" not in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--council", "Nowhere"], "the council \u201cNowhere\u201d"),
        (["--doc-type", "minute"], "the type \u201cminute\u201d (it has: minutes, report)"),
        (["--committee", "Cabinet"], "the committee \u201cCabinet\u201d"),
    ],
)
def test_ask_with_a_filter_value_no_paper_holds_is_a_user_error(
    small_index: Path, args: list[str], message: str
) -> None:
    # a misspelt value found nothing and exited 0 with "No passage matches these filters.",
    # where an unknown document id (cqa remove) is an error
    r = CliRunner().invoke(
        main, ["ask", "agency social workers", *args, "--index", str(small_index)]
    )
    assert r.exit_code == 1, r.output
    line = _error_line(r.output)
    assert line.startswith(f"Error: No paper in the index has {message}"), line


def test_ask_names_an_unheld_value_beside_the_passages_of_the_others(small_index: Path) -> None:
    args = ["--council", "Nowhere", "--council", "Ravensholt City Council"]
    r = CliRunner().invoke(main, ["ask", "missing children", *args, "--index", str(small_index)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("Note: No paper in the index has the council \u201cNowhere\u201d")
    assert "1. [" in r.output and "No passage matches these filters." not in lines


def test_ask_json_with_an_unheld_value_prints_the_api_body(small_index: Path) -> None:
    args = ["ask", "agency social workers", "--council", "Nowhere", "--json"]
    r = CliRunner().invoke(main, [*args, "--index", str(small_index)])
    assert r.exit_code == 0, r.output  # the body of POST /api/ask, which answers 200
    body = json.loads(r.output)
    assert body["passages"] == [] and "\u201cNowhere\u201d" in body["note"]


def test_ask_prints_notes_without_escape_sequences(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import presenters

    real = presenters.answer_request

    def with_hostile_note(engine, body):  # type: ignore[no-untyped-def]
        # a council name from a manifest, quoted in a note, carrying OSC 52 and a cursor move
        note = "Only the papers of Evil\x1b]52;c;ZXZpbA==\x07\x1b[2A Council were searched."
        return real(engine, body).model_copy(update={"notes": [note]})

    monkeypatch.setattr(presenters, "answer_request", with_hostile_note)
    r = CliRunner().invoke(main, ["ask", "agency social workers", "--index", str(small_index)])
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output and "\x07" not in r.output
    assert "Note: Only the papers of Evil" in r.output


def test_list_counts_one_passage_in_the_singular(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "note.txt").write_text(
        "The committee noted the annual report on fostering and thanked the officers.\n",
        encoding="utf-8",
    )
    idx = str(tmp_path / "idx")
    assert CliRunner().invoke(main, ["ingest", str(papers), "--index", idx]).exit_code == 0
    r = CliRunner().invoke(main, ["list", "--index", idx])
    assert r.exit_code == 0 and "  note.txt  [1 passage]" in r.output


@pytest.mark.parametrize("command", ["ingest", "serve", "ask", "stats"])
def test_cqa_index_naming_a_file_is_one_line(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # `--index FILE` is refused by click; the variable naming a file (meta.sqlite itself)
    # made ingest and serve fail with a FileExistsError traceback from the writer's mkdir
    meta = tmp_path / "meta.sqlite"
    meta.write_bytes(b"")
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    args = {
        "ingest": ["ingest", str(small_corpus)],
        "serve": ["serve", "--port", port, "--corpus", str(small_corpus)],
        "ask": ["ask", "care leavers"],
        "stats": ["stats"],
    }[command]
    r = CliRunner().invoke(main, args, env={"CQA_INDEX": str(meta)})
    assert r.exit_code == 1
    assert _error_line(r.output) == f"Error: CQA_INDEX: {meta} is a file, not an index folder"
    assert meta.read_bytes() == b""


def test_serve_says_why_its_first_index_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a --corpus of files it cannot read built an empty index and served it with no word
    # of the files skipped or failed, and the empty index then stops any later ingest of it
    corpus = tmp_path / "papers"
    corpus.mkdir()
    (corpus / "agenda.xyz").write_text("Agenda", encoding="utf-8")
    (corpus / "minutes.txt").write_bytes(b"\x00\x01\x02\x03")
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    index = tmp_path / "idx"
    r = CliRunner().invoke(
        main, ["serve", "--port", str(port), "--corpus", str(corpus), "--index", str(index)]
    )
    assert r.exit_code == 0 and started == [port], r.output
    assert f"skipped: {corpus / 'agenda.xyz'}: unsupported file type .xyz" in r.output
    assert "failed: minutes.txt: " in r.output
    assert (
        f"warning: {corpus} held no paper to index, so nothing can be answered: "
        f"add papers with 'cqa ingest PATH --index {index}'" in r.output
    )


def test_serve_of_the_shipped_corpus_warns_of_nothing(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    args = ["serve", "--port", str(port), "--corpus", str(small_corpus)]
    r = CliRunner().invoke(main, [*args, "--index", str(tmp_path / "idx")])
    assert r.exit_code == 0, r.output
    assert not [ln for ln in r.output.splitlines() if ln.startswith(("warning:", "skipped:"))]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["remove", "ab\udcffc"],
            "Error: Invalid value for 'DOCUMENT_ID': 'ab\\xffc' is not valid",
        ),
        (
            ["ingest", "--council", "Oak\udcff", "PAPER"],
            "Error: Invalid value for '--council': 'Oak\\xff' is not valid UTF-8 text",
        ),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error(
    small_index: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    # bytes that are not UTF-8 reach Python as lone surrogates (PEP 383); SQLite cannot
    # encode them, and the remove (or the ingest, mid-commit) ended in a traceback
    paper = tmp_path / "paper.txt"
    paper.write_text("Minutes. RESOLVED that the report be noted.", encoding="utf-8")
    args = [str(paper) if a == "PAPER" else a for a in args]
    r = CliRunner().invoke(main, args, prog_name="cqa", env={"CQA_INDEX": str(small_index)})
    assert r.exit_code == 2, r.output
    assert _error_line(r.output).startswith(message)


@pytest.mark.parametrize("command", ["ingest", "serve"])
def test_an_index_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file where a folder of the index's path should be: mkdir raised into a traceback
    paper = tmp_path / "paper.txt"
    paper.write_text("Minutes. RESOLVED that the report be noted.", encoding="utf-8")
    index = paper / "index"
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    args = {
        "ingest": ["ingest", str(paper)],
        "serve": ["serve", "--port", port, "--corpus", str(tmp_path)],
    }
    r = CliRunner().invoke(main, [*args[command], "--index", str(index)], prog_name="cqa")
    assert r.exit_code == 1 and not started, r.output
    assert _error_line(r.output) == f"Error: cannot write the index at {index}: Not a directory"


def test_serve_names_the_corpus_files_its_first_build_could_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the first build said only "built the index at ...: 1 documents"; a bad file and a bad
    # manifest row went unmentioned (on a terminal not even the file's name was shown)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Minutes. RESOLVED that the report be noted.", "utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "manifest.csv").write_text("file,meeting_date\ngood.txt,2023-02-30\n", "utf-8")
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw["port"]))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    args = ["serve", "--port", port, "--corpus", str(corpus), "--index", str(tmp_path / "idx")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0 and started, r.output
    assert "failed: broken.pdf: is not a readable PDF" in r.output
    assert "warning: " in r.output and "meeting_date '2023-02-30'" in r.output
