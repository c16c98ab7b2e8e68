"""The councils a question names: the word-indexed lookup finds what trying every council's
pattern finds, in the same order."""

from __future__ import annotations

import re

from qa_service.query_filters import CouncilNames, WordLed, council_pattern, council_short_name

COUNCILS = [
    "Northmoor County Council",
    "Sellbridge Borough Council",
    "King's Lynn and West Norfolk Borough Council",
    "Stoke-on-Trent City Council",
    "St. Helens Metropolitan Borough Council",
    "North Somerset Council",
    "North Tyneside Council",
    "Royal Borough of Kensington and Chelsea",
    "City of London",
    "Ards Council",
    "(Old) Eastshire District Council",
    "Southmoor Council",
]

QUESTIONS = [
    "What did Northmoor decide about libraries?",
    "northmoor's budget in 2021",
    "NORTHMOOR’S budget",
    "Northmoors budget",  # not a word boundary: no council
    "Compare Sellbridge and Northmoor on potholes",
    "King's Lynn housing",
    "kings lynn housing",
    "Stoke-on-Trent bus services",
    "Stoke on Trent bus services",
    "St. Helens parks",
    "St Helens parks",
    "North Somerset and North  Tyneside",
    "Kensington and Chelsea schools",
    "What did the council decide?",
    "Old Eastshire roads",
    "(Old) Eastshire roads",
    "x(Old) Eastshire roads",
    "southmoor, northmoor",
    "",
]


def _brute_force(councils: list[str], question: str) -> tuple[list[str], list[str]]:
    """Every council's pattern tried in turn (the lookup's specification)."""
    found: list[str] = []
    phrases: list[str] = []
    for council in councils:
        short = council_short_name(council)
        if len(short) < 3:
            continue
        match = council_pattern(short).search(question)
        if match:
            found.append(council)
            phrases.append(match.group(0))
    return found, phrases


def test_lookup_finds_what_every_pattern_finds() -> None:
    names = CouncilNames(COUNCILS)
    for question in QUESTIONS:
        assert names.named(question) == _brute_force(COUNCILS, question), question


def test_named_councils_in_the_index_order() -> None:
    names = CouncilNames(COUNCILS)
    found, phrases = names.named("southmoor, then Northmoor's and Sellbridge")
    assert found == [
        "Northmoor County Council",
        "Sellbridge Borough Council",
        "Southmoor Council",
    ]
    assert phrases == ["Northmoor's", "Sellbridge", "southmoor"]


def test_a_name_starting_without_a_word_character_is_tried_for_every_question() -> None:
    # its pattern's leading word boundary needs a word character just before the "("
    councils = ["(Old) Eastshire District Council", "Northmoor County Council"]
    names = CouncilNames(councils)
    for question in ("x(Old) Eastshire roads", "(Old) Eastshire roads", "Old Eastshire"):
        assert names.named(question) == _brute_force(councils, question)
    assert names.named("x(Old) Eastshire roads")[0] == ["(Old) Eastshire District Council"]


def test_word_led_patterns_find_what_trying_each_finds_in_the_order_added() -> None:
    names = ["Children's Services Scrutiny", "Cabinet", "(Joint) Health Board", "children panel"]
    patterns = [re.compile(r"\b" + re.escape(n) + r"\b", re.IGNORECASE) for n in names]
    lookup = WordLed()
    for name, pattern in zip(names, patterns, strict=True):
        lookup.add(name, pattern)
    for text in [
        "what did the children panel and CHILDREN'S SERVICES SCRUTINY say?",
        "the Cabinet's view",
        "x(Joint) Health Board",
        "the childrens services scrutiny",
        "",
    ]:
        every = [(p, m.group(0)) for p, m in enumerate(q.search(text) for q in patterns) if m]
        assert [(p, m.group(0)) for p, m in lookup.found(text)] == every, text


def test_a_formal_council_name_the_index_lacks_is_unknown() -> None:
    names = CouncilNames(["Northmoor County Council", "Royal Sutton Coldfield Town Council"])
    assert names.unknown("What did Cardiff Council's cabinet decide in 2023?") == [
        ("Cardiff Council", ["cardiff"])
    ]
    assert names.unknown("How much did Glasgow City Council budget for care?") == [
        ("Glasgow City Council", ["glasgow"])
    ]
    # the index's councils, in full or in part, and kinds of council alone are not unknown
    assert names.unknown("Has Northmoor County Council's cabinet met?") == []
    assert names.unknown("What did Sutton Coldfield Town Council spend?") == []
    assert names.unknown("What did Full Council decide? Did the Town Council agree?") == []
    assert names.unknown("What did the council decide?") == []
