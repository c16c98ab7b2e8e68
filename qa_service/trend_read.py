"""Reading a figure from a sentence, for a trend: which numbers a sentence states, which of
them is its current one, and which unit a question asks for.

Pure functions over text; ``qa_service.trend_sentence`` picks each meeting's sentence with them
and with ``qa_service.trend_words`` (how a sentence names a question's key words).

- A figure is a percentage, an amount of money, a rate per 1,000/10,000/100,000 or a count;
  years, dates, times, paragraph numbers, school year groups ("Year 6") and periods ("20
  weeks", "ten school days") are not counts (hours are, for "hours of home care"), and a
  count in words is one when it counts what the question asks ("Twelve families" for
  families in bed and breakfast). Nor is a figure inside a name ("the Regulation 18
  consultation", "Phase 4", "ISA 260", "Tranche Two": ``qa_service.named_figure``, the
  attribution the abstention reads a count by), but a possessive's ("the Council's 22
  flats"), a row's label's ("Adults 1.5 1.2") and a line's first word's. A length with a
  decimal ("a supply of 3.8 years") is measured, not set: a figure in its own unit.
- No figure of a sentence holding a row of bare numbers ("Children in care 262 266 270
  272") is read: which column is the current one is for the table's header to say
  (``qa_service.trend_table`` reads a row by its header).
- Which figure is the sentence's current one is ``qa_service.trend_current``'s to say.
- In a sentence of several figures, a figure's own words are its item of the list
  (``qa_service.trend_items``).
- The unit asked: first by the head of the measure asked (``qa_service.trend_head``):
  "number of" and "how many" ask a count whatever follows ("number of posts to be cut in the
  budget"), a money noun as the head asks money ("investment in children's social care");
  then money when the question names it ("cost", "balance", "payment to", "hourly rate") or
  a charge levied as itself ("Band D council tax"), a share ("rate", "within 20 weeks",
  "council tax rise"), a count ("number of"); a question that asks none does not ask for
  money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cqa_core.text import MONTH_NAMES, MONTH_NUMBERS
from qa_service.answer_kind import MONEY_ASKED
from qa_service.named_figure import NAMED_FIGURE, NAMED_WORD, named_spans
from qa_service.trend_head import COUNT_HEADS, measure_head, plural_last
from qa_service.trend_words import _NOT_KEY_STEMS, _WORD, stem, stems

_FIGURE = re.compile(
    # "£   65.00": a payments list spaces its amounts from the sign
    # "£500pa": a year's amount, the sign's figure ends at its "pa"
    r"(?P<money>£(?:[ \t]+|\s)?(?P<mval>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>million|billion|bn|m|k)?"
    r"(?:\b|(?=pa\b)))"
    r"|(?P<pct>(?P<pval>\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b))"
    # a rate per base, its noun between ("46 missed bins per 100,000 collections")
    r"|(?P<rate>(?P<rval>\d+(?:\.\d+)?)\s+(?:[a-z]+\s+){0,3}?per\s+(?P<base>1,000|10,000|100,000)\b)"
    # a number glued to a letter names something ("Q3 2024/25", "A466", "KS2"): not a count
    # a signed number ("+17", "-6") is a change a table states beside a level, not a count
    r"|(?P<count>(?<![\d.,/£A-Za-z+-])(?P<cval>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    # "17.4 children" is a count, "10.00 am" is not; "531, a rate of" ends at the comma;
    # an ordinal ("2nd December", "20th May 2019", "the 3rd quarter") numbers, not counts
    r"(?!\d|,\d|[/%]|\.\d|\s?per\b|\s?(?:am|pm)\b|(?:st|nd|rd|th)\b))"
)
# After a whole number opening a line: a full stop, then a space or the line's end (not "3.5",
# nor "4 children."). Stop 25; off gives stop 24's reading (the number read as a count).
MINUTE_NUMBERS = True
_MINUTE_NUMBER = re.compile(r"\.(?:[ \t]|$)", re.M)
# Letters glued to a number's end ("20mph", "4G"). Stop 25; off gives stop 24's reading.
GLUED_NAMES = True
_GLUED = re.compile(r"[A-Za-z]")
_MULT = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = MONTH_NAMES  # cqa_core.text's one list
_MONTH_NUMBER = MONTH_NUMBERS
# A day of a date, alone or the first of a range: "8 September", "18 and 19 October".
_DATE_NUMBER = re.compile(rf"^(?:\s*(?:and|to|-|–)\s*\d{{1,2}})?\s+(?:{_MONTHS})\b")
# A range's first day read with the whole range: "between 16 and 27 September 2019" (the
# sixteen characters after "16" end inside "September"). Stop 28; off gives stop 27's
# reading (the first day read as a count).
DATE_RANGES = True
# A count in words before a word saying what it counts is added ("eight new find-and-fix
# teams", "three additional social workers") counts the noun after that word. Stop 28; off
# gives stop 27's reading (the count read only with the noun right after it).
WORDS_ADDED = True
_ADDED = re.compile(r"new|additional|extra|further|more", re.I)
# A count in words of some of a whole counted after it ("seven of the nine quality
# statements", "three of the 12 homes") counts the whole's noun. Stop 31; off gives stop 30's
# reading (the count read only with the noun right after it: "of" is none).
WORDS_OF_THE = True
# A whole number opening a line that is a title ("31 Ofsted Inspection of Local Authority
# Children's Services (ILACS) - Outcome"): its minute's or section's number, as "83. CLIMATE
# EMERGENCY" is. A title: two words or more, each word of four letters or more capitalised,
# no full stop at its end. Stop 28; off gives stop 27's reading (the number read as a count).
TITLE_NUMBERS = True
_TITLE_LINE = re.compile(r"[ \t]+(?P<title>[A-Z][^\n]*?)[ \t]*$", re.M)
# A number of days or weeks is a period, not a count ("within 20 weeks").
# ("ten school days", "28 calendar days" too, as a stated period's words read them)
_PERIOD = re.compile(
    r"^[\s-]*(?:(?:working|school|calendar|clear)\s+)?(?:days?|weeks?|months?|years?|hours?)\b",
    re.I,
)
# An age bound on whom a sentence speaks of: "people under 18", "residents aged over 65",
# "children under 5 and their families" … with no noun of its own after it ("under 18
# months" is a period; "a rise to over 500 requests" counts: no plural noun before "over").
# Stop 25; off gives stop 24's reading (the bound read as a count).
AGE_BOUNDS = True
_AGE_BOUND = re.compile(
    r"\b(?:people|persons|children|adults|pupils|residents|men|women|youngsters|those|anyone"
    r"|[a-z]{3,}(?<!s)s)\s+(?:aged\s+)?(?:under|over|below|above)\s+$",
    re.I,
)
_AGE_BOUND_AFTER = re.compile(
    r"(?:\s*(?:$|[.,;:)]|\s+(?:and|or)\s+(?:over|under|older|younger|above|below)\b"
    r"|\s+(?:and|or|who|with|in|at|from|across)\b))"
)
_AGE = re.compile(r"\b(?:aged|age\s+of)\s+(?:\d{1,2}\s*(?:,|to|-|–|and)\s*)*$", re.I)
# A number that labels something: "Table 1", "Appendix 2", "paragraph 7", "Ch. No. 300097",
# and a numbered part of a year or a programme: "during quarter 2", "Phase 1", "stage 3",
# or a paper's version: "Accounts Draft 1", "version 2".
_LABEL = re.compile(
    r"\b(?:table|figure|chart|appendix|annex|item|section|paragraph|page|no\."
    r"|quarter|phase|stage|tier|round|draft|version)\s+$",
    re.I,
)
# A school year or key stage, written with its capital: "in Year 6", "in Year 11", "Years 12
# and 13", "Key Stage 2" name a year group, not how many ("38% of children in care in Year
# 6": not 6). Lower case "year 2" of a programme is left to the period and date rules.
_SCHOOL_YEAR = re.compile(r"\b(?:Years?|Key Stage)\s+(?:\d{1,2}\s*(?:,|and|to|-|–)\s*)*$")
# Three or more bare numbers in a row: a table row read as text.
_ROW = re.compile(r"(?:\d[\d,.]*%?\s*\|?\s+){2,}\d[\d,.]*%?")
_ASKS_COUNT = re.compile(r"\b(?:how many|number of|numbers)\b", re.IGNORECASE)
# Money asked for by name: the money measures a question asks an amount with (the service's
# one list, ``answer_kind.MONEY_ASKED``: cost, fee, budget, spend, saving, grant, pay ...),
# less the charges levied ("rent", "charge"), which ``_ASKS_LEVY`` reads by where they stand
# ("garage rents" is money, "rent increase" a share); then what a trend asks beside them:
# what is held or owed ("balance", "deficit", "reserves"), paid to staff ("salary",
# "expenses"), a payment to/for someone ("a direct payment" is a way of arranging care), a
# donation, capital (money to build or buy with: "capital for feasibility studies"), assets
# held ("the pension fund's net assets"), an allowance paid ("Chairman's Allowance"), a hire
# charged ("village hall room hire") and a rate by the hour or week ("standard hourly rate
# for home care", a price, not a share).
_LEVIED = frozenset(["rent", "charge"])
_MONEY_FORMS = sorted(
    {form for noun, forms in MONEY_ASKED.items() if noun not in _LEVIED for form in forms}
    | {"prices", "overspend", "income", "vat", "reserves", "surplus", "deficit", "expenses"}
    | {"balance", "balances", "salary", "salaries", "wage", "wages"}
    | {"subscription", "subscriptions", "donation", "donations", "capital"}
    | {"assets", "allowance", "allowances", "hire"}
)
# ("paid work", "paid employment": work that is paid, not an amount: "adults with learning
# disabilities in paid work")
_ASKS_MONEY = re.compile(
    rf"£|\b(?:{'|'.join(_MONEY_FORMS)})\b(?<!\bpaid)(?!\s+(?:work|employment|jobs?)\b)"
    r"|\bpaid\b(?!\s+(?:work|employment|jobs?)\b)|\bpayments?\s+(?:to|for)\b"
    r"|\b(?:hourly|weekly|daily|monthly)\s+rates?\b",
    re.I,
)
# A charge levied, asked for as itself ("Band D council tax", "garage rents"), is an amount;
# its rate or its change is a share ("council tax collection rate", "rent increase").
# So is one asked with what it is levied for ("annual rent for a full allotment plot").
_ASKS_LEVY = re.compile(
    r"\b(?:tax|taxes|rents?|charges?|fares?|levy)(?:\s+(?:for|of|on)\s+[^%]*)?\W*$", re.I
)
_ASKS_SHARE = re.compile(
    r"%|\b(?:rate|percentage|proportion|per ?cent|share)\b"
    r"|\bwithin\s+\d+\s+(?:working\s+)?(?:hours|days|weeks|months)\b"  # timeliness is a share
    # a change asked for as itself ("council tax rise", "rent increase"), not a change in
    # something ("rise in the number of …"), is a share of what it changes
    r"|\b(?:rise|rises|increase|increases|reduction|reductions)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A number stated in a sentence: its value, unit and offsets in the passage text."""

    value: float
    unit: str  # "%", "£", "count", "per 10,000" (etc.) or a length measured ("years")
    start: int
    end: int


