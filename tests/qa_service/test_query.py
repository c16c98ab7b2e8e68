"""Query understanding: abbreviations, typos, and the council and years a question names."""

from __future__ import annotations

import pytest

from qa_service.query import QueryReader
from qa_service.query_filters import council_short_name, read_years

COUNCILS = [
    "Northmoor County Council",
    "Ravensholt City Council",
    "Quarrington Metropolitan Borough Council",
    "London Borough of Camden",
]
VOCABULARY = {"agency": 12, "threshold": 9, "recruitment": 4, "thresholds": 3, "agenda": 20}


@pytest.fixture
def reader() -> QueryReader:
    return QueryReader(COUNCILS, VOCABULARY, known_words={"quitting", "children"})


@pytest.mark.parametrize(
    ("council", "short"),
    [
        ("Northmoor County Council", "Northmoor"),
        ("Quarrington Metropolitan Borough Council", "Quarrington"),
        ("London Borough of Camden", "Camden"),
        ("City of York Council", "York"),
        ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
    ],
)
def test_council_short_name(council: str, short: str) -> None:
    assert council_short_name(council) == short


@pytest.mark.parametrize(
    ("question", "date_from", "date_to"),
    [
        ("caseloads in 2016", "2016-01-01", "2017-12-31"),
        ("overspend 2024/25", "2024-04-01", "2025-12-31"),
        ("overspend 2024-25", "2024-04-01", "2025-12-31"),
        ("changes since the 2015 inspection", "2015-01-01", None),
        ("what was decided before 2019", None, "2018-12-31"),
        ("between 2019 and 2021", "2019-01-01", "2022-12-31"),
        ("no year here", None, None),
        ("a range 2019/23 is not a financial year", "2019-01-01", "2020-12-31"),
    ],
)
def test_years(question: str, date_from: str | None, date_to: str | None) -> None:
    got_from, got_to, _ = read_years(question)
    assert (got_from, got_to) == (date_from, date_to)


def test_abbreviations_are_spelt_out_for_the_model_and_searched_as_phrases(
    reader: QueryReader,
) -> None:
    u = reader.read("how many children on a CPP at the ILACS")
    assert "CPP (child protection plan)" in u.model_text
    assert "child protection plan" in u.terms and "cpp" in u.terms
    assert u.expansions[0] == "CPP = child protection plan"
    # the long form's words do not become separate lexical terms
    assert "protection" not in u.terms


def test_a_long_form_also_searches_its_abbreviation(reader: QueryReader) -> None:
    u = reader.read("number of looked after children")
    assert {"lac", "cla"} <= set(u.terms)
    assert u.model_text == "number of looked after children"


def test_typos_are_corrected_from_the_index_vocabulary(reader: QueryReader) -> None:
    u = reader.read("agnecy staff and theshold decisions")
    assert u.model_text == "agency staff and threshold decisions"
    assert {"agency", "threshold"} <= set(u.terms)
    assert u.corrections == ("agnecy -> agency", "theshold -> threshold")


@pytest.mark.parametrize(
    "word",
    [
        "quitting",  # a word the model knows is not a typo
        "agenda",  # a word the index holds
        "data",  # too short to judge
        "zzzzzzzz",  # nothing near it
        "Northmoor",  # a council
    ],
)
def test_words_that_are_not_typos(reader: QueryReader, word: str) -> None:
    assert reader.correct(word) is None


def test_councils_named_in_the_question(reader: QueryReader) -> None:
    u = reader.read("Ravensholt agency % in 2023 and Northmoor's too")
    assert set(u.councils) == {"Ravensholt City Council", "Northmoor County Council"}
    assert "Northmoor's" in u.council_phrases and u.date_phrases == ("2023",)
    assert (u.date_from, u.date_to) == ("2023-01-01", "2024-12-31")
    assert "ravensholt" not in u.key_terms


def test_lower_case_and_multi_word_names(reader: QueryReader) -> None:
    assert reader.read("camden fostering").councils == ("London Borough of Camden",)
    assert reader.read("quarrington front door").councils == (
        "Quarrington Metropolitan Borough Council",
    )
    assert reader.read("a northmoorish word").councils == ()


