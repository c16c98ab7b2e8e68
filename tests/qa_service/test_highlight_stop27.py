"""The highlight's stop-27 readings (docs/quality.md, "The answering sentence on real papers,
stop 27"): asked what a council made of something, the sentence stating its stance; asked
for no kind of answer, sentences as close told apart by the question's words; the
question's words named in any form when sentences are told apart."""

from qa_service.answer_kind import asks_view, holds_view
from tests.highlight_rule import answered as _answered
from tests.highlight_rule import asked as _asked


def test_a_view_is_asked_by_the_forms_english_asks_a_stance_in() -> None:
    assert asks_view("What was the parish council's view on the new bus shelter?")
    assert asks_view("What did the councillors think of the plan to close the library?")
    assert asks_view("What worried members about the bridge repairs?")
    assert asks_view("What concerns were raised about the car park charges?")
    assert asks_view("Were councillors happy with the revised layout?")
    # another kind asked in words, or no stance asked
    assert not asks_view("How many concerns were raised about the car park?")
    assert not asks_view("Who raised concerns about the car park?")
    assert not asks_view("What did the Director say about the car park?")
    assert not asks_view("What is the new car park policy meant to achieve?")
    assert not asks_view("What was the content of the report on the car park?")


def test_a_stance_is_held_by_words_of_agreeing_objecting_or_worrying() -> None:
    assert holds_view("Clerk reply saying the council object to this course of action.")
    assert holds_view("Members expressed their concerns about the safety of the crossing.")
    assert holds_view("Committee resolved to defer the proposal.")
    assert not holds_view("An item concerning the review be added to the next agenda.")
    assert not holds_view("The work will start on 12 April for a week.")


def test_asked_a_view_the_sentence_stating_the_stance_is_shown() -> None:
    text = (
        "Email from the county notifying that a grant has been secured to make the "
        "pavement widening outside the mill permanent. "
        "The work is linked with the increased cycle traffic over the bridge. "
        "Clerk reply saying the council object to this course of action."
    )
    asked = _asked(
        "What was the community council's view on making the pavement widening permanent?"
    )
    assert asked.view
    assert _answered(text, [0.68, 0.42, 0.53], asked) == (
        "Clerk reply saying the council object to this course of action."
    )
    # asked something else, the closest is shown as before
    other = _asked("Where was the pavement to be widened?")
    assert _answered(text, [0.68, 0.42, 0.53], other).startswith("Email from the county")


def test_asked_a_view_that_no_sentence_states_the_topic_is_shown_as_before() -> None:
    text = (
        "The church proposed a memory cafe at the hall. "
        "The proposal is for monthly sessions with music."
    )
    asked = _asked("What was the committee's view on the memory cafe?")
    assert _answered(text, [0.66, 0.45], asked) == text


def test_asked_for_no_kind_the_sentence_naming_the_question_s_own_words_is_told_apart() -> None:
    text = (
        "(a) Councillor A - Item 5 (Peer Review) - Family member has additional needs - "
        "non-pecuniary interest. "
        "(b) Councillor B - Item 5 (Peer Review) - Director of Blade Education, a "
        "not-for-profit company that works with local children - non-pecuniary interest. "
        "(c) Councillor C - Item 5 (Peer Review) - Employed as a teacher at a school outside "
        "the borough - non-pecuniary interest."
    )
    asked = _asked(
        "On the peer review, did any councillor declare running a company that works with children?"
    )
    assert not asked.kinds
    shown = _answered(text, [0.50, 0.55, 0.63], asked)
    assert "Director of Blade Education" in shown
    # naming fewer than two of the question's words of its own, the closest is shown
    asked = _asked("On the peer review, did any councillor declare running a firm?")
    assert _answered(text, [0.50, 0.55, 0.63], asked).startswith("(c) Councillor C")


def test_the_question_s_words_are_named_in_any_form_when_sentences_are_told_apart() -> None:
    text = (
        "No child in the care of the Council was permanently excluded in 2019, for the third "
        "year running. "
        "9.9% of children received at least one fixed-term exclusion, compared with 11.4% the "
        "year before."
    )
    asked = _asked("permanent exclusions of children in care")
    # "permanently" names "permanent" and "excluded" "exclusions": two words the other
    # sentence does not name
    assert _answered(text, [0.60, 0.64], asked).startswith("No child in the care")
