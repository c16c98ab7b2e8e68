"""What makes a folder an index: recognised from the files the writer leaves in it.

The writer (``indexing.writer.IndexWriter.open``) first makes the folder and its lock file,
``write.lock`` (``index.lock``), then the database, ``meta.sqlite`` (``index.sqlite``, with
SQLite's ``-wal``/``-shm`` files beside it), and only then the dense and lexical indexes and
``uploads/``.  So a folder is an index when it holds ``meta.sqlite`` (finished, or a first
ingest that stopped after opening the database: the next ingest resumes it), or when it
holds nothing but the lock file and SQLite's side files (a first ingest stopped before
that).

Two callers need the answer: a command about to create an index refuses an existing folder
of other files (``check_new_index_folder``: ``cqa ingest --index ~`` must not scatter an
index's files among the user's own), and an ingest walking its paths passes over any
folder that is an index (``ingest.discovery``), so an index's stored uploads are never
read as new papers.
"""

from __future__ import annotations

import os
from pathlib import Path

from cqa_core.errors import IndexFolderError

DB_NAME = "meta.sqlite"
LOCK_NAME = "write.lock"
# what a first ingest leaves before the database holds its schema
_FIRST_NAMES = frozenset({LOCK_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"})


def is_index(folder: Path) -> bool:
    """Whether ``folder`` holds an index, finished or a first ingest's start."""
    if (folder / DB_NAME).exists():
        return True
    if not (folder / LOCK_NAME).exists():  # two stats for each folder an ingest walks
        return False
    try:
        names = set(os.listdir(folder))
    except OSError:  # not a folder, or one that cannot be read: no index that can be used
        return False
    return LOCK_NAME in names and names <= _FIRST_NAMES


def check_new_index_folder(folder: Path) -> None:
    """Raise ``IndexFolderError`` if writing an index into ``folder`` would mix its files
    with others': an existing folder that is not empty and is not an index.

    A folder that does not exist yet, an empty one and an index (even a half-built one)
    pass; so does a path that is not a readable folder, which the write lock's own
    ``IndexUnwritableError`` describes.
    """
    if not folder.is_dir() or is_index(folder):
        return
    try:
        with os.scandir(folder) as entries:
            empty = next(entries, None) is None
    except OSError:
        return
    if not empty:
        raise IndexFolderError(
            f"{folder} is not empty and is not an index: "
            "choose an empty or new folder for the index (--index or CQA_INDEX)"
        )