def figures(
    text: str,
    start: int = 0,
    end: int | None = None,
    counted: frozenset[str] = frozenset(),
    nouns: frozenset[str] = frozenset(),
    lengths: bool = False,
) -> list[Figure]:
    """The figures stated in ``text[start:end]`` (years and dates are not counts; nor are
    periods, but for a question that counts them: ``counted`` holds their kinds, "hour" for
    "hours of home care a week that could not be arranged"). A count written in words is
    read when the word after it is one of ``nouns``, the stems of what the question counts
    ("Twelve families" for "families with children in bed and breakfast"). For a question
    asking how long (``lengths``: "median wait for a Care Act assessment"), a length is a
    figure in its own unit, in digits or words ("The median wait was nine weeks"), but for
    the period a measure is timed by ("within five working days")."""
    out = []
    # a count inside a name is none ("the Regulation 18 consultation", "Phase 4", "ISA 260":
    # ``named_figure``, the attribution the abstention reads a count by)
    caption = _MONEY_CAPTION.search(text, start, len(text) if end is None else end)
    names = [
        (a, b)
        for a, b in named_spans(text, NAMED_FIGURE, start, end, lines=True)  # "Total 302"
        # a possessive is no name ("the Council's 22 leased flats"), nor is a row's label
        # before its cells ("Reablement-first home care Adults 1.5 1.2 Amber")
        if not _POSSESSIVE.match(text, a) and not _NEXT_CELL.match(text, b)
    ]
    for m in _FIGURE.finditer(text, start, len(text) if end is None else end):
        if m.group("money"):
            value = float(m.group("mval").replace(",", ""))
            # rounded to the penny: "£8.3 million" is 8,300,000, not 8,300,000.000000001
            value = round(value * _MULT.get((m.group("mult") or "").lower(), 1.0), 2)
            out.append(Figure(value, "£", m.start(), m.end()))
        elif m.group("pct"):
            out.append(Figure(float(m.group("pval")), "%", m.start(), m.end()))
        elif m.group("rate"):
            unit = f"per {m.group('base')}"
            out.append(Figure(float(m.group("rval")), unit, m.start(), m.end()))
        else:
            raw = m.group("cval")
            after = text[m.end() : m.end() + 16]
            line_start = text.rfind("\n", 0, m.start()) + 1
            numbering = "." in raw and not text[line_start : m.start()].strip()  # "8.2 The ..."
            # a line opened by a whole number and a full stop numbers its minute or paragraph
            # ("83. CLIMATE EMERGENCY ACTION PLAN", "3479.   Discuss quotation …", "6.")
            numbering = numbering or bool(
                MINUTE_NUMBERS
                and not text[line_start : m.start()].strip()
                and _MINUTE_NUMBER.match(text, m.end())
            )
            numbering = numbering or bool(
                TITLE_NUMBERS
                and "." not in raw
                and not text[line_start : m.start()].strip()
                and _titled(text, m.end())
            )
            before = text[max(0, m.start() - 24) : m.start()]
            marker = before.endswith("(") and after.startswith(")")  # "(2) the report be noted"
            age = bool(_AGE.search(before))  # "aged 13", "the age of 25"
            # who is counted, by age: "17 shops sold vapes to people under 18."
            age = age or bool(
                AGE_BOUNDS and _AGE_BOUND.search(before) and _AGE_BOUND_AFTER.match(after)
            )
            label = bool(_LABEL.search(text, max(0, m.start() - 12), m.start()))  # "Table 1"
            label = label or bool(_SCHOOL_YEAR.search(before))  # "Year 6", "Years 12 and 13"
            # (a table captioned in money states amounts: "(£000) Reablement 900" is a cell)
            named = any(a <= m.start() and m.end() <= b for a, b in names)
            label = label or (named and not (caption and caption.start() < m.start()))
            # a whole number glued to the letters after it names something, as one glued to
            # letters before does ("A466"): "make 20mph the default speed limit", "4G"
            label = label or bool(GLUED_NAMES and "." not in raw and _GLUED.match(after))
            dated = _DATE_NUMBER.match(text[m.end() : m.end() + 40] if DATE_RANGES else after)
            if numbering or marker or age or label or _YEAR.match(raw) or dated:
                continue
            period = _PERIOD.match(after)
            if period and _kind(period.group()) not in counted:
                # a length measured, not a period set: "a supply of 3.8 years"; or asked for
                if "." in raw or (lengths and not _WITHIN.search(before)):
                    unit = f"{_kind(period.group())}s"
                    out.append(Figure(float(raw.replace(",", "")), unit, m.start(), m.end()))
                continue
            out.append(Figure(float(raw.replace(",", "")), "count", m.start(), m.end()))
    worded = named_spans(text, NAMED_WORD, start, end, lines=True)  # "Tranche Two"
    for m in _WORDS_COUNT.finditer(text, start, len(text) if end is None else end):
        if any(a <= m.start() and m.end() <= b for a, b in worded):
            continue
        period = _PERIOD.match(text[m.end() : m.end() + 24])
        if period and _kind(period.group()) not in counted:
            before = text[max(0, m.start() - 24) : m.start()]
            if lengths and m.group("w").lower() != "no" and not _WITHIN.search(before):
                value = _count_in_words(m.group("w"))  # "The median wait was nine weeks"
                out.append(Figure(value, f"{_kind(period.group())}s", m.start(), m.end()))
            continue  # "two years or more", "within six weeks": a period, as in digits
        after_word = _WORD.match(text, m.end() + 1)
        if WORDS_ADDED and after_word is not None and _ADDED.fullmatch(after_word.group()):
            # "eight new find-and-fix teams", "three additional social workers": the noun
            # counted comes after the word that says they are added
            after_word = _WORD.match(text, after_word.end() + 1) or after_word
        whole = _OF_THE_WORDS.match(text, m.end()) if WORDS_OF_THE else None
        if whole:
            # "seven of the nine quality statements": a count of some of the whole after it
            # counts that whole's noun
            after_word = _WORD.match(text, whole.end())
        if after_word is None or stem(after_word.group()) not in nouns:
            continue  # "two small children's homes" for a question on families
        out.append(Figure(_count_in_words(m.group("w")), "count", m.start(), m.end()))
    if caption:  # a table "(£ million)": its bare numbers are amounts, not counts
        scale = _MULT.get(caption.group("mult").lower(), 1e3)  # "000": thousands
        out = [
            replace(f, value=round(f.value * scale, 2), unit="£")
            if f.unit == "count" and f.start > caption.start()
            else f
            for f in out
            if not caption.start() <= f.start < caption.end()  # "(£000)" states no amount
        ]
    return sorted(out, key=lambda f: f.start)


