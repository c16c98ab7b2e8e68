"""Shaping internal answers into API bodies; shared by the HTTP routes and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from cqa_core.text import counted
from index.store import DecisionRecord, DocumentRecord, Filters, PassageRecord
from qa_service import precedent, trend
from qa_service.answers import Answer, Hit
from qa_service.followthrough import FollowThrough
from qa_service.precedent import CouncilPrecedent, DecisionPage, YearGroup
from qa_service.retriever import Engine
from qa_service.schemas.asking import (
    API_STATE,
    AskRequest,
    AskResponse,
    CompareRequest,
    CompareResponse,
    CouncilColumn,
)
from qa_service.schemas.documents import DocumentOut
from qa_service.schemas.filters import AppliedFilters, FiltersIn, InferredFilters
from qa_service.schemas.passages import (
    AlsoAt,
    Citation,
    Highlight,
    PassageOut,
    SimilarResponse,
    SourcePassage,
)
from qa_service.schemas.precedent import (
    CommitmentList,
    CommitmentOut,
    DecisionCitation,
    DecisionKindOut,
    DecisionList,
    DecisionOut,
    TimelineResponse,
    TimelineYear,
    TrendPointOut,
    TrendResponse,
    TrendSeries,
)
from qa_service.similar import Similar
from qa_service.trend import agrees, trend_unit
from qa_service.trend_sentence import TrendPoint
from qa_service.web_views import all_as_held


def to_filters(spec: FiltersIn | None) -> Filters:
    """API filters -> index filters."""
    if spec is None:
        return Filters()
    return Filters(
        council=tuple(spec.council or ()),
        committee=tuple(spec.committee or ()),
        doc_type=tuple(spec.doc_type or ()),
        date_from=spec.date_from.isoformat() if spec.date_from else None,
        date_to=spec.date_to.isoformat() if spec.date_to else None,
        include_superseded=spec.include_superseded,
        has_decision=spec.kind == "decision",
    )


def passage_out(hit: Hit, rank: int) -> PassageOut:
    """One hit as the API shows it."""
    p = hit.passage
    doc = p.document
    meta = doc.meta
    return PassageOut(
        rank=rank,
        passage_id=p.passage_id,
        score=round(hit.score, 4),
        text=p.text,
        highlights=[Highlight(start=s.start, end=s.end) for s in hit.highlights],
        core=[Highlight(start=s.start, end=s.end) for s in hit.core],
        citation=Citation(
            document_id=doc.document_id,
            source=doc.source,
            title=meta.title,
            council=meta.council,
            committee=meta.committee,
            meeting_date=meta.meeting_date,
            doc_type=meta.doc_type,
            url=meta.source_url,
            page=p.page,
            char_start=p.char_start,
            char_end=p.char_end,
            heading=list(p.heading_path),
            highlight_page=p.page_of(hit.highlights[0].start) if hit.highlights else p.page,
            superseded_by=doc.superseded_by,
            also_at=[also_at(o.document, o.page) for o in hit.also_at],
        ),
        confidence=round(hit.confidence, 4),
        is_table=p.is_table,
    )


def applied(filters: Filters) -> AppliedFilters:
    """The filters an answer used, for display."""
    return AppliedFilters(
        council=list(filters.council),
        committee=list(filters.committee),
        date_from=filters.date_from,
        date_to=filters.date_to,
        doc_type=list(filters.doc_type),
        include_superseded=filters.include_superseded,
        kind="decision" if filters.has_decision else "any",
    )


def answer_request(engine: Engine, body: AskRequest) -> AskResponse:
    """Put what ``body`` asks to the engine and shape the answer (API, web form and CLI)."""
    filters = to_filters(body.filters)
    answer = engine.ask(
        body.question,
        body.top_k,
        filters,
        body.sort,
        infer_filters=body.infer_filters,
    )
    response = ask_response(answer)
    unheld = unheld_filter_notes(engine, filters)
    # the papers the date bound leaves out for having no date, among those searched (a
    # council read from the question is one of the filters), superseded ones only if asked
    # for (``effective_filters`` takes them in when the date bound left nothing). The bound
    # is the one applied: given, or read from the question ("since 2019"; one dropped for
    # leaving nothing is not in ``answer.filters``, and its own note says so)
    notes = with_undated(
        engine,
        [*response.notes, *unheld],
        replace(answer.filters, include_superseded=filters.include_superseded),
        not response.passages,
    )
    if len(notes) > len(response.notes):
        return response.model_copy(update={"notes": notes, "note": notes[0]})
    return response


_FACETS = (("council", "the council"), ("committee", "the committee"), ("doc_type", "the type"))
_LISTED = 12  # a facet with at most this many values is listed in the note
_QUOTED = 100  # a value named in a note is cut to this many characters (a council is ~50)


def unheld_filter_notes(engine: Engine, filters: Filters) -> list[str]:
    """A sentence for each filter value that no paper in the index holds (matched as the
    store matches them, ignoring case), so a misspelt council or an unknown document type
    is not mistaken for "the papers don't answer this"."""
    return list(unheld_filter_values(engine, filters).values())


def unheld_filter_values(engine: Engine, filters: Filters) -> dict[tuple[str, str], str]:
    """The sentences of ``unheld_filter_notes`` by (field, value): each field's values are
    read from the store once, however many of its values are asked about."""
    notes: dict[tuple[str, str], str] = {}
    for field, label in _FACETS:
        asked: tuple[str, ...] = getattr(filters, field)
        if not asked:
            continue
        held = engine.store.facet_values(field)
        known = {v.lower() for v in held}
        for value in asked:
            if value.lower() in known:
                continue
            choices = f" (it has: {', '.join(held)})" if 0 < len(held) <= _LISTED else ""
            named = value if len(value) <= _QUOTED else value[: _QUOTED - 1].rstrip() + "\u2026"
            notes[field, value] = f"No paper in the index has {label} \u201c{named}\u201d{choices}."
    return notes


def _undated_notes(engine: Engine, filters: Filters) -> list[str]:
    """A sentence saying how many papers the date bounds of ``filters`` leave out for having
    no meeting date, among those passing its other filters (none without a date bound, or
    when no undated paper passes them): on an index whose manifests give no dates, a date
    filter found nothing and said nothing, an empty answer with no reason given."""
    if not (filters.date_from or filters.date_to):
        return []
    n = engine.store.undated_documents(filters)
    if not n:
        return []
    have, them = ("has", "it") if n == 1 else ("have", "them")
    return [f"{counted(n, 'paper')} {have} no meeting date, so the date filter leaves {them} out."]


def with_undated(
    engine: Engine, notes: list[str], searched: Filters, found_nothing: bool
) -> list[str]:
    """``notes`` with the sentence saying how many papers the date bounds of ``searched``
    leave out for having no meeting date (``_undated_notes``; none without a bound): first
    when nothing was found, as it says why (and the one-sentence ``note`` is the first),
    else after the others, which are about the answer itself."""
    undated = _undated_notes(engine, searched)
    return [*undated, *notes] if found_nothing else [*notes, *undated]


def decisions_notes(engine: Engine, notes: list[str], found: DecisionPage) -> list[str]:
    """A decisions list's ``notes`` (``/api/decisions`` and its page) with the papers
    holding a decision that the date bound applied (given, or read from the question,
    "since 2019", among the papers searched) leaves out for having no date."""
    return with_undated(
        engine, notes, replace(found.filters, include_superseded=False), not found.decisions
    )


def ask_response(answer: Answer) -> AskResponse:
    """An answer as the body of ``POST /api/ask``."""
    return AskResponse(
        question=answer.question,
        answered=answer.answered,
        answer_state=API_STATE[answer.state],
        notes=answer.notes,
        passages=[passage_out(h, i) for i, h in enumerate(answer.hits, start=1)],
        confidence=round(answer.confidence, 4),
        filters=applied(answer.filters),
        inferred_filters=InferredFilters(
            council=list(answer.inferred.council),
            date_from=answer.inferred.date_from,
            date_to=answer.inferred.date_to,
            phrases=answer.inferred_phrases,
            preferred_date_from=answer.preferred.date_from if answer.preferred else None,
            preferred_date_to=answer.preferred.date_to if answer.preferred else None,
            preferred_phrases=sorted(answer.preferred.years) if answer.preferred else [],
        ),
        expansions=answer.expansions,
    )


def compare_request(engine: Engine, body: CompareRequest) -> CompareResponse:
    """Put a comparison to the engine and shape it (API and web page)."""
    filters = to_filters(body.filters)
    columns = precedent.compare(engine, body.question, body.councils, body.per_council, filters)
    response = compare_response(body.question, columns)
    # a council, committee or type no paper holds is named, as /api/ask names it; the
    # councils are read once for every empty column
    empty = tuple(c.council for c in response.councils if not c.passages)
    unheld = unheld_filter_values(engine, Filters(council=empty)) if empty else {}
    councils = [
        c.model_copy(update={"note": unheld["council", c.council]})
        if ("council", c.council) in unheld
        else c
        for c in response.councils
    ]
    notes = unheld_filter_notes(engine, replace(filters, council=()))
    # undated papers of the councils compared that the date bound leaves out: the bound the
    # columns applied, given or read from the question ("since 2019"; a column whose council
    # has no paper in it dropped it, and its papers are not counted), the same for each
    dated = [c for c in columns if c.answer.filters.date_from or c.answer.filters.date_to]
    bound = dated[0].answer.filters if dated else Filters()
    searched = replace(
        filters,
        council=tuple(c.council for c in dated),
        date_from=bound.date_from,
        date_to=bound.date_to,
    )
    found_nothing = not any(c.passages for c in response.councils)
    notes = with_undated(engine, notes, searched, found_nothing)
    return response.model_copy(update={"councils": councils, "notes": notes})


def compare_response(question: str, columns: list[CouncilPrecedent]) -> CompareResponse:
    """Council columns as the body of ``POST /api/compare``."""
    return CompareResponse(
        question=question,
        councils=[
            CouncilColumn(
                council=c.council,
                answered=c.answer.answered,
                answer_state=API_STATE[c.answer.state],
                passages=[passage_out(h, i) for i, h in enumerate(c.answer.hits, start=1)],
                latest_decision=decision_out(c.latest_decision) if c.latest_decision else None,
                meeting_dates=c.meeting_dates,
            )
            for c in columns
        ],
    )


def similar_response(found: Similar) -> SimilarResponse:
    """A passage's neighbours as the body of ``GET /api/passages/{id}/similar``."""
    source = passage_out(Hit(found.source, 0.0, 1.0), 0)
    return SimilarResponse(
        passage=SourcePassage(
            passage_id=source.passage_id, text=source.text, citation=source.citation
        ),
        passages=[passage_out(h, i) for i, h in enumerate(found.hits, start=1)],
        filters=applied(found.filters),
    )


