"""The kind of answer asked, not shown: the answer check of stop 32."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from qa_service import abstention
from qa_service.abstention import CHECK_PIECES, Model
from qa_service.abstention_fit import FITTED
from qa_service.abstention_value import Readings
from qa_service.answer_kind import Kind
from qa_service.asked_kind_shown import PERSON_NAME, asked_kinds, kind_unshown, shows
from qa_service.config import Settings
from qa_service.retriever import Engine

APPROVED = "That the Allocations Policy be approved."


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        # a person asked by a noun of one is read; a bare "who" is not (a body may answer)
        ("Which councillor, as Leader, signed off the Allocations Policy?", [Kind.PERSON]),
        ("Which cabinet member answered questions on SEND in May 2019?", [Kind.PERSON]),
        ("Who talks to runaway children once they are back home?", []),
        ("Who has Wirral appointed as its new Tree Landscape Manager?", []),
        # a date the meeting's own date does not give
        ("When does the public consultation on the charging options close?", [Kind.DATE]),
        ("When did Oakhaven decide to adopt Signs of Safety?", []),
        ("When did Milburn last give a donation to the community bus?", []),
        # a yes-or-no question's form alone asks no date
        ("Has the council ever given money to the air ambulance before?", []),
        ("How many flats were in the tower blocks?", [Kind.NUMBER]),
        ("What rating did the CQC give the adult social care service?", [Kind.GRADE]),
        ("What did the committee say about the library?", []),
    ],
)
def test_the_kinds_read_are_those_asked_in_words(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Apologies for absence were received from Councillor R J Kendrick.", True),
        ("Cllrs Evans & Hillard offered to join the Finance Committee.", True),
        ("The Chair welcomed Dr Sally Richardson, Head of Inclusion.", True),
        ("Called in by Councillors Cox and Davidson.", True),
        (APPROVED, False),
        ("Children's Services Scrutiny Committee - Monday, 13th May, 2019 1.00 pm", False),
    ],
)
def test_a_person_is_named_by_an_honorific(text: str, named: bool) -> None:
    assert bool(PERSON_NAME.search(text)) is named
    assert shows(text, Kind.PERSON) is named


@pytest.mark.parametrize(
    ("question", "shown", "passage", "fired"),
    [
        # the near misses: the councillor, the date asked, stated nowhere in the passage
        ("Which councillor, as Leader, signed off the Allocations Policy?", APPROVED, APPROVED, 1),
        (
            "When does the consultation on the charging options close?",
            "Members were directed to the options proposed for the public consultation.",
            "Members were directed to the options proposed for the public consultation.",
            1,
        ),
        # the passage around the shown sentence holds it: not fired
        (
            "Which councillor signed off the Allocations Policy?",
            APPROVED,
            f"Councillor Sam Chapman-Allen, Leader, presented the report. {APPROVED}",
            0,
        ),
        (
            "How many responses did the consultation get?",
            "The consultation closed in March.",
            "The consultation closed in March. It received 214 responses.",
            0,
        ),
        # the shown sentence holds it
        ("How many flats were in the blocks?", "The two blocks held 180 flats.", "", 0),
        # a bare "who" answered by a body in lower case is never refused by this check
        (
            "Who talks to runaway children once they are back home?",
            "The charity has begun to allocate the same worker to a child.",
            "The charity has begun to allocate the same worker to a child.",
            0,
        ),
        # a decision's date is the meeting's own
        ("When did the council decide to adopt the policy?", APPROVED, APPROVED, 0),
    ],
)
def test_kind_unshown_fires_where_neither_the_answer_nor_its_passage_holds_the_kind(
    question: str, shown: str, passage: str, fired: int
) -> None:
    assert kind_unshown(question, shown, passage) == fired


def test_the_check_is_a_cap_of_its_own_and_the_stored_fit_reads_it() -> None:
    assert CHECK_PIECES["kind"] == "kind_unshown"
    model = Model.from_data(FITTED)
    assert "kind_unshown" in model.caps
    assert FITTED["readings"].get("kind") is True


@pytest.mark.parametrize("switched_on", [False, True])
def test_the_engine_reads_the_check_only_when_its_reading_is_switched_on(
    small_index: Path, monkeypatch: pytest.MonkeyPatch, switched_on: bool
) -> None:
    seen: list[str] = []

    def spy(question: str, *_: object) -> float:
        seen.append(question)
        return 1.0

    monkeypatch.setattr(abstention.asked_kind_shown, "kind_unshown", spy)
    monkeypatch.setattr(abstention.abstention_value, "STORED", Readings(kind=switched_on))
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    answer = engine.ask("Which councillor chaired the meeting on missing children in 2019?")
    engine.close()
    assert answer.evidence is not None
    assert answer.evidence.kind_unshown == (1.0 if switched_on else 0.0)
    assert bool(seen) == switched_on