# A name's word that is a possessive ("the Council's 22 leased flats": 22 counts flats), and
# a number after a figure (the figure is a row's cell, beside its label: "Adults 1.5 1.2").
_POSSESSIVE = re.compile(r"[\w-]+['’]s\s")
_NEXT_CELL = re.compile(r"[ \t]+[-+(]?\d")


# A table's caption saying its numbers are money: "Table 1: Forecast revenue outturn 2023/24
# at quarter 2 (£ million)", "Savings proposals by directorate (£000)".
_MONEY_CAPTION = re.compile(r"\(£\s?(?P<mult>million|billion|bn|m|k|000)\)", re.I)


# The period a measure is timed by, not a length measured: "within five working days".
_WITHIN = re.compile(r"\bwithin\s+$", re.I)
# The unit of a question asking how long ("median wait for a Care Act assessment", "average
# waiting time"): any length, in the unit its sentence states ("nine weeks", "22 days").
TIME = "time"
LENGTHS = frozenset(["hours", "days", "weeks", "months", "years"])
_ASKS_TIME = re.compile(r"\bwaits?\b|\bwaiting\s+times?\b|\bhow\s+long\b", re.I)


# A count written in words before what it counts: "Twelve families", "twenty-two households",
# "no family" (none; "one" is left out: "one of the", "one-to-one" rarely count anything).
_UNITS = "two three four five six seven eight nine"
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_WORD_VALUE = (
    {
        w: v
        for words, first in ((_UNITS, 2), (_TEENS, 10))
        for v, w in enumerate(words.split(), start=first)
    }
    | {w: 10 * v for v, w in enumerate(_TENS.split(), start=2)}
    | {"one": 1, "no": 0}
)
_NUMBER_WORD = (
    rf"(?:(?:{_TENS.replace(' ', '|')})(?:-(?:one|{_UNITS.replace(' ', '|')}))?"
    rf"|{_TEENS.replace(' ', '|')}|{_UNITS.replace(' ', '|')})"
)
_OF_THE_WORDS = re.compile(
    rf"\s+of\s+(?:the|these|those|its|their)\s+(?:{_NUMBER_WORD}|\d[\d,]*)\s+", re.I
)
# A multiplier after a number word: "one million trees", "two hundred homes", "a thousand".
_SCALE = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORDS_COUNT = re.compile(
    # "one in five children": a share of them, not a count
    rf"(?<!\bin\s)(?<![\w-])"
    # "one" only before a multiplier ("one million trees"); alone it is rarely a count
    # ("one of the", "the one that", "one-to-one"), but before what the question counts
    rf"(?P<w>(?:{_NUMBER_WORD}|one)(?:\s+(?:hundred|thousand|million|billion))+"
    rf"|{_NUMBER_WORD}|(?<!\bthe\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\bany\s)(?<!\beach\s)"
    r"one(?=\s+[a-z])(?!\s+(?:of|or|and|another|who|which|that)\b)|no)"
    r"(?=\s[A-Za-z])(?![\w-])",
    re.I,
)


