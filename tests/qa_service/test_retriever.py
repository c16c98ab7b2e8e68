"""The engine with the fake embedder: filters read from the question, stored sentence
vectors, near-duplicate folding."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.answers import Sort
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.dedup import fold_near_duplicates, jaccard, shingles
from qa_service.query import QueryReader
from qa_service.retriever import Engine, query_vector, query_vectors
from qa_service.second_stage import asked_about
from tests.conftest import DEV_CORPUS, build_index

RAVENSHOLT = "Ravensholt City Council"


class CountingEmbedder(HashingEmbedder):
    """The fake, counting how many texts it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return super().encode(texts)


@pytest.fixture
def engine(small_index: Path) -> Engine:
    return Engine(small_index, HashingEmbedder())


def test_a_council_named_in_the_question_becomes_a_filter(engine: Engine) -> None:
    answer = engine.ask("Ravensholt inspection outcome", 5)
    assert answer.inferred.council == (RAVENSHOLT,)
    assert answer.filters.council == (RAVENSHOLT,)
    assert "Ravensholt" in answer.inferred_phrases
    assert answer.hits and {h.passage.document.meta.council for h in answer.hits} == {RAVENSHOLT}


def test_inference_can_be_turned_off_and_never_overrides_a_given_filter(engine: Engine) -> None:
    off = engine.ask("Ravensholt inspection outcome", 5, infer_filters=False)
    assert off.inferred.is_empty() and not off.filters.council
    given = engine.ask(
        "Ravensholt inspection outcome", 5, Filters(council=("Northmoor County Council",))
    )
    assert given.inferred.council == ()
    assert {h.passage.document.meta.council for h in given.hits} == {"Northmoor County Council"}


def test_a_year_with_no_papers_still_answers(engine: Engine) -> None:
    answer = engine.ask("inspection findings in 1999", 5)
    assert answer.inferred.is_empty() and answer.inferred_phrases == []
    assert answer.preferred is not None and answer.preferred.years == {"1999"}
    assert answer.hits


def test_a_named_year_is_a_preference_not_a_cut(engine: Engine) -> None:
    answer = engine.ask("agency social workers in 2023", 10)
    assert answer.inferred.date_from is None and answer.filters.date_from is None
    assert answer.preferred is not None
    assert (answer.preferred.date_from, answer.preferred.date_to) == ("2023-01-01", "2024-12-31")
    dates = [h.passage.document.meta.meeting_date or "" for h in answer.hits]
    assert any(not "2023-01-01" <= d <= "2024-12-31" for d in dates)  # others still come
    marked = [h for h in answer.hits if h.features and h.features.year == 1.0]
    assert marked and all(
        "2023" in h.passage.text or (h.passage.document.meta.meeting_date or "") >= "2023-01-01"
        for h in marked
    )


def test_a_one_sided_bound_limits_meeting_dates_and_says_when_it_is_dropped(
    engine: Engine,
) -> None:
    since = engine.ask("agency social workers since 2023", 5)
    assert since.inferred.date_from == "2023-01-01"
    assert since.hits  # (an empty list would pass the next line)
    assert all((h.passage.document.meta.meeting_date or "") >= "2023-01-01" for h in since.hits)
    nothing = engine.ask("Ravensholt inspection findings since 2030", 5)
    assert nothing.inferred.date_from is None and nothing.inferred.council == (RAVENSHOLT,)
    assert any("2030" in n and "not applied" in n for n in nothing.notes)


def test_a_named_council_stays_a_filter_and_says_when_nothing_answers(small_index: Path) -> None:
    # a threshold nothing reaches: the named council's papers do not answer
    strict = Engine(
        small_index,
        HashingEmbedder(),
        Settings(index=small_index, answer_threshold=9, abstention="threshold"),
    )
    answer = strict.ask("Ravensholt dog fouling fines in parks in 2019", 5)
    assert not answer.answered and answer.filters.council == (RAVENSHOLT,)
    assert {h.passage.document.meta.council for h in answer.hits} == {RAVENSHOLT}
    assert any("Only the papers of Ravensholt City Council" in n for n in answer.notes)
    plain = strict.ask("dog fouling fines in parks", 5)
    assert plain.notes == []


