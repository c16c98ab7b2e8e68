"""What a figure's own noun and clause say it is, for a trend: a figure whose noun names another
thing than the question measures another quantity, however much of the question its sentence
names.

- An amount is of the noun it is written with: "a staffing budget of £612,000", "a Climate
  Fund of £1.2 million", "£0.5 million of backdated fee increases". When that noun names
  none of the question's key words (for "children's services overspend", "net revenue
  budget", "public health grant"), the amount is of something else. A noun that names a
  quantity and not a thing ("a total of £11,066", "an average of £1,450") says nothing.
- A count is of the words that follow it ("6,842 incidents of fly-tipping", "20 additional
  supported flats"). When they name none of the question, nor do the words before it in its
  clause (which may say what it measures: "the average caseload was 21 children", "the
  Council's own emissions had been 21,400 tonnes"), and its sentence does not name the
  question's rarest key word either (it may call the asked thing otherwise: "38 Kelsworth
  residents a day had been medically fit for discharge" for people), the count is of
  another thing ("prosecutions for fly-tipping"). A count after "of the" with a share later
  in its sentence is the whole the share is of ("Occupancy of the 420 marina berths had been
  96%"), not what is measured.

- A figure is of the other side of a contrast when the question's rarest key word is said
  only in a later clause of contrast stating no figure ("… approved an average of 21 new
  fostering households a year, but a similar number have left" for households that left;
  "… had risen … to 21% in 2023, although the condition of A and B roads had improved" for
  A roads): that clause names the asked quantity without its figure. So is a later clause
  joined by "and" stating no current figure, a bound or a compared value being none ("…
  held an average caseload of 28 children, and some newly qualified social workers were
  holding more than 30 cases" for newly qualified social workers recruited).

``qa_service.trend_sentence`` drops such figures before choosing a meeting's sentence, so
that a sentence stating the asked figure can give the point instead.

- Of a sentence's counts, for a question asking "number of" or "how many", one whose own noun
  is what it counts comes first ("There were 412 hackney carriage drivers, 1,388 private hire
  drivers and 1,214 licensed vehicles": 1,214 for the number of licensed taxi and private hire
  vehicles, though "private hire" names more of it): ``counts_head``.
"""

from __future__ import annotations

import re
from itertools import pairwise

from cqa_core.text import STOPWORDS
from qa_service import trend_read
from qa_service.trend_current import current
from qa_service.trend_parts import Asks, asked_stems, rarest
from qa_service.trend_read import _OF_THE_WORDS, Figure, figures
from qa_service.trend_words import stem, stems

# A word, with an inner hyphen or apostrophe ("fly-tipping", "Council's").
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’-]*)")
# Words that end a noun phrase: function words (prepositions, auxiliaries, determiners).
_ENDS = STOPWORDS | {"per", "cent"}
# Where a clause starts: a break, or a word that opens a clause of its own.
_CLAUSE = re.compile(
    r"[,;:()\n]|\b(?:that|which|who|and|but|while|whereas|although|though)\b", re.I
)
# Nouns naming a quantity, not a thing: "a total of £11,066" says nothing of what it totals.
_QUANTITY = frozenset(
    ["total", "average", "sum", "amount", "figure", "value", "level", "maximum", "minimum"]
)
# Nor does a noun naming only money: "the cost of £412,000" (what it costs is elsewhere in
# the sentence); the words before it still name a thing ("a staffing cost of £612,000").
_MONEY_NOUNS = frozenset(["cost", "costs", "price"])
# "£0.5 million of backdated fee increases", "£3.6 million of the Disabled Facilities Grant".
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?")
# A noun, then who it is from, by name, before "of": "quote from Mark Bearcroft of £4,800",
# "a grant from Sport England of £25,000". Stop 25; off gives stop 24's reading (the name
# read as the amount's noun).
FROM_A_NAME = True
_GIVER = re.compile(r"((?:[A-Za-z][A-Za-z'’-]*\s+){1,6})(?:from|by)\s+(?:[A-Z][\w'’.&-]*\s+){1,5}$")
# "a staffing budget of £612,000": the noun phrase before "of".
_OF_BEFORE = re.compile(r"((?:[A-Za-z][A-Za-z'’-]*\s+){1,6})of\s+$")