def _count_in_words(words: str) -> float:
    """The value of a count written in words ("twenty-two": 22, "one million": 1,000,000,
    "two hundred thousand": 200,000)."""
    first, *scales = words.lower().split()
    value = float(sum(_WORD_VALUE[w] for w in first.split("-")))
    for scale in scales:
        value *= _SCALE[scale]
    return value


def _kind(period: str) -> str:
    """The kind of a period's words: "hours" and "working days" are "hour" and "day"."""
    return period.split()[-1].lower().rstrip("s")


def counts_period(text: str, f: Figure, kinds: frozenset[str]) -> bool:
    """Whether count ``f`` is an amount of time of one of ``kinds`` ("1,350 hours")."""
    period = _PERIOD.match(text[f.end : f.end + 24])
    return period is not None and _kind(period.group()) in kinds


def counted_periods(question: str) -> frozenset[str]:
    """The kinds of period a question counts rather than times: an amount of time "of"
    something ("hours of home care a week that could not be arranged", "days of school
    missed"), not a period of its own ("within 72 hours")."""
    found = re.findall(r"\b(hours?|days?|weeks?|months?)\s+of\b", question, re.I)
    return frozenset(_kind(w) for w in found)


# A number beside a word in the question: "Year 6", "category 1 defects".
_QUESTION_NUMBER = re.compile(
    r"(?:(?P<before>[A-Za-z]{3,})\s+)?(?P<n>\d+(?:\.\d+)?)(?=\s+(?P<after>[A-Za-z]{3,}))?"
)


