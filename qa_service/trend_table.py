"""Reading a trend's figure from a row of a table, where its header says which column is current.

A performance table read as text is a header line of period columns and rows of a measure's
name followed by one cell per column:

    Measure Q3 2021/22 Q3 2022/23 Target Mar 2023 England 2021/22
    Supervision within timescale 54% 78% 90% -

Each column's label ends with its year ("Q3 2021/22", "Target Mar 2023"), but for a target
and a rating after them ("… Q3 2023/24 Target RAG", rows ending "6% Red"); the current
column is the last one that is not a target or a comparison (England, national, regional,
statistical neighbours, average), and a row's figure is its cell there (78%). A row whose
name runs onto a second line ("Assessments completed within 45 / working days 63% 74% …")
takes the line before it as the start of its name. Without a header in the same passage
(a table split across passages), no row is read: which column is current is unknown.

A table whose columns are places and whose rows state their period ("Indicator Period
Sellbridge England" over "Quit at four weeks (of those setting a date) 2023/24 57% 53%") is
read at its last column that is not a comparison, a row being one only with its period.

A table written with bars (a Word or HTML table: "Measure | Ravensholt 2018 | Ravensholt
2019 | Children in care, England 2018 | Comment") is read the same way, its cells split at
the bars, whatever comment follows the figures. A row keeps its table's caption (the line
above the header, "Table 2: Early help performance, …"): the subject of a row whose name
does not say it.

A table whose periods run down its rows ("Table 1: People waiting for a Care Act assessment,
by month / Month end Waiting Median wait (weeks) Waiting over 6 months / March 2024 1,768 13
188 / … / September 2024 1,612 11 141") has a header that opens with its period column
("Month end", "Quarter", "Year") and names one column per cell after it, each opening with
a capital. Only its latest dated row is read (the rows before are its history), each cell
with its column's label, the question choosing the column (``Row.labelled``); the row is
read with its caption and header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from index.passages import PassageRecord
from qa_service.trend_read import _MONTH_NUMBER, Figure

# One cell: a number (a share, a count, a decimal), a dash for none, or a rating (a scorecard's
# "RAG" column: "… 4.8% 6% Red").
_CELL = r"(?:\d[\d,]*(?:\.\d+)?%?|-|–|Red|Amber|Green)"
_RATING = frozenset(["Red", "Amber", "Green"])
_CELLS_AT_END = re.compile(rf"(?:[ \t]+{_CELL})+[ \t]*$")
_ONE_CELL = re.compile(_CELL)
# A cell may also carry its sign or its pound sign (``SIGNED_CELLS``): a net change's "-8", a
# fee's "£42.00", a claim total's "£261,000". Off: a row ending in one is no row at all, so a
# table "Year Enquiries … Net change" over "2017/18 352 41 21 29 -8" states nothing.
SIGNED_CELLS = True
_SIGNED_CELL = r"(?:[-−–]?£?\d[\d,]*(?:\.\d+)?%?|-|–|Red|Amber|Green)"
_SIGNED_CELLS_AT_END = re.compile(rf"(?:[ \t]+{_SIGNED_CELL})+[ \t]*$")
_SIGNED_ONE_CELL = re.compile(_SIGNED_CELL)


def _cell_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of a row's cells at its end and of one cell (``SIGNED_CELLS``)."""
    if SIGNED_CELLS:
        return _SIGNED_CELLS_AT_END, _SIGNED_ONE_CELL
    return _CELLS_AT_END, _ONE_CELL


