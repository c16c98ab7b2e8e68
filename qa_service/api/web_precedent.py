"""The precedent pages: ``/decisions``, ``/timeline`` and ``/passages/{id}/similar``.

Server-rendered like the question pages: each reads its GET query string, calls the same
function as its API endpoint and renders the API's response body, with a link to the same
results as CSV.  That link sends the endpoint the values the page used and nothing else: a
page's own parameters (``page``), what a browser or a shared link added, and a value the page
reads leniently (``procedural=maybe``, ``limit=500``) got a 422 from the API, or a download
unlike the page (``top_k`` on the similar page, ``limit`` on the timeline's).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from cqa_core.errors import DocumentNotFoundError, InvalidQueryError
from index.store import Filters
from qa_service import followthrough, precedent, request_limits, similar, trend_svg
from qa_service.api.web_params import PageDep, PageParams
from qa_service.api.web_render import render
from qa_service.presenters import (
    commitments_response,
    decisions_notes,
    decisions_response,
    similar_response,
    timeline_response,
    trend_request,
    unheld_filter_notes,
)
from qa_service.web_views import all_as_held, page_count, page_window, with_params

router = APIRouter(include_in_schema=False)
_YES = {"true", "1", "yes", "on"}  # what FastAPI reads as a true bool
_MOST_PAGES = 10**6  # a page number past any list (and its offset an SQLite integer)


def _filters(council: list[str] | None, date_from: str = "", date_to: str = "") -> Filters:
    """Filters from the page's query string; a malformed date raises ``InvalidQueryError``."""
    try:
        start = date.fromisoformat(date_from).isoformat() if date_from else None
        end = date.fromisoformat(date_to).isoformat() if date_to else None
    except ValueError as exc:
        raise InvalidQueryError("a meeting date must be a real date, like 2017-03-21") from exc
    return Filters(council=tuple(c for c in council or () if c), date_from=start, date_to=end)


def _check_question(q: str) -> None:
    limit = request_limits.current().max_question_chars
    if len(q) > limit:
        raise InvalidQueryError(f"the question must be shorter than {limit + 1:,} characters")


def _download(*used: tuple[str, str]) -> str:
    """The query string of a page's CSV link to its API endpoint: the values the page used
    (blank ones left out), and ``format=csv``."""
    return with_params(list(used), set(), format="csv")


def _each(name: str, values: list[str]) -> list[tuple[str, str]]:
    return [(name, value) for value in values]


def _message(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]


def _context(query: PageParams, q: str) -> dict[str, Any]:
    """What every precedent page shows: the form's values and choices and the notes on them."""
    params = list(query.request.query_params.multi_items())
    # a council no paper has (a misspelt or old link) is named, as the question form names it
    chosen = Filters(council=tuple(c.strip() for c in query.councils if c.strip()))
    held = query.engine.store.facet_values("council")
    return {
        "notes": unheld_filter_notes(query.engine, chosen),
        "q": q,
        # as the index spells them, so the form shows them chosen and asking again keeps them
        "selected_councils": all_as_held(query.councils, held),
        "councils": held,
        "params": params,
        "ask_link": "/" + with_params([("q", q)], set()),
    }


@router.get("/decisions")
def decisions_page(
    query: PageDep,
    date_from: str = "",
    date_to: str = "",
    procedural: str = "",
    limit: str = "",
    page: str = "1",
) -> Response:
    """Decisions on a topic (or the latest ones), newest first, ``limit`` a page (20 unless
    asked, at most ``CQA_MAX_TOP_K``); procedural ones on request."""
    request, engine, q, council = query.request, query.engine, query.q, query.council
    # read here, not as a bool parameter: a hand-edited "procedural=maybe" got the API's
    # JSON 422 in place of the page; anything but a yes leaves them hidden
    show_procedural = procedural.strip().lower() in _YES
    context = _context(query, q)
    params = [(k, v) for k, v in context["params"] if k != "page"]
    shown = {} if show_procedural else {"procedural": "true"}
    # showing or hiding procedural decisions changes the list: back to its first page
    context["procedural_link"] = "/decisions" + with_params(params, {"procedural"}, **shown)
    response, errors = None, []
    try:
        _check_question(q)
        question = q.strip() or None
        filters = _filters(council, date_from, date_to)
        most = request_limits.current().max_top_k
        wanted = min(int(limit), most) if limit.isdigit() and int(limit) > 0 else None
        per_page = wanted or min(precedent.DECISIONS_SHOWN, most)
        number = min(int(page), _MOST_PAGES) if page.isdigit() and int(page) > 0 else 1
        found = precedent.decisions(
            engine, question, filters, per_page, show_procedural, (number - 1) * per_page
        )
        pages = page_count(found.total, per_page)
        if number > pages:  # past the end (a stale or hand-edited link): the last page
            number = pages
            found = precedent.decisions(
                engine, question, filters, per_page, show_procedural, (pages - 1) * per_page
            )
        response = decisions_response(question, found, show_procedural)
        # as /api/decisions says them
        context["notes"] = decisions_notes(engine, context["notes"], found)
        context.update(
            page=number,
            pages=pages,
            first=found.offset + 1,
            last=found.offset + len(found.decisions),
            window=page_window(number, pages),
            page_link=lambda n: "/decisions" + with_params(params, set(), page=str(n)),
            # the download holds the decisions of this page, as the API reads a page
            csv_query=_download(
                ("q", question or ""),
                *_each("council", query.councils),
                ("date_from", filters.date_from or ""),
                ("date_to", filters.date_to or ""),
                ("procedural", "true" if show_procedural else ""),
                ("limit", str(per_page) if wanted else ""),
                ("offset", str(found.offset) if found.offset else ""),
            ),
        )
        if pages > 1 and per_page < most:
            context["more_link"] = "/decisions" + with_params(params, {"limit"}, limit=str(most))
    except InvalidQueryError as exc:
        errors = [("q", _message(exc))]
    context.update(response=response, errors=errors)
    return render(request, "decisions.html", context, status_code=422 if errors else 200)


