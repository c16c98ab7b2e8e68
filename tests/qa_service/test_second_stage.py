"""The second stage's scoring of fused candidates: the ``answer`` signal."""

from __future__ import annotations

import numpy as np

from index.store import DocumentRecord, Filters, PassageRecord
from ingest.models import DocMeta
from qa_service.config import Settings
from qa_service.highlight import Span, asked_of, kind_cosine, split_sentences
from qa_service.query import Understanding
from qa_service.second_stage import Candidates, Context, score_candidates

QUESTION = "How many households were in temporary accommodation?"


def _record(rowid: int, text: str) -> PassageRecord:
    document = DocumentRecord(
        document_id=f"d{rowid}",
        source=f"paper{rowid}.txt",
        path=f"paper{rowid}.txt",
        content_hash=str(rowid),
        meta=DocMeta(council="Anytown Borough Council"),
        ingested_at="2026-01-01T00:00:00",
    )
    return PassageRecord(rowid, f"p{rowid}", 3, 0, len(text), None, (), text, document)


def _ranked(settings: Settings) -> list[int]:
    topic = _record(1, "Temporary accommodation. Members discussed the pressures on it.")
    figure = _record(2, "The housing position was reported. There were 87 households in it.")
    records = {1: topic, 2: figure}
    # the topic-only passage is a little closer to the question, in the passage and in
    # its best sentence; the other holds the figure asked for
    sentences = {
        1: (split_sentences(topic.text), np.array([0.62, 0.40], dtype=np.float32)),
        2: (split_sentences(figure.text), np.array([0.30, 0.58], dtype=np.float32)),
    }
    candidates = Candidates([(1, 0.03), (2, 0.03)], records, {1: 0.6, 2: 0.58}, sentences)
    understood = Understanding(QUESTION, QUESTION, ("households", "temporary", "accommodation"))
    context = Context(understood, Filters(), None, {}, 2)
    return [h.passage.rowid for h in score_candidates(candidates, context, settings)]


def test_a_passage_holding_the_kind_of_answer_asked_for_gains_by_the_answer_weight() -> None:
    assert _ranked(Settings(answer_weight=0.0)) == [1, 2]
    assert _ranked(Settings(answer_weight=0.2)) == [2, 1]


def test_kind_cosine_is_the_closest_sentence_holding_the_kind() -> None:
    text = "Temporary accommodation. There were 87 households. It rose to 90."
    spans = split_sentences(text)
    scores = np.array([0.9, 0.5, 0.6])
    assert kind_cosine(text, spans, scores, asked_of(QUESTION, ())) == 0.6
    # a question asking for no kind of answer gives nothing
    assert kind_cosine(text, spans, scores, asked_of("temporary accommodation?", ())) == 0.0
    assert kind_cosine("", [Span(0, 0)][:0], np.zeros(0), asked_of(QUESTION, ())) == 0.0


def test_the_newest_paper_gains_for_a_last_time_question_only_as_far_as_it_is_on_topic() -> None:
    """A "when did it last ...?" question is answered by the newest paper on the topic: a
    newer paper that names none of what is asked gains nothing from being newer."""
    question = "When did the committee last look at fly-tipping?"

    def record(rowid: int, text: str, date: str) -> PassageRecord:
        document = DocumentRecord(
            document_id=f"d{rowid}",
            source=f"paper{rowid}.txt",
            path=f"paper{rowid}.txt",
            content_hash=str(rowid),
            meta=DocMeta(council="Anytown Borough Council", meeting_date=date),
            ingested_at="2026-01-01T00:00:00",
        )
        return PassageRecord(rowid, f"p{rowid}", 3, 0, len(text), None, (), text, document)

    older = record(1, "The committee considered a report on fly-tipping.", "2019-01-01")
    newer = record(2, "The committee considered the library opening hours.", "2023-01-01")
    # the newer paper is a little closer to the question, by enough to win were it
    # credited as the newest outright
    sentences = {
        1: (split_sentences(older.text), np.array([0.5], dtype=np.float32)),
        2: (split_sentences(newer.text), np.array([0.65], dtype=np.float32)),
    }
    candidates = Candidates(
        [(1, 0.03), (2, 0.03)], {1: older, 2: newer}, {1: 0.5, 2: 0.65}, sentences
    )
    understood = Understanding(
        question, question, ("fly-tipping",), key_terms=("fly-tipping",), asks_latest=True
    )
    hits = score_candidates(candidates, Context(understood, Filters(), None, {}, 2), Settings())
    features = {h.passage.rowid: h.features for h in hits}
    assert features[2] is not None and features[2].latest == 0.0  # newest, off the topic
    assert features[1] is not None and features[1].latest == 0.0  # on the topic, oldest
    assert [h.passage.rowid for h in hits] == [1, 2]


def test_a_passage_answering_in_the_papers_words_gains_by_the_everyday_weight() -> None:
    """Asked in everyday words ("special needs plans"), the passage that answers in the
    papers' term ("EHCPs") is credited for the words it names that way."""
    question = "What is holding up special needs plans?"
    topic = _record(1, "Special educational needs. Members discussed the needs of pupils.")
    answer = _record(2, "Delays in EHCPs came from a shortage of educational psychologists.")
    sentences = {
        1: (split_sentences(topic.text), np.array([0.6, 0.5], dtype=np.float32)),
        2: (split_sentences(answer.text), np.array([0.55], dtype=np.float32)),
    }
    candidates = Candidates(
        [(1, 0.03), (2, 0.03)], {1: topic, 2: answer}, {1: 0.6, 2: 0.55}, sentences
    )
    key = ("holding", "special", "needs", "plans")
    understood = Understanding(
        question,
        question,
        key,
        key_terms=key,
        everyday=(((key[1:]), ("education, health and care plan", "ehcp")),),
    )
    context = Context(understood, Filters(), None, {}, 2)

    def ranked(settings: Settings) -> list[int]:
        return [h.passage.rowid for h in score_candidates(candidates, context, settings)]

    assert ranked(Settings(everyday_weight=0.0)) == [1, 2]
    assert ranked(Settings()) == [2, 1]


def test_a_passage_writing_the_count_asked_for_gains_by_the_count_weight() -> None:
    """Asked "how many people ...", the section that writes "7,500 people" goes ahead of
    the report's recommendations, which name the event in the question's words."""
    question = "How many people could fit into the park for the concert?"
    overview = _record(1, "That the orchestra perform an open-air concert in the park.")
    answer = _record(2, "The maximum capacity of the venue is for 7,500 people.")
    sentences = {
        1: (split_sentences(overview.text), np.array([0.57], dtype=np.float32)),
        2: (split_sentences(answer.text), np.array([0.60], dtype=np.float32)),
    }
    candidates = Candidates(
        [(1, 0.033), (2, 0.031)], {1: overview, 2: answer}, {1: 0.47, 2: 0.40}, sentences
    )
    key = ("people", "fit", "park", "concert")
    understood = Understanding(question, question, key, key_terms=key, counted=(("people",),))
    context = Context(understood, Filters(), None, {}, 2)

    def ranked(settings: Settings) -> list[int]:
        return [h.passage.rowid for h in score_candidates(candidates, context, settings)]

    assert ranked(Settings(count_weight=0.0)) == [1, 2]
    assert ranked(Settings()) == [2, 1]