# A table's caption, on the line above its header: "Table 2: Early help performance, …".
_CAPTION = re.compile(r"\s*Table\s+[A-Z]?\d+[A-Za-z]?\s*[:.–-]")
# A column label ends with its year or financial year: "2022/23", "Mar 2023".
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d\d(?:/\d\d)?$")
# Columns that compare with or aim at the current value, not state it.
_NOT_CURRENT = re.compile(
    r"\b(?:target|england|national|regional|benchmark|statistical|neighbours?|average|"
    r"comparator|ambition)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Row:
    """A table row: the offsets of its name and cells (``start``..``end``) and its current cell."""

    start: int
    end: int
    cell: Figure | None  # None: the current column is empty ("-") or the header unknown
    title: str = ""  # its table's caption ("Table 2: Early help performance, …"), if any
    # of a table whose columns are amounts (``money_columns``): each column's label and cell,
    # the question choosing among several ("Budget £m Forecast £m Variance £m")
    labelled: tuple[tuple[str, Figure | None], ...] = ()
    # a row above its table's "Total" row: one of the parts the total adds up
    part: bool = False


# A column of amounts says its unit in the header only: "£m", "£ million", "£000", "£'000".
_MONEY_LABEL = re.compile(r"£[ \t]?(?P<mult>'?000|k|m|million|bn|billion)?(?=[ \t]|$)", re.I)
_MONEY_MULT = {"": 1.0, "000": 1e3, "'000": 1e3, "k": 1e3, "m": 1e6, "million": 1e6}
_MONEY_MULT |= {"bn": 1e9, "billion": 1e9}
# A caption anywhere in a line ("… an approved household. Table 2: Foster carer recruitment").
_CAPTION_IN_LINE = re.compile(r"\bTable\s+[A-Z]?\d+[A-Za-z]?\s*[:.–-]")
# A row that adds up the rows above it.
_TOTAL = re.compile(r"\s*(?:grand\s+)?total\b", re.I)


def money_columns(line: str) -> list[tuple[str, float]]:
    """The columns of a header whose every column is an amount in the unit its label ends
    with ("Source £ million": one column in millions; "Budget £m Forecast £m Variance £m":
    three), each with its label and multiplier; [] when the line is no such header (prose,
    or a label with a number or punctuation of its own)."""
    line = line.strip()
    found = list(_MONEY_LABEL.finditer(line))
    if not found or found[-1].end() != len(line) or len(line) > 120:
        return []
    if re.search(r"[\d%,.:;]", _MONEY_LABEL.sub("", line)):
        return []
    out: list[tuple[str, float]] = []
    start = 0
    for m in found:
        label = line[start : m.start()].strip()
        if not re.search(r"[A-Za-z]", label) and out:
            return []  # two units in a row name no column
        out.append((label, _MONEY_MULT[(m.group("mult") or "").lower()]))
        start = m.end()
    return out


# A column after the dated ones that states the change between them ("Service 2023/24 2024/25
# Change" over "Bulky waste collection (up to 3 items) £28.00 £30.00 7.1%"): no current value.
# Off: such a header is no header.
CHANGE_COLUMNS = True
_CHANGE = re.compile(r"(?:change|variance|difference|movement)", re.I)


def columns(line: str) -> list[str]:
    """The column labels of a header line, each ending with its year; [] when it is not one
    (a line of prose or a title: "Table 2: Early help performance, 2020/21 to 2022/23")."""
    if re.search(r"[%,.:;]", line):
        return []
    labels: list[str] = []
    words: list[str] = []
    for token in line.split():
        words.append(token)
        if _YEAR_TOKEN.match(token):
            labels.append(" ".join(words))
            words = []
    if len(labels) < 2:
        return []
    # after the dated columns, a target and a rating: "… Q3 2023/24 Target RAG"; or the
    # change between them ("Service 2023/24 2024/25 Change": ``CHANGE_COLUMNS``)
    trailing = [
        w
        for w in words
        if _NOT_CURRENT.search(w) or w.upper() == "RAG" or (CHANGE_COLUMNS and _CHANGE.fullmatch(w))
    ]
    return labels + words if words and len(trailing) == len(words) else labels if not words else []


# A header whose columns are places and whose rows state their period as a cell: "Indicator
# Period Sellbridge England" over "Quit at four weeks (of those setting a date) 2023/24 57% 53%".
_PERIOD_LABEL = re.compile(r"\b(?:period|year|date)\s+(?P<labels>[A-Za-z][A-Za-z ]*)$", re.I)
# A row's period, just before its cells: "… 2023/24 57% 53%".
_ROW_PERIOD = re.compile(r"(?:19|20)\d\d(?:/\d\d)?\s*$")


def place_columns(line: str) -> list[str]:
    """The column labels after the period column of a header with no figures, one word each,
    when one of them is a comparison ("Indicator Period Sellbridge England": Sellbridge,
    England); [] when the line is no such header."""
    if re.search(r"[\d%,.:;]", line):
        return []
    m = _PERIOD_LABEL.search(line.strip())
    labels = m.group("labels").split() if m else []
    if len(labels) < 2 or not any(_NOT_CURRENT.search(label) for label in labels):
        return []
    return labels


def _current_column(labels: list[str]) -> int | None:
    """The index of the last column that is neither a target nor a comparison (nor a rating,
    "RAG", nor a change between columns)."""
    usable = [
        i
        for i, label in enumerate(labels)
        if not _NOT_CURRENT.search(label)
        and label.upper() != "RAG"
        and not (CHANGE_COLUMNS and _CHANGE.fullmatch(label))
    ]
    return usable[-1] if usable else None


def _lines(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def _pipe_cells(line: str) -> list[tuple[int, int]]:
    """The cells of a line of a table written with bars (Word and HTML tables: "Key Stage 2:
    expected standard | 33% | 41% | 35% | 65% | Cohort of 39 pupils"), as offsets in the line
    with the spaces around them left out."""
    out, start = [], 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((start + lead, start + len(part.rstrip())))
        start += len(part) + 1
    return out


def _pipe_header(line: str) -> int | None:
    """The current column of a bar table's header ("Measure | Ravensholt 2018 | Ravensholt
    2019 | Children in care, England 2018 | Comment": 2), or None when the line is no such
    header: at least two labels after the first end with a year, and no label is a number."""
    labels = [line[a:b] for a, b in _pipe_cells(line)][1:]
    dated = [
        i + 1
        for i, label in enumerate(labels)
        if label.split() and _YEAR_TOKEN.match(label.split()[-1])
    ]
    if len(dated) < 2 or any(_ONE_CELL.fullmatch(label) for label in labels):
        return None
    usable = [i for i in dated if not _NOT_CURRENT.search(labels[i - 1])]
    return usable[-1] if usable else None


def _pipe_rows(text: str) -> list[Row]:
    """The rows of the bar tables in ``text`` under a header of dated columns, each at the
    header's current column (a cell that is not one number states nothing)."""
    out: list[Row] = []
    current: int | None = None
    width = 0
    for start, end in _lines(text):
        line = text[start:end]
        if "|" not in line:
            if line.strip():  # prose ends the table (blank lines part its rows)
                current = None
            continue
        header = _pipe_header(line)
        if header is not None:
            current, width = header, len(_pipe_cells(line))
            continue
        cells = _pipe_cells(line)
        if current is None or len(cells) != width:
            continue
        a, b = cells[current]
        raw = line[a:b]
        cell = None
        if raw and _ONE_CELL.fullmatch(raw) and raw not in ("-", "–"):
            unit = "%" if raw.endswith("%") else "count"
            value = float(raw.rstrip("%").replace(",", ""))
            cell = Figure(value, unit, start + a, start + b)
        out.append(Row(start, end, cell))
    return out


# A header of a table whose periods run down its rows: its period column, then its columns'
# labels ("Month end Waiting Median wait (weeks) Waiting over 6 months").
_DOWN_HEADER = re.compile(
    r"\s*(?:month|quarter|year|period|date|as\s+at)(?:\s+(?:end|ending))?\s+(?P<labels>[A-Z].*)$",
    re.I,
)
# A row's period, first: "September 2024", "Sep 2024", "2023/24", "2024".
_DOWN_PERIOD = re.compile(
    r"\s*(?:(?P<month>[A-Z][a-z]{2,8})\s+)?(?P<year>(?:19|20)\d\d)(?:/\d\d)?(?=\s)"
)


def down_columns(line: str) -> list[str]:
    """The column labels of the header of a table whose periods run down its rows, after
    its period column, each opening with a capital ("Month end Waiting Median wait (weeks)
    Waiting over 6 months": Waiting, Median wait (weeks), Waiting over 6 months); [] when
    the line is no such header."""
    m = _DOWN_HEADER.match(line.rstrip())
    if not m or re.search(r"[%,.:;£|]", line) or len(line) > 120:
        return []
    labels: list[str] = []
    for word in m.group("labels").split():
        if word[0].isupper() and not word.isupper():
            labels.append(word)
        elif labels:
            labels[-1] += " " + word
    return labels


def _period_key(line: str) -> tuple[int, int] | None:
    """A row's period as (year, month), month 0 when it names none; None: no period first."""
    m = _DOWN_PERIOD.match(line)
    if m is None:
        return None
    month = m.group("month")
    number = next(
        (n for name, n in _MONTH_NUMBER.items() if month and name.startswith(month.lower())), 0
    )
    if month and (number == 0 or len(month) < 3):
        return None
    return int(m.group("year")), number


def _down_rows(text: str) -> list[Row]:
    """The latest dated row of each table in ``text`` whose periods run down its rows, its
    cells labelled by its header's columns."""
    out: list[Row] = []
    labels: list[str] = []
    title = ""
    latest: tuple[tuple[int, int], Row] | None = None
    prior = ""
    for start, end in [*_lines(text), (len(text), len(text))]:
        line = text[start:end]
        period = _DOWN_PERIOD.match(line) if labels else None
        key = _period_key(line) if period else None
        # its cells follow its period, one per column
        at_end, one_cell = _cell_patterns()
        tail = at_end.match(line, period.end()) if period and key else None
        cells = list(one_cell.finditer(line, tail.start())) if tail else []
        if key and len(cells) == len(labels):
            read = tuple(zip(labels, [_cell(c, start, None) for c in cells], strict=True))
            row = Row(start, end, None, title, read)
            if latest is None or key >= latest[0]:
                latest = key, row
            continue
        if latest is not None:
            out.append(latest[1])
        latest = None
        found = down_columns(line)
        if found:
            caption = prior if _CAPTION.match(prior) else ""
            labels, title = found, f"{caption} {line.strip()}".strip()
        else:
            labels = []
        prior = line
    return out


# A header whose columns are what each cell is (``LABEL_COLUMNS``): "Placement type Number of
# children Percentage" over "Placed for adoption 10 2%", its first label the rows' names'.
# Off: such a table's rows are read as prose, without what their cells are.
LABEL_COLUMNS = True


def label_columns(line: str) -> list[str]:
    """The labels of a header of words only, a label opening at each capitalised word
    ("Placement type Number of children Percentage": Placement type, Number of children,
    Percentage), the first naming the rows; [] when the line is no such header: a figure,
    a sign or a full stop in it, fewer than three labels, or none of two words or more."""
    line = line.strip()
    if not line or len(line) > 120 or re.search(r"[\d%,.:;£|()]", line):
        return []
    labels: list[str] = []
    for word in line.split():
        if word[0].isupper():
            labels.append(word)
        elif labels and word[0].isalpha():
            labels[-1] += " " + word
        else:
            return []
    # one label of words at least ("Number of children"): a line of single capitalised
    # words is a list's heading ("Name Year Ward Town")
    return labels if len(labels) >= 3 and any(" " in label for label in labels) else []


def rows(text: str) -> tuple[Row, ...]:
    """The rows of the tables in ``text`` with a header line above them in the same text."""
    return _rows(text, SIGNED_CELLS, LABEL_COLUMNS, CHANGE_COLUMNS)


@lru_cache(maxsize=1024)  # a passage's rows are asked for once per sentence read
def _rows(text: str, signed: bool, labelled_columns: bool, change: bool) -> tuple[Row, ...]:
    """``rows``, the switches as the cache's key."""
    at_end, one_cell = _cell_patterns()
    out: list[Row] = _pipe_rows(text) if "|" in text else []
    out += _down_rows(text)
    current: int | None = None
    width = 0
    dated_rows = False
    title = ""
    multipliers: list[float] = []
    names: list[str] = []
    table_start = 0
    previous: tuple[int, int] | None = None  # a line that is neither header nor row
    prior: tuple[int, int] | None = None  # the line before this one
    for start, end in _lines(text):
        line = text[start:end]
        before, prior = prior, (start, end)
        if "|" in line:
            continue  # a bar table's row, read above
        labels = columns(line)
        places = [] if labels else place_columns(line)
        money = [] if labels or places else money_columns(line)
        words = (
            label_columns(line)
            if labelled_columns and not (labels or places or money or down_columns(line))
            else []
        )
        if words and not _rows_follow(text, end, len(words) - 1, one_cell, at_end):
            words = []  # a title of capitalised words, no header: no rows under it
        if labels or places or money or words:
            current, width = _current_column(labels or places), len(labels or places or money)
            if money:  # one column of amounts is the figure; of several, the question chooses
                current = 0 if len(money) == 1 else None
            multipliers = [m for _, m in money]
            names = [label for label, _ in money]
            if words:  # each cell is what its column says; the question chooses
                current, width, names = None, len(words) - 1, words[1:]
            dated_rows = bool(places)  # each row states its period before its cells
            title = text[before[0] : before[1]] if before else ""
            title = title if _CAPTION.match(title) else ""
            previous = None
            table_start = len(out)
            continue
        tail = at_end.search(line)
        # the last cells, one per column ("… per 10,000 93 97 - 70": "10,000" is the name's)
        cells = list(one_cell.finditer(line, tail.start()))[-width:] if tail and width else []
        if len(cells) != width or not width:
            previous = (start, end) if width else None
            continue
        if not line[: cells[0].start()].strip() and previous is None:
            continue  # cells without a name
        if dated_rows and not _ROW_PERIOD.search(line, 0, cells[0].start()):
            previous = None
            continue  # a row of a table of places states its period first
        read = [
            _cell(c, start, multipliers[i] if multipliers else None) for i, c in enumerate(cells)
        ]
        cell = read[current] if current is not None else None
        labelled = tuple(zip(names, read, strict=True)) if names else ()
        if _TOTAL.match(line) and len(out) - table_start > 1:
            # the rows above the total are its parts ("Source £ million" … "Total 26.9")
            out[table_start:] = [replace(r, part=True) for r in out[table_start:]]
        out.append(Row(previous[0] if previous else start, end, cell, title, labelled))
        previous = None
    return tuple(out)


def _rows_follow(
    text: str, end: int, width: int, one_cell: re.Pattern[str], at_end: re.Pattern[str]
) -> bool:
    """Whether the line after offset ``end`` is a row of ``width`` cells after a name."""
    line = text[end + 1 : text.find("\n", end + 1) if "\n" in text[end + 1 :] else len(text)]
    tail = at_end.search(line)
    cells = list(one_cell.finditer(line, tail.start())) if tail else []
    return len(cells) == width and bool(line[: cells[0].start()].strip()) if cells else False


def _cell(m: re.Match[str], start: int, multiplier: float | None) -> Figure | None:
    """A cell's figure (None: a dash or a rating), an amount in pounds when its column's
    header gives its unit (``multiplier``) or the cell its pound sign; a sign of its own
    negative ("-8": ``SIGNED_CELLS``)."""
    raw = m.group()
    if raw in ("-", "–", *_RATING):
        return None
    sign = -1.0 if raw[0] in "-−–" else 1.0
    raw = raw.lstrip("-−–")
    pounds = raw.startswith("£")
    raw = raw.lstrip("£")
    value = sign * float(raw.rstrip("%").replace(",", ""))
    if multiplier is not None and not raw.endswith("%"):
        return Figure(round(value * multiplier, 2), "£", start + m.start(), start + m.end())
    if pounds and not raw.endswith("%"):
        return Figure(value, "£", start + m.start(), start + m.end())
    unit = "%" if raw.endswith("%") else "count"
    return Figure(value, unit, start + m.start(), start + m.end())


def header_before(before: PassageRecord, passage: PassageRecord) -> PassageRecord:
    """A table passage whose rows have no header above them (ingest cuts a table's rows apart
    from prose, and the caption and header line often end the passage before: "… Table 1:
    Placement mix of looked after children / Placement type Number of children Percentage" |
    "Placed for adoption 10 2%"), widened back to the header the passage ``before`` it ends
    with: its last line, with the caption opening in the line above ("Table 2: …"), from
    there. ``passage`` itself when ``before`` does not end right before it with a header
    its rows read under."""
    if not passage.is_table or before.is_table or rows(passage.text):
        return passage
    gap = passage.char_start - before.char_end
    lines = before.text.split("\n")
    if not 0 < gap <= 2 or len(lines) < 2 or not lines[-1].strip():
        return passage
    header = lines[-1]
    caption = _CAPTION_IN_LINE.search(lines[-2])
    prefix = f"{lines[-2][caption.start() :]}\n{header}" if caption else header
    glued = _CAPTION_IN_LINE.search(header)
    if not rows(prefix + "\n" * gap + passage.text) and glued:
        # the caption and the header on one line, the break between them lost ("Table 1:
        # Children's services forecast outturn 2023/24 … (period 8) Service area Budget £m
        # Forecast £m Variance £m"): the header opens at the first capital from which the
        # line's rest is one, the space before it read as the break
        prefix = header[glued.start() :]
        opened = glued.end() - glued.start()
        for m in re.finditer(r" (?=[A-Z])", prefix[opened:]):
            at = opened + m.start()
            split = f"{prefix[:at]}\n{prefix[at + 1 :]}"
            if rows(split + "\n" * gap + passage.text):
                prefix = split
                break
    text = prefix + "\n" * gap + passage.text
    if not rows(text):
        return passage  # the line before is no header of these rows
    cut = len(before.text) - len(prefix)
    return replace(passage, text=text, char_start=before.char_start + cut, page=before.page_of(cut))


def ends_with_header(text: str) -> bool:
    """Whether the last line of ``text`` may be a table's header (or a caption and header on
    one line): a cheap test before the passage after it is fetched (``rows_after``)."""
    line = text[text.rfind("\n") + 1 :]
    return bool(
        _CAPTION_IN_LINE.search(line)
        or columns(line)
        or place_columns(line)
        or money_columns(line)
        or down_columns(line)
        or (LABEL_COLUMNS and label_columns(line))
    )


def rows_after(passage: PassageRecord, after: PassageRecord) -> PassageRecord:
    """A passage ending with a table's header (its caption and header line: "Table 1:
    Placement mix of looked after children … / Placement type Number of children
    Percentage") widened on to the rows ingest cut into the passage ``after`` it, when they
    are read under that header (``header_before``, the other way round); ``passage``
    itself otherwise. Its offsets stay as they were: the rows are added after them."""
    if passage.is_table or not after.is_table:
        return passage
    widened = header_before(passage, after)
    if widened is after:
        return passage
    text = passage.text + "\n" * (after.char_start - passage.char_end) + after.text
    # a caption opening within the line above the header opens its own line (a space read
    # as the break, so the offsets stay): the rows' title, as ``header_before`` reads it
    lines = passage.text.split("\n")
    caption = _CAPTION_IN_LINE.search(lines[-2]) if len(lines) > 1 else None
    at = (
        len(passage.text) - len(lines[-1]) - 1 - len(lines[-2]) + caption.start() - 1
        if caption
        else -1
    )
    if caption and at >= 0 and text[at] == " ":
        text = f"{text[:at]}\n{text[at + 1 :]}"
    return replace(passage, text=text, char_end=after.char_end)
