"""A figure's own words in its sentence, for a trend: what the figure counts or measures.

In a sentence of several figures, a figure's own words are its item of the list: a label
precedes its figure ("capital £6,436, revenue £4,630 making a total of £11,066"), a clause
of contrast starts a new item (", but the condition of unclassified roads … 18%"), a later
clause shares the earlier one's subject and a part the whole's words ("486 households …,
including 301 families"), and a count keeps the words of what it counts ("38 children in
external residential placements at …"). ``qa_service.trend_sentence`` weighs a figure by how
much of the question these words name; ``around`` gives the plain window either side.
"""

from __future__ import annotations

import re

from qa_service.trend_read import Figure

_WORD = re.compile(r"[A-Za-z]{3,}")


def around(text: str, f: Figure, start: int, end: int, words: int) -> str:
    """The ``words`` words either side of ``f`` within ``text[start:end]``: what it counts
    or measures ("486 looked after children", "the number of children in care … to 531")."""
    before = [m.start() for m in _WORD.finditer(text, start, f.start)]
    after = [m.end() for m in _WORD.finditer(text, f.end, end)]
    left = before[-words] if len(before) >= words else start
    right = after[words - 1] if len(after) >= words else end
    return text[left:right]


# Where a list of figures breaks between one item and the next ("capital £6,436, revenue
# £4,630", "19 children and 22% of posts").
_ITEM_BREAK = re.compile(r"[,;:.()]|\b(?:and|but)\b")
# What may follow a figure that ends its line: a note in brackets ("(Ch. No. 101138)"), or a
# table's change column ("Child sexual exploitation 41 -6").
_LINE_END = re.compile(r"\s*(?:\([^()\n]*\)|[-+–]\d[\d,.]*%?)?[ \t]*")
# A part of the figure before: "…, including 301 families", "…, of whom 58 were …",
# "34 households …, 19 of them families with children".
_PART_BEFORE = re.compile(r"\b(?:including|of\s+whom|of\s+which|among\s+them)\W*$", re.I)
# A share of the figure before: "1,126 claims …, of which 9% had resulted in a payment".
_SHARE_OF = re.compile(r"\bof\s+(?:which|whom)\W*$", re.I)
_PART_AFTER = re.compile(r"\s+of\s+(?:them|whom|these|those)\b", re.I)
# A share in apposition after a count: "24,310 households, 58% of those in the district, …".
_APPOSITION = re.compile(
    r"[^,;.()]*,\s*(?P<share>\d+(?:\.\d+)?%)\s+of\s+(?:those|all|them|the)\b[^,;.()]*,", re.I
)
# "34 of the 42 children …": a count of some of the figure after it.
_N_OF_THE = re.compile(r"\s+of\s+the\s+", re.I)
# Where the words of what a count counts end: a verb or "at" ("38 children in external
# residential placements at an average weekly cost of …").
_COUNTED_END = re.compile(r"\b(?:were|was|are|is|had|have|has|at|costing)\b", re.I)
# Words that join items without saying what a figure is ("…, and 84% were …", "… and that
# 11% had …").
_JOINS = frozenset(["and", "but", "while", "whereas", "although", "though", "with", "that"])
# Where an item's subject ends: its verb ("61% of care leavers aged 19 to 21 were in …").
_VERB = re.compile(r"\b(?:were|was|are|is|had|have|has)\b", re.I)
# So does a clause joined by ", and" with a subject and a verb of its own (not ", and 84%
# were …": a figure, no subject). Stop 25; off gives stop 24's reading.
AND_CLAUSES = True
# (an amount's figure may have taken the comma: "£7,400, and")
_AND_CLAUSE = re.compile(r"(?:[,;]|(?<=[,;])|(?<=[,;]\s))\s*and\b", re.I)
_SUBJECT_VERB = re.compile(
    r"\s+(?:[A-Za-z][\w'’-]*\s+){1,8}?(?:were|was|are|is|had|have|has|would|will)\b", re.I
)
# A figure in brackets of its own ("temporary accommodation (£5.1 million)") is said of the
# words right before them. Stop 31; off gives stop 30's reading (the words before the bracket
# were the earlier figure's).
BRACKETED = True
_OPENED = re.compile(r"\(\s*$")
# A clause of contrast starts a new item, with its own subject, however many commas follow.
_CONTRAST = re.compile(r"[,;]\s*(?:but|while|whereas|although|though)\b", re.I)


