"""The abstention classifier as applied at serve time, and its stored fit."""

from __future__ import annotations

import math
from dataclasses import astuple, replace
from pathlib import Path

import pytest

import qa_service.abstention as abstention
from index.embedder import HashingEmbedder
from qa_service.abstention import (
    ANSWERED,
    FEATURES,
    NOT_IN_PAPERS,
    WEAK,
    Evidence,
    Model,
    lacking_share,
    rarest_concepts,
    specific_share,
)
from qa_service.abstention_fit import FITTED
from qa_service.abstention_value import Readings
from qa_service.config import Settings
from qa_service.highlight import CORE_MARGIN
from qa_service.retriever import Engine


def evidence(cosine: float, lacking: float = 0.0) -> Evidence:
    return Evidence(cosine, 0.5, lacking, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0)


MODEL = Model(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    coef=(10.0, 0.0, -10.0) + (0.0,) * (len(FEATURES) - 3),
    intercept=-5.0,
    answer_at=0.7,
    weak_at=0.3,
)


def test_three_states_from_the_probability() -> None:
    assert MODEL.state(evidence(0.9)) == ANSWERED  # logit 4
    assert MODEL.state(evidence(0.5)) == WEAK  # logit 0: p = 0.5
    assert MODEL.state(evidence(0.2)) == NOT_IN_PAPERS
    # words the index lacks count against the match
    assert MODEL.state(evidence(0.9, lacking=0.5)) == NOT_IN_PAPERS


def test_the_stored_fit_loads_and_orders_its_cut_points() -> None:
    model = Model.from_data(FITTED)
    assert len(model.coef) == len(FEATURES)
    assert 0.0 <= model.weak_at <= model.answer_at <= 1.0
    assert 0.0 <= model.probability(evidence(0.6)) <= 1.0


def test_a_fit_on_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="other features"):
        Model.from_data({**FITTED, "features": ["cosine"]})


def test_lacking_share_weighs_each_missing_word_as_the_rarest() -> None:
    assert lacking_share({("fees",): 1.0}, [], 100) == 0.0
    share = lacking_share({("fees",): 1.0}, ["dog", "fouling"], 100)
    assert share == pytest.approx(2 * 4.6151 / (1.0 + 2 * 4.6151), rel=1e-3)
    assert lacking_share({}, [], 100) == 0.0


# the question's concepts and their weights (IDF): "trim trail" and "cost" the rarest two
WEIGHTS: dict[tuple[str, ...], float] = {
    ("trim",): 5.0,
    ("trail",): 4.0,
    ("cost",): 2.0,
    ("council",): 1.0,
}


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("The trim trail cost the council £4,000.", 1.0),
        ("The new trails were opened by the Mayor.", 4.0 / 9.0),  # a plural counts
        ("The council agreed the cost of the scheme.", 0.0),  # only the common words
        ("", 0.0),
    ],
)
def test_specific_share_weighs_the_rarest_concepts_only(text: str, share: float) -> None:
    assert specific_share(text, WEIGHTS) == pytest.approx(share)


def test_specific_share_reads_phrases_and_other_forms() -> None:
    weights: dict[tuple[str, ...], float] = {
        ("ehcp", "education health and care plan"): 4.0,
        ("issued",): 2.0,
    }
    assert specific_share("An Education, Health and Care Plan was issued.", weights) == 1.0
    assert specific_share("Most EHCPs were late.", weights) == pytest.approx(4.0 / 6.0)
    assert specific_share("anything at all", {}) == 1.0  # nothing asked about: no evidence
    assert specific_share("the trim trail", WEIGHTS, rarest=3) == pytest.approx(9.0 / 11.0)


def test_concepts_as_rare_as_the_last_of_the_rarest_count_with_ties() -> None:
    # three words at the same rarity: which the question writes first is no ground to
    # leave the third out
    weights: dict[tuple[str, ...], float] = {
        ("council",): 1.3,
        ("save",): 5.4,
        ("closing",): 5.4,
        ("library",): 5.4,
    }
    assert list(rarest_concepts(weights, 2, ties=False)) == [("save",), ("closing",)]
    assert set(rarest_concepts(weights, 2, ties=True)) == {("save",), ("closing",), ("library",)}
    assert rarest_concepts(WEIGHTS, 2, ties=True) == {("trim",): 5.0, ("trail",): 4.0}
    shown = "The in-cab technology was funded from the invest-to-save reserve."
    assert specific_share(shown, weights, ties=False) == pytest.approx(0.5)
    assert specific_share(shown, weights, ties=True) == pytest.approx(1 / 3)
    assert specific_share(shown, weights) == pytest.approx(1 / 3)  # kept in stop 23


