"""What every ``cqa`` command shares: the ``--index`` option, the settings and the engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from qa_service.config import Settings
from qa_service.terminal import clean

F = TypeVar("F", bound=Callable[..., Any])


def index_option(func: F) -> F:
    """``--index DIR`` (default: $CQA_INDEX, else .cqa-index in the project)."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index folder (default: $CQA_INDEX, else .cqa-index in the project).",
    )(func)


def load_settings(index_dir: Path | None) -> Settings:
    """The settings in force, with ``--index`` (when given) in place of $CQA_INDEX."""
    settings = Settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index": index_dir.expanduser().resolve()})
    return settings


def open_engine(settings: Settings) -> Any:
    """The retriever over the settings' index; a missing index is a one-line error."""
    from qa_service.retriever import Engine
    from qa_service.runtime import index_exists, make_query_embedder

    if not index_exists(settings):
        from cqa_core.errors import IndexMissingError

        raise IndexMissingError(
            f"no index at {settings.index}: run 'cqa ingest PATH' first "
            "(or set CQA_INDEX / --index to another folder)"
        )
    return Engine(settings.index, make_query_embedder(settings), settings)


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD that is a real day (2020-02-30 is named as not one)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a real date", param, ctx)


class Text(click.ParamType):
    """A text argument that is valid UTF-8.

    A command line of bytes that are not UTF-8 (a Latin-1 terminal, a mangled paste) reaches
    Python as lone surrogates (PEP 383), which neither SQLite nor the terminal can encode:
    they are refused here, as a usage error naming the option, rather than deep in a write.
    """

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            try:  # the bytes as typed: '\xff', not the surrogate '\udcff' that stands for it
                raw = text.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                raw = text.encode("utf-8", "backslashreplace")
            shown = raw.decode("utf-8", "backslashreplace")
            self.fail(
                f"'{clean(shown, one_line=True)}' is not valid UTF-8 text "
                "(check the terminal's encoding)",
                param,
                ctx,
            )
        return text
