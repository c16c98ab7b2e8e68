"""A question's common phrases (``qa_service.trend_phrase``): a sentence naming only them
measures something else."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.trend_phrase import free_words, pairs
from qa_service.trend_sentence import Asked
from qa_service.trend_words import stems
from tests.conftest import build_index

QUESTION = "contacts received by children's social care"
# passages holding each phrase, of 1,000
FREQUENCY = {"contacts received": 3, "children's social": 45, "social care": 100}


def test_pairs_of_adjacent_key_words_as_the_question_writes_them() -> None:
    assert pairs(QUESTION, stems(QUESTION)) == [
        (0, "contacts received"),
        (3, "children's social"),
        (4, "social care"),
    ]


def test_the_key_words_said_outside_the_common_phrases() -> None:
    keys = stems(QUESTION)
    free = free_words(QUESTION, keys, FREQUENCY.__getitem__, 1000, 0.015)
    assert free == {"conta", "recei"}
    # no phrase that common: nothing more is asked of a sentence
    assert free_words(QUESTION, keys, FREQUENCY.__getitem__, 1000, 0.2) == frozenset()
    # a question of only a common phrase asks nothing beyond it
    assert free_words("council tax", stems("council tax"), lambda _: 50, 1000, 0.015) == set()


def test_a_sentence_naming_only_the_common_phrase_measures_something_else() -> None:
    weights = {"conta": 3.58, "recei": 3.01, "child": 1.97, "socia": 2.72, "care": 2.22}
    asked = Asked.of(QUESTION, weights)
    workforce = "Agency social workers made up 46% of the children's social care workforce."
    assert asked.about(workforce)  # more than half the question's weight
    asked.free = free_words(QUESTION, set(weights), FREQUENCY.__getitem__, 1000, 0.015)
    assert not asked.about(workforce)
    assert asked.about("Children's social care received 4,912 contacts in Quarter 3.")


MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
a.txt,Eastwold Council,Scrutiny,2021-03-01,Report,report,,
b.txt,Eastwold Council,Scrutiny,2022-03-01,Report,report,,
c.txt,Eastwold Council,Scrutiny,2023-03-01,Report,report,,
"""
DOCS = {
    "a.txt": "Front door\n\nChildren's social care received 4,100 contacts in 2020/21.",
    "b.txt": "Workforce\n\nChildren's social care had 38 agency social workers in post.",
    "c.txt": "Front door\n\nChildren's social care received 4,912 contacts in 2022/23.",
}


def test_a_trend_leaves_out_a_meeting_naming_only_the_common_phrase(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    for name, text in DOCS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        engine = c.app.state.engine  # type: ignore[attr-defined]
        engine.refresh()
        # the keyword index counts the passages holding a phrase's words in order
        assert engine.lexical.phrase_frequency("children's social care") == 3
        assert engine.lexical.phrase_frequency("contacts received") == 0  # apart
        assert engine.lexical.phrase_frequency("agency social workers") == 1
        r = c.post("/api/trend", json={"question": QUESTION, "council": "Eastwold Council"})
        # the council a question names is a filter, not a word its sentences must say
        named = c.post("/api/trend", json={"question": "children's social care in Eastwold"})
    assert r.status_code == 200
    assert [p["value"] for p in r.json()["points"]] == [4100.0, 4912.0]
    assert [p["value"] for p in named.json()["points"]] == [4100.0, 38.0, 4912.0]
