"""Text utilities every layer shares: words, stop words, question terms and sentence spans.

One home for how the project reads text, so the lexical index, the query reader, the
re-ranker, near-duplicate detection, the fake embedder and the evaluation all agree on what
a word is.  Ingest stores a vector per sentence; the retriever ranks and highlights by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The months, named once for every reader of a date: their names, the regex alternatives
# ("January|...|December"), their abbreviations as papers print them, and their numbers.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_NAMES = "|".join(MONTHS)
MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace and a capital, digit, bullet or opening bracket — or at a blank line / line
# break that starts a list item.  Abbreviations common in council papers are protected.
_ABBREVIATIONS = re.compile(
    r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Dr|Prof|No|Nos|para|paras|e\.g|i\.e|etc|approx|cf|St|"
    rf"Rev|{MONTH_ABBREVIATIONS}|vs|Co|Ltd|Cttee|min|mins)\.$",
    re.IGNORECASE,
)
# A reference's abbreviation before its number: a section, paragraph, page, clause,
# article, regulation or schedule of an Act or a report ("Local Government Act 1972, s. 145",
# "see p. 12"), standing as a word of its own ("the Council's. 5" is not one).
_CITES_NUMBER = re.compile(
    r"(?:^|[\s(\[,])(?:s|ss|sec|secs|p|pp|para|paras|cl|art|arts|reg|regs|sch)\.$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“‘(\[]?[A-Z0-9£•·\-(])|\n\s*\n|\n(?=\s*[-•·*]\s)"
)
# A person's initial ("Aldermen McCoubrey, R. Brown", "Michael D. Higgins") is no sentence's
# end, unless a label takes the letter ("set out in Appendix A.", "World War I.") or the next
# word is a function word that opens a sentence ("... in Band A. The ...").
_INITIAL = re.compile(r"(?:^|[\s(,])(?:([A-Za-z]+)\s+)?[A-Z]\.$")
_LABELLED = frozenset(
    re.findall(
        r"\w+",
        "appendix appendices annex annexe option options table schedule section part phase band "
        "grade category class type level stage war figure fig plan model tier block zone area "
        "site unit group route priority scenario item paragraph chapter article",
    )
)


_BULLETS = " \t\n\r\xa0·•\uf0b7*-–"
# a line that reads as an upper-case heading ("1 DECLARATIONS OF INTEREST", "AUDIT COMMISSION
# INTERIM REPORT (Agenda item 4)"): no closing stop of a sentence, its letters mostly capitals
_HEADING_END = re.compile(r"[.!?:;,][\"'”’)]*$")
_LINE_BREAK = re.compile(r"\n")
CAPS_SHARE = 0.75  # of a heading line's letters outside brackets
TITLE_WORDS = 8  # a title-case heading line's words, its number included
# A minute's or section's number before its title: "20.07.01", "55", "4.2", "6."
_TITLE_NUMBER = re.compile(r"\d{1,4}(?:\.\d{1,3}){0,3}\.?\s+")
_FIGURES = re.compile(r"(?:^|\s)[£$€(]?-?\d[\d,.]*%?\)?(?=\s|$)")
# A field's label on a line of its own, as a council's meeting web page prints one above its
# text ("Minutes:", "Decision:", "RESOLVED:", "Reasons for Decision:"): a few words, a colon
# (not a lead-in's ":-"), every word of four letters or more capitalised
_FIELD_LABEL = re.compile(r"[A-Z][\w'’]*(?:[ \t]+[\w'’()/&-]+){0,3}[ \t]*:")
# A list's marker ("a.", "b)", "(i)", "iv.", "(2)", "3.") cut off by a stop and a space: no
# sentence of its own ("The Executive RESOLVED to:" / "c." / "Endorse the governance ...")
_MARKER = r"(?:\(?(?:[a-z]|[ivx]{2,5}|\d{1,4})[.)]|\((?:[a-z]|[ivx]{2,5}|\d{1,3})\))"
_LIST_MARKER = re.compile(_MARKER)
# the next item's marker closing a line break at a sentence's end ("... RESOLVED to
# approve:" / "1."): it belongs to the item after it
_TRAILING_MARKER = re.compile(rf"\n[ \t]*({_MARKER})$")
_LINE_CLOSED = re.compile(r"[.!?:;)\]][\"'”’]*$")
# a full stop with no space before the next sentence's capital ("... of investment.The
# requirement is ..."): two letters in lower case before it, a word in lower case after
# its capital; not a web or e-mail address, a file's name, nor an abbreviation's stop
_GLUED_STOP = re.compile(r"(?<=[a-z][a-z][.!?])(?=[A-Z][a-z]+\b)")
_ADDRESS = re.compile(r"@|/|\bwww\b|\bhttps?\b|\.(?:com|org|net|gov|uk|pdf|docx?|html?)\b", re.I)
# a question put as a heading ("What level of savings was anticipated ...", "Why was there
# a material amendment ...?"): a line opening with a question's word
_QUESTION_OPENS = re.compile(
    r"(?:What|Why|How|When|Where|Who|Whom|Whose|Which|Would|Will|Was|Were|Is|Are|Did|Does|"
    r"Do|Had|Has|Have|Can|Could|Should|Shall)\b"
)
QUESTION_WORDS = 16  # a question heading's words at most
# a stray word of a heading (a margin's "Addition") run into the sentence after it: one
# capitalised word, then a sentence's opening word ("Addition The Clerk checked ..."), not
# an adverb or a reply that opens the sentence itself
_STRAY_WORD = re.compile(
    r"([A-Z][a-z]{2,})[ \t]+(?=(?:The|This|These|Those|There|It|We|They|He|She|Our|Its)"
    r"[ \t]+\w)"
)
_NOT_STRAY = frozenset(
    re.findall(
        r"\w+",
        "however therefore also further furthermore meanwhile overall again thus hence then now "
        "here yes dear finally firstly secondly lastly",
    )
)


def _is_upper_case(line: str) -> bool:
    """Whether ``line`` has at least four letters outside its brackets, ``CAPS_SHARE`` of
    them capitals."""
    letters = [c for c in re.sub(r"\([^()]*\)", "", line) if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= CAPS_SHARE * len(letters)


def _is_caps_line(line: str) -> bool:
    """Whether ``line`` is an upper-case heading line: upper case, no sentence's closing stop."""
    line = line.strip()
    return _is_upper_case(line) and not _HEADING_END.search(line)


