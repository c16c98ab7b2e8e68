"""The write lock of an index folder: one writer at a time, across processes.

``IndexWriter`` holds it for a whole ingest; the upload clean-up and a reader that finds a
derived index out of date (``index.lexical_tantivy``) take it only when it is free.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cqa_core.errors import IndexBusyError, IndexUnwritableError
from cqa_core.index_folder import LOCK_NAME


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the folder's write lock, or raise IndexBusyError at once if another holds it
    (IndexUnwritableError if the folder cannot be made or its lock file opened).

    A lock is per open file, so a second holder in the same process is refused too.
    """
    with _lock_file(index_dir) as fd:
        try:
            fcntl.flock(fd.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusyError(
                f"another process is writing to the index at {index_dir}; "
                "try again when it has finished"
            ) from exc
        yield


def _lock_file(index_dir: Path) -> IO[str]:
    """The folder's lock file, opened (the folder made first), or IndexUnwritableError:
    a file in the folder's path, no permission or a read-only disk is the user's to fix."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return open(index_dir / LOCK_NAME, "a+")
    except OSError as exc:
        raise IndexUnwritableError(
            f"cannot write the index at {index_dir}: {exc.strerror or exc}"
        ) from exc