def named_numbers(question: str) -> frozenset[tuple[str, float]]:
    """The numbers a question writes as part of a name, each with the key word beside it
    (("year", 6.0) for "children in Year 6 living with obesity"): a sentence's "Year 6"
    names whom it counts, it does not count them."""
    out: set[tuple[str, float]] = set()
    for m in _QUESTION_NUMBER.finditer(question):
        for word in (m.group("before"), m.group("after")):
            if word and stem(word) not in _NOT_KEY_STEMS:
                out.add((stem(word), float(m.group("n"))))
    return frozenset(out)


def naming(text: str, f: Figure, names: frozenset[tuple[str, float]]) -> bool:
    """Whether count ``f`` is a number the question names beside the same word ("Year 6")."""
    if f.unit != "count" or not names:
        return False
    before = re.search(r"([A-Za-z]{3,})\s+$", text[max(0, f.start - 30) : f.start])
    after = re.match(r"\s+([A-Za-z]{3,})", text[f.end : f.end + 30])
    return any(m and (stem(m.group(1)), f.value) in names for m in (before, after))


def readable(
    text: str,
    start: int,
    end: int,
    counted: frozenset[str] = frozenset(),
    nouns: frozenset[str] = frozenset(),
    lengths: bool = False,
) -> list[Figure]:
    """The figures of a sentence that can be read as its own: none in a sentence holding a
    table row (its other numbers are cells too: "… at end of quarter 262 266 270 … aged 13")."""
    if _ROW.search(text, start, end):
        return []
    return figures(text, start, end, counted, nouns, lengths)


