"""The parameters every web page with a form takes, as one ``Depends()`` class.

Each page reads its GET query string; all of them take the request, the engine, and the
question (``q``) and councils (``council``, repeatable) its form sends.  A page's own fields
(sort, dates, status, ...) stay in its route's signature.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from qa_service.api.deps import EngineDep
from qa_service.retriever import Engine

Many = Annotated[list[str] | None, Query()]


class PageParams:
    """A page's request, engine, question and councils (blank choices dropped)."""

    def __init__(
        self, request: Request, engine: EngineDep, q: str = "", council: Many = None
    ) -> None:
        self.request: Request = request
        self.engine: Engine = engine
        self.q = q
        self.council = council  # as sent: None when absent, blanks kept
        self.councils = [c for c in council or () if c]

    @property
    def one_council(self) -> str:
        """The council of a page that filters by one: the last sent, as a ``str`` parameter
        would read it ("" for none)."""
        return self.council[-1] if self.council else ""


PageDep = Annotated[PageParams, Depends()]
