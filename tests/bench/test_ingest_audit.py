"""The ingest audit: a seeded sample with every format, and the fault rules it points with."""

from __future__ import annotations

from pathlib import Path

from bench.ingest_audit import FAULTS, Context, audit, sample
from ingest.models import DocMeta, Document, Passage
from ingest.pipeline import process_file


def _kinds(sentence: str, passage: Passage, document: Document) -> list[str]:
    ctx = Context(passage, document, frozenset({"children"}), frozenset({"AUDIT COMMITTEE"}))
    return [name for name, rule in FAULTS.items() if rule(sentence, ctx)]


def _doc(tmp_path: Path, name: str, text: str) -> tuple[Path, Document]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, process_file(path, DocMeta())


def test_the_rules_point_at_the_faults_they_name(tmp_path: Path) -> None:
    _, document = _doc(tmp_path, "a.txt", "The Council met. It agreed the budget.")
    passage = document.passages[0]
    assert _kinds("2.", passage, document) == ["item number as a sentence of its own"]
    assert _kinds("Care Leavers\n2.", passage, document) == [
        "next item's number closing a sentence"
    ]
    assert "line-break hyphenation" in _kinds("Most child- ren attend.", passage, document)
    assert "header/footer/page number" in _kinds("AUDIT COMMITTEE\nNoted.", passage, document)
    assert "heading glued to its sentence" in _kinds(
        "20.07.01  Election of Chair\nThe Councillors resolved to elect a Chair.", passage, document
    )
    assert "split after an abbreviation or initial" in _kinds(
        "Apologies from R.", passage, document
    )
    assert _kinds("Minutes:\nThe Chair welcomed Dr Richardson.", passage, document) == [
        "field label glued to its sentence"
    ]
    assert _kinds("The Council agreed the budget for 2024/25.", passage, document) == []


def test_the_sample_is_seeded_and_holds_every_format(tmp_path: Path) -> None:
    docs = [
        _doc(tmp_path, f"{n}.txt", f"Paper {n}. The Council met and agreed item {n}.")
        for n in range(6)
    ]
    docs.append(_doc(tmp_path, "page.html", "<html><body><p>The Cabinet met.</p></body></html>"))
    first = sample(docs, seed=3, docs=3, per_doc=1)
    assert [d.source for _, d, _ in first] == [d.source for _, d, _ in sample(docs, 3, 3, 1)]
    assert len(first) == 3
    assert "page.html" in {d.source for _, d, _ in first}
    faults, sentences, pdf_passages, formats = audit(first, show=False)
    assert sentences >= 3 and pdf_passages == 0 and formats == {".txt": 2, ".html": 1}
    assert sum(faults.values()) == 0