def also_at(record: DocumentRecord, page: int | None = None) -> AlsoAt:
    """Another meeting's copy of a paper, as citations list it."""
    return AlsoAt(
        document_id=record.document_id,
        source=record.source,
        title=record.meta.title,
        committee=record.meta.committee,
        meeting_date=record.meta.meeting_date,
        page=page,
    )


def document_out(record: DocumentRecord) -> DocumentOut:
    """A stored document's metadata as the API shows it."""
    m = record.meta
    return DocumentOut(
        document_id=record.document_id,
        source=record.source,
        title=m.title,
        council=m.council,
        committee=m.committee,
        meeting_date=m.meeting_date,
        doc_type=m.doc_type,
        url=m.source_url,
        supersedes=m.supersedes,
        superseded_by=record.superseded_by,
        passages=record.passages,
        ingested_at=record.ingested_at,
    )


def decision_out(record: DecisionRecord) -> DecisionOut:
    """A stored decision as the API shows it, cited."""
    return DecisionOut(
        subject=record.subject,
        item=record.item,
        kind=cast(DecisionKindOut, record.kind),
        procedural=record.procedural,
        text=record.text,
        citation=_record_citation(record.passage, record.char_start, record.char_end, record.page),
    )


def _record_citation(
    passage: PassageRecord, char_start: int, char_end: int, page: int | None
) -> DecisionCitation:
    """Where a decision, commitment or passage is: its paper and offsets in the paper's text."""
    doc = passage.document
    m = doc.meta
    return DecisionCitation(
        council=m.council,
        committee=m.committee,
        meeting_date=m.meeting_date,
        document_id=doc.document_id,
        source=doc.source,
        title=m.title,
        doc_type=m.doc_type,
        url=m.source_url,
        page=page,
        passage_id=passage.passage_id,
        char_start=char_start,
        char_end=char_end,
    )


