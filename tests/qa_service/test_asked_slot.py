"""The answer checks of stop 26: the shown answer against what the question asks."""

from __future__ import annotations

import pytest

from qa_service.asked_slot import (
    Period,
    asks_happened,
    count_unbound,
    intent_only,
    mandates,
    other_item,
    other_period,
    periods,
    plan_only,
    states_past,
    written_before,
)

# --- another period shown ---------------------------------------------------------------


def test_periods_reads_months_financial_years_spans_and_years() -> None:
    assert periods("in March 2020") == [Period(2020 * 12 + 2, 2020 * 12 + 2)]
    assert periods("in 2018/19") == [Period(2018 * 12 + 3, 2019 * 12 + 2)]
    assert periods("2018-2019") == [Period(2018 * 12 + 3, 2019 * 12 + 2)]
    assert periods("the plan for 2020-2030") == [Period(2020 * 12, 2030 * 12 + 11)]
    assert periods("in 2021") == [Period(2021 * 12, 2021 * 12 + 11)]
    # a bound is no period asked
    assert periods("since 2019", bounds=False) == []
    assert periods("by the end of 2019", bounds=False) == []


def test_another_year_shown_fires() -> None:
    question = "How many bridges did the council inspect in 2022/23?"
    shown = "In 2020/21 the council inspected 310 bridges, against 295 in 2019/20."
    assert other_period(question, shown, shown) == 1.0


def test_the_year_asked_or_an_overlapping_one_shown_does_not_fire() -> None:
    question = "How many bridges did the council inspect in 2022?"
    # the financial year 2022/23 overlaps the calendar year 2022
    assert other_period(question, "In 2022/23 it inspected 310 bridges.", "") == 0.0
    # the shown sentence names no period: the year may be the meeting's
    assert other_period(question, "It inspected 310 bridges.", "Report for 2019.") == 0.0


def test_the_passage_around_it_stating_the_year_asked_does_not_fire() -> None:
    question = "How many bridges did the council inspect in 2022?"
    passage = "Performance in 2022. In 2021 the council inspected 310 bridges."
    assert other_period(question, "In 2021 the council inspected 310 bridges.", passage) == 0.0


def test_a_bound_asked_or_the_meetings_own_month_does_not_fire() -> None:
    shown = "Grants from the 2018/19 budget were agreed."
    assert other_period("What grants were given before 2016?", shown, shown) == 0.0
    # "in March 2018" names the meeting that decided about next year's budget
    question = "What did the committee decide about grants in March 2018?"
    assert other_period(question, shown, shown, meeting_date="2018-03-13") == 0.0
    assert other_period(question, shown, shown, meeting_date="2019-06-10") == 1.0


# --- only a plan shown where an outcome is asked ----------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Did the council adopt the parking strategy?",
        "Has the new footbridge been opened?",
        "When did the library reopen?",
        "How many trees were planted last winter?",
        "What did the review of the bus routes find?",
        "How did the trial of the new bins go?",
        "What did the new roof cost the council?",
    ],
)
def test_a_question_asking_what_happened(question: str) -> None:
    assert asks_happened(question)


@pytest.mark.parametrize(
    "question",
    [
        "When will the library reopen?",
        "Why did the council refuse the application?",
        "What did the chairman say about the footbridge?",
        "Which firm did the council appoint?",
        "How many trees would the scheme plant?",
    ],
)
def test_a_question_not_asking_what_happened(question: str) -> None:
    assert not asks_happened(question)


def test_a_plan_written_before_the_fact() -> None:
    assert written_before("The footbridge would open in the spring.")
    assert written_before("Work is scheduled to start in June.")
    assert written_before("To seek approval for a new parking strategy.")
    assert written_before("The estimated costs are shown below.")
    # a modal in a relative clause, or in a parenthesis, is not the sentence's own
    assert not written_before("There are failings, which the partnership must address.")
    assert not written_before("Ten homes were bought (more may follow).")
    # "May" the month is no modal
    assert not written_before("The bridge opened in May 2021.")


def test_a_past_form_states_the_event() -> None:
    assert states_past("The bridge was opened in May.")
    assert states_past("The council adopted the strategy.")
    assert states_past("Members agreed that the bridge would be repaired.")  # the decision
    # a verb of saying reports what follows, the participle before "by" is passive
    assert not states_past("Officers reported that the bridge would open in May.")
    assert not states_past("Two buses would join the fleet, funded by the grant.")
    assert not states_past("The proposed scheme would cost £5,000.")


def test_only_a_plan_shown_where_an_outcome_is_asked_fires() -> None:
    question = "When did the new footbridge open?"
    assert plan_only(question, "Officers reported that the footbridge would open in May.") == 1.0
    assert plan_only(question, "The footbridge opened on 3 May 2021.") == 0.0
    # the question asks for the plan itself
    assert plan_only("When will the footbridge open?", "It would open in May.") == 0.0
    # a question asking why is answered by a reason, modal or not
    assert plan_only("Why did the council refuse it?", "It would harm the landscape.") == 0.0
    # only the highlight's first sentence is read
    shown = "The footbridge opened on 3 May 2021. A second one would follow."
    assert plan_only(question, shown) == 0.0


# --- a sibling of the numbered item asked -----------------------------------------------


