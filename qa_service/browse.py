"""Browsing the index: filter the documents, count each filter option, cut one page of 20.

Pure functions over the stored documents (newest meeting first), for ``/documents``.  Each
option's count is how many documents it would show with the other filters kept, so a count
never promises documents the page will not list.  Council, committee and document type match
ignoring case, as the store's filters (and so ``/api/documents`` and the question form) do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.store import DocumentRecord
from qa_service.web_views import page_count

PER_PAGE = 20


@dataclass(frozen=True)
class Chosen:
    """The filters picked on the page ("" for any)."""

    council: str = ""
    committee: str = ""
    year: str = ""
    doc_type: str = ""


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
    doc_types: list[tuple[str, int]] = field(default_factory=list)


def _year(d: DocumentRecord) -> str:
    return (d.meta.meeting_date or "")[:4]


_FIELDS = ("council", "committee", "year", "doc_type")


def _value(d: DocumentRecord, name: str) -> str:
    """The document's value of filter ``name``, folded as the filters compare them."""
    if name == "year":
        return _year(d)
    return (getattr(d.meta, name) or "").lower()


def _passes(d: DocumentRecord, chosen: Chosen, skip: str = "") -> bool:
    """Whether ``d`` passes every chosen filter but the one named ``skip``."""
    return all(
        name == skip
        or not getattr(chosen, name)
        or _value(d, name) == getattr(chosen, name).lower()
        for name in _FIELDS
    )


def _counts(
    docs: list[DocumentRecord], chosen: Chosen, name: str, values: list[str]
) -> list[tuple[str, int]]:
    """Each option of filter ``name`` with how many documents it would show."""
    kept = [_value(d, name) for d in docs if _passes(d, chosen, skip=name)]
    return [(v, kept.count(v.lower())) for v in values]


def browse(
    docs: list[DocumentRecord],
    chosen: Chosen,
    page: int,
    councils: list[str],
    committees: list[str],
    per_page: int | None = None,
    doc_types: list[str] | None = None,
) -> BrowsePage:
    """Page ``page`` (clamped to the pages there are) of the documents passing ``chosen``."""
    per_page = per_page or PER_PAGE
    years = sorted({_year(d) for d in docs if _year(d)}, reverse=True)
    matching = [d for d in docs if _passes(d, chosen)]
    pages = page_count(len(matching), per_page)
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
        doc_types=_counts(docs, chosen, "doc_type", doc_types or []),
    )
