"""How a sentence names a question's key words, for a trend: a word's stem, the question's
key word stems, the other ways papers write its phrases, and whether a sentence is about it.

Pure functions over text; ``qa_service.trend_sentence`` weighs sentences with them, and
``qa_service.trend_read`` reads what a question names by number or period with them.

- A sentence names a question's key word by its stem (a capital letter naming a class with
  its noun: "A roads"), or through another way the papers write the question's phrase (the
  glossary's long forms and everyday terms: "looked after children" names "children in
  care"; a short form with a slash: "A/C" names "account").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from cqa_core.text import STOPWORDS
from index.lexical_folder import analyzer
from qa_service.glossary import ABBREVIATIONS, everyday_terms
from qa_service.rerank import slash_form

_WORD = re.compile(r"[A-Za-z]{3,}")
_NOT_KEY = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "how",
        "many",
        "what",
        "was",
        "were",
        "are",
        "is",
        "has",
        "had",
        "have",
        "been",
        "per",
        "cent",
        "number",
        "numbers",
        "rate",
        "rates",
        "percentage",
        "proportion",
        "share",
        "cost",
        "costs",
        "which",
        "who",
        "when",
        "where",
        "does",
        "did",
        "whose",
    ]
)
# A change a question asks about, as itself or in something ("rise in the number of …").
_ASKS_CHANGE = re.compile(
    r"\b(?:rises?|increases?|reductions?|decreases?|falls?|growth|changes?)\b", re.I
)

# Endings a word's forms differ by ("smoked", "smoking", "smokers", "smoke"), taken off
# before its first five letters are read, so that the forms of one word share a stem.
_ENDINGS = ("ing", "ers", "ed", "er", "es", "s", "e")


# A rate by the time is the time's word: "an hourly rate" is a rate "an hour".
_BY_THE = {"hourly": "hour", "weekly": "week", "monthly": "month", "yearly": "year"}


@lru_cache(maxsize=1)
def _lexical() -> Any:
    return analyzer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem: its first five letters, lower case, once an inflected ending is off
    (four letters at least are kept: "smoked" and "smoking" are "smok", "care" stays "care";
    "hourly" is "hour"). A short word whose ending cannot come off so ("owns", "owned",
    "fees") is stemmed as the lexical search stems it (Snowball English, the keyword
    index's analyzer): "own", "fee", when that stem is the word's own beginning.  Not
    ``asked_slot._stem_of`` nor ``glossary._stem``: a key word's five-letter stem
    ("counc", "repor") matches its other forms and derivations, which the other two must not
    (docs/quality.md, "Repeated code, stop 29")."""
    low = word.lower()
    five = _five(low)
    if five == low[:5] and low.endswith(_ENDINGS):
        folded = _lexical().analyze(low)
        if len(folded) == 1 and low.startswith(folded[0]) and len(folded[0]) >= 3:
            return str(folded[0])[:5]
    return five


def _five(low: str) -> str:
    """A lower-case word's first five letters once an inflected ending leaving four is off."""
    low = _BY_THE.get(low, low)
    for ending in _ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 4:
            return low[: -len(ending)][:5]
    return low[:5]


# The query's function words too ("own", "whose"): a rare one would otherwise weigh most.
# Which words are key is read on the five-letter stems: a short word's folded form ("owns":
# "own") stays a key word though "own" is a function word ("the Council's own estate").
_NOT_KEY_STEMS = frozenset(_five(w.lower()) for w in _NOT_KEY | STOPWORDS)


# A capital letter naming a class of what follows: "A roads", "B and C roads", "Band D
# council tax". The letter alone is too short to be a key word, so the pair is one ("a-road"):
# "4% of A roads in red condition" names what "18% of unclassified roads" does not.
_CLASS_LETTER = re.compile(r"\b([A-Z])\b((?:\s*(?:,|\band\b|\bor\b)\s*[A-Z]\b)*)\s+([a-z]{3,})")


# A word prefixed "re-" is done again, another measure: "re-referrals" are not "referrals".
_AGAIN = re.compile(r"\bre[-\u2010\u2011]$", re.I)


def stems(text: str) -> set[str]:
    """The key word stems of ``text`` (common words left out), a word done again as its own
    ("re-referral": "re-refer"), and the classes its capital letters name ("A roads":
    "a-road")."""
    words = {
        ("re-" if _AGAIN.search(text, max(0, m.start() - 3), m.start()) else "") + stem(m.group())
        for m in _WORD.finditer(text)
        if _five(m.group().lower()) not in _NOT_KEY_STEMS
    }
    for m in _CLASS_LETTER.finditer(text):
        letters = [m.group(1), *re.findall(r"[A-Z]", m.group(2))]
        words |= {f"{letter.lower()}-{stem(m.group(3))}" for letter in letters}
    return words


def counted_as(text: str) -> dict[str, str]:
    """Each key word stem of ``text`` with the five-letter stem its rarity is counted by
    (``qa_service.trend.question_weights``): a short word's folded stem ("owns": "own") is
    as rare as the word written ("owns"), not as the function word it folds to ("own")."""
    out: dict[str, str] = {}
    for key in stems(text):
        out[key] = key
    for m in _WORD.finditer(text):
        five = _five(m.group().lower())
        key = stem(m.group())
        if key in out and key != five and five not in _NOT_KEY_STEMS:
            out[key] = five
    return out


