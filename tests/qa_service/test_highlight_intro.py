"""The highlight's reading of an item's introduction (docs/quality.md, "The answer after
the item's introduction, stop 27"): a sentence that only introduces the item ("The Port
Business Manager presented proposals for ...") holds no answer unless it holds the kind
asked (the officer asked who presented it)."""

from qa_service.answer_kind import introduces_item
from tests.highlight_rule import answered as _answered
from tests.highlight_rule import asked as _asked


def test_a_bare_introduction_of_an_item_is_read_by_the_verbs_minutes_introduce_with() -> None:
    assert introduces_item("The Town Clerk presented the proposal from the church for a cafe.")
    assert introduces_item("The Harbour Manager presented proposals for mooring charges.")
    assert introduces_item(
        "The Head of Planning reported on the Enforcement Improvement Plan, which had been "
        "introduced following an internal audit."
    )
    assert introduces_item("The Chair brought forward the draft work programme.")
    assert introduces_item("The Director of Education introduced the report.")


def test_an_introduction_reporting_what_was_said_or_a_passive_is_no_bare_one() -> None:
    # it states something besides the item
    assert not introduces_item(
        "The Planning Officer spoke to the application and advised that the site formed "
        "part of the garden."
    )
    assert not introduces_item(
        "The Head of Service introduced the report and informed Members that there was a "
        "dedicated budget."
    )
    # a passive: the framework is what was introduced, not an item of business
    assert not introduces_item(
        "A quality framework had been introduced in which every plan was checked."
    )
    assert not introduces_item("The report was presented to Cabinet in June.")
    assert not introduces_item("Occupancy of the marina berths had been 96% in 2020/21.")


TEXT = (
    "HB/21/5 MARINA AND HARBOUR DUES 2021/22\n"
    "The Harbour Manager presented proposals for harbour dues and marina charges for 2021/22. "
    "Occupancy of the marina berths had been 96% in 2020/21, with 146 boats waiting. "
    "Members asked how much the charges would rise. "
    "RESOLVED - That the harbour dues and marina charges for 2021/22 be approved."
)
SCORES = [0.61, 0.43, 0.59, 0.16, 0.56]


def test_the_sentence_after_the_introduction_is_shown_over_the_introduction() -> None:
    # the heading is closest; the introduction after it gained the heading's after-bonus
    # and was shown: it names the item, the sentence after it says how full the marina was
    shown = _answered(TEXT, SCORES, _asked("How full was the marina during 2020/21?"))
    assert shown.startswith("Occupancy of the marina berths had been 96%")


def test_asked_who_presented_the_introduction_holds_the_answer_and_is_shown() -> None:
    shown = _answered(TEXT, SCORES, _asked("Who presented the proposals for harbour dues?"))
    assert shown.startswith("The Harbour Manager presented proposals")


SITE = (
    "The Planning Officer spoke to the application and advised that the site formed part "
    "of the garden of 12 Mill Lane. "
    "The site could be reached off Mill Lane by the existing drive. "
    "The street comprised a mixture of terraced houses and bungalows. "
    "The Officer added that the site falls within the settlement boundary where new "
    "development was acceptable."
)
SITE_SCORES = [0.67, 0.50, 0.30, 0.46]


def test_asked_for_no_kind_the_whole_passage_is_read_for_the_question_s_own_words() -> None:
    # the closest introduces the item; the answer, far below it in cosine, is the one
    # sentence naming "settlement" and "boundary"
    shown = _answered(
        SITE,
        SITE_SCORES,
        _asked("Is the garden plot at 12 Mill Lane inside the settlement boundary?"),
    )
    assert shown.startswith("The Officer added that the site falls within the settlement")


def test_asked_for_no_kind_one_word_of_the_question_named_apart_tells_nothing() -> None:
    shown = _answered(
        SITE, SITE_SCORES, _asked("Is the garden plot at 12 Mill Lane in a boundary?")
    )
    assert shown.startswith("The Planning Officer spoke to the application")