def test_the_engine_reads_specific_shown_from_the_top_answer(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def spy(text: str, weights: dict[tuple[str, ...], float], rarest: int = 2) -> float:
        seen.append(text)
        return 0.25

    monkeypatch.setattr(abstention, "specific_share", spy)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    answer = engine.ask("How many children went missing from care in Ravensholt?")
    engine.close()
    assert answer.evidence is not None and answer.evidence.specific_shown == 0.25
    top = answer.hits[0]
    assert top.core
    assert seen[-1] == " ".join(top.passage.text[s.start : s.end] for s in top.core)


def test_the_evidence_reads_the_core_answer_whatever_the_display_shows(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The display's neighbour margin (``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``) widens the span
    shown; the abstention's evidence reads the core answer, chosen with the margin its fit
    was made with (``highlight.CORE_MARGIN``), so its verdict is the same at any margin."""
    seen: list[str] = []
    original = abstention.specific_share

    def spy(text: str, weights: dict[tuple[str, ...], float], rarest: int = 2) -> float:
        seen.append(text)
        return original(text, weights)

    monkeypatch.setattr(abstention, "specific_share", spy)
    question = "How many children went missing from care in Ravensholt?"
    answers = []
    for margin in (CORE_MARGIN, 10.0):  # 10: a neighbour is always shown
        settings = Settings(index=small_index, highlight_neighbour_margin=margin)
        engine = Engine(small_index, HashingEmbedder(), settings)
        answers.append(engine.ask(question))
        engine.close()
    narrow, wide = answers
    top = wide.hits[0]
    assert top.highlights != narrow.hits[0].highlights  # the display widened ...
    assert top.core == narrow.hits[0].core == narrow.hits[0].highlights  # ... not the answer
    assert seen[-1] == " ".join(top.passage.text[s.start : s.end] for s in top.core)
    assert wide.evidence == narrow.evidence and wide.state == narrow.state


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_ordering_by_meeting_date_leaves_the_evidence_as_relevance_gives_it(
    small_index: Path, sort: str
) -> None:
    """The verdict is about the question, not the order asked for: the evidence is
    gathered on the hits by relevance even when they are shown by meeting date."""
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    question = "children in care placements"
    by_relevance = engine.ask(question, top_k=3)
    by_date = engine.ask(question, top_k=3, sort=sort)  # type: ignore[arg-type]
    engine.close()
    # the orders differ at the top (else the test would not tell the two apart)
    assert by_date.hits[0].passage.rowid != by_relevance.hits[0].passage.rowid
    assert by_date.evidence == by_relevance.evidence
    assert by_date.state == by_relevance.state


@pytest.mark.parametrize(
    ("question", "stated", "missed"),
    [
        ("How much did the council spend on agency social workers?", False, 1.0),
        ("How much did the council spend on agency social workers?", True, 0.0),
        ("How many agency social workers does the council employ?", False, 0.0),  # a count
        # "how much" measuring a count: no amount of money to look for
        ("How much have agency social worker numbers gone up?", False, 0.0),
    ],
)
def test_amount_missed_reads_the_top_passage_for_an_amount_of_money(
    small_index: Path,
    monkeypatch: pytest.MonkeyPatch,
    question: str,
    stated: bool,
    missed: float,
) -> None:
    seen: list[str] = []

    def spy(sentence: str) -> bool:
        seen.append(sentence)
        return stated

    monkeypatch.setattr(abstention, "states_amount", spy)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    answer = engine.ask(question)
    engine.close()
    assert answer.evidence is not None and answer.evidence.amount_missed == missed
    if missed or stated:  # asked for an amount: the top passage was read
        assert seen[-1] == answer.hits[0].passage.text
    else:  # a count is not an amount of money: nothing to look for
        assert not seen


def test_the_engine_reads_value_missed_from_the_question_the_highlight_and_the_passage(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str, str]] = []

    def spy(question: str, shown: str, passage: str) -> float:
        seen.append((question, shown, passage))
        return 0.5

    monkeypatch.setattr(abstention, "value_missed", spy)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    question = "How many children went missing from care in Ravensholt?"
    answer = engine.ask(question)
    engine.close()
    assert answer.evidence is not None and answer.evidence.value_missed == 0.5
    top = answer.hits[0]
    shown = " ".join(top.passage.text[s.start : s.end] for s in top.core)
    assert seen[-1] == (question, shown, top.passage.text)


def test_bagged_probabilities_are_averaged() -> None:
    """A model that keeps its bags gives the mean of their probabilities, not the
    probability of their mean line."""
    steep = (10.0, 0.0, -10.0) + (0.0,) * (len(FEATURES) - 3)
    flat = (0.0,) * len(FEATURES)
    model = Model(
        mean=MODEL.mean,
        scale=MODEL.scale,
        coef=(5.0, 0.0, -5.0) + (0.0,) * (len(FEATURES) - 3),
        intercept=-2.5,
        answer_at=0.7,
        weak_at=0.3,
        bags=((steep, -5.0), (flat, 0.0)),
    )
    e = evidence(0.9)  # logit 4 under the steep bag, 0 under the flat one
    expected = (1 / (1 + math.exp(-4.0)) + 0.5) / 2
    assert model.probability(e) == pytest.approx(expected)
    assert model.probability(e) != pytest.approx(Model(*astuple(model)[:6]).probability(e))
    stored = {**FITTED, "bags": [[list(steep), -5.0], [list(flat), 0.0]]}
    assert Model.from_data(stored).bags == model.bags


@pytest.mark.parametrize("switched_on", [False, True])
def test_the_engine_reads_outcome_planned_only_when_its_reading_is_switched_on(
    small_index: Path, monkeypatch: pytest.MonkeyPatch, switched_on: bool
) -> None:
    seen: list[tuple[str, str]] = []

    def spy(question: str, shown: str) -> float:
        seen.append((question, shown))
        return 1.0

    monkeypatch.setattr(abstention, "outcome_planned", spy)
    monkeypatch.setattr(abstention.abstention_value, "STORED", Readings(planned=switched_on))
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    question = "How many children went missing from care in Ravensholt?"
    answer = engine.ask(question)
    engine.close()
    assert answer.evidence is not None
    assert answer.evidence.outcome_planned == (1.0 if switched_on else 0.0)
    assert bool(seen) == switched_on


@pytest.mark.parametrize(
    ("reading", "check", "piece"),
    [
        ("period", "other_period", "other_period"),
        ("plan", "plan_only", "plan_only"),
        ("sibling", "other_item", "other_item"),
        ("intent", "intent_only", "intent_only"),
        ("counted", "count_unbound", "count_unbound"),
    ],
)
@pytest.mark.parametrize("switched_on", [False, True])
def test_the_engine_reads_each_answer_check_only_when_its_reading_is_switched_on(
    small_index: Path,
    monkeypatch: pytest.MonkeyPatch,
    reading: str,
    check: str,
    piece: str,
    switched_on: bool,
) -> None:
    """Each answer check of stops 26 and 27 (``qa_service.asked_slot``) is a piece of its own, 0 and
    not read unless its reading is switched on."""
    seen: list[str] = []

    def spy(question: str, *_: object) -> float:
        seen.append(question)
        return 1.0

    monkeypatch.setattr(abstention.asked_slot, check, spy)
    monkeypatch.setattr(abstention.abstention_value, "STORED", Readings(**{reading: switched_on}))
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    question = "How many children went missing from care in Ravensholt in 2019?"
    answer = engine.ask(question)
    engine.close()
    assert answer.evidence is not None
    assert getattr(answer.evidence, piece) == (1.0 if switched_on else 0.0)
    assert bool(seen) == switched_on
    others = {"other_period", "plan_only", "other_item", "intent_only", "count_unbound"} - {piece}
    assert all(getattr(answer.evidence, other) == 0.0 for other in others)


def test_a_capped_piece_makes_an_answer_a_weak_match_where_it_fires() -> None:
    model = Model.from_data({**FITTED, "caps": ["other_item"]})
    assert model.caps == ("other_item",)
    capped = replace(MODEL, caps=("other_item",))
    assert capped.state(evidence(0.9)) == ANSWERED
    fired = replace(evidence(0.9), other_item=1.0)
    assert capped.state(fired) == WEAK
    assert MODEL.state(fired) == ANSWERED  # uncapped, the piece weighs its coefficient: 0
    # a text that is not a question (a commitment's words) is read without the caps
    assert capped.state(fired, checks=False) == ANSWERED
    assert capped.state(replace(evidence(0.2), other_item=1.0)) == NOT_IN_PAPERS
    with pytest.raises(ValueError, match="caps an unknown piece"):
        Model.from_data({**FITTED, "caps": ["no_such_piece"]})
