"""Browsing the index: filter the documents, count each filter option, cut one page of 20.

Pure functions over the stored documents (newest meeting first), for ``/documents``.  Each
option's count is how many documents it would show with the other filters kept, so a count
never promises documents the page will not list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.store import DocumentRecord

PER_PAGE = 20


@dataclass(frozen=True)
class Chosen:
    """The filters picked on the page ("" for any)."""

    council: str = ""
    committee: str = ""
    year: str = ""


@dataclass
class BrowsePage:
    """One page of the filtered documents, with the option counts and where the page sits."""

    documents: list[DocumentRecord]
    matching: int  # documents passing the filters
    page: int  # 1-based
    pages: int
    first: int  # 1-based number of the first document shown (0 when none)
    last: int
    councils: list[tuple[str, int]] = field(default_factory=list)
    committees: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[str, int]] = field(default_factory=list)


def _year(d: DocumentRecord) -> str:
    return (d.meta.meeting_date or "")[:4]


def _passes(d: DocumentRecord, chosen: Chosen, skip: str = "") -> bool:
    """Whether ``d`` passes every chosen filter but the one named ``skip``."""
    return (
        (skip == "council" or not chosen.council or d.meta.council == chosen.council)
        and (skip == "committee" or not chosen.committee or d.meta.committee == chosen.committee)
        and (skip == "year" or not chosen.year or _year(d) == chosen.year)
    )


def _counts(
    docs: list[DocumentRecord], chosen: Chosen, name: str, values: list[str]
) -> list[tuple[str, int]]:
    """Each option of filter ``name`` with how many documents it would show."""
    kept = [d for d in docs if _passes(d, chosen, skip=name)]
    key = {"council": lambda d: d.meta.council, "committee": lambda d: d.meta.committee}.get(
        name, _year
    )
    return [(v, sum(1 for d in kept if key(d) == v)) for v in values]


def browse(
    docs: list[DocumentRecord],
    chosen: Chosen,
    page: int,
    councils: list[str],
    committees: list[str],
    per_page: int | None = None,
) -> BrowsePage:
    """Page ``page`` (clamped to the pages there are) of the documents passing ``chosen``."""
    per_page = per_page or PER_PAGE
    years = sorted({_year(d) for d in docs if _year(d)}, reverse=True)
    matching = [d for d in docs if _passes(d, chosen)]
    pages = max(1, -(-len(matching) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = matching[start : start + per_page]
    return BrowsePage(
        documents=shown,
        matching=len(matching),
        page=page,
        pages=pages,
        first=start + 1 if shown else 0,
        last=start + len(shown),
        councils=_counts(docs, chosen, "council", councils),
        committees=_counts(docs, chosen, "committee", committees),
        years=_counts(docs, chosen, "year", years),
    )