Alternatives = list[tuple[re.Pattern[str], frozenset[str]]]


def alternatives(question: str) -> Alternatives:
    """Other ways papers write the question's phrases, each with the question's stems it
    stands for: an abbreviation's other long forms ("children in care": "looked after
    children", "LAC"), an everyday phrase's terms ("council tax rise": "precept") and a
    word's short form with a slash ("A/C": account)."""
    low = " ".join(question.lower().split())
    out: Alternatives = []
    for short, forms in ABBREVIATIONS.items():
        asked = [f for f in forms if re.search(rf"\b{re.escape(f)}\b", low)]
        if not asked or " " not in asked[0]:
            continue
        others = [f for f in forms if f not in asked]
        pattern = "|".join([re.escape(f) for f in others] + [re.escape(short.upper())])
        out.append((re.compile(rf"\b(?:{pattern})\b"), frozenset(stems(asked[0]))))
    for phrase in everyday_terms(question):
        # a term stands for a change only if it says one: "council tax increase" is a
        # "council tax rise", "precept" (the tax levied) is the council tax, not its rise
        change = stems(" ".join(_ASKS_CHANGE.findall(phrase.phrase)))
        for says_change in (True, False):
            terms = [f for f in phrase.forms if bool(_ASKS_CHANGE.search(f)) == says_change]
            if not terms:
                continue
            covers = stems(phrase.phrase) - (set() if says_change else change)
            pattern = "|".join(re.escape(f) for f in terms)
            out.append((re.compile(rf"\b(?:{pattern})\b", re.I), frozenset(covers)))
    return out + changes(question) + slashed(question) + digits(question)


# The words a change is written in, by its direction: a "council tax rise" is written "an
# increase in … council tax", a "rent increase" "rents would rise by 2.7%".
_RISE_WORDS = ("rise", "rises", "rose", "risen", "rising", "raise", "raised", "raising")
_INCREASE_WORDS = ("increase", "increases", "increased", "increasing")
_FALL_WORDS = ("fall", "falls", "fell", "fallen", "falling", "cut", "cuts")
_DECREASE_WORDS = ("decrease", "decreases", "decreased", "reduce", "reduced", "reduction")
_CHANGE_WORDS = (
    frozenset(_RISE_WORDS + _INCREASE_WORDS),
    frozenset(_FALL_WORDS + _DECREASE_WORDS + ("reduces", "reductions")),
)


def changes(question: str) -> Alternatives:
    """The other words of the direction of a change the question asks about ("rise":
    "increase", "raised"), each standing for the question's own word."""
    out: Alternatives = []
    asked = {w.lower() for w in _WORD.findall(question)}
    for words in _CHANGE_WORDS:
        for word in sorted(asked & words):
            others = sorted(w for w in words if stem(w) != stem(word))
            pattern = re.compile(rf"\b(?:{'|'.join(others)})\b", re.I)
            out.append((pattern, frozenset([stem(word)])))
    return out


# Number words a question may use where a paper writes the digit: "more than six months"
# for a table's "Waiting over 6 months".
_TWO_TO_TWENTY = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {w: i for i, w in enumerate(_TWO_TO_TWENTY.split(), start=2)}
_NUMBER_BEFORE = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\s+([A-Za-z]{{3,}})", re.I)


def digits(question: str) -> Alternatives:
    """A number word of the question with the word after it ("six months"), written with its
    digit ("6 months"), standing for the number word: a paper's table writes "Waiting over 6
    months" where the question asks "more than six months"."""
    out: Alternatives = []
    for m in _NUMBER_BEFORE.finditer(question):
        word, after = m.group(1).lower(), m.group(2)
        if _five(word) in _NOT_KEY_STEMS:
            continue
        pattern = re.compile(rf"\b{_NUMBER_WORDS[word]}\s+{re.escape(after[:4])}", re.I)
        out.append((pattern, frozenset([stem(word)])))
    return out


def slashed(question: str) -> Alternatives:
    """The short forms a key word of the question may be written in with a slash: its first
    letter and its next consonant ("A/C" for account, as financial reports write "Community
    A/C £3,572.58")."""
    out: Alternatives = []
    for word in {w.lower() for w in _WORD.findall(question)}:
        key = stem(word)
        short = slash_form(word)
        if key in _NOT_KEY_STEMS or not short:
            continue
        out.append((re.compile(rf"\b{re.escape(short)}\b", re.I), frozenset([key])))
    return out


def named(text: str, alts: Alternatives | None = None) -> set[str]:
    """The stems ``text`` names, with those of the question's phrases it writes otherwise."""
    found = stems(text)
    for pattern, covers in alts or []:
        if pattern.search(text):
            found |= covers
    return found


def about(question: str, sentence: str, alts: Alternatives | None = None) -> bool:
    """Whether a sentence names at least half of the question's key words (by their stems)."""
    keys = stems(question)
    got = named(sentence, alternatives(question) if alts is None else alts)
    return not keys or 2 * len(keys & got) >= len(keys)
