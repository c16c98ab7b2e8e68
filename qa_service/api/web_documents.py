"""The document pages: ``/documents`` (browse the index) and the viewer ``/documents/{id}``."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from cqa_core.errors import DocumentNotFoundError
from index.store import DocumentRecord, Filters
from qa_service.api.deps import EngineDep
from qa_service.api.web_params import PageDep
from qa_service.api.web_render import render
from qa_service.browse import Chosen
from qa_service.browse import browse as browse_page
from qa_service.presenters import document_out, unheld_filter_notes, with_undated
from qa_service.retriever import Engine
from qa_service.web_views import (
    as_held,
    cited_sentence,
    page_at,
    page_window,
    passage_number,
    safe_back,
    source_page_link,
    viewer_blocks,
    with_params,
)

router = APIRouter(include_in_schema=False)


@router.get("/documents")
def browse(
    query: PageDep,
    committee: str = "",
    year: str = "",
    doc_type: str = "",
    page: str = "1",
) -> Response:
    """Every indexed document, newest meeting first, 20 a page, filtered by council, committee,
    year or document type; each filter option shows how many documents it would list."""
    request, engine = query.request, query.engine
    everything = engine.store.list_documents(Filters(include_superseded=True))
    years = {(d.meta.meeting_date or "")[:4] for d in everything}
    facets = {
        name: engine.store.facet_values(name) for name in ("council", "committee", "doc_type")
    }
    council = as_held(query.one_council, facets["council"])
    committee = as_held(committee, facets["committee"])
    doc_type = as_held(doc_type, facets["doc_type"])
    chosen = Chosen(council, committee, year if year in years else "", doc_type)
    found = browse_page(
        everything,
        chosen,
        int(page) if page.isdigit() else 1,
        facets["council"],
        facets["committee"],
        doc_types=facets["doc_type"],
    )
    # a value no paper holds (a hand-edited link, a misspelling) is named, as the question
    # form and /api/documents name it, not left to read as "no documents of that kind"
    unheld = Filters(
        council=(council,) if council else (),
        committee=(committee,) if committee else (),
        doc_type=(doc_type,) if doc_type else (),
    )
    # a meeting year leaves out every paper with no meeting date (no year lists them):
    # counted among those of the other filters chosen, as /api/documents counts them
    searched = (
        replace(
            unheld,
            date_from=f"{chosen.year}-01-01",
            date_to=f"{chosen.year}-12-31",
            include_superseded=True,
        )
        if chosen.year
        else unheld
    )
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return render(
        request,
        "documents.html",
        {
            "documents": [document_out(d) for d in found.documents],
            "found": found,
            "total": len(everything),
            "council": council,
            "committee": committee,
            "year": chosen.year,
            "doc_type": doc_type,
            "notes": with_undated(
                engine, unheld_filter_notes(engine, unheld), searched, not found.documents
            ),
            "clear_link": "/documents",
            "filtered": bool(council or committee or chosen.year or doc_type),
            "page_link": lambda n: "/documents" + with_params(params, set(), page=str(n)),
            "window": page_window(found.page, found.pages),
        },
    )


@router.get("/documents/{document_id}/passages/{passage_id}")
def cited_passage(document_id: str, passage_id: str, engine: EngineDep) -> Response:
    """A result's link: to the viewer with the passage highlighted and scrolled to (``#p-N``)."""
    try:
        number = passage_number(engine.store.document_passages(document_id), passage_id)
    except DocumentNotFoundError:
        number = None
    anchor = f"#p-{number}" if number else ""
    return RedirectResponse(
        f"/documents/{document_id}" + with_params([("passage", passage_id)], set()) + anchor,
        status_code=303,
    )


@router.get("/documents/{document_id}")
def viewer(
    request: Request,
    document_id: str,
    engine: EngineDep,
    passage: str = "",
    sentence: str = "",
    back: str = "",
) -> Response:
    """A document's text, every passage anchored, the cited passage tinted and its sentence marked.

    ``sentence`` is ``START-END`` in document offsets; ``back`` is the results page to return to.
    """
    try:
        record = engine.store.get_document(document_id)
        text, page_starts = engine.store.document_text(document_id)
    except DocumentNotFoundError:
        return render(request, "not_found.html", {"document_id": document_id}, status_code=404)
    passages = engine.store.document_passages(document_id)
    cited = passage_number(passages, passage) if passage else None
    span = next((p for p in passages if p[0] == passage), None)
    marked = cited_sentence(sentence, (span[1], span[2])) if span else None
    # the page of the marked sentence, as the results page cites it; a passage that runs over
    # a page break starts on the page before (its start page was cited here)
    page = page_at(page_starts, marked[0]) if marked else None
    page = page or (span[3] if span else None)
    return render(
        request,
        "document.html",
        {
            "doc": document_out(record),
            "blocks": viewer_blocks(text, page_starts, passages, passage or None, marked),
            "pages": len(page_starts or []),
            "cited": cited,
            "cited_page": page,
            "marked": marked is not None,
            "back": safe_back(back),
            "source_link": source_page_link(record.meta.source_url, page),
            "superseded_by": _title_of(engine, record.superseded_by),
            "supersedes": _supersedes(engine, record),
            "also_at": engine.store.copies_of(document_id),
        },
    )


def _title_of(engine: Engine, document_id: str | None) -> tuple[str, str] | None:
    """(id, title) of another document, for a note linking to it."""
    if not document_id:
        return None
    try:
        other = engine.store.get_document(document_id)
    except DocumentNotFoundError:
        return None
    return other.document_id, other.meta.title or other.source


def _supersedes(engine: Engine, record: DocumentRecord) -> tuple[str | None, str] | None:
    """(id or None, name) of the earlier version this one replaces, by its file name."""
    name = record.meta.supersedes
    if not name:
        return None
    earlier = next(
        (
            d
            for d in engine.store.list_documents(Filters(include_superseded=True))
            if d.source == name and d.document_id != record.document_id
        ),
        None,
    )
    return (earlier.document_id, earlier.meta.title or earlier.source) if earlier else (None, name)
