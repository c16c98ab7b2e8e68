"""The ``cqa`` command line: ingest, ask, serve, remove, list, stats, eval, doctor, export.

The group is here, with the one place that turns errors into messages; the commands are in
``cli_index`` (ingest, serve, remove, doctor) and ``cli_read`` (ask, list, stats, eval, export).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click
from click.exceptions import NoArgsIsHelpError
from pydantic import ValidationError

from cqa_core.errors import CQAError
from qa_service import cli_index, cli_read
from qa_service.cli_errors import validation_message

_COMMAND_PATH = "cqa.command_path"  # ctx.meta key: the command being parsed ("cqa ask")


class _UsageLine(click.ClickException):
    """A usage error (a bad option value, a missing argument) as one line, exit status 2.

    Click's own shows the usage line and a hint above the error: three lines where
    shared/INTERFACE.md asks for one.  The hint is kept at the end of the line.
    """

    exit_code = 2

    def __init__(self, exc: click.UsageError, command_path: str | None = None) -> None:
        # click's parser raises "Option '--council' requires an argument." with no context;
        # the group then names the command it was parsing for (``command_path``)
        path = exc.ctx.command_path if exc.ctx is not None else command_path
        where = f" (see '{path} --help')" if path else ""
        super().__init__(exc.format_message() + where)


class _Group(click.Group):
    """Turns domain errors into one-line messages and a non-zero exit, never a traceback."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise  # bare `cqa`: the help, as click shows it
        except click.UsageError as exc:  # an option of the group itself (`cqa --bogus`)
            raise _UsageLine(exc) from exc

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[_COMMAND_PATH] = f"{ctx.command_path} {name}" if name else ctx.command_path
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _UsageLine(exc, ctx.meta.get(_COMMAND_PATH, ctx.command_path)) from exc
        except CQAError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            raise click.ClickException(validation_message(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted; the index is as it was at the last commit", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(package_name="committee-papers-qa")
def main() -> None:
    """Committee Papers QA: cited answers from council committee papers."""
    # transformers draws a "Loading weights: 100%|███| 103/103" bar on stderr each time the
    # model loads (ingest, serve); it is no progress of ours and read as one.  Set before the
    # model's libraries are imported (they read it then); a user's own setting wins.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # pypdf warns on stderr about each repair it tries ("EOF marker not found"); the
    # ingest summary already gives one line per bad file, naming it and saying why.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


for _command in (
    cli_index.ingest,
    cli_read.ask,
    cli_index.serve,
    cli_index.remove,
    cli_index.doctor,
    cli_read.list_,
    cli_read.stats,
    cli_read.eval_,
    cli_read.export,
):
    main.add_command(_command)


if __name__ == "__main__":  # python -m qa_service.cli, as well as the cqa script
    main()
