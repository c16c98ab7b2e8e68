"""The cqa command line, with the fake embedder in place of the model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.store import Filters, Store
from qa_service.cli import main

pytestmark = pytest.mark.usefixtures("fake_cli_model")


def test_ingest_ask_list_stats_remove(tmp_path: Path, small_corpus: Path) -> None:
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    assert r.exit_code == 0, r.output
    assert "5 added" in r.output and "0 failed" in r.output
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    assert "5 unchanged" in r.output
    r = runner.invoke(
        main, ["ask", "MASH decision contacts", "--json", "--top-k", "2", "--index", idx]
    )
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert set(body) >= {"question", "answered", "passages"} and len(body["passages"]) == 2
    r = runner.invoke(
        main, ["ask", "inspection", "--council", "Ravensholt City Council", "--index", idx]
    )
    assert r.exit_code == 0 and "Ravensholt City Council" in r.output
    r = runner.invoke(main, ["list", "--json", "--index", idx])
    docs = json.loads(r.output)
    assert len(docs) == 5
    r = runner.invoke(main, ["stats", "--index", idx])
    assert "documents:  5" in r.output
    r = runner.invoke(main, ["remove", docs[0]["document_id"], "--index", idx])
    assert r.exit_code == 0 and "removed" in r.output
    r = runner.invoke(main, ["remove", "no-such-id", "--index", idx])
    assert r.exit_code == 1 and "no document" in r.output


def test_ingest_counts_one_document_and_one_passage_in_the_singular(tmp_path: Path) -> None:
    # the summary said "(1 documents)" and the progress "embedded 1 of 1 passages"
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "note.txt").write_text("The committee noted the annual report on fostering.\n")
    r = CliRunner().invoke(main, ["ingest", str(papers), "--index", str(tmp_path / "idx")])
    assert r.exit_code == 0, r.output
    assert "passages: 1 new, 1 in the index (1 document) in " in r.output
    assert "embedded 1 of 1 passage (100%)" in r.output


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["ask", "anything", "--index", str(tmp_path / "none")])
    assert r.exit_code == 1
    assert "no index at" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["ingest", str(tmp_path / "missing"), "--index", str(tmp_path / "i")])
    assert r.exit_code != 0 and "Traceback" not in r.output
    r = runner.invoke(main, ["ask", "x", "--date-from", "2020-99-01"])
    assert r.exit_code == 2


def test_eval_prints_the_figures(tmp_path: Path, small_corpus: Path) -> None:
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "q1",
                "question": "how many contacts were awaiting a MASH decision",
                "type": "factoid",
                "answer": "212",
                "gold": [
                    {
                        "file": "northmoor-cyp-scrutiny-2015-06-23-minutes.txt",
                        "evidence": "212 contacts were awaiting a MASH decision",
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(main, ["eval", str(questions), "--json", "--index", idx])
    assert r.exit_code == 0, r.output
    figures = json.loads(r.output)
    assert figures["overall"]["recall_at_5"] == 1.0


def _set_folder(root: Path, corpus: Path, questions: list[dict[str, object]]) -> Path:
    """A set laid out as ../shared lays them out: questions.jsonl beside corpus/."""
    import shutil

    root.mkdir()
    shutil.copytree(corpus, root / "corpus")
    lines = "".join(json.dumps(q) + "\n" for q in questions)
    (root / "questions.jsonl").write_text(lines, encoding="utf-8")
    return root


def test_eval_scores_several_set_folders_each_on_its_own_index(
    tmp_path: Path, small_corpus: Path
) -> None:
    mash = {
        "id": "q1",
        "question": "how many contacts were awaiting a MASH decision",
        "type": "factoid",
        "gold": [
            {
                "file": "northmoor-cyp-scrutiny-2015-06-23-minutes.txt",
                "evidence": "212 contacts were awaiting a MASH decision",
            }
        ],
    }
    odd = {"id": "q2", "question": "when will the swimming pool open", "type": "off-topic"}
    first = _set_folder(tmp_path / "set-a", small_corpus, [mash])
    second = _set_folder(
        tmp_path / "set-b", small_corpus, [mash, {**odd, "gold": [], "type": "unanswerable"}]
    )
    root = tmp_path / "indexes"
    args = ["eval", str(first), str(second), "--index-root", str(root)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert (root / "set-a").is_dir() and (root / "set-b").is_dir()
    assert "== set-a (1 question)" in r.output and "== set-b (2 questions)" in r.output
    table = r.output[r.output.index("| set |") :].splitlines()
    assert "answer@1" in table[0]
    assert [row.split("|")[1].strip() for row in table[2:]] == ["set-a", "set-b"]
    r = CliRunner().invoke(main, [*args, "--json"])
    figures = json.loads(r.output)
    assert figures["set-a"]["overall"]["recall_at_5"] == 1.0
    assert figures["set-b"]["overall"]["questions"] == 2


def test_ask_kind_decision_keeps_to_passages_holding_a_decision(
    tmp_path: Path, small_corpus: Path
) -> None:
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    args = ["ask", "Ofsted inspection", "--json", "--top-k", "3", "--index", idx]
    r = runner.invoke(main, [*args, "--kind", "decision"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["filters"]["kind"] == "decision" and body["passages"]
    store = Store.open(Path(idx))
    holding = {d.passage.passage_id for d in store.decisions(Filters(), limit=1000)}
    store.close()
    assert {p["passage_id"] for p in body["passages"]} <= holding
    plain = json.loads(runner.invoke(main, args).output)
    assert not {p["passage_id"] for p in plain["passages"]} <= holding
    assert runner.invoke(main, [*args, "--kind", "minutes"]).exit_code == 2


def test_ingest_timings_and_json(tmp_path: Path, small_corpus: Path) -> None:
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx, "--timings"])
    assert r.exit_code == 0, r.output
    stages = [line for line in r.output.splitlines() if line.startswith("stages:")]
    assert len(stages) == 1
    assert all(f"{name} " in stages[0] for name in ("parse", "chunk", "embed", "write", "other"))
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx, "--json"])
    body = json.loads(r.output.splitlines()[-1])
    assert body["unchanged"] == 5 and body["passages_embedded"] == 0
    assert body["timings"]["embed"] == 0 and body["timings"]["chunk"] == 0
    assert set(body["timings"]) == {"parse", "chunk", "lookup", "embed", "write", "faiss"}


def test_ingest_says_why_it_recuts_an_index_of_older_rules(
    tmp_path: Path, small_corpus: Path
) -> None:
    from indexing.cut_rules import INGEST_VERSION_KEY
    from ingest.pipeline import INGEST_VERSION

    runner = CliRunner()
    idx = str(tmp_path / "idx")
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    assert r.exit_code == 0 and "re-cutting" not in r.output
    store = Store.open(Path(idx))
    with store.transaction() as conn:  # as older ingest code left it
        conn.execute("UPDATE meta SET value = '0' WHERE key = ?", (INGEST_VERSION_KEY,))
    store.close()
    r = runner.invoke(main, ["stats", "--index", idx])  # served as it is, said to be behind
    assert "behind:     every document is still cut by older ingest rules" in r.output
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx])
    assert r.exit_code == 0, r.output
    said = (
        f"the index was cut by older ingest rules (version 0, now {INGEST_VERSION}): "
        "re-cutting every document as its file is ingested"
    )
    assert r.stderr.splitlines().count(said) == 1
    assert "5 updated, 0 unchanged" in r.stdout
    r = runner.invoke(main, ["ingest", str(small_corpus), "--index", idx, "--json"])
    body = json.loads(r.stdout)
    assert body["recut"] is None and body["unchanged"] == 5
    r = runner.invoke(main, ["stats", "--json", "--index", idx])
    facts = json.loads(r.output)
    assert facts["recut"] is None and facts["ingest_version"] == str(INGEST_VERSION)


def test_python_dash_m_runs_the_same_command() -> None:
    """``python -m qa_service.cli`` is the cqa command, not a module that exits silently."""
    done = subprocess.run(
        [sys.executable, "-m", "qa_service.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ingest" in done.stdout and "serve" in done.stdout


@pytest.mark.parametrize(
    ("page", "highlight_page", "shown"),
    [
        (None, None, None),
        (2, 2, "page 2"),
        (2, None, "page 2"),
        (2, 3, "page 2, highlight on page 3"),  # the sentence is past a page break
    ],
)
def test_ask_names_the_page_of_the_highlight_when_it_is_another(
    page: int | None, highlight_page: int | None, shown: str | None
) -> None:
    from qa_service.cli_read import _pages

    assert _pages(page, highlight_page) == shown


def test_the_models_loading_bar_is_not_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Loading weights: 100%|███| 103/103" on stderr at every ingest and serve, read as ours
    import os

    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items()
                                        if k != "HF_HUB_DISABLE_PROGRESS_BARS"})  # fmt: skip
    CliRunner().invoke(main, ["stats", "--index", str(tmp_path)])
    assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "0"  # the user's own setting wins
    CliRunner().invoke(main, ["stats", "--index", str(tmp_path)])
    assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "0"


def test_ask_marks_the_highlight_where_colour_is_stripped(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # piped or saved, the yellow highlight was stripped and the answering sentence was lost
    # in its passage; on a terminal (or with colour asked for) it stays in colour
    idx = str(tmp_path / "idx")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(small_corpus), "--index", idx]).exit_code == 0
    args = ["ask", "MASH decision contacts", "--top-k", "1", "--index", idx]
    body = json.loads(runner.invoke(main, [*args, "--json"]).output)
    p = body["passages"][0]
    h = p["highlights"][0]
    sentence = p["text"][h["start"] : h["end"]]
    plain = runner.invoke(main, args).output
    assert f"**{sentence.splitlines()[0]}" in plain and "\x1b[" not in plain
    monkeypatch.setattr("qa_service.cli_read._in_colour", lambda: True)  # as on a terminal
    coloured = runner.invoke(main, args, color=True).output
    assert "\x1b[33m" in coloured and "**" not in coloured
