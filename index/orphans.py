"""Uploads that no committed document holds: found and removed, under the write lock.

An upload is streamed to ``uploads/<32 hex>.<suffix>`` and then ingested; if the server is
killed in between (or during the ingest), or the document is later removed, the file stays
with nothing pointing at it.  ``remove_orphan_uploads`` deletes such files.  It runs when the
service starts and from ``cqa doctor``.  Two guards keep it from racing a live upload: it
holds the write lock (so no commit that would claim a file is under way), and it leaves any
file written to in the last ``min_age`` seconds (a body may still be arriving, before the
uploading request takes the lock).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from cqa_core.errors import IndexBusyError
from index.lock import write_lock
from index.store import DB_NAME, Filters, Store

UPLOADS = "uploads"
MIN_AGE_SECONDS = 900.0  # an upload body arriving now is touched far more often than this


@dataclass
class OrphanReport:
    """What one clean-up found: file names under ``uploads/``."""

    removed: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # orphans left: young enough to be live
    freed_bytes: int = 0
    busy: bool = False  # another process held the write lock: nothing was checked


def remove_orphan_uploads(
    index_dir: Path, min_age: float = MIN_AGE_SECONDS, now: float | None = None
) -> OrphanReport:
    """Delete files in ``index_dir/uploads`` that no document holds and that are older than
    ``min_age`` seconds; report what was removed and what was left."""
    report = OrphanReport()
    uploads = index_dir / UPLOADS
    if not uploads.is_dir() or not (index_dir / DB_NAME).exists():
        return report
    now = time.time() if now is None else now
    try:
        with write_lock(index_dir):
            _remove(index_dir, uploads, min_age, now, report)
    except IndexBusyError:
        report.busy = True
    return report


def _remove(
    index_dir: Path, uploads: Path, min_age: float, now: float, report: OrphanReport
) -> None:
    """Under the write lock: delete the orphans old enough, note the others."""
    store = Store.open(index_dir)
    try:
        held = {d.path for d in store.list_documents(Filters(include_superseded=True))}
    finally:
        store.close()
    for entry in sorted(uploads.iterdir()):
        if not entry.is_file() or str(entry.resolve()) in held:
            continue
        info = entry.stat()
        if now - info.st_mtime < min_age:
            report.recent.append(entry.name)
            continue
        entry.unlink(missing_ok=True)
        report.removed.append(entry.name)
        report.freed_bytes += info.st_size