def test_a_sibling_of_the_numbered_item_fires() -> None:
    question = "How many schemes were approved in the second round of bids?"
    passage = "In the first round, 14 schemes were approved."
    assert other_item(question, passage) == 1.0
    assert other_item("Which projects are in Phase 3?", "Phase 2 delivered six projects.") == 1.0
    # fewer counted than the ordinal asked: the item asked had not yet happened
    question = "What did the inspectors find on their third visit?"
    assert other_item(question, "Inspectors have made two visits since May.") == 1.0


def test_the_numbered_item_named_does_not_fire() -> None:
    question = "How many schemes were approved in the second round of bids?"
    assert other_item(question, "In the second round, 9 schemes were approved.") == 0.0
    assert other_item("Which projects are in Phase 3?", "Phase 3 holds six projects.") == 0.0
    # nothing of the series named: no sibling shown
    assert other_item(question, "Schemes cost £20,000 each.") == 0.0
    # as many counted as the ordinal asked
    question = "What did the inspectors find on their second visit?"
    assert other_item(question, "Inspectors have made two visits since May.") == 0.0


def test_another_named_thing_of_the_kind_asked_fires() -> None:
    question = "Has the new fence at Northgate car park been finished?"
    passage = "The fence at the Eastfield car park was finished in May."
    assert other_item(question, passage) == 1.0
    # the thing asked named, or no other of its kind: no sibling shown
    assert other_item(question, "The fence at the Northgate car park was finished.") == 0.0
    assert other_item(question, "Fences were replaced across the district.") == 0.0
    # an owner's name is not the thing named ("Hartley's budget")
    assert other_item("What is Hartley's parking budget?", "The Westham parking budget.") == 0.0


# --- the plan read wider (stop 27) ----------------------------------------------------------


def test_an_intention_in_the_past_is_no_outcome() -> None:
    question = "How many new foster carers had the campaign recruited by March 2016?"
    shown = "The campaign aimed to recruit 40 new foster carers by March 2016."
    assert plan_only(question, shown) == 0.0  # "aimed" read as the past verb it is
    assert intent_only(question, shown) == 1.0
    assert intent_only(question, "The campaign recruited 31 new foster carers.") == 0.0


def test_a_mandate_is_no_outcome_where_it_is_asked_whether_done_by_now() -> None:
    shown = "(b) the Portfolio Holder be asked to consider a new allotment site at Stoke Lane."
    assert intent_only("Has the council opened its new allotment site?", shown) == 1.0
    studies = "Agree that up to £210k be added to the capital programme for feasibility studies."
    assert intent_only("What did the feasibility studies find?", studies) == 1.0
    # when or how much a council did it does by resolving; a mandate answers that
    charge = "RESOLVED - That the garden waste charge be increased to £48 from 1 April 2022."
    assert intent_only("When did the council last put up the garden waste charge?", charge) == 0.0
    # a decision asked, or the mandate's own verb asked, is answered by the resolution
    assert not mandates("That the policy be adopted.", "Has the council approved the policy?")
    assert not mandates(studies, "Has the council added £210k to the capital programme?")
    # a modal or "to" before "be" is no mandate
    assert not mandates("The site will be opened in May.", "Has the site opened?")
    assert not mandates("The costs are to be funded by a grant.", "Has the site opened?")


def test_a_participle_qualifying_a_noun_before_a_modal_is_no_past() -> None:
    question = "Have the rapid charge points for taxis been installed yet?"
    shown = "Eighteen charge points reserved for taxis would be installed at the depot by 2024."
    assert plan_only(question, shown) == 0.0  # "reserved" read as a past verb
    assert intent_only(question, shown) == 1.0
    # a verb of deciding before a clause of its own stays a past
    agreed = "Councillors agreed they would prefer to keep the current arrangement."
    assert intent_only("Did councillors decide to put the minutes online?", agreed) == 0.0


def test_the_wider_plan_reads_every_plan_the_plan_check_reads() -> None:
    question = "When did the new footbridge open?"
    shown = "Officers reported that the footbridge would open in May."
    assert plan_only(question, shown) == intent_only(question, shown) == 1.0
    assert intent_only("When will the footbridge open?", "It would open in May.") == 0.0


# --- a count asked, none of the thing counted stated (stop 27) ----------------------------


def test_a_count_of_another_thing_fires() -> None:
    question = "How many responses did the council receive to the consultation?"
    shown = "34.4% of children with an EHCP attend special schools."
    assert count_unbound(question, shown, shown) == 1.0
    # the passage around it counting the thing answers
    passage = shown + " The consultation received 212 responses."
    assert count_unbound(question, shown, passage) == 0.0
    assert count_unbound(question, "There were 212 responses.", "") == 0.0


def test_a_count_named_by_the_papers_term_for_an_everyday_word_does_not_fire() -> None:
    question = "How many kids went missing from care in 2023/24?"
    shown = "In 2023/24 there were 2,036 missing episodes involving 611 children."
    assert count_unbound(question, shown, shown) == 0.0


def test_no_count_asked_does_not_fire() -> None:
    assert count_unbound("What did the council decide?", "It agreed the plan.", "") == 0.0


def test_a_share_of_another_group_fires() -> None:
    question = "What proportion of women in Lindenport were smoking at the time of delivery?"
    shown = "16.1% of adults in Lindenport had smoked in 2021, compared with 13.0% in England."
    assert count_unbound(question, shown, shown) == 1.0
    stated = "At the time of delivery, 11.2% of women were smoking."
    assert count_unbound(question, shown, shown + " " + stated) == 0.0
