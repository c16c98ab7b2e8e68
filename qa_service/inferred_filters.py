"""The filters a question adds to the given ones, and the superseded papers' fallback.

A council the question names narrows the search where the given filters leave the council
open; a one-sided date bound ("since 2019") limits meeting dates unless that leaves no
papers.  Superseded documents are left out unless nothing else passes the filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.store import Filters, Store
from qa_service.query import Understanding


def filters_from_question(
    given: Filters, understood: Understanding, notes: list[str], store: Store
) -> tuple[Filters, list[str]]:
    """Filters read from the question for the fields ``given`` leaves open.

    A council the question names is a hard filter: another council's papers do not
    answer a question about this one.  A year ("in 2019", "2023/24") is not a filter
    but a preference (``rerank.year_preference``), as papers about a year are often
    written in the year before.  Only a one-sided bound ("since 2019", "before 2015")
    limits meeting dates; when that leaves nothing, it is dropped and ``notes`` says so.
    """
    dates_open = not (given.date_from or given.date_to)
    one_sided = bool(understood.date_from) != bool(understood.date_to)
    inferred = Filters(
        council=understood.councils if not given.council else (),
        date_from=understood.date_from if dates_open and one_sided else None,
        date_to=understood.date_to if dates_open and one_sided else None,
    )
    if inferred.is_empty():
        return Filters(), []
    if (inferred.date_from or inferred.date_to) and _count(
        store, merge_filters(given, inferred)
    ) == 0:
        inferred = replace(inferred, date_from=None, date_to=None)
        where = (
            f" of {council_names(inferred.council or given.council)}"
            if (inferred.council or given.council)
            else ""
        )
        notes.append(
            f'"{", ".join(understood.date_phrases)}" was not applied as a date limit: '
            f"no papers{where} fall in it."
        )
    phrases = list(understood.council_phrases) if inferred.council else []
    if inferred.date_from or inferred.date_to:
        phrases += understood.date_phrases
    return inferred, phrases


def merge_filters(given: Filters, inferred: Filters) -> Filters:
    """``given`` with the fields it leaves open taken from ``inferred``."""
    return replace(
        given,
        council=given.council or inferred.council,
        date_from=given.date_from or inferred.date_from,
        date_to=given.date_to or inferred.date_to,
    )


def effective_filters(filters: Filters, store: Store) -> Filters:
    """Exclude superseded documents unless nothing else passes the filters."""
    if filters.include_superseded:
        return filters
    if store.allowed(filters).count == 0:
        return replace(filters, include_superseded=True)
    return filters


def council_names(councils: Sequence[str]) -> str:
    """Councils as a note names them: "A and B"."""
    return " and ".join(councils)


def _count(store: Store, filters: Filters) -> int:
    return store.allowed(replace(filters, include_superseded=True)).count
