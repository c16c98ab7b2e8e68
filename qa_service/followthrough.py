"""Follow-through: did what a committee asked to come back, come back?

Each commitment found at ingest (``ingest.commitments``) is read against the rest of the
index when asked for:

- its **due date**: as stated, or, for "the next meeting", the date of the expecting
  committee's next meeting in the index after the one that made it;
- its **discharging paper**: the best passage, among the papers of the same council and
  the expecting committee (under any of the names its papers give it, ``same_body``) dated
  after the meeting, for the commitment's own words, provided the engine answers with
  confidence (the same calibrated threshold as ``/api/ask``), the paper is not an
  inspectorate's (a monitoring letter), and it comes within a year of the due date (of the
  meeting, when no date is known) or names the meeting that asked for it. The
  meeting is the one the commitment was made at: an agenda pack prints the minutes of the
  previous meeting ("Minutes of the meeting held on 17 September 2024"), and a request
  recorded there may be answered by a later item of the same pack;
- its **status**: ``discharged`` (came back on that paper's date), ``overdue`` (due before
  ``as_of`` and not seen), or ``due`` (due later, or no date known, and not seen yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cqa_core.errors import InvalidQueryError
from index.records import CommitmentRecord, commitments, meeting_dates
from index.store import Filters
from ingest.commitments import printed_minutes
from qa_service.answers import Hit
from qa_service.retriever import Engine

Status = Literal["discharged", "due", "overdue"]
STATUSES: tuple[Status, ...] = ("discharged", "due", "overdue")
# Passages of later papers searched for the one that brings a commitment back.
CANDIDATES = 3
# How late after its due date a paper may come and still be the one promised, unless it
# names the meeting that asked for it. A policy, not fitted: a year covers a report slipping
# by a few meetings and a municipal year's work programme.
GRACE = timedelta(days=365)
# Passages this close to the best one's confidence are as good an answer: the first of them in
# time is taken (the margin a comparison's latest decision uses, ``precedent.DECISION_MARGIN``).
MARGIN = 0.1
# Papers an inspectorate wrote (a monitoring letter, an inspection report): tabled at a
# committee, but not the report a council promised it.
_INSPECTORATE = re.compile(r"letter|inspection", re.I)


@dataclass
class FollowThrough:
    """One commitment with what became of it."""

    commitment: CommitmentRecord
    committee: str | None  # the body expecting it
    due: str | None
    status: Status
    discharged_by: Hit | None = None

    @property
    def discharged_on(self) -> str | None:
        """The meeting date of the paper that brought it back."""
        if self.discharged_by is None:
            return None
        return self.discharged_by.passage.document.meta.meeting_date


@dataclass
class Made:
    """The meeting a commitment was made at, and, for a request recorded in the printed
    minutes of an earlier meeting, the agenda item of the pack that prints them."""

    on: date
    minutes_item: str | None = None  # the pack's item number; None: not printed minutes


def made(engine: Engine, c: CommitmentRecord, texts: dict[str, str] | None = None) -> Made | None:
    """The meeting ``c`` was made at: its paper's, or that of the printed minutes it lies in
    (None: the paper has no date). ``texts`` keeps the last paper's text read, by id."""
    paper = c.passage.document.meta.meeting_date
    if not paper:
        return None
    on = date.fromisoformat(paper)
    texts = {} if texts is None else texts
    doc = c.passage.document.document_id
    if doc not in texts:
        texts.clear()  # one paper at a time: a listing reads its commitments paper by paper
        texts[doc] = engine.store.document_text(doc)[0]
    text = texts[doc]
    printed = printed_minutes(text, c.char_start, on)
    return Made(on) if printed is None else Made(*printed)


def _body(name: str) -> str:
    """A committee's name without what it says of one meeting: "Full council (monthly
    meeting, by telephone)" is the body "full council"."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", name).strip().lower()


def same_body(engine: Engine, committee: str) -> tuple[str, ...]:
    """The index's names for the body ``committee`` (a parish council's papers name one
    meeting "Full council (monthly meeting)", the next "Full council (Annual General Meeting
    and monthly meeting)"); ``committee`` itself first."""
    body = _body(committee)
    others = [c for c in engine.store.facet_values("committee") if c != committee]
    return (committee, *sorted(c for c in others if _body(c) == body))


def _due(
    engine: Engine, c: CommitmentRecord, council: str | None, committee: str | None, at: Made | None
) -> str | None:
    if c.due is not None or not c.next_meeting:
        return c.due
    if at is None or not council or not committee:
        return None
    dates = {
        d
        for name in same_body(engine, committee)
        for d in meeting_dates(engine.store, council, name)
    }
    later = sorted(d for d in dates if d > at.on.isoformat())
    return later[0] if later else None


def _refers_back(engine: Engine, hit: Hit, made: date) -> bool:
    """Whether the later paper names the month of the meeting that asked for it."""
    text, _ = engine.store.document_text(hit.passage.document.document_id)
    return f"{made:%B} {made.year}" in text or f"{made.day} {made:%B} {made.year}" in text


