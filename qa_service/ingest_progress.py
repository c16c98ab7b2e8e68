"""What ``cqa ingest`` shows while it works: a progress bar on a terminal, plain lines elsewhere.

The slow part is the model (about ten passages a second on two cores), so the bar counts
passages embedded and gives an ETA.  How many passages there are is known only once every
file has been read, and files are read a batch at a time between the model's turns, so until
then the total is estimated from the files read so far (passages read × files / files read)
and shown with a "~".  When stderr is not a terminal (a log, CI) there is no bar: a line per
file read, and a line each time the files read so far are all embedded (and every
``PLAIN_EVERY`` seconds while they are).
"""

from __future__ import annotations

import io
import os
import sys
import time
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

from cqa_core.text import counted
from indexing.models import Progress
from qa_service.terminal import clean

# {desc} is "~" while the total is an estimate
BAR_FORMAT = (
    "embedding {n_fmt}/{desc}{total_fmt} passages |{bar}| {percentage:3.0f}% "
    "[{elapsed}, ETA {remaining}{postfix}]"
)
PLAIN_EVERY = 15.0  # seconds between plain lines while a batch is embedded


def estimated_passages(p: Progress) -> tuple[int, bool]:
    """How many passages this run will embed, and whether that is exact (all files read)."""
    if p.done >= p.total or p.done == 0:
        return p.passages_read, True
    return max(p.passages_read, round(p.passages_read * p.total / p.done)), False


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def _columns(stream: TextIO) -> int:
    """The terminal's width in columns, 0 when it does not say."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, io.UnsupportedOperation):
        return 0


class IngestDisplay:
    """A ``Progress`` callback for the writer; use as a context manager (closes the bar)."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.started = time.monotonic()
        self._bar: tqdm[None] | None = None
        self._reported = 0  # passages embedded as of the last plain line
        self._last_line = self.started  # when the last plain line was printed

    def __call__(self, p: Progress) -> None:
        if self.tty:
            self._draw(p)
        else:
            self._print(p)

    def _draw(self, p: Progress) -> None:
        total, exact = estimated_passages(p)
        if not total:
            return  # nothing to embed yet (or at all: an unchanged folder is quick)
        if self._bar is None:
            width = _columns(self.stream)
            self._bar = tqdm(
                total=total,
                desc="" if exact else "~",
                postfix=f"files {p.done}/{p.total}",
                file=self.stream,
                bar_format=BAR_FORMAT,
                mininterval=0.5,
                # follow the window; one that reports no size (a bare pseudo-terminal)
                # would get no bar at all, so it gets 80 columns and 20 rows
                dynamic_ncols=bool(width),
                ncols=None if width else 80,
                nrows=None if width else 20,
                leave=True,
            )
        bar = self._bar
        bar.total = total
        bar.set_description_str("" if exact else "~", refresh=False)
        bar.set_postfix_str(f"files {p.done}/{p.total}", refresh=False)
        bar.update(p.passages_embedded - bar.n)

    def _print(self, p: Progress) -> None:
        if p.status != "embedded":
            if p.total > 1:
                source = clean(p.source, one_line=True)  # a file name may hold escape sequences
                print(f"[{p.done}/{p.total}] {p.status:<9} {source}", file=self.stream, flush=True)
                self._last_line = time.monotonic()
            return
        # a line each time the files read so far are all embedded (the end of a batch), and
        # every PLAIN_EVERY seconds within a long batch
        if p.passages_embedded == self._reported:
            return
        now = time.monotonic()
        batch_done = p.passages_embedded >= p.passages_read
        if not batch_done and now - self._last_line < PLAIN_EVERY:
            return
        self._reported = p.passages_embedded
        total, exact = estimated_passages(p)
        share = p.passages_embedded / total if total else 1.0
        self._last_line = now
        elapsed = now - self.started
        line = (
            f"embedded {p.passages_embedded} of {'' if exact else '~'}{counted(total, 'passage')} "
            f"({share:.0%}) in {_duration(elapsed)}"
        )
        if share < 1:
            line += f", about {_duration(elapsed / share - elapsed)} left"
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Finish the bar, leaving its last state on the screen."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> IngestDisplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