def labelled(text: str, f: Figure, found: list[Figure], start: int, end: int) -> str:
    """The words that say what ``f`` is when its sentence states several figures: its own item.
    Between two figures, the words up to the last break belong to the earlier ("61% of care
    leavers aged 19, 20 and 21 were in employment, and 84% …") and the rest to the later; with
    no break, all to the later, whose label precedes it ("revenue £4,630 making a total of
    £11,066": "making a total of" names the total, not the revenue). In a list of bare amounts
    (no words between the first figure and the next break: "Amount spent to date on capital
    £6,436, revenue £4,630 …") the words before the first figure, less its own label (the
    last word: "capital"), are every item's. A later item that says nothing after its figure
    shares what an earlier one was of ("the police had attended 97% of strategy meetings, but
    health had attended only 38%": "strategy meetings" is the 38%'s too), and one with a
    subject but no verb the earlier one's verb ("… and education 41%": "had attended")."""
    inside = sorted((g for g in found if start <= g.start and g.end <= end), key=lambda g: g.start)
    if len(inside) < 2 or f not in inside:
        return text[start:end]

    def last_break(a: int, b: int) -> int:
        """Where the earlier figure's words end between offsets ``a`` and ``b``: at a
        contrast's clause, whose subject is the later figure's ("4% of A roads …, but the
        condition of unclassified roads had continued to decline, with 18%"), else at the
        last break."""
        opened = _OPENED.search(text, a, b) if BRACKETED else None
        if opened:
            # a figure in brackets of its own is said of the words right before them, back to
            # the break before ("… in 2023/24, mainly because of temporary accommodation
            # (£5.1 million) and placements for children in care (£4.6 million)"): they are
            # the bracketed figure's, not the earlier figure's
            inner = list(_ITEM_BREAK.finditer(text, a, opened.start()))
            if inner and _WORD.search(text, inner[-1].end(), opened.start()):
                return inner[-1].start()
        contrast = _CONTRAST.search(text, a, b)
        if contrast:
            return contrast.start()
        joined = _AND_CLAUSE.search(text, a, b) if AND_CLAUSES else None
        if joined and _SUBJECT_VERB.match(text, joined.end(), b):
            # ", and" opening a clause with its own subject and verb starts a new item ("…
            # an average weekly cost of £7,400, and four children with very complex needs
            # were living in unregistered placements …, at a cost of up to £22,000 a week")
            return joined.start()
        first_line = text.find("\n", a, b)
        if first_line >= 0 and _LINE_END.fullmatch(text, a, first_line):
            # the earlier figure ends its line, but for a note in brackets, as a list's
            # amounts do ("Stainless Steel Fixings £ 20.00 (cheque payable to John Eyles)\n
            # Fellrunner Village Bus Donation … £ 65.00"): the later figure's line is its own
            return text.rfind("\n", a, b)
        breaks = list(_ITEM_BREAK.finditer(text, a, b))
        return breaks[-1].start() if breaks else a

    def tail(j: int) -> str:
        """The words after the ``j``-th figure that are its own ("97% of strategy meetings")."""
        g = inside[j]
        if j + 1 < len(inside):
            return text[g.end : last_break(g.end, inside[j + 1].start)]
        clause = re.compile(r"[;:]").search(text, g.end, end)  # a new clause is not its words
        return text[g.end : clause.start() if clause else end]

    i = inside.index(f)
    first_end = last_break(inside[0].end, inside[1].start)
    # (a first figure ending its line is a row of its own: the rows share no words)
    bare = (
        not _WORD.search(text, inside[0].end, first_end) and text[first_end : first_end + 1] != "\n"
    )
    left = start if i == 0 else last_break(inside[i - 1].end, f.start)
    right = end if i + 1 == len(inside) else last_break(f.end, inside[i + 1].start)
    apposition = _APPOSITION.match(text, f.end) if f.unit == "count" else None
    if apposition and apposition.group("share") and i + 1 < len(inside):
        # a share in apposition restates the count ("24,310 households, 58% of those in the
        # district, subscribed in 2021/22"): what follows it is said of the count too
        following = _ITEM_BREAK.search(text, apposition.end(), end)
        right = following.start() if following else end
    elif f.unit == "count" and right == f.end and i + 1 < len(inside):
        # with no break before the next figure, a count still has the words of what it
        # counts, up to a verb or "at" ("There were 38 children in external residential
        # placements at an average weekly cost of £7,400": "children in external …")
        stop = _COUNTED_END.search(text, f.end, inside[i + 1].start)
        right = stop.start() if stop else f.end
    if i + 1 < len(inside) and _N_OF_THE.fullmatch(text, f.end, inside[i + 1].start):
        # "34 of the 42 children in residential care were in external homes": what the 42
        # are and what is said of them are the 34's
        after = inside[i + 1]
        later = len(inside) == i + 2
        right = end if later else last_break(after.end, inside[i + 2].start)
    elif i and _N_OF_THE.fullmatch(text, inside[i - 1].end, f.start):
        verb = _VERB.search(text, f.end, right)  # the 42 are only what they are
        right = verb.start() if verb else right
    own = text[left:right]
    g = inside[i - 1] if i else f
    verb = _VERB.search(text, g.end, left) if i else None
    if verb and not [w for w in _WORD.findall(text, left, f.start) if w.lower() not in _JOINS]:
        # a later clause that says nothing before its figure shares the earlier clause's
        # subject ("61% of care leavers aged 19, 20 and 21 were in education …, and 84% were
        # in suitable accommodation": "care leavers aged 19, 20 and 21" is the 84%'s too)
        earlier = start if i == 1 else last_break(inside[i - 2].end, g.start)
        own = f"{text[earlier : verb.start()]} {own}"
    own_words = [w for w in _WORD.findall(text, left, f.start) if w.lower() not in _JOINS]
    if i and own_words and not _VERB.search(text, left, f.start):
        # a later item with a subject but no verb of its own shares the earlier item's
        # verb ("health had attended only 38% and education 41%": education had attended)
        earlier = start if i == 1 else last_break(inside[i - 2].end, g.start)
        shared_verb = _VERB.search(text, earlier, g.start)
        if shared_verb:
            own = f"{own} {text[shared_verb.start() : g.start]}"
    if i and own_words == [] and _WORD.search(text, f.end, right) and not _VERB.search(own):
        # a later item with its subject after its figure and no verb at all shares what the
        # first item says after its own verb ("26.3% of children in Year 6 had been living
        # with obesity …, and 12.1% of children in Reception": living with obesity too)
        first_right = last_break(inside[0].end, inside[1].start)
        said = _VERB.search(text, inside[0].end, first_right)
        if said:
            own = f"{own} {text[said.start() : first_right]}"
    part = _PART_BEFORE.search(text, left, f.start) or _PART_AFTER.match(text, f.end)
    share_of = _SHARE_OF.search(text, left, f.start) if f.unit == "%" else None
    if i > 0 and ((f.unit != "%" and part) or share_of):
        # a part of the earlier figure is of what it was ("486 households were in temporary
        # accommodation, including 301 families with children": the 301 are in it too); a
        # share "of those" is a rate, not a part ("38,950 households, 41% of those eligible"),
        # while a share "of which" is of the earlier figure's whole ("1,126 claims …, of which
        # 9% had resulted in a payment": 9% of the claims)
        own = f"{text[start if i == 1 else last_break(inside[i - 2].end, g.start) : left]} {own}"
    if i > 0 and not _WORD.search(tail(i)):
        # a later item that says nothing after its figure shares what the earlier one was
        # of ("the police had attended 97% of strategy meetings, but health only 38%")
        own += next((" " + tail(j) for j in range(i - 1, -1, -1) if _WORD.search(tail(j))), "")
    if not bare or i == 0:
        return own
    words = list(_WORD.finditer(text, start, inside[0].start))
    shared = text[start : words[-1].start()] if words else ""  # less the first item's label
    return f"{shared} {own}"