def _is_title_line(line: str) -> bool:
    """Whether ``line`` is a title-case heading line ("20.07.01  Election of Chair", "55 Matters
    Arising", "Background", a bullet's "- Webcast for SEND Peer Review"): at most
    ``TITLE_WORDS`` words, no sentence's closing stop (nor a lead-in's ":-"), no last word that
    a wrapped line would end on ("Friends of"), and either an item number before a capital
    ("59 Sutton Coldfield in Bloom update") or every word of four letters or more capitalised."""
    line = line.strip().lstrip(_BULLETS)
    numbered = _TITLE_NUMBER.match(line)
    title = line[numbered.end() :] if numbered else line
    found = re.findall(r"[^\W\d_][\w'’-]*", title)
    if not found or len(line.split()) > TITLE_WORDS or _HEADING_END.search(line.rstrip(" -–")):
        return False
    if not title[:1].isupper() or found[-1].lower() in STOPWORDS:
        return False
    return bool(numbered) or all(w[0].isupper() for w in found if len(w) >= 4)


def _is_field_label(line: str) -> bool:
    """Whether ``line`` is a field's label alone on its line ("Minutes:", "Decision:",
    "RESOLVED:"), at most four words, each of four letters or more capitalised."""
    line = line.strip()
    if not _FIELD_LABEL.fullmatch(line):
        return False
    return all(w[0].isupper() for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) >= 4)