def commitments_response(items: list[FollowThrough], as_of: str) -> CommitmentList:
    """Commitments with their status as the body of ``GET /api/commitments``."""
    out = []
    for item in items:
        c = item.commitment
        hit = item.discharged_by
        out.append(
            CommitmentOut(
                text=c.text,
                due=item.due,
                due_text=c.due_text,
                committee=item.committee,
                status=item.status,
                citation=_record_citation(c.passage, c.char_start, c.char_end, c.page),
                discharged_on=item.discharged_on,
                discharged_by=(
                    _record_citation(
                        hit.passage, hit.passage.char_start, hit.passage.char_end, hit.passage.page
                    )
                    if hit is not None
                    else None
                ),
            )
        )
    return CommitmentList(as_of=as_of, commitments=out)


def trend_point_out(p: TrendPoint) -> TrendPointOut:
    """One trend point as the API shows it: the sentence cited by its document offsets."""
    passage = p.hit.passage
    start, end = p.sentence
    f = p.figure
    return TrendPointOut(
        date=p.date,
        value=f.value,
        unit=f.unit,
        value_text=passage.text[f.start : f.end],
        text=passage.text[start:end],
        flagged=p.flagged,
        citation=_record_citation(
            passage, passage.char_start + start, passage.char_start + end, passage.page
        ),
    )