# The period of a timeliness question ("within 45 working days", "within 20 weeks").
_ASKED_PERIOD = re.compile(
    r"\bwithin\s+\d+\s+(?:working\s+)?(?:days?|weeks?|months?|hours?)\b", re.IGNORECASE
)


def period_stems(question: str) -> frozenset[str]:
    """The stems of the question's period ("within 45 working days"): they say how soon,
    not what is measured, and a sentence naming only them measures something else ("site
    inspections … within five working days in 91% of cases")."""
    return frozenset(s for m in _ASKED_PERIOD.finditer(question) for s in stems(m.group()))


# A period a sentence states, in digits or words: "within 45 working days", "within ten
# working days", "within 72 hours".
_ONE_TO_TWELVE = "one two three four five six seven eight nine ten eleven twelve"
_NUMBER_WORDS = {w: i for i, w in enumerate(_ONE_TO_TWELVE.split(" "), start=1)} | {
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_STATED_PERIOD = re.compile(
    rf"\bwithin\s+(?P<n>\d+|{'|'.join(_NUMBER_WORDS)})\s+(?:working\s+|school\s+)?"
    r"(?P<kind>day|week|month|hour)s?\b",
    re.IGNORECASE,
)


def periods(text: str) -> frozenset[tuple[float, str]]:
    """The periods ``text`` states, as (number, kind): "within 20 working days" is (20, "day")."""
    out = set()
    for m in _STATED_PERIOD.finditer(text):
        n = m.group("n").lower()
        out.add((float(_NUMBER_WORDS.get(n, 0) or n), m.group("kind").lower()))
    return frozenset(out)


def other_period(sentence: str, asked: frozenset[tuple[float, str]]) -> bool:
    """Whether a sentence times another measure than a timeliness question's: it states a
    period of the asked kind, none of them the asked one ("single assessments completed
    within 45 working days" for "initial health assessments within 20 working days")."""
    kinds = {kind for _, kind in asked}
    stated = {p for p in periods(sentence) if p[1] in kinds}
    return bool(stated) and not stated & asked


# A word with the number that names it: "Key Stage 2", "Year 6", "category 1".
_NUMBERED = re.compile(r"([A-Za-z]{3,})\s+(\d{1,3})\b(?![.,]\d|%)")


def other_numbered(sentence: str, names: frozenset[tuple[str, float]]) -> bool:
    """Whether a sentence names another of what the question names by a number: a word the
    question numbers, written only with other numbers ("Key Stage 1: expected standard in
    reading" for "… the expected standard at Key Stage 2")."""
    if not names:
        return False
    stated = {(stem(m.group(1)), float(m.group(2))) for m in _NUMBERED.finditer(sentence)}
    words = {word for word, _ in names}
    mine = {s for s in stated if s[0] in words}
    return bool(mine) and not mine & names


# A rate on a base the question names: "rate of children in care per 10,000 children".
_ASKS_BASE = re.compile(r"\bper\s+(1,000|10,000|100,000)\b", re.I)


# The money a measure is by its head noun: the money words above, and the nouns of the verbs
# money is moved by ("invest", "expend", "borrow"), which name it only as the head ("investment
# in children's social care"; "return on investments" is a return).
_MONEY_HEADS = frozenset(w.lower() for w in _MONEY_FORMS) | {
    "investment",
    "investments",
    "expenditure",
    "borrowing",
}
# Money named as itself, or as what is paid or given ("money for tackling damp and mould",
# "Safety Valve payments received", "section 106 contribution for school places"): as the
# head of the measure they ask an amount; elsewhere ("payment by results income", "children
# whose families contribute") they ask nothing. Stop 25; off gives stop 24's reading.
MONEY_BY_NAME = True
_NAMED_MONEY_HEADS = frozenset(
    ["money", "monies", "payment", "payments", "contribution", "contributions"]
)


# A charge asked on the base it is levied per ("nightly charge per metre for visiting boats",
# "fee per hour for the hall"), as one asked with what it is levied for, is an amount; and a
# figure stated on that base ("£2.90 per metre per night", not "£3,250 a year" for a 10-metre
# boat) comes first (``trend_sentence.Asked.names_base``). Stop 27; off gives stop 26's
# reading (no unit asked, no base read).
PER_BASE = True
_ASKS_LEVY_PER = re.compile(
    r"\b(?:tax|taxes|rents?|charges?|fares?|levy|fees?)\s+per\s+[a-z][^%]*$", re.I
)
# A measure whose head is the worth of something ("yearly value of the contract for the new
# carers' hub", "value of the pension fund's net assets") asks an amount. Stop 27; off gives
# stop 26's reading.
VALUE_IS_MONEY = True
_VALUE_HEADS = frozenset(["value", "values", "worth"])
# Things counted, qualified by the money that pays for them or the budget that changes them
# ("extra social work posts paid for by the council's investment", "bus routes that would be
# withdrawn or reduced by the budget", "tickets to be sold … to cover its cost"): a measure
# opening with a plural noun that is no money, its money words all after it, asks no amount.
# Stop 27; off gives stop 26's reading (an amount asked).
COUNTED_THINGS = True


def _things_paid_for(question: str) -> bool:
    """Whether ``question``'s measure's head is a plural noun that is no money
    (``plural_last``) and every money word it names comes after that noun."""
    head = plural_last(question)
    if not head or head in _MONEY_HEADS or head in _NAMED_MONEY_HEADS:
        return False
    if _ASKS_MONEY.search(head) or re.search(r"£", question):
        return False
    # as written, not a name's word ("Pupil Premium Plus funding"), or opening the question
    at = re.search(rf"\b{re.escape(head)}\b", question) or re.match(
        rf"\s*{re.escape(head.capitalize())}\b", question
    )
    first = _ASKS_MONEY.search(question)
    return at is not None and first is not None and first.start() > at.end()


def _titled(text: str, at: int) -> bool:
    """Whether the rest of the line from ``at`` is a title (``TITLE_NUMBERS``): two words or
    more, every word of four letters or more capitalised, no full stop at its end."""
    m = _TITLE_LINE.match(text, at)
    if m is None or m.group("title").endswith("."):
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", m.group("title"))
    long = [w for w in words if len(w) >= 4]
    return len(words) >= 2 and bool(long) and all(w[0].isupper() for w in long)


def asked_unit(question: str) -> str | None:
    """The kind of quantity a question asks for, when its words say so (a rate on the base
    it names, "per 10,000", is that rate, not a share); the head of its measure first: a
    count asked as "number of" or "how many" is a count, whatever follows ("number of posts
    to be cut in the budget"), and a measure whose head is money asks money ("investment in
    the foster carer recruitment plan")."""
    base = _ASKS_BASE.search(question)
    if base:
        return f"per {base.group(1)}"
    head = measure_head(question)
    if head in COUNT_HEADS:
        return "count"
    if COUNTED_THINGS and _things_paid_for(question):
        return None  # "extra social work posts paid for by the council's investment"
    if head in _MONEY_HEADS or (MONEY_BY_NAME and head in _NAMED_MONEY_HEADS):
        return "£"
    if VALUE_IS_MONEY and head in _VALUE_HEADS:
        return "£"
    if _ASKS_MONEY.search(question):
        return "£"
    if _ASKS_SHARE.search(question):
        return "%"
    if _ASKS_TIME.search(question):
        return TIME
    if _ASKS_LEVY.search(question) or (PER_BASE and _ASKS_LEVY_PER.search(question)):
        return "£"
    if _ASKS_COUNT.search(question):
        return "count"
    return None


def in_unit(found: list[Figure], wanted: str | None) -> list[Figure]:
    """The figures in the asked unit; for a share, a rate per 1,000/10,000 too (flagged
    later as another base). None asked: all of them but amounts of money, as a question
    that names no money does not ask for it ("households subscribing to the garden waste
    service" counts households, whatever the subscription costs)."""
    if wanted is None:
        return [f for f in found if f.unit != "£"]
    if wanted == TIME:
        return [f for f in found if f.unit in LENGTHS]
    same = [f for f in found if f.unit == wanted]
    if same or wanted != "%":
        return same
    return [f for f in found if f.unit.startswith("per ")]