def _heading_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside ``text[start:end]`` after a heading line (upper case or title case)
    that a line of ordinary text follows: where the heading stops and its sentence begins;
    and after a field's label that opens the span (or follows such a cut) on a line of its
    own, when a line that starts with a capital or a digit follows ("Minutes:" / "The Chair
    welcomed ..."): the label is no word of the sentence under it."""
    out: list[int] = []
    stray = _stray_word(text, start, end)
    if stray is not None:
        out.append(stray)
    out.extend(_glued_stops(text, start, end))
    line_start = start
    previous = ""
    for match in _LINE_BREAK.finditer(text, start, end):
        line = text[line_start : match.start()]
        following = text[match.end() : end].split("\n", 1)[0].strip()
        opens = line_start == start or (bool(out) and out[-1] == line_start)
        prose = following[:1].isupper() or following[:1].isdigit()
        # a question put as a heading: cut from an unfinished line before it ("... in
        # future years" / "Why was there ...?")
        if line_start > start and out[-1:] != [line_start] and _asks_after(line, previous):
            out.append(line_start)
            opens = True
        if opens and prose and _is_field_label(line):
            out.append(match.end())
            previous, line_start = line, match.end()
            continue
        # prose: not another heading, nor a row of figures under a table's column header
        # (a row has no closing stop)
        row = len(_FIGURES.findall(following)) >= 2 and not _HEADING_END.search(following)
        ordinary = following[:1].isupper() and not (
            _is_upper_case(following) or _is_title_line(following) or row
        )
        caps = _is_caps_line(line) and bool(following) and not _is_upper_case(following)
        if caps or (ordinary and _is_title_line(line)):
            out.append(match.end())
        previous, line_start = line, match.end()
    if (
        line_start > start
        and out[-1:] != [line_start]
        and _asks_after(text[line_start:end], previous)
    ):
        out.append(line_start)
    return sorted(set(out))


def _asks_after(line: str, previous: str) -> bool:
    """Whether ``line`` is a whole question ("Why was there ...?") after a line left without
    its stop ("... in future years"): not after a comma or a lead-in's colon."""
    before = previous.rstrip()
    return (
        _is_question_line(line)
        and line.strip().endswith("?")
        and bool(before)
        and not _LINE_CLOSED.search(before)
        and not before.endswith(",")
    )


def _is_question_line(line: str) -> bool:
    """Whether ``line`` is a question put as a heading: it opens with a question's word and
    runs at most ``QUESTION_WORDS`` words."""
    line = line.strip()
    return bool(_QUESTION_OPENS.match(line)) and len(line.split()) <= QUESTION_WORDS


def _stray_word(text: str, start: int, end: int) -> int | None:
    """Where the sentence begins after a stray heading word opening ``text[start:end]``
    ("Addition The Clerk checked ..."), or None."""
    found = _STRAY_WORD.match(text, start, end)
    if not found:
        return None
    word = found.group(1).lower()
    if word in STOPWORDS or word in _NOT_STRAY or word.endswith("ly"):
        return None
    return found.end()


def _glued_stops(text: str, start: int, end: int) -> list[int]:
    """Offsets inside ``text[start:end]`` where a sentence begins right after the stop of
    the one before, no space between ("investment.The requirement")."""
    out: list[int] = []
    for found in _GLUED_STOP.finditer(text, start, end):
        at = found.start()
        token_start = max(text.rfind(" ", start, at), text.rfind("\n", start, at)) + 1
        token_end = min(
            (i for i in (text.find(" ", at, end), text.find("\n", at, end)) if i >= 0),
            default=end,
        )
        if _ADDRESS.search(text[token_start:token_end]):
            continue
        if _ABBREVIATIONS.search(text[token_start:at]):
            continue
        out.append(at)
    return out


def _follows(before: str, marker: str) -> bool:
    """Whether list marker ``marker`` comes next after ``before`` ("805." then "806.", "b."
    then "c.")."""
    a, b = before.strip("()."), marker.strip("().")
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    return len(a) == len(b) == 1 and a.isalpha() and ord(b) == ord(a) + 1


def _closes_line(before: str, in_sequence: bool) -> bool:
    """Whether the last line of ``before`` is finished: a stop, a colon, a bracket, a
    heading line, or, when the marker after it follows the one before in sequence, a short
    line not ending on a function word or a label's noun ("805." / "Apologies for absence" /
    "806.")."""
    line = before.rstrip().rsplit("\n", 1)[-1].strip()
    if not line:
        return False
    if _LINE_CLOSED.search(line) or _is_caps_line(line) or _is_title_line(line):
        return True
    # a short line not left unfinished ("Apologies for absence"; not "... in section")
    last = re.findall(r"[^\W\d_]+", line)[-1:]
    return (
        in_sequence
        and len(line.split()) <= TITLE_WORDS
        and bool(last)
        and last[0].lower() not in STOPWORDS
        and last[0].lower() not in _LABELLED
        and not line.endswith((",", "-", "–"))
    )


def _initial(candidate: str, text: str, after: int) -> bool:
    """Whether ``candidate`` ends in a person's initial: a capital and its stop, a name after."""
    found = _INITIAL.search(candidate)
    if not found or (found.group(1) or "").lower() in _LABELLED:
        return False
    following = re.match(r"[A-Za-z]{2,}", text[after : after + 40])  # a name, not "B."
    return following is not None and following.group(0).lower() not in STOPWORDS


@dataclass(frozen=True)
class Span:
    """A [start, end) range of characters in a text."""

    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (whitespace trimmed), in order, covering all its words but
    a list's bullets and markers ("•", "c.", "(ii)")."""
    spans: list[Span] = []
    start = 0
    marker = ""  # the last list marker left out
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start() + 1].rstrip()
        if _ABBREVIATIONS.search(candidate):
            continue
        # "s. 145": the number after a reference's abbreviation is part of the reference
        if _CITES_NUMBER.search(candidate) and text[match.end() : match.end() + 1].isdigit():
            continue
        if _initial(candidate, text, match.end()):
            continue
        # a list's marker alone ("c.") is no sentence: like a bullet, it is left out and
        # its item's sentence begins after it
        if _LIST_MARKER.fullmatch(candidate.lstrip(_BULLETS)):
            marker = candidate.lstrip(_BULLETS)
            start = match.end()
            continue
        # the next item's marker closing this sentence ("... to approve:" / "1."): the
        # sentence ends before it, the item's after it
        tail = _TRAILING_MARKER.search(candidate)
        if tail and _closes_line(candidate[: tail.start()], _follows(marker, tail.group(1))):
            marker = tail.group(1)
            spans.append(Span(start, start + tail.start()))
            start = match.end()
            continue
        # the closing bracket or quote after the stop is the sentence's ("... professional?)")
        closer = len(match.group(0)) - len(match.group(0).lstrip("\"'”’)]"))
        spans.append(Span(start, match.start() + closer))
        start = match.end()
    spans.append(Span(start, len(text)))
    # an item heading run into the sentence below it by a single line break is a span of
    # its own, so a highlight never opens with "1 DECLARATIONS OF INTEREST The Chair ..."
    cut: list[Span] = []
    for span in spans:
        begin = span.start
        for at in _heading_breaks(text, span.start, span.end):
            cut.append(Span(begin, at))
            begin = at
        cut.append(Span(begin, span.end))
    out: list[Span] = []
    for span in cut:
        segment = text[span.start : span.end]
        # a list bullet is not part of the sentence a reader should see highlighted
        left = len(segment) - len(segment.lstrip(_BULLETS))
        right = len(segment.rstrip())
        if right > left:
            out.append(Span(span.start + left, span.start + right))
    return out


# Words that carry no topic in a question; BM25 would otherwise rank on them.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "tell",
        "say",
        "said",
        "many",
        "much",
        "get",
        "got",
    ]
)

_TOKEN = re.compile(r"[\w£%]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text as the vocabulary counts them: lower case, as written."""
    return [t.strip("_") for t in _TOKEN.findall(text.lower()) if t.strip("_")]


def query_terms(text: str) -> list[str]:
    """The content words of a question, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        token = token.strip("_")
        if len(token) < 2 and not token.isdigit():
            continue
        if token in STOPWORDS:
            continue
        seen.setdefault(token, None)
    return list(seen)


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an s unless ``n`` is one: "1 document", "3 documents"."""
    return f"{n} {noun if n == 1 else noun + 's'}"
