"""The highlight's stop-25 readings, each a switch of ``SpanRule`` (docs/quality.md, "Rank 1
and the answering sentence, stop 25"): each test shows the reading on, then the same
passage with that one switch off."""

from dataclasses import replace

from qa_service.config import Settings
from qa_service.highlight import SpanRule, names_given
from tests.highlight_rule import RULE
from tests.highlight_rule import answered as _answered
from tests.highlight_rule import asked as _asked


def test_every_switch_is_on_by_default_and_read_from_the_settings() -> None:
    assert SpanRule() == replace(SpanRule(), own_values=True, change_held=True)
    rule = SpanRule.from_settings(
        Settings(
            highlight_own_values=False,
            highlight_change_held=False,
            highlight_names_apart=False,
            highlight_item_under_lead=False,
            highlight_restated_beside=False,
        )
    )
    assert not (
        rule.own_values
        or rule.change_held
        or rule.names_apart
        or rule.item_under_lead
        or rule.restated_beside
    )


def test_a_figure_the_question_gives_is_not_the_figure_it_asks_for() -> None:
    # (not an amount of money: asked how many, a sum is no count anyway, stop 26)
    text = "The 30 mph limit was approved by the Highways Committee. It now covers 14 roads."
    asked = _asked("How many roads does the 30 mph limit cover?")
    assert asked.values == frozenset({"30"})
    assert _answered(text, [0.70, 0.50], asked, RULE) == "It now covers 14 roads."
    off = replace(RULE, own_values=False)
    assert _answered(text, [0.70, 0.50], asked, off).startswith("The 30 mph limit")


def test_a_year_the_question_gives_is_read_as_before_not_masked() -> None:
    asked = _asked("How many households did the grant help in 2023/24?")
    assert asked.values == frozenset()  # years are read by names_other_years


def test_asked_how_far_it_moved_the_sentence_stating_the_change_is_shown() -> None:
    text = (
        "At its meeting in February the Council set the Band D charge at £2,041.37. "
        "That is an increase of £97.02 on the year before."
    )
    asked = _asked("By how much did the Band D council tax go up for 2024/25?")
    assert asked.change and asked.amount
    assert _answered(text, [0.70, 0.55], asked, RULE).startswith("That is an increase")
    off = replace(RULE, change_held=False)
    assert _answered(text, [0.70, 0.55], asked, off).startswith("At its meeting")
    # with no sentence stating a change, the level is shown as before
    level = "At its meeting in February the Council set the Band D charge at £2,041.37. Noted."
    assert _answered(level, [0.70, 0.55], asked, RULE).startswith("At its meeting")


def test_a_table_row_naming_the_place_asked_beats_the_closer_row_of_another() -> None:
    text = "Leicester | £19.50 an hour\n\nThurrock | £18.20 an hour\n\nEssex | £20.10 an hour"
    asked = _asked("What did Thurrock pay home care providers per hour?")
    assert "thurrock" in asked.names
    scores = [0.62, 0.58, 0.50]
    assert _answered(text, scores, asked, RULE).startswith("Thurrock")
    assert _answered(text, scores, asked, RULE) == "Thurrock | £18.20 an hour"
    assert _answered(text, scores, asked, replace(RULE, names_apart=False)).startswith("Leicester")


def test_a_name_alone_does_not_pass_over_a_sentence_that_opens_with_no_other_name() -> None:
    # the whole beats its part: the closest opens with no name, so one name the question
    # gives (the event's) does not pass it over for a row of the breakdown
    text = (
        "The total cost of staging the events is estimated to be £125,000.\n\n"
        "CBSO professional fees | £21,000"
    )
    asked = _asked("What was the estimated total cost of staging the CBSO weekend?")
    assert _answered(text, [0.70, 0.62], asked, RULE).startswith("The total cost")


def test_names_given_are_the_questions_capitalised_words_past_its_first() -> None:
    assert names_given("How much did Thurrock pay in 2023?") == frozenset({"thurrock"})
    assert names_given("What did the council decide?") == frozenset()


def test_a_bare_item_of_a_resolution_is_shown_under_the_resolution() -> None:
    text = (
        "RESOLVED - That the Council:\n\n"
        "(1) declares a climate emergency;\n\n"
        "(2) asks the Cabinet to bring forward an action plan within six months."
    )
    asked = _asked("What did the Council decide on the climate emergency motion?")
    scores = [0.30, 0.50, 0.75]
    shown = _answered(text, scores, asked, RULE)
    assert shown.startswith("RESOLVED - That the Council:") and shown.endswith("six months.")
    off = replace(RULE, item_under_lead=False)
    assert _answered(text, scores, asked, off).startswith("(2) asks the Cabinet")


def test_a_bare_item_of_another_list_or_for_another_question_stays_alone() -> None:
    interests = (
        "The following interests were declared at the meeting:\n\n"
        "(a) Councillor B Beggs - a family member has special needs.\n\n"
        "(b) Councillor K Evans - a member of the Statutory Appeal Panel."
    )
    who = _asked("Which councillor declared an interest as a member of an appeal panel?")
    assert _answered(interests, [0.3, 0.5, 0.7], who, RULE).startswith("(b) Councillor K Evans")
    resolution = (
        "RESOLVED - That:\n\n"
        "(1) the net revenue budget of £16.9 million be approved;\n\n"
        "(2) the Band D council tax be set at £203.41."
    )
    figure = _asked("What Band D council tax was set for 2024/25?")
    assert _answered(resolution, [0.3, 0.5, 0.7], figure, RULE).startswith("(2) the Band D")


def test_a_sentence_repeating_the_question_gives_way_to_the_next_holding_the_kind() -> None:
    text = "The Council did buy homes in 2023, in two phases. In all, 40 homes were bought."
    asked = _asked("How many homes did the Council buy in 2023?")
    assert _answered(text, [0.80, 0.60], asked, RULE) == "In all, 40 homes were bought."
    off = replace(RULE, restated_beside=False)
    assert _answered(text, [0.80, 0.60], asked, off).startswith("The Council did buy homes")