def _after(text: str, pos: int, limit: int = 6) -> str:
    """The words from ``pos`` up to a function word or a break: a noun phrase after it."""
    words: list[str] = []
    end = pos
    while len(words) < limit:
        m = _WORD.match(text, end)
        if m is None or m.group(1).lower() in _ENDS:
            break
        words.append(m.group(1))
        end = m.end()
    return " ".join(words)


def _before(words: str) -> list[str]:
    """The last words of ``words`` back to a function word: the noun phrase they end with,
    nouns joined by "and" or "or" together ("Savings and additional income of £0.84 million":
    the amount is of both)."""
    out: list[str] = []
    for word in reversed(words.split()):
        joins = word.lower() in ("and", "or") and bool(out)
        if word.lower() in _ENDS and not joins:
            break
        out.append(word)
    while out and out[-1].lower() in ("and", "or"):
        out.pop()  # a join with nothing before it
    return out[::-1]


def _amount_noun(text: str, f: Figure) -> str:
    """The noun an amount is written with ("" when none, or one naming only a quantity)."""
    after = _OF_AFTER.match(text, f.end)
    if after:
        return _after(text, after.end())
    before = _OF_BEFORE.search(text, max(0, f.start - 80), f.start)
    if before is None:
        return ""
    words = _before(before.group(1))
    giver = _GIVER.search(before.group(1)) if FROM_A_NAME else None
    if giver and words and all(w[:1].isupper() for w in words):
        # who gives or quotes it, named: the amount is of the noun before ("Revised quote
        # from Mark Bearcroft of £4,800 for essential works": a quote)
        words = _before(giver.group(1))
    if words and words[-1].lower() in _MONEY_NOUNS:
        words = words[:-1]
    if not words or words[-1].lower() in _QUANTITY:
        return ""  # "an average of £1,450": what it averages is elsewhere
    return " ".join(words)


# Two counts linked by a participle: "1,214 missing episodes involving 388 children", "612
# open cases affecting 540 homes": each counts its own noun.
_LINKED = re.compile(
    r"\s+(?:[A-Za-z][A-Za-z'’-]*\s+){1,4}(?:involving|including|affecting|covering)\s+$", re.I
)


def linked_counts(text: str, found: list[Figure]) -> set[Figure]:
    """The counts of ``found`` linked to the next by a participle after the first's noun
    ("1,214 missing episodes involving 388 children"): both, as each is of its own noun."""
    out: set[Figure] = set()
    ordered = sorted(found, key=lambda f: f.start)
    for f, g in pairwise(ordered):
        if f.unit == g.unit == "count" and _LINKED.fullmatch(text, f.end, g.start):
            out |= {f, g}
    return out


def counts_asked(text: str, f: Figure, asked: Asks) -> int:
    """Of a count linked to another (``linked_counts``), whether its own noun is what the
    question counts: -1 when its last word names none of the question ("missing episodes"
    for children who went missing), 1 when its noun names the question's rarest key word
    ("missing episodes" for missing episodes), else 0."""
    words = _after(text, f.end).split()
    while len(words) > 1 and words[-1].lower().endswith(("ing", "ed")):
        words.pop()  # "missing episodes involving": the participle starts the link
    if not words or words[-1].lower().endswith("ed"):
        # "57 looked after children": its noun is a phrase of the question written otherwise
        return 0 if _names_phrase_at(text, f.end, asked) else -1
    if not _names(words[-1], asked):
        return -1
    return int(_names(" ".join(words), asked, rarest(asked)))


