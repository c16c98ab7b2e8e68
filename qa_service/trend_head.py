"""The head of the measure a question asks for, for a trend: the noun its asked phrase is about.

"number of posts to be cut in the budget" asks a count of posts, whatever the budget is:
the head of the measure is "number", and what it counts is "posts"; "additional investment
in children's social care" asks money by its head, "investment". English puts a noun
phrase's head last, before what qualifies it: a preposition ("of", "in", "on" ...), a
relative word ("who", "that" ...), an infinitive's "to", a determiner opening a clause
("council homes the council owns") or a participle after its noun ("comments received on
the Local Plan consultation"). ``qa_service.trend_read.asked_unit`` reads the unit asked by
it first, ``qa_service.trend_sentence`` prefers a count of what is counted.
"""

from __future__ import annotations

import re

from qa_service.amount_ask import _IRREGULAR_PLURALS

# What a count is asked by, as the head of the measure ("number of posts to be cut in the
# budget" counts posts, whatever the budget is).
COUNT_HEADS = frozenset(["number", "numbers"])
# Where the asked noun phrase ends: a preposition, a relative word, an infinitive's "to", a
# determiner opening a clause ("council homes the council owns") or a participle after its
# noun ("comments received on the Local Plan consultation", "savings expected from the
# transformation programme"); not "and" or "or" ("licensed taxi and private hire vehicles").
_HEAD_ENDS = re.compile(
    r"of|in|on|for|to|from|with|by|at|towards|across|between|under|over|per|into|within|after"
    r"|before|during|since|than|as|who|whose|that|which|where|when|compared|the|an?"
)
# A question's opening before its measure: "What was the", "How much is the".
_OPENING = re.compile(
    r"^\s*(?:(?:what|which)\s+(?:is|was|are|were|has\s+been|have\s+been|will\s+be)\s+)?"
    r"(?:(?:the|a|an|its|their|our|this|that|these|those)\s+)?",
    re.I,
)
_HEAD_WORD = re.compile(r"[A-Za-z][\w'’-]*")


# An irregular past participle after a noun ends its phrase, as one in "-ed" does ("money put
# into extra Care Act assessment capacity": the head is "money", not "put"). Those that are
# also nouns or adjectives before a noun ("set", "cut", "paid", "found", "left" …) are left
# out. Stop 26; off gives stop 25's reading.
IRREGULAR_ENDS = True
_ENDING_PARTICIPLES = frozenset(
    ["put", "spent", "given", "taken", "brought", "sought", "won", "lost", "sold", "kept", "held"]
)
# More of them, neither noun nor adjective before a noun ("money made by the car boot sale",
# "recommendations made by Ofsted", "homes built in the year"), end the measure's head (its
# noun phrase, whose words say what a sentence must name, is left whole: "profit made"). Stop
# 28; off gives stop 27's reading (the participle read as the head).
MORE_PARTICIPLES = True
_MORE_PARTICIPLES = frozenset(
    ["made", "built", "bought", "done", "shown", "sent", "written", "chosen", "drawn", "grown"]
)


def measure_head(question: str) -> str:
    """The head noun of the measure a question asks for, lower case: the last word of its
    first noun phrase, before a preposition, a relative word or a participle ("investment"
    of "additional investment in children's social care", "number" of "number of posts to
    be cut in the budget", "target" of "annual tree planting target"); "number" for "how
    many"; "" for none."""
    if re.match(r"^\s*(?:by\s+)?how\s+many\b", question, re.I):
        return "number"
    words = _noun_phrase(question)
    if MORE_PARTICIPLES:  # "money made by the car boot sale": the head is "money"
        words = next(
            (words[:i] for i, w in enumerate(words) if i and w in _MORE_PARTICIPLES), words
        )
    return (words or [""])[-1]


def _noun_phrase(text: str) -> list[str]:
    """The words of the first noun phrase of ``text``, lower case, its opening ("What was
    the") and possessives' "'s" off."""
    opening = _OPENING.match(text)
    words = [m.group() for m in _HEAD_WORD.finditer(text, opening.end() if opening else 0)]
    out: list[str] = []
    for word in words:
        low = word.lower()
        if _HEAD_ENDS.fullmatch(low) or (out and low.endswith("ed") and "-" not in low):
            break
        if IRREGULAR_ENDS and out and low in _ENDING_PARTICIPLES:
            break  # "money put into extra assessment capacity", "money spent on repairs"
        out.append(re.sub(r"['’]s?$", "", low))
    return out


def counted_head(question: str) -> str:
    """The head noun of what a question asking "number of" or "how many" counts, lower case
    ("vehicles" of "number of licensed taxi and private hire vehicles", "posts" of "How many
    posts were cut"); "" when it asks no count by its head."""
    m = re.match(r"^\s*(?:by\s+)?how\s+many\s+", question, re.I)
    if m is None and measure_head(question) in COUNT_HEADS:
        m = re.search(r"\bnumbers?\s+of\s+", question, re.I)
    if m is None:
        return ""
    phrase = _noun_phrase(question[m.end() :])
    # what is counted is plural: its last plural noun ("children" of "children subject to a
    # child protection plan", "conferences" of "initial child protection conferences held")
    plural = [w for w in phrase if w in _IRREGULAR_PLURALS or re.search(r"[^s]s$", w)]
    return (plural or phrase or [""])[-1]


# A participle after a noun, in "-ing" ("employers participating in the pension fund",
# "shops caught selling vapes"), or irregular ("caught", "held", "paid" …: the "-ed" ones end
# the noun phrase already): what a question asking no unit counts is before it.
_ING = re.compile(r"[a-z]{3,}ing")
_IRREGULAR_PARTICIPLES = frozenset(
    ["caught", "held", "paid", "sold", "made", "taken", "given", "seen", "found", "kept", "left"]
)


def plural_head(question: str) -> str:
    """What a question asking no unit counts, when its measure opens with a plural noun: the
    first plural of its noun phrase before a participle ("employers" of "employers
    participating in the pension fund", "shops" of "shops caught selling vapes to under-18s");
    "" when none."""
    phrase = _noun_phrase(question)
    cut = next(
        (
            i
            for i, w in enumerate(phrase)
            if i and (_ING.fullmatch(w) or w in _IRREGULAR_PARTICIPLES)
        ),
        len(phrase),
    )
    plural = [w for w in phrase[:cut] if w in _IRREGULAR_PLURALS or re.search(r"[^s]s$", w)]
    return plural[0] if plural else ""


def plural_last(question: str) -> str:
    """The head of a question's measure when it is a plural noun: the last word of its noun
    phrase before a participle ("posts" of "extra social work posts paid for by the
    council's investment", "routes" of "bus routes that would be withdrawn"; not "services"
    of "children's services overspend"); "" when that word is no plural."""
    phrase = _noun_phrase(question)
    cut = next(
        (
            i
            for i, w in enumerate(phrase)
            if i and (_ING.fullmatch(w) or w in _IRREGULAR_PARTICIPLES)
        ),
        len(phrase),
    )
    last = phrase[cut - 1] if cut else ""
    return last if last in _IRREGULAR_PLURALS or re.search(r"[^s]s$", last) else ""