def trend_request(
    engine: Engine, question: str, councils: Sequence[str], filters: Filters
) -> TrendResponse:
    """Put a trend question to the engine and shape it (``POST /api/trend`` and ``/trend``).

    ``councils`` (the request's ``council``) take the place of ``filters.council``. One
    council is one line, with no ``series``; two or more, given either way, a series each,
    in the order asked, empty for a council whose papers state no figure; none, a series for
    each council holding a point. The points are those of one engine call over all of them,
    as before: which are found is not changed by asking for a list.
    """
    councils = _distinct(councils)
    if councils:
        filters = replace(filters, council=tuple(councils))
    points = trend.trend(engine, question, filters)
    chosen = _distinct(filters.council)
    compared = chosen if len(chosen) > 1 else []
    if compared:  # as the index spells them, as the points cite them
        compared = all_as_held(compared, engine.store.facet_values("council"))
    response = trend_response(
        question.strip(), points, by_council=len(councils) != 1, councils=compared
    )
    response.notes = unheld_filter_notes(engine, filters)
    return response


def _distinct(names: Sequence[str]) -> list[str]:
    """``names`` trimmed, without blanks or a repeat in another case (the store matches them
    ignoring case), in their order."""
    seen: set[str] = set()
    out = []
    for name in (n.strip() for n in names):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def trend_response(
    question: str, points: list[TrendPoint], by_council: bool, councils: Sequence[str] = ()
) -> TrendResponse:
    """Trend points as the body of ``POST /api/trend``: with ``by_council``, a series for
    each of ``councils`` in their order (matched ignoring case), or without them for each
    council the points hold, in name order."""
    out = [trend_point_out(p) for p in points]
    series = None
    if by_council:
        names = list(councils) or sorted({p.citation.council or "" for p in out})
        same = str.lower if councils else str  # names asked match as the store's filters do
        series = [
            TrendSeries(
                council=c or None,
                points=[p for p in out if same(p.citation.council or "") == same(c)],
            )
            for c in names
        ]
    return TrendResponse(
        question=question, unit=trend_unit(points), agrees=agrees(points), points=out, series=series
    )


def decisions_response(
    question: str | None, found: DecisionPage, procedural: bool = False
) -> DecisionList:
    """One page of decisions as the body of ``GET /api/decisions``."""
    return DecisionList(
        question=question,
        procedural=procedural,
        decisions=[decision_out(r) for r in found.decisions],
        total=found.total,
        offset=found.offset,
    )


def timeline_response(question: str, groups: list[YearGroup]) -> TimelineResponse:
    """Year groups as the body of ``GET /api/timeline``; ranks run on across the years."""
    years = []
    rank = 0
    for group in groups:
        passages = []
        for hit in group.hits:
            rank += 1
            passages.append(passage_out(hit, rank))
        years.append(
            TimelineYear(
                year=group.year,
                decisions=[decision_out(d) for d in group.decisions],
                figures=[trend_point_out(p) for p in group.figures],
                passages=passages,
            )
        )
    return TimelineResponse(question=question, years=years)