@router.get("/commitments")
def commitments_page(
    query: PageDep,
    status: str = "",
    document: str = "",
) -> Response:
    """Follow-through: what committees asked to come back, and whether it did."""
    request, engine, council = query.request, query.engine, query.council
    context = _context(query, "")
    today = date.today()
    response, errors = None, []
    try:
        found = followthrough.follow_through(
            engine, council, None, [status] if status else None, today, document or None
        )
        response = commitments_response(found, today.isoformat())
    except InvalidQueryError as exc:
        errors = [("status", _message(exc))]
    paper = None
    if document:
        # the paper named and linked, or said not to be in the index (a stale link), so an
        # empty list is not read as "this paper asked for nothing"
        try:
            record = engine.store.get_document(document)
            paper = (record.document_id, record.meta.title or record.source)
        except DocumentNotFoundError:
            context["notes"] = [*context["notes"], "No paper in the index has that address."]
    context.update(
        response=response,
        errors=errors,
        status=status,
        statuses=followthrough.STATUSES,
        document=document,
        paper=paper,
    )
    return render(request, "commitments.html", context, status_code=422 if errors else 200)


@router.get("/trend")
def trend_page(query: PageDep) -> Response:
    """A figure over time for a question asking for a quantity, drawn as an SVG."""
    request, engine, q = query.request, query.engine, query.q
    context = _context(query, q)
    response, errors, svg, no_figure = None, [], "", []
    if q.strip():
        try:
            _check_question(q)
            # as POST /api/trend takes them: one council is one line; two or more, a line
            # each (two chosen were once drawn as one line, named after the first)
            chosen = [c.strip() for c in query.councils if c.strip()]
            response = trend_request(engine, q, chosen, Filters())
            # no series: the one council asked for (its name on the line's points)
            svg = trend_svg.figure(response, chosen[0] if response.series is None else None)
            # a council chosen whose papers state no figure has no line: said, not left out
            # silently (one no paper holds is named by the filter notes)
            held = context["councils"]
            no_figure = [s.council for s in response.series or () if not s.points]
            no_figure = [c for c in no_figure if c in held]
        except InvalidQueryError as exc:
            errors = [("q", _message(exc))]
    elif "q" in request.query_params:
        errors = [("q", "Enter a question")]
    context.update(response=response, errors=errors, svg=svg, no_figure=no_figure)
    return render(request, "trend.html", context, status_code=422 if errors else 200)


@router.get("/timeline")
def timeline_page(query: PageDep) -> Response:
    """A topic's relevant passages by meeting date, grouped by year."""
    request, engine, q, council = query.request, query.engine, query.q, query.council
    context = _context(query, q)
    response, errors = None, []
    if q.strip():
        try:
            _check_question(q)
            groups = precedent.timeline(engine, q, _filters(council))
            response = timeline_response(q.strip(), groups)
            # the same topic and councils (the link once dropped the councils)
            topic = [("q", q)] + [("council", c) for c in query.councils]
            context["trend_link"] = "/trend" + with_params(topic, set())
            context["csv_query"] = _download(*topic)
        except InvalidQueryError as exc:
            errors = [("q", _message(exc))]
    elif "q" in request.query_params:
        errors = [("q", "Enter a question")]
    context.update(response=response, errors=errors)
    return render(request, "timeline.html", context, status_code=422 if errors else 200)


@router.get("/passages/{passage_id}/similar")
def similar_page(query: PageDep, passage_id: str) -> Response:
    """The passages nearest to one passage in other meetings, councils or years."""
    request, engine, council = query.request, query.engine, query.council
    try:
        found = similar.similar(engine, passage_id, _filters(council))
    except DocumentNotFoundError:
        return render(request, "not_found.html", {}, status_code=404)
    context = _context(query, "")
    context.update(
        response=similar_response(found),
        api_csv=f"/api/passages/{passage_id}/similar"
        + _download(*_each("council", query.councils)),
    )
    return render(request, "similar.html", context)
