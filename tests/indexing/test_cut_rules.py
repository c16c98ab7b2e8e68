"""Documents cut by older rules: the new rules are recorded at once, the documents whose
files a run is not given stay listed (and are named), and a later run re-cuts only them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.store import Store
from indexing import cut_rules, run, shard_commit
from indexing.cut_rules import INGEST_VERSION_KEY, PASSAGE_WORDS, old_cuts
from indexing.writer import IndexWriter
from ingest.pipeline import INGEST_VERSION, IngestLimits
from qa_service.cli import main

OLD = f"older ingest rules (version 0, now {INGEST_VERSION})"


def _papers(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix != ".csv")


def _as_older_code_left_it(index_dir: Path) -> None:
    store = Store.open(index_dir)
    try:
        with store.transaction() as conn:
            conn.execute("UPDATE meta SET value = '0' WHERE key = ?", (INGEST_VERSION_KEY,))
    finally:
        store.close()


def _aged_index(corpus: Path, index_dir: Path) -> IndexWriter:
    """An index of ``corpus`` as older ingest rules left it, and a writer for it."""
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        writer.ingest([corpus])
    _as_older_code_left_it(index_dir)
    return writer


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each ingest run loads and cuts (not those it skips)."""
    names: list[str] = []
    real: Callable[..., Any] = run.process_file

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        names.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(run, "process_file", counting)
    return names


def test_a_partial_recut_is_recorded_and_not_redone(
    small_corpus: Path, tmp_path: Path, parsed: list[str]
) -> None:
    index_dir = tmp_path / "idx"
    papers = _papers(small_corpus)
    first, rest = papers[0], [p.name for p in papers[1:]]
    writer = _aged_index(small_corpus, index_dir)
    parsed.clear()
    with writer.open():
        one = writer.ingest([first])  # the other files are not given
        assert writer.store.get_meta(INGEST_VERSION_KEY) == str(INGEST_VERSION)
    assert one.recut.startswith(f"the index was cut by {OLD}")
    assert one.updated == [first.name] and parsed == [first.name]
    left = one.old_cuts
    assert (left.documents, left.total, left.rules) == (4, 5, {OLD: 4})
    assert left.sources == rest
    assert left.message() == (
        f"4 of 5 documents are still cut by {OLD} ({', '.join(rest)}): "
        "ingest their files again to re-cut them"
    )

    parsed.clear()
    with writer.open():
        again = writer.ingest([first])  # the change is not announced, nor the file re-cut
    assert not again.recut and again.unchanged == [first.name] and not parsed
    assert again.old_cuts.documents == 4

    with writer.open():
        every = writer.ingest([small_corpus])  # only the files still cut the old way
    assert not every.recut and sorted(parsed) == rest
    assert sorted(every.updated) == rest and every.unchanged == [first.name]
    assert every.old_cuts.documents == 0 and every.old_cuts.message() is None

    parsed.clear()
    with writer.open():
        last = writer.ingest([small_corpus])
    assert not last.updated and not parsed and len(last.unchanged) == 5


def test_removing_or_failing_keeps_the_list_true(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    papers = _papers(small_corpus)
    writer = _aged_index(small_corpus, index_dir)
    broken = tmp_path / "broken" / papers[2].name
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.4 not really")
    with writer.open():
        writer.ingest([papers[0]])
        removed = next(d for d in writer.store.list_documents() if d.source == papers[1].name)
        writer.remove(removed.document_id)
        assert old_cuts(writer.store, writer.limits).documents == 3
        # a file that no longer loads leaves its document as it was: still listed
        failed = writer.ingest([broken])
    assert failed.failed and failed.old_cuts.documents == 3
    assert papers[1].name not in failed.old_cuts.sources


def test_a_second_change_keeps_each_documents_own_rules(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    papers = _papers(small_corpus)
    writer = _aged_index(small_corpus, index_dir)
    with writer.open():
        writer.ingest([papers[0]])  # 4 documents left at version 0
    larger = IndexWriter(index_dir, HashingEmbedder(), IngestLimits(min_words=40, max_words=200))
    with larger.open():
        summary = larger.ingest([papers[1]])
        assert larger.store.get_meta(PASSAGE_WORDS) == "40-200"
    assert summary.recut.startswith("the index was cut into passages of 60-275 words")
    assert summary.old_cuts.rules == {
        OLD: 3,  # never re-cut: still version 0 (and the old sizes)
        "passages of 60-275 words, now 40-200": 1,  # re-cut once, at the old sizes
    }


def test_the_distributed_plan_recuts_only_the_documents_left(
    small_corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "idx"
    papers = _papers(small_corpus)
    writer = _aged_index(small_corpus, index_dir)
    with writer.open():
        work = shard_commit.plan(writer, [papers[0]])
        assert OLD in work.summary.recut and work.files == 1
        assert not writer.ingest([papers[0]]).recut, "recorded by the plan"
        work = shard_commit.plan(writer, [small_corpus])
    assert not work.summary.recut and work.summary.unchanged == [papers[0].name]
    planned = {f.source for shard in work.shards for f in shard.files}
    assert planned == {p.name for p in papers[1:]}


def test_the_cli_names_what_is_left_and_stats_counts_it(small_corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    idx = str(tmp_path / "idx")
    papers = _papers(small_corpus)
    assert runner.invoke(main, ["ingest", str(small_corpus), "--index", idx]).exit_code == 0
    r = runner.invoke(main, ["stats", "--json", "--index", idx])
    assert json.loads(r.output)["old_cuts"] == 0 and json.loads(r.output)["recut"] is None
    _as_older_code_left_it(Path(idx))
    r = runner.invoke(main, ["stats", "--json", "--index", idx])
    assert json.loads(r.output)["old_cuts"] == 5  # before any ingest: every document
    r = runner.invoke(main, ["ingest", str(papers[0]), "--index", idx])
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert any(line.startswith(f"the index was cut by {OLD}") for line in lines)
    assert f"4 of 5 documents are still cut by {OLD} (" in r.stderr
    r = runner.invoke(main, ["stats", "--index", idx])
    assert f"behind:     4 of 5 documents are still cut by {OLD}" in r.output
    r = runner.invoke(main, ["ingest", str(papers[0]), "--index", idx, "--json"])
    body = json.loads(r.stdout)
    assert body["recut"] is None and body["unchanged"] == 1 and body["old_cuts"] == 4
    assert "re-cutting" not in r.stderr


def test_stats_before_a_second_change_is_ingested_name_both(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    papers = _papers(small_corpus)
    writer = _aged_index(small_corpus, index_dir)
    with writer.open():
        writer.ingest([papers[0]])
    store = Store.open(index_dir)
    try:
        larger = IngestLimits(min_words=40, max_words=200)  # no ingest since the sizes changed
        left = old_cuts(store, larger)
        assert (left.documents, left.total) == (5, 5)
        assert left.rules == {OLD: 4, "passages of 60-275 words, now 40-200": 1}
        assert (left.message() or "").startswith("every document is still cut by")
        # the code rolled back to version 0: the four documents it cut are current again
        monkeypatch.setattr(cut_rules, "INGEST_VERSION", 0)
        recut = cut_rules.begin(store, IngestLimits())
        assert f"newer ingest rules (version {INGEST_VERSION}, now 0)" in recut.reason
        assert {store.get_document(d).source for d in recut.stale} == {papers[0].name}
    finally:
        store.close()
