"""Which figure of a sentence is its current one, for a trend: not a compared value ("fallen
from 41% to 29%": 29%), an aim ("to raise the proportion … to 85%"), either side of a forecast
change ("forecast to rise from 19% to 24%") or a bound ("the result was below 95%"); of
figures each dated ("447 at 31 March 2018 and 468 at 31 December 2018"), the latest; and, for
a question asking a level, not the size of a change ("an increase of £97.02").

Pure functions over text and the figures ``qa_service.trend_read`` reads from it.
"""

from __future__ import annotations

import re

from qa_service.trend_read import _MONTH_NUMBER, _MONTHS, Figure
from qa_service.trend_words import _ASKS_CHANGE

# An earlier or other value the sentence compares with: "from 41% to 29%", "compared with 38%",
# a peak passed ("Missed collections had peaked at 212 per 100,000 … in July 2017"); or aims
# at or holds to: "a target of 70%", "a target to approve 25", "a threshold of 80 missed
# collections per 100,000, above which a round would be reviewed".
_COMPARED = re.compile(
    r"(?:\bfrom|compared\s+with|against|than|(?:target|threshold)(?:\s+[a-z]+){0,2}"
    r"|up\s+from|down\s+from|peaked\s+at|a\s+peak\s+of)"
    r"\s+$",
    re.I,
)
# The country's or region's figure a council's is set beside: "against a national average
# of 24%", "and a national figure of around 60%", "the England average was 22.4%".
_NATIONAL = re.compile(
    r"\b(?:national|england|english|regional)\s+(?:average|figure|rate|level)"
    r"(?:\s+(?:of|was|is|at|had\s+been))?(?:\s+(?:around|about|nearly|almost|just\s+over))?"
    r"\s+$",
    re.I,
)
# The date a figure is given for, within a few words after it: "468 at 31 December 2018",
# "188 in March 2018", "296 in December 2023".
_DATED = re.compile(
    rf"[^\d.;]{{0,40}}?\b(?:at|in|on|by)\s+(?:(?P<day>\d{{1,2}})\s+)?"
    rf"(?:(?P<month>{_MONTHS})\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
# The size of a change, not the level it reaches: "an increase of £97.02", "rise by £5",
# "a 4.99% increase" (the level is the figure it goes "to").
_CHANGE_BEFORE = re.compile(
    r"\b(?:(?:increase|rise|reduction|decrease|fall|drop|growth|cut)s?\s+of"
    r"|(?:rises?|rose|risen|increase[sd]?|falls?|fell|fallen|reduced?|decrease[sd]?|grow|grew"
    r"|grown|cut)\s+by)\s+$",
    re.I,
)
_CHANGE_AFTER = re.compile(r"\s+(?:increase|rise|reduction|decrease|fall|drop|cut)\b", re.I)
# A share stated as a difference from another value: "This is 33% more than the 1,046
# households who approached the Council in 2018/19" (an amount "£4.2 million more than the
# budget" is the overspend itself, a level).
_DIFFERENCE_AFTER = re.compile(r"\s+(?:more|less|fewer|higher|lower)\s+than\b", re.I)
# A count of things added or taken away: "will pay for around 300 more on-street charge
# points" (an amount "£4.2 million more than the budget" is a level, as above).
_MORE_AFTER = re.compile(r"\s+(?:more|fewer)\b", re.I)


# An aim written as an infinitive clause: "• to raise the proportion … to 85%", "to reduce
# persistent absence to below 10%" (the clause starts with "to" and a verb, not "to date").
_AIM = re.compile(
    r"\s*to\s+(?!date\b)[a-z]+\b[^•;:\n]*\bto\s+"
    r"(?:(?:below|above|under|over|at\s+least|at\s+most)\s+)?$",
    re.IGNORECASE,
)


# An aim set as a target to do something, to the end of its clause: "sets a target to
# approve 25 new fostering households each year and to achieve a net gain of at least ten
# households a year" (both figures are aimed at).
_TARGET_TO = re.compile(
    r"\b(?:targets?|aims?|ambitions?|goals?)\s+(?:is\s+|are\s+)?to\s+(?!date\b)[a-z]+\b"
    r"[^.;:•\n,]*$",
    re.IGNORECASE,
)


# A forecast of a change from the current value: "the proportion … is forecast to rise from
# 19% to 24% by 2025" (a forecast with no value to change from, "forecast to overspend by
# £7.6 million, which would increase the cumulative deficit to £29.5 million", is the
# paper's current estimate, as budget monitoring gives it).
_FORECAST = re.compile(
    r"\b(?:forecast|projected|predicted|expected)\s+to\s+[a-z]+\s+from\b(?:[^•;:\n.]|\.\d)*\bto\s+"
    r"(?:(?:below|above|under|over|at\s+least|at\s+most)\s+)?$",
    re.IGNORECASE,
)


# A bound a value is measured against: "Because the result was below 95%, the Council was
# required to publish an action plan", "a child whose attendance falls below 90%".
# (or a floor or ceiling: "… would act as lead professional in at least 60% of cases"; "more
# than" is a compared value already)
_BOUND = re.compile(r"\b(?:below|above|at\s+least|at\s+most)\s+$", re.I)


# A list item ("- Approve 30 new fostering households …") and a heading that names what
# its list sets out to do ("Slide 8 - Our targets for 2025/26", "Priorities for 2019/20").
_BULLET = re.compile(r"[ \t]*[-•–*][ \t]")
_AIMS_HEADING = re.compile(
    r"\b(?:targets?|aims?|ambitions?|priorities|goals?|objectives?)\b", re.IGNORECASE
)


def listed_aim(text: str, f: Figure) -> bool:
    """Whether ``f`` is in an item of a list whose heading (the nearest line above the list)
    names targets or aims: "Our targets for 2025/26 / - Approve 30 new fostering households
    … / - Reduce the proportion … from 24% to 20%" states aims, not where things stand."""
    line = text.rfind("\n", 0, f.start) + 1
    if not _BULLET.match(text, line):
        return False
    while line > 0:
        above = text.rfind("\n", 0, line - 1) + 1
        words = text[above : line - 1]
        line = above
        if words.strip() and not _BULLET.match(words):
            return bool(_AIMS_HEADING.search(words))
    return False


# A bound stated as the figure itself: "More than 1,400 practitioners attended …", "had
# risen to more than 500": "more/fewer/less than" opening its clause or after a copula or
# a preposition of a level (not "33% more than the 1,046 …", "£4.2 million more than the
# budget", which compare; nor "no more than 10%", a ceiling set; nor a criterion after
# another verb, below). Stop 26; off gives stop 25's reading (the figure compared).
BOUNDS_STATED = True
_THAN_BOUND = re.compile(r"\b(?:more|fewer|less)\s+than\s+$", re.I)
# Where the bound is the figure: it opens its clause ("…, and more than 300 were …"), or
# follows a copula or a preposition of a level ("had risen to more than 500", "a total of
# more than 1,000", "the number was more than 500"); after another verb it is a criterion
# of whom or what is counted ("212 of them had waited more than six months", "some were
# holding more than 30 cases", "viewed more than 3,000 times").
_BOUND_OPENS = re.compile(
    r"(?:^|[,;:(•–-]|\b(?:and|but|that|with|while|where|to|of|at|is|are|was|were|been|be"
    r"|stood|remains|remained|reached))\s*$",
    re.I,
)

# A question asking a target ("target for recruiting new fostering households", "annual tree
# planting target": its measure's head is the aim itself) asks what is aimed at: a figure a
# sentence aims at ("sets a target to approve 25 new fostering households each year", "-
# Approve 30 new fostering households" under "Our targets for 2025/26") is its current one,
# not a value compared with. Stop 26; off gives stop 25's reading (aims never current).
TARGET_ASKED = True
AIM_HEADS = frozenset(
    ["target", "targets", "aim", "aims", "ambition", "ambitions", "goal", "goals"]
)

# An aim in the past tense or as a plan: "The campaign aimed to recruit 40 new fostering
# households by March 2016" aims at 40, as "aims to" does. Stop 26; off gives stop 25's
# reading ("aimed to" read as a level).
AIMED_PAST = True
_AIMED_TO = re.compile(
    r"\b(?:aimed|targeted|targetted)\s+to\s+(?!date\b)[a-z]+\b[^.;:•\n,]*$", re.IGNORECASE
)


# Two things compared, not two times: "The average weekly cost of an independent fostering
# agency placement is £810, compared with £390 for an in-house foster placement": the figure
# "compared with" is the current one of the thing named after it ("for" a noun phrase with
# no number, period or country: not "compared with 58% for the same period", "… for
# 2021/22", "… for England"); which of the two the question asks, their own words say
# (``trend_sentence._choose``). Stop 26; off gives stop 25's reading (the figure compared).
THINGS_COMPARED = True
_COMPARED_WITH = re.compile(r"\bcompared\s+(?:with|to)\s+$", re.I)
_FOR_A_THING = re.compile(
    r"(?:\s+(?:a|an|per|each)\s+(?:week|hour|day|month|year|head|person))?\s*\bfor\s+"
    r"(?P<thing>[^,;:.\d()]{3,60})",
    re.I,
)
_NOT_A_THING = re.compile(
    r"\b(?:same|previous|last|period|quarter|month|year|years|week|time|england|english"
    r"|national|nationally|region|regional|country|average|similar|neighbours?|comparators?)\b",
    re.I,
)


def _another_thing(text: str, f: Figure, before: str) -> bool:
    """Whether ``f``, "compared with", is the figure of another thing named after it ("…,
    compared with £390 for an in-house foster placement")."""
    if not _COMPARED_WITH.search(before):
        return False
    m = _FOR_A_THING.match(text, f.end)
    return m is not None and not _NOT_A_THING.search(m.group("thing"))


def _stated_bound(text: str, f: Figure) -> bool:
    """Whether ``f`` follows "more/fewer/less than" as the figure's own bound ("More than
    1,400 practitioners"), not a comparison of another figure with it."""
    m = _THAN_BOUND.search(text, max(0, f.start - 20), f.start)
    if m is None:
        return False
    if m.group()[0].isupper():  # opening its sentence: "7.1 More than 1,400 practitioners"
        return True
    line = text.rfind("\n", 0, m.start()) + 1
    return bool(_BOUND_OPENS.search(text, max(line, m.start() - 24), m.start()))


def aimed(text: str, f: Figure) -> bool:
    """Whether ``f`` is a figure the sentence aims at: "a target of 70%", "• to raise the
    proportion … to 85%", "sets a target to approve 25 …", "aimed to recruit 40" (with
    ``AIMED_PAST``) or an item of a list of targets (``listed_aim``)."""
    before = text[max(0, f.start - 20) : f.start]
    if re.search(r"\btargets?(?:\s+[a-z]+){0,2}\s+$", before, re.I) or listed_aim(text, f):
        return True
    clause = max(text.rfind(c, 0, f.start) for c in "•;:\n") + 1
    before = text[clause : f.start]
    if AIMED_PAST and _AIMED_TO.search(before):
        return True
    return bool(_AIM.match(before) or _TARGET_TO.search(before))


def compared(text: str, f: Figure, aims: bool = False) -> bool:
    """Whether ``f`` is a value the sentence compares with ("from 41% to ..."), aims at
    ("a target of 70%", "• to raise the proportion … to 85%", an item of a list of
    targets: ``listed_aim``), forecasts ("is forecast
    to rise from 19% to 24%": neither is the current figure), a bound ("the result was
    below 95%") or the country's figure ("a national figure of around 60%"). With ``aims``
    (a question asking a target, ``TARGET_ASKED``) what the sentence aims at is current."""
    if aims and aimed(text, f):
        return False
    before = text[max(0, f.start - 20) : f.start]
    if (
        _COMPARED.search(before)
        and not (BOUNDS_STATED and _stated_bound(text, f))
        and not (THINGS_COMPARED and _another_thing(text, f, before))
    ):
        return True
    if _BOUND.search(before) or listed_aim(text, f):
        return True
    if _NATIONAL.search(text, max(0, f.start - 48), f.start):
        return True
    clause = max(text.rfind(c, 0, f.start) for c in "•;:\n") + 1  # 0: the text's start
    before = text[clause : f.start]
    if AIMED_PAST and _AIMED_TO.search(before):
        return True
    return bool(_AIM.match(before) or _FORECAST.search(before) or _TARGET_TO.search(before))


def asks_change(question: str) -> bool:
    """Whether a question asks about a change ("council tax rise"), not only a level."""
    return bool(_ASKS_CHANGE.search(question))


def change(text: str, f: Figure) -> bool:
    """Whether ``f`` is the size of a change ("an increase of £97.02", "would rise by £5",
    "a 4.99% increase", "33% more than …"), not the level reached ("… to £2,041.37")."""
    before = text[max(0, f.start - 30) : f.start]
    if f.unit == "%" and _DIFFERENCE_AFTER.match(text, f.end):
        return True
    if f.unit == "count" and _MORE_AFTER.match(text, f.end):
        return True
    return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(text, f.end))


def dated(text: str, f: Figure) -> tuple[int, int, int] | None:
    """The (year, month, day) a figure is given for, when the words after it say."""
    m = _DATED.match(text, f.end)
    if m is None:
        return None
    month = _MONTH_NUMBER.get((m.group("month") or "").lower(), 12)
    return int(m.group("year")), month, int(m.group("day") or 31)


def current(text: str, found: list[Figure], aims: bool = False) -> list[Figure]:
    """The figures that may be the sentence's current value: not compared ones (none when
    the sentence only states targets or earlier values; of a question asking a target,
    ``aims``, what it aims at is current), and of figures each given for a date, those of
    the latest date."""
    now = [f for f in found if not compared(text, f, aims)]
    dates = {f: dated(text, f) for f in now}
    known = [d for d in dates.values() if d is not None]
    if len(known) < 2:
        return now
    latest = max(known)
    return [f for f in now if dates[f] in (None, latest)]
