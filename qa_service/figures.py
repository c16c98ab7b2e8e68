"""Whether a question asks for figures, and tables kept out of the way when it does not.

A table passage (``is_table``: rows of bare figures, ``ingest.chunker``) shares many words
with a prose question about the same service ("placements", "staffing") but cannot answer
"why" or "who".  It competes only when the question asks for a number, an amount, a
percentage or a count; otherwise every prose passage ranks above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# How English asks for a figure: "how many/much", "what proportion", "the cost of", "£",
# "per cent", "what was the total", "the rate of", "by what amount".  General wording of
# questions, not of any one paper.
_ASKS_FIGURES = re.compile(
    r"\bhow\s+(?:many|much|big|large|high|low)\b"
    r"|\b(?:number|numbers|amount|amounts|total|totals|sum|figure|figures|count)\b"
    r"|\b(?:percentage|percent|per\s+cent|proportion|share|ratio|rate|rates|average)\b"
    r"|\b(?:cost|costs|costing|price|prices|fee|fees|charge|charges|budget|budgets|spend"
    r"|spending|spent|overspend|overspent|underspend|savings?|deficit|surplus|funding"
    r"|grant|precept|income|value|worth)\b"
    r"|[£$€%]",
    re.IGNORECASE,
)


def asks_for_figures(question: str) -> bool:
    """True when ``question`` asks for a number, amount, percentage or count."""
    return bool(_ASKS_FIGURES.search(question))


def demote_tables(items: Sequence[T], is_table: Callable[[T], bool], question: str) -> list[T]:
    """``items`` (best first) with tables after all prose, unless the question asks for
    figures; the order within prose and within tables is kept."""
    if asks_for_figures(question):
        return list(items)
    return [i for i in items if not is_table(i)] + [i for i in items if is_table(i)]