def counts_head(text: str, f: Figure, head: str) -> bool:
    """Whether count ``f``'s own noun (the words after it, up to a function word) names
    ``head``, what a question asking how many counts ("1,214 licensed vehicles" for the
    number of licensed taxi and private hire vehicles, not "1,388 private hire drivers"); a
    count of some of the count after it is of that one's noun ("34 of the 42 children")."""
    if f.unit != "count" or not head:
        return False
    whole = _OF_COUNT.match(text, f.end)  # "34 of the 42 children": the 34 are children too
    if whole is None and trend_read.WORDS_OF_THE:  # "seven of the nine quality statements"
        whole = _OF_THE_WORDS.match(text, f.end)
    return stem(head) in stems(_after(text, whole.end() if whole else f.end))


# A count of some of the count after it: "34 of the 42 children in residential care …".
_OF_COUNT = re.compile(r"\s+of\s+(?:the\s+|these\s+|those\s+)?\d[\d,]*(?:\.\d+)?\b")


def _names(text: str, asked: Asks, keys: set[str] | None = None) -> bool:
    """Whether ``text`` names a key word of the question (of ``keys``, if given), by its stem
    or another wording; the stems are tried first, as they are cheaper than the wordings."""
    wanted = set(asked.weights) if keys is None else keys
    return bool(stems(text) & wanted) or bool(asked_stems(text, asked) & wanted)


def other_thing(text: str, f: Figure, span: tuple[int, int], asked: Asks) -> bool:
    """Whether figure ``f`` of the sentence ``text[span]`` is, by its own noun, of another
    thing than the question asks about (the module's docstring says when)."""
    if _contrasted(text, f, span, asked):
        return True
    if f.unit == "£":
        if _without(text, f, asked):
            return True  # "the budget gap … was £31.5 million before savings" for savings
        noun = _amount_noun(text, f)
        return bool(noun) and not _names(noun, asked)
    if f.unit != "count":
        return False
    if _ASKS_NUMBER.match(asked.question) and _in_subgroup(text, f, span, asked):
        # "64 children in care had been reported missing on a total of 213 occasions" for
        # the number of children in care: the 64 counts some of them, the 213 what they did
        return True
    if _BASE.search(text, span[0], f.start) and any(
        g.unit == "%" for g in figures(text, f.end, span[1])
    ):
        return True  # the whole a later share is of: "Occupancy of the 420 berths was 96%"
    counted = _after(text, f.end)
    if not counted or _names(counted, asked):
        return False  # "2,340 early help assessments", or no words of its own ("rose to 531.")
    if _names_phrase_at(text, f.end, asked):
        return False  # "57 looked after children": the question's phrase written otherwise
    breaks = [m.end() for m in _CLAUSE.finditer(text, span[0], f.start)]
    clause = text[breaks[-1] if breaks else span[0] : f.start]
    if _names(clause, asked):
        return False  # "the average caseload was 21 children": what it measures is before
    return not _names(text[span[0] : span[1]], asked, rarest(asked))


# An amount measured before or without something: "£31.5 million before savings".
_WITHOUT = re.compile(r"\s+(?:before|after|excluding|without|net\s+of)\s+", re.I)


def _without(text: str, f: Figure, asked: Asks) -> bool:
    """Whether amount ``f`` is measured before or without a key word of the question ("the
    budget gap for 2025/26 was £31.5 million before savings": not the savings), unless the
    question asks it so itself ("budget gap before savings")."""
    m = _WITHOUT.match(text, f.end)
    if m is None:
        return False
    qualifier = _after(text, m.end())
    if not qualifier or not _names(qualifier, asked):
        return False
    return not re.search(
        rf"\b{re.escape(m.group().strip())}\s+{re.escape(qualifier)}", asked.question, re.I
    )


