"""The glossary: case-sensitive abbreviations and everyday words read as the papers' terms."""

from __future__ import annotations

import pytest

from qa_service.glossary import (
    ABBREVIATIONS,
    CASE_SENSITIVE,
    EVERYDAY,
    abbreviation,
    annotate,
    everyday_terms,
)
from qa_service.query import QueryReader

COUNCILS = ["Ravensholt City Council", "Milburn Parish Council"]


@pytest.mark.parametrize(
    ("word", "long_form"),
    [
        ("SEND", "special educational needs and disabilities"),
        ("send", None),  # the verb
        ("Send", None),  # the verb at the start of a sentence
        ("PEP", "personal education plan"),
        ("pep", None),
        ("PEPs", "personal education plans"),
        ("MACE", "multi-agency child exploitation"),
        ("mace", None),
        ("MASH", "multi-agency safeguarding hub"),
        ("mash", None),
        ("TA", "temporary accommodation"),
        ("ta", None),
        ("EHCP", "education, health and care plan"),
        ("ehcp", "education, health and care plan"),  # no English word: any case
        ("LAC", "looked after children"),
        ("lac", "looked after children"),
        ("FTE", "full-time equivalent"),  # not "first time entrants"
        ("children", None),
    ],
)
def test_abbreviations_by_case(word: str, long_form: str | None) -> None:
    forms = abbreviation(word)
    assert (forms[0] if forms else None) == long_form


def test_every_case_sensitive_abbreviation_is_an_abbreviation() -> None:
    assert set(CASE_SENSITIVE) <= set(ABBREVIATIONS)
    assert "first time entrants" not in ABBREVIATIONS["fte"]


def test_everyday_phrases_are_lower_case_and_never_abbreviation_keys() -> None:
    for phrase, forms in EVERYDAY.items():
        assert phrase == phrase.lower() and forms
        assert phrase not in ABBREVIATIONS


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Has my son's special needs plan been reviewed?",
            [("special needs plan", "education, health and care plan")],
        ),
        ("How many children are home-schooled?", [("home-schooled", "elective home education")]),
        ("how many children are home schooled", [("home schooled", "elective home education")]),
        ("Why is children's social care over budget?", [("over budget", "overspend")]),
        ("What council tax does Milburn charge?", [("council tax", "precept")]),
        (
            "Who fixes potholes and pavements?",
            [("potholes", "carriageway defects"), ("pavements", "footways")],
        ),
        ("How many kids are in care?", [("kids", "children")]),
        (
            "Did the committee discuss special needs?",
            [("special needs", "special educational needs")],
        ),
        ("council houses for rent", [("council houses", "social housing")]),
        ("council housing waiting list", [("council housing", "social housing")]),
        ("kidney dialysis", []),  # whole words only
        (
            "hold-ups with special needs plans",
            [("special needs plans", "education, health and care plan")],
        ),
        ("Are home-educated children seen?", [("home-educated", "elective home education")]),
        # a verb form matches its other form
        ("people dumping rubbish in the lanes", [("dumping rubbish", "fly-tipping")]),
        ("pupils who skipped school", [("skipped school", "persistent absence")]),
        ("speed bumps on my road", [("speed bumps", "traffic calming")]),  # "speed" is no verb form
        ("When did the council meet?", []),
    ],
)
def test_everyday_terms(text: str, found: list[tuple[str, str]]) -> None:
    assert [(e.phrase, e.forms[0]) for e in everyday_terms(text)] == found


def test_annotate_keeps_the_everyday_words() -> None:
    assert annotate("How many kids have a special needs plan?") == (
        "How many kids (children) have a special needs plan (education, health and care plan)?"
    )


def test_the_reader_adds_the_papers_terms_and_groups_the_phrase() -> None:
    u = QueryReader(COUNCILS).read("How many home-schooled kids are there in Ravensholt?")
    assert "elective home education" in u.terms and "children" in u.terms
    assert "home-schooled (elective home education)" in u.model_text
    assert "kids (children)" in u.model_text
    assert "home-schooled = elective home education" in u.expansions
    # the papers' words search, but coverage (and confidence) stays with the question's own
    assert "ehe" not in u.key_terms and "children" not in u.key_terms
    assert ("kids",) in u.key_concepts
    assert not any("elective home education" in c for c in u.key_concepts)


def test_send_the_verb_is_not_special_educational_needs() -> None:
    verb = QueryReader(COUNCILS).read("How do I send a complaint to Ravensholt?")
    assert not verb.expansions
    assert "special educational needs and disabilities" not in verb.terms
    assert ("send",) in verb.key_concepts
    send = QueryReader(COUNCILS).read("How many SEND tribunals in Ravensholt?")
    assert "SEND = special educational needs and disabilities" in send.expansions
    assert ("send", "special educational needs and disabilities") in send.key_concepts


def test_without_expansion_nothing_is_added() -> None:
    u = QueryReader(COUNCILS, expand=False).read("Is the council over budget on SEND?")
    assert not u.expansions
    assert "overspend" not in u.terms
