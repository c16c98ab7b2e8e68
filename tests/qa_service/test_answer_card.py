"""The answer card: the figure a sentence states and its date, the state, a newer paper."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.answer_card import (
    Figure,
    answer_card,
    answer_state,
    clip,
    figure_kind,
    find_figure,
    newer_answer,
    sentence_of,
)
from qa_service.config import Settings
from qa_service.presenters import ask_response, passage_out
from qa_service.retriever import Engine
from qa_service.schemas.asking import AskResponse, CouncilColumn
from qa_service.schemas.passages import Citation, Highlight, PassageOut


def _passage(text: str, sentence: str, meeting_date: str | None = "2023-06-01") -> PassageOut:
    start = text.index(sentence)
    return PassageOut(
        rank=1,
        passage_id="p1",
        score=1.0,
        text=text,
        confidence=1.2,
        highlights=[Highlight(start=start, end=start + len(sentence))],
        citation=Citation(
            document_id="d1",
            source="a.pdf",
            title="Performance report",
            council="Wirral Council",
            committee="Scrutiny",
            meeting_date=meeting_date,
            doc_type="report",
            url="https://example.org/a.pdf",
            page=4,
            char_start=100,
            char_end=100 + len(text),
        ),
    )


@pytest.mark.parametrize(
    ("sentence", "passage", "value", "when", "stated"),
    [
        ("As at 31 March 2023, 42% of plans were on time.", "", "42%", "as at 31 March 2023", True),
        ("There were 1,234 contacts in 2017/18.", "", "1,234 contacts", "for 2017/18", True),
        ("In 2022, 56 per cent were issued in time.", "", "56 per cent", "for 2022", True),
        (
            "Spend was £1.2m on agency staff.",
            "",
            "£1.2m",
            "as at the meeting of 1 June 2023",
            False,
        ),
        (
            "42 children were waiting.",
            "Figures as at 30 September 2022.",
            "42 children",
            "as at 30 September 2022",
            True,
        ),
        (
            "See paragraph 3 for the 37 children.",
            "",
            "37 children",
            "as at the meeting of 1 June 2023",
            False,
        ),
        ("11 of 14 audits were good.", "", "11 of 14", "as at the meeting of 1 June 2023", False),
        (
            "A Category 1 defect is 40mm deep.",
            "",
            "40mm deep",
            "as at the meeting of 1 June 2023",
            False,
        ),
    ],
)
def test_a_figure_and_its_as_at_date(
    sentence: str, passage: str, value: str, when: str, stated: bool
) -> None:
    figure = find_figure(sentence, passage + " " + sentence, "2023-06-01")
    assert figure is not None
    assert (figure.value, figure.when, figure.stated) == (value, when, stated)


@pytest.mark.parametrize(
    "sentence",
    [
        "The application of thresholds had improved, but was still inconsistent.",
        "On 4 May 2021 the committee met.",
        "2.1 That the Committee notes the report.",
        "3. The report was noted in June 2019.",
        "The next inspection is expected within 8.",
    ],
)
def test_dates_years_and_item_numbers_are_not_figures(sentence: str) -> None:
    assert find_figure(sentence, sentence, "2023-06-01") is None


def test_the_date_falls_back_to_not_stated_without_a_meeting_date() -> None:
    figure = find_figure("Spend was £3k.", "Spend was £3k.", None)
    assert figure is not None and figure.when == "date not stated"


def test_the_state_comes_from_the_field_else_from_answered() -> None:
    assert answer_state(AskResponse(question="q", answered=False, passages=[])) == "not_in_papers"
    assert answer_state(AskResponse(question="q", answered=True, passages=[])) == "answered"
    weak = AskResponse(question="q", answered=False, answer_state="weak", passages=[])
    assert answer_state(weak) == "weak_match"
    column = CouncilColumn(council="A", answered=False, passages=[])
    assert answer_state(column) == "not_in_papers"
    column = CouncilColumn(council="A", answered=False, answer_state="weak", passages=[])
    assert answer_state(column) == "weak_match"


def test_the_card_holds_the_top_sentence_and_its_figure() -> None:
    text = "Intro sentence. As at 31 March 2023, 42% of plans were on time. Next sentence."
    top = _passage(text, "As at 31 March 2023, 42% of plans were on time.")
    card = answer_card(AskResponse(question="q", answered=True, passages=[top]))
    assert card.state == "answered" and card.label == "Answered"
    assert card.sentence == "As at 31 March 2023, 42% of plans were on time."
    assert card.figure is not None and card.figure.value == "42%"
    empty = answer_card(AskResponse(question="q", answered=False, passages=[]))
    assert empty.state == "not_in_papers" and empty.passage is None


def _widened(text: str, shown: str, core: str) -> PassageOut:
    """A passage whose highlight shows ``shown`` around its core answer ``core``."""
    start = text.index(core)
    return _passage(text, shown).model_copy(
        update={"core": [Highlight(start=start, end=start + len(core))]}
    )


def test_the_card_reads_its_figure_from_the_core_answer_not_the_neighbour_shown() -> None:
    # the display's neighbour margin shows the sentence before the answer too: its figure
    # answers another question (the year before's rate)
    before = "In 2015/16 the rate was 17% of household waste."
    core = "In 2016/17 the household recycling rate was 38.4%."
    text = f"{before} {core} Next."
    top = _widened(text, f"{before} {core}", core)
    card = answer_card(AskResponse(question="q", answered=True, passages=[top]))
    assert card.sentence == f"{before} {core}"  # the highlight shown whole: it fits
    assert card.figure is not None and card.figure.value == "38.4%"


def test_a_highlight_too_long_for_the_card_is_quoted_by_its_core_answer() -> None:
    before = "The report sets out " + "the service's work with partners, " * 8 + "in detail."
    core = "In 2016/17 the household recycling rate was 38.4%."
    text = f"{before} {core}"
    top = _widened(text, text, core)
    assert len(sentence_of(top)) > 280
    card = answer_card(AskResponse(question="q", answered=True, passages=[top]))
    assert card.sentence == core


def test_a_newer_figure_of_the_same_measure_is_found(small_index: Path) -> None:
    # every later paper answers (the threshold rule at -9), whatever the stored classifier
    # makes of the fake embedder's cosines; the highlight rule is pinned so that the oldest
    # paper shows a sentence without a figure (the fake cosines decide which one it shows;
    # re-pinned at INGEST_VERSION 15, whose sentences leave a list's marker "3." out)
    settings = Settings(
        index=small_index,
        answer_threshold=-9,
        abstention="threshold",
        highlight_after_bonus=0.3,
        highlight_follow_bonus=0.5,
    )
    engine = Engine(small_index, HashingEmbedder(), settings)
    try:
        ravensholt = Filters(council=("Ravensholt City Council",))
        answer = engine.ask("children missing from care", 30, ravensholt, infer_filters=False)
        response = ask_response(answer)
        dated = [p for p in response.passages if p.citation.meeting_date]
        oldest = min(dated, key=lambda p: p.citation.meeting_date or "")
        newest = max(dated, key=lambda p: p.citation.meeting_date or "")
        assert oldest.citation.meeting_date != newest.citation.meeting_date
        first = response.model_copy(update={"passages": [oldest]})
        # what the later papers state, as the lookup will see them
        later = engine.ask(
            first.question,
            3,
            Filters(council=ravensholt.council, date_from=_next_day(oldest.citation.meeting_date)),
            infer_filters=False,
        )
        figures = [
            find_figure(sentence_of(o), o.text, o.citation.meeting_date)
            for o in (passage_out(h, 1) for h in later.hits)
        ]
        stated = next(f for f in figures if f is not None)
        newer = newer_answer(engine, first, Figure("1 " + stated.value.split()[-1], "", False))
        assert newer is not None
        assert newer.citation.council == "Ravensholt City Council"
        assert (newer.citation.meeting_date or "") > (oldest.citation.meeting_date or "")
        card = answer_card(first, newer)
        assert card.newer is newer and card.newer_sentence and card.newer_figure
        assert figure_kind(card.newer_figure.value) == figure_kind(stated.value)
        # a figure of another measure, the newest paper itself, an unanswered question: none
        assert newer_answer(engine, first, Figure("7 zebras", "", False)) is None
        last = response.model_copy(update={"passages": [newest]})
        assert newer_answer(engine, last, stated) is None
        unanswered = first.model_copy(update={"answered": False, "answer_state": "none"})
        assert newer_answer(engine, unanswered, stated) is None
    finally:
        engine.close()


def _next_day(iso: str | None) -> str:
    return (date.fromisoformat(iso or "") + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("42%", "%"),
        ("56 per cent", "%"),
        ("£1.2m", "£"),
        ("37 Children", "children"),
        ("7", "number"),
    ],
)
def test_figures_compare_by_what_they_measure(value: str, kind: str) -> None:
    assert figure_kind(value) == kind


def test_a_newer_figure_is_the_one_that_counts_the_same_thing() -> None:
    shown = find_figure(
        "Turnover of permanent social workers fell to 19%, compared with 24% a year earlier.",
        "",
        "2023-03-07",
    )
    assert shown is not None and shown.value == "19%"
    later = "The vacancy rate was 9%, and turnover of permanent social workers was 15%."
    first = find_figure(later, "", "2025-02-04")
    assert first is not None and first.value == "9%"
    same = find_figure(later, "", "2025-02-04", like=shown)
    assert same is not None and same.value == "15%"
    assert find_figure("It cost £3m.", "", None, like=shown) is None  # no % to compare


def test_a_long_sentence_is_cut_at_a_word_for_the_card() -> None:
    words = "Table 1: Youth justice indicators 2021/22 " + "Northmoor 168 142 " * 40
    top = _passage(words + "end.", words + "end.")
    card = answer_card(AskResponse(question="q", answered=True, passages=[top]))
    assert len(card.sentence) <= 280 and card.sentence.endswith("\u2026")
    assert words.startswith(card.sentence[:-1])
    assert clip("Short one.") == "Short one."


def test_in_date_order_the_card_takes_the_most_confident_passage() -> None:
    text = "Spend was £2m. More."
    first = _passage(text, "Spend was £2m.").model_copy(update={"confidence": 0.5})
    best = _passage(text, "More.").model_copy(update={"confidence": 1.5, "passage_id": "p2"})
    response = AskResponse(question="q", answered=True, passages=[first, best])
    assert answer_card(response).passage is first
    assert answer_card(response, by_confidence=True).passage is best