# A question asking how many there are: "number of children in care".
_ASKS_NUMBER = re.compile(r"\s*(?:the\s+)?(?:number\s+of|how\s+many)\b", re.I)
# "all" before a count says it counts the whole, not some of it that did something ("all
# 32,000 street lights … had been completed"). Stop 25; off gives stop 24's reading.
ALL_IS_WHOLE = True
_ALL = re.compile(r"\ball\s+(?:the\s+|of\s+the\s+)?$", re.I)
# A count's verb, after its noun: "64 children in care had been reported missing".
_VERB = re.compile(r"\b(?:had|has|have|was|were|is|are)\s+(?:been\s+)?", re.I)
_CLAUSE_END = re.compile(r"[,;:()\n]|\.(?!\d)")
# A part of a whole the sentence states: "34 of the 42 children …" (the parts' own rules read it).
_OF_WHOLE = re.compile(r"\s+of\s+(?:the|these|those)\b", re.I)


def _subgroup(text: str, f: Figure, span: tuple[int, int], asked: Asks) -> int:
    """Whether count ``f`` counts a subgroup of what a question asking how many asks: its own
    noun names the whole question ("64 children in care", for the number of children in
    care) and its
    predicate says what only some of them did, naming none of the question ("… had been
    reported missing on a total of 213 occasions"); the count asked is of them all. The end
    of its clause when it does (the counts up to there are of the subgroup), else -1."""
    if _BASE.search(text, span[0], f.start) or _OF_WHOLE.match(text, f.end):
        return -1  # "34 of the 42 children in residential care were in external homes"
    if ALL_IS_WHOLE and _ALL.search(text, span[0], f.start):
        return -1  # "The conversion of all 32,000 street lights to LED had been completed"
    end = _CLAUSE_END.search(text, f.end, span[1])
    stop = end.start() if end else span[1]
    verb = _VERB.search(text, f.end, stop)
    if verb is None:
        return -1
    subject, predicate = text[f.end : verb.start()], text[verb.end() : stop]
    if 2 * asked.named(subject) < sum(asked.weights.values()):
        return -1
    said = bool(re.search(r"[A-Za-z]{3,}", predicate)) and not _names(predicate, asked)
    return stop if said else -1


def _in_subgroup(text: str, f: Figure, span: tuple[int, int], asked: Asks) -> bool:
    """Whether count ``f`` is a subgroup's count (``_subgroup``) or stated in its clause."""
    for g in figures(text, span[0], f.end):
        if g.unit == "count" and g.start <= f.start < _subgroup(text, g, span, asked):
            return True
    return False


# A count of the whole a later share is taken over: "Occupancy of the 420 marina berths had
# been 96%" (the share is asked; "of the" before the count says it is the whole).
_BASE = re.compile(r"\bof\s+the\s+$", re.I)

# A clause of contrast: "…, but a similar number have left", "…, although the condition …";
# or one joined by "and" ("…, and savings would have to be found").
_CONTRAST = re.compile(r"[,;]\s*(?:but|while|whereas|although|though|and)\b", re.I)


def _contrasted(text: str, f: Figure, span: tuple[int, int], asked: Asks) -> bool:
    """Whether the question's rarest key word is said only after ``f``'s clause, in a clause
    of contrast that states no figure (the sentence's figure is the other side of it)."""
    later = [m.start() for m in _CONTRAST.finditer(text, f.end, span[1])]
    if not later:
        return False
    keys = rarest(asked)
    if _names(text[span[0] : later[0]], asked, keys):
        return False
    bounds = [*later, span[1]]
    return any(
        _names(text[a:b], asked, keys) and not current(text, figures(text, a, b))
        for a, b in pairwise(bounds)
    )


def _names_phrase_at(text: str, pos: int, asked: Asks) -> bool:
    """Whether another wording of a question's phrase starts at ``pos`` ("looked after
    children" for "children in care"), function words and all."""
    start = pos + len(text[pos:]) - len(text[pos:].lstrip())
    return any(
        pattern.match(text, start) and covers & set(asked.weights) for pattern, covers in asked.alts
    )
