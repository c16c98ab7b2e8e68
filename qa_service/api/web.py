"""The question pages: ``/`` (ask) and ``/compare``, server-rendered and usable without JavaScript.

Each page reads its GET query string (so every result page has a shareable URL), validates it
with the API's own request models, calls the engine once and renders the API's response body.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.responses import Response

from cqa_core.errors import InvalidQueryError
from index.store import Filters
from qa_service import export, request_limits, trend, trend_svg
from qa_service.answer_card import card_for
from qa_service.api.web_params import PageDep
from qa_service.api.web_render import render
from qa_service.compare_grid import LAYOUTS, grid, grid_csv, grid_row, layout
from qa_service.presenters import answer_request, compare_request, trend_response
from qa_service.schemas.asking import AskRequest, CompareRequest
from qa_service.web_views import all_as_held, as_held, long_date, with_params

router = APIRouter(include_in_schema=False)

SORTS = {"relevance": "Most relevant first", "newest": "Newest first", "oldest": "Oldest first"}
TOP_KS = (5, 10, 20)
PER_COUNCIL = (1, 2, 3, 5)


@router.get("/")
def form(
    query: PageDep,
    committee: str = "",
    doc_type: str = "",
    date_from: str = "",
    date_to: str = "",
    sort: str = "relevance",
    top_k: str = "",
    infer: str = "1",
    fmt: Annotated[str, Query(alias="format")] = "html",
) -> Response:
    """The question form, and the answer when a question was asked."""
    request, engine, q, councils = query.request, query.engine, query.q, query.councils
    most = request_limits.current().max_top_k  # CQA_MAX_TOP_K
    top_k = top_k if top_k.isdigit() else str(min(5, most))
    infer_filters = infer != "0"
    date_from = _date_field(request, "date_from", date_from)
    date_to = _date_field(request, "date_to", date_to)
    errors: list[tuple[str, str]] = []
    response = None
    if q.strip():
        try:
            body = AskRequest.model_validate(
                {
                    "question": q,
                    "top_k": top_k,
                    "sort": sort if sort in SORTS else "relevance",
                    "infer_filters": infer_filters,
                    "filters": {
                        "council": councils or None,
                        "committee": committee or None,
                        "doc_type": doc_type or None,
                        "date_from": date_from or None,
                        "date_to": date_to or None,
                    },
                }
            )
            response = answer_request(engine, body)
        except (ValidationError, InvalidQueryError) as exc:
            errors = _messages(exc)
    elif "q" in request.query_params:
        errors = [("q", "Enter a question")]
    params = list(request.query_params.multi_items())
    if response is not None and fmt == "csv":
        return export.csv_response(response, "answer", str(request.base_url))
    topic = [("q", q)] + [("council", c) for c in councils]
    card = card_for(engine, response, sort != "relevance") if response else None
    figure = ""
    if response is not None and response.answered:
        # a question asking for a quantity gets the figure over time when 3+ meetings agree
        chosen = response.filters.council
        points = trend.worth_drawing(engine, q, Filters(council=tuple(chosen)))
        if points:
            drawn = trend_response(q.strip(), points, by_council=len(chosen) != 1)
            figure = trend_svg.figure(drawn, chosen[0] if len(chosen) == 1 else None)
    facets = {
        name: engine.store.facet_values(name) for name in ("council", "committee", "doc_type")
    }
    return render(
        request,
        "index.html",
        {
            "q": q,
            # as the index spells them, so a "cabinet" in a link shows "Cabinet" as chosen
            # (the store matched it) and asking again keeps the filter
            "selected_councils": all_as_held(councils, facets["council"]),
            "committee": as_held(committee, facets["committee"]),
            "doc_type": as_held(doc_type, facets["doc_type"]),
            "date_from": date_from,
            "date_to": date_to,
            "date_parts": {
                "date_from": _date_parts(request, "date_from", date_from),
                "date_to": _date_parts(request, "date_to", date_to),
            },
            "sort": sort,
            "top_k": top_k,
            "infer_filters": infer_filters,
            "sorts": SORTS,
            "top_ks": [n for n in TOP_KS if n <= most] or [most],
            "councils": facets["council"],
            "committees": facets["committee"],
            "doc_types": facets["doc_type"],
            "response": response,
            "card": card,
            "trend_svg": figure,
            "trend_link": "/trend" + with_params(topic, set()),
            "back": "/" + with_params(params, {"format"}),
            "errors": errors,
            "without_inferred": with_params(params, set(), infer="0"),
            "with_inferred": with_params(params, {"infer"}),
            "removals": _removals(_one_field_dates(params, date_from, date_to)),
            "compare_link": "/compare" + with_params([("q", q)], set()),
            "decisions_link": "/decisions" + with_params(topic, set()),
            "timeline_link": "/timeline" + with_params(topic, set()),
            "csv_link": "/" + with_params(params, set(), format="csv"),
            # the order and the count, changeable from the results (their menus are folded)
            "sort_links": [
                (label, "/" + with_params(params, {"format"}, sort=key))
                for key, label in SORTS.items()
                if key != (sort if sort in SORTS else "relevance")
            ],
            "more_links": [
                (n, "/" + with_params(params, {"format"}, top_k=str(n)))
                for n in TOP_KS
                if n <= most and top_k.isdigit() and n > int(top_k)
            ],
        },
        status_code=422 if errors else 200,
    )


@router.get("/compare")
def compare(
    query: PageDep,
    per_council: str = "",
    layout_asked: Annotated[str, Query(alias="layout")] = "auto",
    fmt: Annotated[str, Query(alias="format")] = "html",
) -> Response:
    """One question, one column per chosen council (every council when none is chosen)."""
    layout_asked = layout_asked if layout_asked in LAYOUTS else "auto"
    request, engine, q, councils = query.request, query.engine, query.q, query.councils
    most = request_limits.current().max_per_council  # CQA_MAX_PER_COUNCIL
    per_council = per_council if per_council.isdigit() else str(min(3, most))
    errors: list[tuple[str, str]] = []
    response = None
    if q.strip():
        try:
            body = CompareRequest.model_validate(
                {
                    "question": q,
                    "councils": councils or None,
                    "per_council": per_council,
                }
            )
            response = compare_request(engine, body)
        except (ValidationError, InvalidQueryError) as exc:
            errors = _messages(exc)
    elif "q" in request.query_params:
        errors = [("q", "Enter a question")]
    if response is not None and fmt == "csv":
        return export.csv_response(response, "compare", str(request.base_url))
    if response is not None and fmt in {"grid-csv", "grid-json"}:
        table = grid(response, str(request.base_url))
        if fmt == "grid-json":
            return JSONResponse(table.model_dump(mode="json"))
        return Response(
            grid_csv(table),
            media_type=export.MEDIA_TYPE,
            headers={"Content-Disposition": 'attachment; filename="compare-grid.csv"'},
        )
    params = list(request.query_params.multi_items())
    back = "/compare" + with_params(params, {"format"})
    held = engine.store.facet_values("council")
    shown = layout(layout_asked, len(response.councils)) if response else ""
    return render(
        request,
        "compare.html",
        {
            "q": q,
            "selected_councils": all_as_held(councils, held),
            "per_council": per_council,
            "per_council_choices": [n for n in PER_COUNCIL if n <= most],
            "layout": layout_asked,  # as asked, so the form keeps "auto" for more councils
            "layouts": LAYOUTS,
            "shown_layout": shown,
            "other_layout_link": "/compare"
            + with_params(params, {"format"}, layout="rows" if shown == "columns" else "columns"),
            "councils": held,
            "response": response,
            "rows": [grid_row(c, "", back) for c in response.councils] if response else [],
            "back": back,
            "errors": errors,
            "ask_link": "/" + with_params([("q", q)], set()),
            "csv_link": "/compare" + with_params(params, set(), format="csv"),
            "grid_csv_link": "/compare" + with_params(params, set(), format="grid-csv"),
            "grid_json_link": "/compare" + with_params(params, set(), format="grid-json"),
        },
        status_code=422 if errors else 200,
    )


_LABELS = {
    "council": "Council",
    "committee": "Committee",
    "doc_type": "Document type",
    "date_from": "Meetings on or after",
    "date_to": "Meetings on or before",
}


# A count typed into a shared link ("top_k=999") is named as its menu is labelled.
_COUNTS = {
    "top_k": ("Passages to show", "max_top_k"),
    "per_council": ("Passages for each council", "max_per_council"),
}


def _date_field(request: Request, name: str, given: str) -> str:
    """A date from the GOV.UK three-field input (``name-day``, ``-month``, ``-year``).

    All three blank: ``given`` (the one-field ``name=YYYY-MM-DD`` that links carry).  A part
    that is not a number is kept as it is, so the request's validation reports the date.
    """
    parts = [request.query_params.get(f"{name}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return given
    day, month, year = parts
    if day.isdigit() and month.isdigit() and year.isdigit():
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"


def _date_parts(request: Request, name: str, value: str) -> dict[str, str]:
    """What the three fields show: as typed, else the parts of a one-field date."""
    typed = {p: request.query_params.get(f"{name}-{p}", "") for p in ("day", "month", "year")}
    if any(typed.values()):
        return typed
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    return {"day": day.lstrip("0"), "month": month.lstrip("0"), "year": year}


def _one_field_dates(
    params: list[tuple[str, str]], date_from: str, date_to: str
) -> list[tuple[str, str]]:
    """The query with each three-field date folded into one ``date_from``/``date_to`` pair."""
    parts = {f"{n}-{p}" for n in ("date_from", "date_to") for p in ("day", "month", "year")}
    kept = [(k, v) for k, v in params if k not in parts and k not in {"date_from", "date_to"}]
    return kept + [(k, v) for k, v in (("date_from", date_from), ("date_to", date_to)) if v]


def _removals(params: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The filters the user chose, each with a link that asks again without it."""
    out = []
    for i, (key, value) in enumerate(params):
        if key in _LABELS and value:
            rest = [p for j, p in enumerate(params) if j != i]
            # a date as the page writes dates ("1 January 2018"), not as the link carries it
            shown = long_date(value) if key in {"date_from", "date_to"} else value
            out.append({"label": _LABELS[key], "value": shown, "href": with_params(rest, set())})
    return out


def _messages(exc: Exception) -> list[tuple[str, str]]:
    """Validation errors as (field id, sentence) pairs for the error summary and the fields."""
    if not isinstance(exc, ValidationError):
        return [("q", str(exc)[:1].upper() + str(exc)[1:])]
    out = []
    for e in exc.errors():
        field = str(e["loc"][-1]) if e.get("loc") else ""
        message = str(e["msg"]).removeprefix("Value error, ")
        if field in {"date_from", "date_to"}:
            # in the words of the three-field input's hint ("For example, 27 3 2017")
            out.append((field, f"{_LABELS[field]} must be a real date, for example 27 3 2017"))
        elif "date_from must not be after date_to" in message:
            out.append(("date_from", "The first meeting date must not be after the second"))
        elif field in _COUNTS:
            label, setting = _COUNTS[field]
            most = getattr(request_limits.current(), setting)
            out.append(("q", f"{label} must be a whole number from 1 to {most}"))
        elif field == "question" and e["type"] == "string_too_long":
            shorter = e.get("ctx", {}).get("max_length", 0) + 1
            out.append(("q", f"The question must be shorter than {shorter:,} characters"))
        else:
            out.append(("q", message[:1].upper() + message[1:]))
    return out
