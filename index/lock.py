"""The write lock of an index folder: one writer at a time, across processes.

``IndexWriter`` holds it for a whole ingest; the upload clean-up and a reader that finds a
derived index out of date (``index.lexical_tantivy``) take it only when it is free.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from cqa_core.errors import IndexBusyError

LOCK_NAME = "write.lock"


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the folder's write lock, or raise IndexBusyError at once if another holds it.

    A lock is per open file, so a second holder in the same process is refused too.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_NAME, "a+") as fd:
        try:
            fcntl.flock(fd.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusyError(
                f"another process is writing to the index at {index_dir}; "
                "try again when it has finished"
            ) from exc
        yield