def test_key_concepts_carry_the_forms_papers_use() -> None:
    u = QueryReader(COUNCILS).read("how many children on a CPP in Ravensholt")
    assert ("cpp", "child protection plan") in u.key_concepts
    assert ("children",) in u.key_concepts
    assert all(c[0] in u.key_terms for c in u.key_concepts)
    assert not any("ravensholt" in c for c in u.key_concepts)


def test_the_abbreviations_a_long_form_implies_are_one_concept() -> None:
    u = QueryReader(COUNCILS).read("number of looked after children")
    implied = [c for c in u.key_concepts if "lac" in c]
    assert len(implied) == 1
    assert {"lac", "cla", "looked after children", "children in care"} <= set(implied[0])
    assert not any(c == ("cla",) for c in u.key_concepts)


def test_without_expansion_each_key_term_is_its_own_concept() -> None:
    u = QueryReader(COUNCILS, expand=False).read("children on a CPP")
    assert u.key_concepts == tuple((t,) for t in u.key_terms)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("When did Cabinet discuss unregistered placements and what was decided?", True),
        ("Last time scrutiny looked at missing children, what did it agree?", True),
        ("When was the action plan approved?", True),
        ("What did the board resolve about fostering fees?", True),
        # a refusal is a decision too
        ("why did the councillors turn down the houses at the old mill", True),
        ("Why was the club's grant application rejected?", True),
        ("Did the committee approve or refuse the outline application?", True),
        # "decision" as a subject, not a request for what a meeting decided
        ("how many contacts were waiting for a MASH decision", False),
        ("what did Ofsted say about threshold decisions", False),
        ("agency social workers in 2023", False),
    ],
)
def test_a_question_asking_what_was_decided(reader: QueryReader, question: str, asks: bool) -> None:
    assert reader.read(question).asks_decision is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("When did Northmoor's board last consider fostering?", True),
        ("Last time scrutiny looked at missing children, what did it agree?", True),
        ("When did the council most recently agree its precept?", True),
        ("What is the latest position on the deficit?", True),
        # "last" naming a period, not the latest occasion
        ("how many right to buy sales were there last year", False),
        ("How much have EHCP numbers gone up over the last four years?", False),
        ("When did the board first consider fostering?", False),
    ],
)
def test_a_question_asking_for_the_latest_time(
    reader: QueryReader, question: str, asks: bool
) -> None:
    assert reader.read(question).asks_latest is asks


def test_a_possessive_council_name_is_not_a_key_term(reader: QueryReader) -> None:
    u = reader.read("When did Northmoor's board last consider fostering?")
    assert u.councils == ("Northmoor County Council",)
    assert "northmoor" not in u.key_terms and "s" not in u.key_terms


@pytest.mark.parametrize(
    ("form", "found"),
    [
        ("agency", True),  # held as it is
        ("agencies", True),  # its first letters
        ("thresholds", True),
        ("agendas", True),  # a plural of a word held
        ("quitting", False),  # the model knows it, no passage has it
        ("agency threshold", True),  # a phrase: every word held
        ("agency quitting", False),
    ],
)
def test_what_the_index_could_match(reader: QueryReader, form: str, found: bool) -> None:
    assert reader.in_index(form) is found


def test_a_key_term_no_passage_could_hold_is_left_out_of_the_concepts(
    reader: QueryReader,
) -> None:
    u = reader.read("why are agency staff quitting")
    assert "quitting" in u.key_terms
    assert ("agency",) in u.key_concepts
    assert not any("quitting" in c for c in u.key_concepts)
    # without a vocabulary nothing can be judged, so everything counts
    assert ("quitting",) in QueryReader(COUNCILS).read("why are agency staff quitting").key_concepts