def test_a_council_with_no_papers_answers_nothing_and_says_so(small_index: Path) -> None:
    # a threshold everything reaches: only the council no paper is from stops the answer
    lenient = Engine(
        small_index,
        HashingEmbedder(),
        Settings(index=small_index, answer_threshold=-9, abstention="threshold"),
    )
    answer = lenient.ask("What did Cardiff Council's cabinet decide on agency social workers?", 5)
    assert not answer.answered and answer.evidence is None
    assert answer.hits  # the nearest passages are still shown
    assert any("No paper in the index is from Cardiff Council" in n for n in answer.notes)
    assert lenient.ask("What did the cabinet decide about agency social workers?", 5).answered
    # a council of the index named in full, or a kind of council, is no unknown council
    named = lenient.ask("What did Ravensholt City Council decide about agency social workers?", 5)
    assert named.answered and not any("No paper" in n for n in named.notes)
    assert lenient.ask("What did Full Council decide about agency social workers?", 5).answered


def test_typos_and_abbreviations_are_reported(engine: Engine) -> None:
    answer = engine.ask("how many contacts awaited a MASH decision, agnecy staff", 3)
    assert "MASH = multi-agency safeguarding hub" in answer.expansions
    assert "agnecy -> agency" in answer.expansions


def test_highlights_come_from_stored_sentence_vectors(small_index: Path) -> None:
    embedder = CountingEmbedder()
    engine = Engine(small_index, embedder)
    answer = engine.ask("contacts awaiting a MASH decision", 5)
    assert embedder.texts == 1  # the question only: sentences were embedded at ingest
    for hit in answer.hits:
        assert hit.highlights
        span = hit.highlights[0]
        assert 0 <= span.start < span.end <= len(hit.passage.text)
        assert hit.sentence > 0


@pytest.fixture
def duplicate_index(tmp_path: Path) -> Path:
    """One report attached to two meetings (scrutiny, then cabinet)."""
    if not DEV_CORPUS.is_dir():
        pytest.skip("../shared/dev-set is not beside the repository")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = "ravensholt-cyp-scrutiny-2018-06-19-missing-exploitation-report.pdf"
    shutil.copy(DEV_CORPUS / name, corpus / "scrutiny-report.pdf")
    shutil.copy(DEV_CORPUS / name, corpus / "cabinet-report.pdf")
    shutil.copy(DEV_CORPUS / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt", corpus / "other.txt")
    (corpus / "manifest.csv").write_text(
        "file,council,committee,meeting_date,title,doc_type,source_url,supersedes\n"
        f"scrutiny-report.pdf,{RAVENSHOLT},Scrutiny,2018-06-19,,report,,\n"
        f"cabinet-report.pdf,{RAVENSHOLT},Cabinet,2018-07-10,,report,,\n",
        encoding="utf-8",
    )
    return build_index(tmp_path / "index", [corpus], HashingEmbedder())


def test_the_same_report_at_two_meetings_is_returned_once(duplicate_index: Path) -> None:
    answer = Engine(duplicate_index, HashingEmbedder()).ask("return home interviews", 5)
    texts = [h.passage.text for h in answer.hits]
    assert len(texts) == len(set(texts))
    first = answer.hits[0]
    assert len(first.also_at) == 1
    assert first.also_at[0].document.document_id != first.passage.document.document_id
    assert {first.passage.document.meta.committee, first.also_at[0].document.meta.committee} == {
        "Scrutiny",
        "Cabinet",
    }


def test_a_document_knows_its_copies_at_other_meetings(duplicate_index: Path) -> None:
    app = create_app(Settings(index=duplicate_index), HashingEmbedder())
    with TestClient(app) as client:
        docs = {d["source"]: d for d in client.get("/api/documents").json()["documents"]}
        scrutiny, cabinet = docs["scrutiny-report.pdf"], docs["cabinet-report.pdf"]
        detail = client.get(f"/api/documents/{scrutiny['document_id']}").json()
        assert [a["document_id"] for a in detail["also_at"]] == [cabinet["document_id"]]
        assert detail["also_at"][0]["committee"] == "Cabinet"
        other = client.get(f"/api/documents/{docs['other.txt']['document_id']}").json()
        assert other["also_at"] == []
        page = client.get(f"/documents/{cabinet['document_id']}").text
        assert 'id="also-at"' in page and f"/documents/{scrutiny['document_id']}" in page


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the report was noted by the committee", "the report was noted by the committee", True),
        ("the report was noted by the committee", "The report was NOTED by the committee.", True),
        ("the report was noted by the committee", "the budget was approved by the cabinet", False),
        ("", "anything", False),
    ],
)
def test_jaccard_of_shingles(a: str, b: str, same: bool) -> None:
    assert (jaccard(shingles(a), shingles(b)) >= 0.8) is same


