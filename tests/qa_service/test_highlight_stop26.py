"""The highlight's stop-26 readings (docs/quality.md, "The answering sentence on real papers,
stop 26"): asked how many, a sum of money is no count; a line opening with a count holds a
figure; asked for no kind of answer, the topic is shown with what came of it."""

import numpy as np

from qa_service.answer_kind import Kind, kinds_of_form
from qa_service.highlight import Asked, Span, answer_span
from tests.highlight_rule import RULE, answered
from tests.highlight_rule import asked as _asked


def _answered(text: str, scores: list[float], asked: Asked, lines: bool = False) -> str:
    return answered(text, scores, asked, spans=_lines(text) if lines else None)


def _lines(text: str) -> list[Span]:
    spans, at = [], 0
    for line in text.split("\n"):
        spans.append(Span(at, at + len(line)))
        at += len(line) + 1
    return spans


def test_asked_how_many_a_sum_of_money_is_no_count() -> None:
    text = (
        "The Cabinet had agreed to introduce an annual charge of £40 per bin for garden waste. "
        "Members asked how many households had taken it up. "
        "The Head of Waste said that 38,950 households had subscribed by August."
    )
    asked = _asked("how many households pay to have their garden waste bin emptied")
    assert asked.count
    assert _answered(text, [0.67, 0.27, 0.56], asked).startswith(
        "The Head of Waste said that 38,950"
    )
    # read as before (a sum holding a figure) the charge is shown
    assert _answered(
        text, [0.67, 0.27, 0.56], _asked("How much is the charge per bin?")
    ).startswith("The Cabinet had agreed")


def test_asked_how_many_with_money_asked_too_a_sum_still_answers() -> None:
    text = "The scheme cost £40,000 in all. It was launched in May."
    asked = _asked("How many homes did the scheme insulate, and at what cost?")
    assert not asked.count
    assert _answered(text, [0.6, 0.5], asked).startswith("The scheme cost £40,000")


def test_a_line_opening_with_a_count_holds_a_figure() -> None:
    text = (
        "Slide 6 - Care leavers and staying with carers\n"
        "27 young people living with their former foster carers in Staying Put arrangements\n"
        "85% of care leavers aged 19 to 21 in suitable accommodation"
    )
    asked = _asked("how many care leavers are living in Staying Put arrangements")
    assert _answered(text, [0.66, 0.73, 0.67], asked, lines=True).startswith("27 young people")


def test_an_item_number_or_a_year_opening_a_line_is_no_count() -> None:
    text = "3.2 The Board noted the report on staying put. There were 14 arrangements in place."
    asked = _asked("How many Staying Put arrangements were there?")
    assert _answered(text, [0.70, 0.45], asked) == "There were 14 arrangements in place."
    text = "2021 saw the service reviewed by the Board. There were 14 arrangements in place."
    assert _answered(text, [0.70, 0.45], asked) == "There were 14 arrangements in place."


def test_asked_for_no_kind_the_closest_is_shown_with_what_came_of_it() -> None:
    text = (
        "Frequency of emptying dog waste bins: there had been a problem with the bins. "
        "A decision needs to be made as to whether fortnightly emptying is enough. "
        "Cllr Richards is happy to continue checking the bins."
    )
    asked = _asked("What did the community council say about emptying the dog waste bins?")
    assert asked.kinds == ()
    assert _answered(text, [0.75, 0.46, 0.28], asked) == (
        "Frequency of emptying dog waste bins: there had been a problem with the bins. "
        "A decision needs to be made as to whether fortnightly emptying is enough."
    )


def test_asked_for_no_kind_the_one_after_the_closest_is_shown_under_it() -> None:
    text = (
        "The Head of Service presented the update. "
        "In 2021/22 the service had approved 27 new fostering households and 19 had left. "
        "There were now 201 approved fostering households."
    )
    asked = _asked("did the fostering service end up with more foster families than it lost")
    assert asked.kinds == ()
    # the follow bonus moves the choice to the third; the closest is shown above it
    assert _answered(text, [0.40, 0.66, 0.65], asked) == (
        "In 2021/22 the service had approved 27 new fostering households and 19 had left. "
        "There were now 201 approved fostering households."
    )


def test_a_heading_is_not_shown_as_the_topic_and_a_kind_asked_shows_one_sentence() -> None:
    text = (
        "The Board discussed the draft strategy at length.\n"
        "MINUTES OF THE PREVIOUS MEETING\n"
        "The minutes were agreed."
    )
    spans = _lines(text)
    asked = _asked("What did the Board say about the plan?")
    chosen = answer_span(text, spans, np.array([0.7, 0.2, 0.1]), asked, RULE).core
    assert [text[s.start : s.end] for s in chosen] == [
        "The Board discussed the draft strategy at length."
    ]
    # a date asked: the sentence holding one alone
    text = "The scheme was discussed at length. It started on 3 May 2021. Members welcomed it."
    asked = _asked("When did the scheme start?")
    assert _answered(text, [0.7, 0.6, 0.3], asked) == "It started on 3 May 2021."


def test_kinds_read_from_a_yes_or_no_form_alone() -> None:
    question = "Has the town council funded the youth project before, and how much did it give?"
    assert kinds_of_form(question) == (Kind.DECISION, Kind.DATE)
    assert kinds_of_form("Has the council ever funded it before, and when?") == (Kind.DECISION,)
    assert kinds_of_form("How much did the council give?") == ()


def test_asked_a_figure_in_words_a_decision_the_form_implies_gives_way() -> None:
    text = (
        "Committee recommended that funding for this service is considered alongside the "
        "strategy. YMCA is seeking funding to continue their project. "
        "YMCA received £8,000 from the Town Council in 2016/17 and are requesting a further "
        "£8,000."
    )
    question = (
        "Has the town council funded the YMCA's youth project before, and how much did it give?"
    )
    assert _answered(text, [0.80, 0.74, 0.60], _asked(question)).startswith("YMCA received £8,000")
    # a passage stating no figure: the decision holds what is asked, as before
    text = "Committee recommended that funding is considered alongside the strategy. It met."
    assert _answered(text, [0.71, 0.40], _asked(question)).startswith("Committee recommended")