def test_words_about_how_a_question_is_put_are_not_key_terms(reader: QueryReader) -> None:
    u = reader.read("Why do families keep coming back after the case is closed, since 2019?")
    assert {"keep", "back", "since"}.isdisjoint(u.key_terms)
    # a light verb in any of its forms
    assert "getting" not in reader.read("Are care leavers getting help?").key_terms
    assert {"families", "case", "closed"} <= set(u.key_terms)
    # they are still searched lexically, where BM25 weighs them
    assert "back" in u.terms
    # contractions leave no key term behind, and nouns of the stop list stay key terms
    u = reader.read("Who talks to them once they're home? What about the front door?")
    assert "re" not in u.terms
    assert {"front", "door"} <= set(u.key_terms)
    # a prefix is not a contraction
    assert {"re", "referral"} <= set(reader.read("the re-referral rate").key_terms)


def test_the_topic_text_is_the_question_without_the_councils_it_names(
    reader: QueryReader,
) -> None:
    u = reader.read("How many CLA did Northmoor's panel count in Ravensholt?")
    assert u.topic_text == "How many CLA (children looked after) did panel count in?"
    assert "Northmoor" in u.model_text  # the question as asked is kept beside it
    assert reader.read("how many children in care").topic_text == ""  # names none


def test_the_search_text_leaves_out_a_committee_named_but_not_a_council_word() -> None:
    reader = QueryReader(COUNCILS, committees=["Audit Committee", "Full Council", "Cabinet"])
    u = reader.read("What did Northmoor's audit committee say about the council's accounts?")
    assert u.search_text == "What did say about the council's accounts?"
    assert u.topic_text == "What did audit committee say about the council's accounts?"
    assert reader.read("What did full council say?").search_text == ""


def test_an_everyday_phrase_is_kept_with_its_words_and_the_papers_terms(
    reader: QueryReader,
) -> None:
    u = reader.read("What is holding up special needs plans?")
    assert u.everyday == (
        (("special", "needs", "plans"), ("education, health and care plan", "ehcp")),
    )
    assert reader.read("How many children in care?").everyday == ()


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who substituted for Councillor Dear at the meeting?", True),
        ("Who sent apologies to the October meeting?", True),
        ("Who was present at the AGM?", True),
        ("Who attended the October meeting?", True),
        # school attendance and absence are topics, not a meeting's attendance
        ("How did attendance at school change?", False),
        ("How many pupils were persistently absent?", False),
        ("Who chaired the committee?", False),
        ("What is the present level of reserves?", False),
    ],
)
def test_a_question_asking_who_attended(reader: QueryReader, question: str, asks: bool) -> None:
    assert reader.read(question).asks_attendance is asks


def test_a_how_many_question_reads_what_it_counts() -> None:
    reader = QueryReader(COUNCILS)  # no vocabulary: every key term is kept
    u = reader.read("How many contacts were waiting for a MASH decision?")
    assert u.counted == (("contacts",),)
    # an abbreviation counted brings its long forms, as papers write the count in them
    cla = reader.read("How many CLA did Northmoor have at the end of 2018?").counted
    assert len(cla) == 1 and cla[0][0] == "cla" and "looked after children" in cla[0]
    # the run of key terms after "how many", past "of the"
    assert [c[0] for c in reader.read("How many of the 96 plan actions were done?").counted] == [
        "96",
        "plan",
        "actions",
    ]
    assert reader.read("What did the board decide about contacts?").counted == ()
    assert reader.read("how many were there when the contacts rose").counted == ()


def test_a_council_the_index_lacks_is_one_no_passage_names() -> None:
    reader = QueryReader(COUNCILS, {**VOCABULARY, "care": 30, "youth": 5})
    cardiff = reader.read("What did Cardiff Council's cabinet decide about agency staff?")
    assert cardiff.unknown_councils == ("Cardiff Council",) and cardiff.councils == ()
    # bodies the papers write about under such a name are not councils the index lacks
    assert reader.read("What did the Children in Care Council ask for?").unknown_councils == ()
    assert reader.read("What did Northmoor Youth Council say?").unknown_councils == ()
    # without a vocabulary (an index written before it was kept) nothing is ruled out
    assert QueryReader(COUNCILS).read("What did Cardiff Council decide?").unknown_councils == ()