def _own_minutes(hit: Hit, c: CommitmentRecord, at: Made) -> bool:
    """Whether a passage is the printed minutes the commitment lies in (its pack's item)."""
    if hit.passage.document.document_id != c.passage.document.document_id:
        return False
    top = hit.passage.heading_path[0] if hit.passage.heading_path else ""
    return re.fullmatch(rf"Agenda\s+Item\s+{at.minutes_item}", top.strip(), re.I) is not None


def _same_pack_in_time(hit: Hit, c: CommitmentRecord, due: str | None) -> bool:
    """A later item of the pack that prints the request answers it only when it was due by
    the pack's meeting (its month): the pack's other reports were on the agenda anyway."""
    if hit.passage.document.document_id != c.passage.document.document_id:
        return True
    pack = c.passage.document.meta.meeting_date or ""
    return due is not None and due[:7] <= pack[:7]


def _discharge(
    engine: Engine,
    c: CommitmentRecord,
    council: str | None,
    committee: str | None,
    due: str | None,
    as_of: date,
    at: Made | None,
    names: tuple[str, ...] = (),
) -> Hit | None:
    """The passage of a later paper of the expecting committee that answers the commitment.

    It must answer with confidence, and come within a year of the due date unless it says
    which meeting asked for it ("the annual review that the Committee asked for in October
    2019"): a paper on the same topic years later is not the one that was promised. A
    request recorded in a pack's printed minutes may be answered by a later item of that
    pack, when it was due by the pack's meeting. ``names``: the index's names for the
    expecting body (``same_body``; by default ``committee`` alone).
    """
    if at is None or not council or not committee:
        return None
    after = (at.on + timedelta(days=1)).isoformat()
    filters = Filters(
        council=(council,),
        committee=names or (committee,),
        date_from=after,
        date_to=as_of.isoformat(),
    )
    if after > as_of.isoformat():
        return None
    # the printed minutes answer their own words best: read past them to what came back
    printed = at.minutes_item is not None
    wanted = 4 * CANDIDATES if printed else CANDIDATES
    # the commitment's words are not a question: its date is when it is due and it states a
    # plan, so the answer checks (another period shown, only a plan shown) do not apply
    answer = engine.ask(c.text[:1900], wanted, filters, infer_filters=False, answer_checks=False)
    hits = [h for h in answer.hits if not (printed and _own_minutes(h, c, at))][:CANDIDATES]
    if not answer.answered or not hits:
        return None
    best = max(h.confidence for h in hits)
    # with no due date, a paper a year after the meeting that asked is as late
    bound = (date.fromisoformat(due) if due is not None else at.on) + GRACE
    for hit in hits:  # best first; a later paper on the topic may outrank the one due
        if hit.confidence < best - MARGIN or not _same_pack_in_time(hit, c, due):
            continue
        if _INSPECTORATE.search(hit.passage.document.meta.doc_type or ""):
            continue
        came = hit.passage.document.meta.meeting_date or ""
        if came <= bound.isoformat() or _refers_back(engine, hit, at.on):
            return hit
    return None


def follow(
    engine: Engine, c: CommitmentRecord, as_of: date, texts: dict[str, str] | None = None
) -> FollowThrough:
    """One commitment's due date, discharging paper and status on ``as_of`` (``texts``: the
    last paper's text read, by id, for a listing of many)."""
    meta = c.passage.document.meta
    committee = c.expecting or meta.committee
    texts = {} if texts is None else texts
    at = made(engine, c, texts)
    due = _due(engine, c, meta.council, committee, at)
    names = same_body(engine, committee) if committee else ()
    hit = _discharge(engine, c, meta.council, committee, due, as_of, at, names)
    if hit is not None:
        status: Status = "discharged"
    elif due is not None and due < as_of.isoformat():
        status = "overdue"
    else:
        status = "due"
    return FollowThrough(c, committee, due, status, hit)


def follow_through(
    engine: Engine,
    council: list[str] | None = None,
    committee: list[str] | None = None,
    status: list[str] | None = None,
    as_of: date | None = None,
    document_id: str | None = None,
) -> list[FollowThrough]:
    """Every commitment passing the filters, oldest meeting first, with what became of it.

    ``committee`` matches the committee expecting the commitment; ``document_id`` keeps the
    commitments made in one paper.
    """
    wanted = {s.strip() for s in status or () if s.strip()}
    if wanted - set(STATUSES):
        raise InvalidQueryError(f"status must be one of {', '.join(STATUSES)}")
    engine.refresh()
    filters = Filters(
        council=tuple(c.strip() for c in council or () if c.strip()),
        document_ids=(document_id,) if document_id else (),
    )
    committees = {c.strip().lower() for c in committee or () if c.strip()}
    today = as_of or date.today()
    out = []
    texts: dict[str, str] = {}  # the last paper's text, read once for its commitments
    for record in commitments(engine.store, filters):
        expecting = record.expecting or record.passage.document.meta.committee
        if committees and (expecting or "").lower() not in committees:
            continue
        item = follow(engine, record, today, texts)
        if not wanted or item.status in wanted:
            out.append(item)
    return out