class _Passage:
    """Just what ``fold_near_duplicates`` reads of a passage: its text and document id."""

    def __init__(self, doc: str, text: str) -> None:
        self.text = text
        self.document = type("D", (), {"document_id": doc})()


def _fold(
    items: list[tuple[str, _Passage]], limit: int | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The names kept, and (kept, dropped) for each twin folded."""
    folded: list[tuple[str, str]] = []
    kept = fold_near_duplicates(
        items,
        lambda i: i[1],  # type: ignore[arg-type, return-value]
        lambda k, d: folded.append((k[0], d[0])),
        limit=limit,
    )
    return [k for k, _ in kept], folded


def test_fold_keeps_the_first_and_reports_the_twin() -> None:
    kept, folded = _fold(
        [
            ("a", _Passage("d1", "one two three four five")),
            ("b", _Passage("d2", "one two three four five")),
            ("c", _Passage("d1", "one two three four five")),  # same document: not a copy
            ("d", _Passage("d3", "six seven eight nine ten")),
        ]
    )
    assert kept == ["a", "c", "d"]
    assert folded == [("a", "b")]


def test_a_fold_with_a_limit_still_folds_the_later_twins() -> None:
    kept, folded = _fold(
        [
            ("a", _Passage("d1", "one two three four five")),
            ("b", _Passage("d2", "six seven eight nine ten")),
            ("c", _Passage("d3", "eleven twelve thirteen fourteen")),  # past the limit: not kept
            ("d", _Passage("d4", "one two three four five")),  # past the limit, a twin of "a"
        ],
        limit=2,
    )
    assert kept == ["a", "b"]
    assert folded == [("a", "d")]


def test_a_question_asking_what_was_decided_marks_the_passages_holding_a_decision(
    engine: Engine,
) -> None:
    holding = {d.passage.rowid for d in engine.store.decisions(Filters(), limit=500)}
    assert holding
    asked = engine.ask("what did the committee agree about the inspection findings", 10)
    marked = {h.passage.rowid for h in asked.hits if h.features and h.features.decision}
    assert marked and marked <= holding
    assert {h.passage.rowid for h in asked.hits} & holding == marked
    plain = engine.ask("the committee and the inspection findings", 10)
    assert not any(h.features and h.features.decision for h in plain.hits)


def test_the_decision_signal_raises_a_decision_by_its_weight(small_index: Path) -> None:
    question = "what did the committee agree about the inspection findings"
    on = Engine(small_index, HashingEmbedder()).ask(question, 10)
    off = Engine(
        small_index, HashingEmbedder(), Settings(index=small_index, decision_weight=0)
    ).ask(question, 10)
    off_scores = {h.passage.rowid: h.score for h in off.hits}
    shared = [h for h in on.hits if h.passage.rowid in off_scores]
    assert any(h.features and h.features.decision for h in shared)
    for h in shared:
        lift = Settings().decision_weight if h.features and h.features.decision else 0.0
        assert h.score - off_scores[h.passage.rowid] == pytest.approx(lift, abs=1e-5)


def test_a_year_applied_as_a_date_filter_is_not_a_key_term(engine: Engine) -> None:
    understood = engine.reader.read("Ravensholt inspection outcome 2023")
    dated = asked_about(understood, Filters(date_from="2023-01-01"))
    undated = asked_about(understood, Filters())
    assert ("2023",) in undated and ("2023",) not in dated
    assert [c for c in undated if c != ("2023",)] == dated


def test_the_vector_mixes_the_question_with_its_topic_without_the_council() -> None:
    embedder = CountingEmbedder()
    reader = QueryReader([RAVENSHOLT])
    named = reader.read("Ravensholt missing children return interviews")
    asked, topic = embedder.encode([named.model_text, named.topic_text])
    mixed = query_vector(embedder, named, 0.75)
    expected = 0.25 * asked + 0.75 * topic
    assert np.allclose(mixed, expected / np.linalg.norm(expected))
    assert np.allclose(query_vector(embedder, named, 0.0), asked)
    plain = reader.read("missing children return interviews")
    embedder.texts = 0
    assert np.allclose(query_vector(embedder, plain, 0.75), embedder.encode([plain.model_text])[0])
    assert embedder.texts == 2  # the question alone: no topic text to embed


def test_a_committee_named_is_left_out_of_the_passages_vector_only() -> None:
    embedder = HashingEmbedder()
    reader = QueryReader([RAVENSHOLT], committees=["Corporate Parenting Board"])
    named = reader.read("Ravensholt corporate parenting board return interviews")
    passages, sentences = query_vectors(embedder, named, 0.75)
    asked, search = embedder.encode([named.model_text, named.search_text])
    assert np.allclose(sentences, query_vector(embedder, named, 0.75))
    expected = 0.25 * asked + 0.75 * search
    assert np.allclose(passages, expected / np.linalg.norm(expected))
    plain = reader.read("Ravensholt return interviews")
    assert plain.search_text == ""
    assert np.allclose(*query_vectors(embedder, plain, 0.75))


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_the_verdict_does_not_depend_on_how_many_passages_are_asked_for(
    engine: Engine, sort: Sort
) -> None:
    # the classifier weighs the evidence of the ten best passages, as it was fitted: asking
    # for one passage or five must not change whether the papers answer
    question = "How many children were on child protection plans?"
    answers = [engine.ask(question, k, sort=sort) for k in (1, 3, 5, 10, 20)]
    assert all(a.evidence == answers[3].evidence for a in answers)
    assert len({a.state for a in answers}) == 1
    assert [len(a.hits) for a in answers[:4]] == [1, 3, 5, 10]
    relevant = engine.ask(question, 10)
    assert [h.passage for h in engine.ask(question, 3).hits] == [
        h.passage for h in relevant.hits[:3]
    ]


def test_only_the_passages_shown_have_their_highlight_chosen(engine: Engine) -> None:
    # the verdict weighs ten passages, but a highlight is chosen only for those returned
    # (and the first, whose highlight the evidence reads): asking for one passage does not
    # pay for nine more highlights
    question = "How many children were on child protection plans?"
    query = engine.understand(question)
    understood, q = query
    assert q is not None and understood is not None
    ranked, _ = engine._retrieve(q, Filters(), 10, understood, highlighted=1)
    assert len(ranked) == 10 and ranked[0].highlights
    assert not any(h.highlights for h in ranked[1:])
    everything, _ = engine._retrieve(q, Filters(), 10, understood)
    assert all(h.highlights for h in everything if h.sentence_scores is not None)
