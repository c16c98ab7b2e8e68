"""Export: any result list as JSON (the API body) or CSV for a spreadsheet (``?format=csv``).

One CSV row per result (passage or decision): the question, the highlighted sentence, the
full citation and a link to the passage in the viewer.  The file starts with a UTF-8 byte
order mark, without which Excel reads it as Windows-1252 and garbles "£" and "–".  Cells are
text a council wrote or a user typed, so a cell that a spreadsheet would read as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or carriage return, after any spaces) is prefixed
with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from qa_service.schemas.asking import AskResponse, CompareResponse
from qa_service.schemas.filters import ExportFormat
from qa_service.schemas.passages import Citation, PassageOut, SimilarResponse
from qa_service.schemas.precedent import (
    DecisionCitation,
    DecisionList,
    DecisionOut,
    TimelineResponse,
)
from qa_service.web_views import passage_link

COLUMNS = (
    "question",  # the question or topic asked (blank for similar passages and a bare list)
    "group",  # the year (timeline) or the council column (compare); blank elsewhere
    "rank",
    "council",
    "committee",
    "meeting_date",
    "title",
    "page",
    "sentence",  # the highlighted sentence(s), or the decision itself
    "link",  # the passage in this service's viewer
    "source",
    "source_url",  # where the council published the paper
    "document_id",
    "doc_type",
    "passage_id",
    "score",
    "decision_kind",  # resolution / recommendation for a decision row; blank for a passage
    "text",
    "heading",
    "char_start",
    "char_end",
)
MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# For a route's ``responses=``: the CSV body is documented beside the JSON one.
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the results; with `format=csv`, a CSV file, one row per result",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}

Row = dict[str, object]


def _cited(c: Citation | DecisionCitation) -> Row:
    """The columns a passage's and a decision's citations share."""
    return {
        "council": c.council,
        "committee": c.committee,
        "meeting_date": c.meeting_date,
        "title": c.title,
        "document_id": c.document_id,
        "source": c.source,
        "doc_type": c.doc_type,
        "page": c.page,
    }


def highlighted(p: PassageOut) -> str:
    """The passage's highlighted sentences, in order, on one line."""
    return " … ".join(" ".join(p.text[h.start : h.end].split()) for h in p.highlights)


def passage_row(p: PassageOut, group: object = "", question: str = "", base_url: str = "") -> Row:
    """One cited passage as a CSV row."""
    c = p.citation
    return {
        "question": question,
        "group": group,
        "rank": p.rank,
        **_cited(c),
        "sentence": highlighted(p),
        "link": base_url + passage_link(c, p.passage_id),
        "source_url": c.url,
        "passage_id": p.passage_id,
        "score": p.score,
        "decision_kind": "",
        "text": p.text,
        "heading": " > ".join(c.heading),
        "char_start": c.char_start,
        "char_end": c.char_end,
    }


def decision_row(
    d: DecisionOut, rank: object = "", group: object = "", question: str = "", base_url: str = ""
) -> Row:
    """One cited decision as a CSV row."""
    c = d.citation
    return {
        "question": question,
        "group": group,
        "rank": rank,
        **_cited(c),
        "sentence": " ".join(d.text.split()),
        "link": base_url + passage_link(c, c.passage_id),
        "source_url": c.url,
        "passage_id": c.passage_id,
        "score": "",
        "decision_kind": d.kind,
        "text": d.text,
        # the agenda item the decision settles
        "heading": f"Item {d.item}: {d.subject}" if d.item and d.subject else d.subject or "",
        "char_start": c.char_start,
        "char_end": c.char_end,
    }


def rows(body: BaseModel, base_url: str = "") -> list[Row]:
    """The results of an API body, one row each; links are absolute under ``base_url``."""
    url = base_url.rstrip("/")
    if isinstance(body, AskResponse):
        return [passage_row(p, "", body.question, url) for p in body.passages]
    if isinstance(body, SimilarResponse):
        return [passage_row(p, base_url=url) for p in body.passages]
    if isinstance(body, TimelineResponse):
        return [passage_row(p, y.year if y.year is not None else "", body.question, url)
                for y in body.years for p in y.passages]  # fmt: skip
    if isinstance(body, DecisionList):
        q = body.question or ""
        first = body.offset + 1  # a later page's ranks run on from the earlier pages'
        return [decision_row(d, i, "", q, url) for i, d in enumerate(body.decisions, first)]
    if isinstance(body, CompareResponse):
        out: list[Row] = []
        for column in body.councils:
            out.extend(passage_row(p, column.council, body.question, url) for p in column.passages)
            if column.latest_decision is not None:
                out.append(
                    decision_row(column.latest_decision, "", column.council, body.question, url)
                )
        return out
    raise TypeError(f"no CSV export for {type(body).__name__}")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a would-be formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(results: Iterable[Row]) -> str:
    """Rows as CSV text with a header line (stdlib ``csv``, CRLF line ends), no BOM."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in results:
        writer.writerow({k: safe_cell(row.get(k)) for k in COLUMNS})
    return out.getvalue()


def respond(
    body: BaseModel, fmt: ExportFormat, name: str, base_url: str = ""
) -> BaseModel | Response:
    """``body`` itself for JSON, else a CSV attachment named ``name``.csv."""
    return body if fmt == "json" else csv_response(body, name, base_url)


def csv_response(body: BaseModel, name: str, base_url: str = "") -> Response:
    """The results of ``body`` as a CSV attachment named ``name``.csv, BOM first for Excel;
    ``base_url`` (the request's) makes the viewer links absolute."""
    return Response(
        (BOM + to_csv(rows(body, base_url))).encode("utf-8"),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_filename(name)}.csv"'},
    )


def _filename(name: str) -> str:
    """A file name safe in a header: letters, digits, dots, dashes and underscores only."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in name)
