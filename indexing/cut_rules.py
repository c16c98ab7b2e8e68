"""Which of an index's documents are cut with the current rules, and which are not yet.

An ingest skips a file whose bytes and metadata the index already holds, so a change to
how files become passages would never reach the files that did not change.  Two things
decide how a file is cut, and the index records both in its meta table:

- ``ingest_version``: the version of the loading, structure and cutting rules
  (``ingest.pipeline.INGEST_VERSION``, bumped with any change that changes passages);
- ``passage_words``: the passage sizes ("60-275" words).

When either differs from the running code's (or is missing from an index that holds
documents), the ingest run (``begin``) lists every document in the ``old_cuts`` table with
the rules it was cut by, and records the current rules, in one transaction.  Every commit
that writes a document takes it off that list in its own transaction (``forget``): a
document written now is cut with the current rules, and a removed one is gone.  So a run
given only some of the files re-cuts those, and the next run neither announces the change
again nor re-parses the files already re-cut: it re-cuts the listed documents whose files
it is given, and skips the rest as usual.  Until then the listed documents are served as
they are; ``old_cuts`` counts and names them for ``cqa stats`` and the ingest summary.
Vectors still come from the index by text hash, so re-cutting costs little embedding.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.pipeline import INGEST_VERSION, IngestLimits

if TYPE_CHECKING:
    from index.store import Store

# meta keys: the passage sizes and the ingest rules the index cuts documents with
PASSAGE_WORDS = "passage_words"
INGEST_VERSION_KEY = "ingest_version"
# documents cut by other rules than the meta table's, with those rules (NULL: unrecorded)
_TABLE = (
    "CREATE TABLE IF NOT EXISTS old_cuts (document_id TEXT PRIMARY KEY, "
    "ingest_version TEXT, passage_words TEXT) WITHOUT ROWID"
)
_EXAMPLES = 5  # documents named in a message
_RECUTTING = "re-cutting every document as its file is ingested"


def passage_words(limits: IngestLimits) -> str:
    """The passage sizes as the index records them ("60-275")."""
    return f"{limits.min_words}-{limits.max_words}"


def _changed(version: str | None, sizes: str | None, limits: IngestLimits) -> str | None:
    """How rules ``version`` and ``sizes`` differ from the running code's, or None."""
    if version != str(INGEST_VERSION):
        was = "no version recorded" if version is None else f"version {version}"
        rules = "newer" if version is not None and _newer(version) else "older"
        return f"{rules} ingest rules ({was}, now {INGEST_VERSION})"
    if sizes != passage_words(limits):
        return f"passages of {sizes or 'unrecorded'} words, now {passage_words(limits)}"
    return None


def _newer(version: str) -> bool:
    try:
        return int(version) > INGEST_VERSION
    except ValueError:
        return False


def recut_reason(store: Store, limits: IngestLimits) -> str | None:
    """Why the index's documents must be cut again, or None when the index records the
    current rules (those it does not cut with are then listed: ``old_cuts``)."""
    version, sizes = store.get_meta(INGEST_VERSION_KEY), store.get_meta(PASSAGE_WORDS)
    change = _changed(version, sizes, limits)
    if change is None:
        return None
    if change.startswith("passages"):
        return f"the index was cut into {change}: {_RECUTTING}"
    return f"the index was cut by {change}: {_RECUTTING}"


@dataclass
class Recut:
    """What an ingest run must re-cut: the documents cut by other rules, and why."""

    reason: str = ""  # the rules changed since the last run ("" when they did not)
    stale: set[str] = field(default_factory=set)  # their document ids


def begin(store: Store, limits: IngestLimits) -> Recut:
    """At the start of an ingest run: when the rules changed, list every document (not
    listed already) as cut by the recorded rules and record the current ones; returns
    the documents cut by other rules than the current, and why when the rules changed."""
    reason = recut_reason(store, limits)
    if reason is None:
        return Recut("", _listed(store))
    version, sizes = store.get_meta(INGEST_VERSION_KEY), store.get_meta(PASSAGE_WORDS)
    with store.transaction() as conn:
        conn.execute(_TABLE)
        conn.execute(
            "INSERT OR IGNORE INTO old_cuts(document_id, ingest_version, passage_words) "
            "SELECT document_id, ?, ? FROM documents",
            (version, sizes),
        )
        current = (str(INGEST_VERSION), passage_words(limits))
        # back to the rules some documents were cut by (the code rolled back): not old
        conn.execute("DELETE FROM old_cuts WHERE ingest_version = ? AND passage_words = ?", current)
        conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [(INGEST_VERSION_KEY, current[0]), (PASSAGE_WORDS, current[1])],
        )
    stale = _listed(store)
    return Recut(reason if stale else "", stale)  # a new or emptied index: nothing to say


def forget(conn: sqlite3.Connection, document_ids: Sequence[str]) -> None:
    """Inside a commit's transaction: these documents are written anew (cut with the
    current rules) or removed, so no longer cut by older rules."""
    if document_ids and _exists(conn):
        conn.executemany("DELETE FROM old_cuts WHERE document_id = ?", [(d,) for d in document_ids])


@dataclass
class OldCuts:
    """The documents still cut by other rules than the current ones."""

    documents: int = 0  # how many
    total: int = 0  # of how many in the index
    rules: dict[str, int] = field(default_factory=dict)  # how their rules differ -> count
    sources: list[str] = field(default_factory=list)  # the first few, by file name

    def message(self) -> str | None:
        """One line for the user, or None when every document is cut with the current rules."""
        if not self.documents:
            return None
        names = ", ".join(self.sources) + (", …" if self.documents > len(self.sources) else "")
        if self.documents == self.total:
            which = "every document is"
        else:
            which = f"{self.documents} of {self.total} documents "
            which += "is" if self.documents == 1 else "are"
        return (
            f"{which} still cut by {'; '.join(self.rules)} ({names}): "
            "ingest their files again to re-cut them"
        )


def old_cuts(store: Store, limits: IngestLimits) -> OldCuts:
    """Which documents are cut by other rules than ``limits`` and the running code's."""
    version, sizes = store.get_meta(INGEST_VERSION_KEY), store.get_meta(PASSAGE_WORDS)
    recorded = _changed(version, sizes, limits)  # None: the index records the current rules
    with store.lock:
        conn = store.conn
        total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        listed = _exists(conn)
        groups = (
            conn.execute(
                "SELECT o.ingest_version, o.passage_words, count(*) FROM old_cuts o "
                "JOIN documents d USING (document_id) GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
            if listed
            else []
        )
        if recorded is not None:  # no ingest since the rules changed: every document is old
            names = "SELECT source FROM documents ORDER BY source LIMIT ?"
        elif listed:
            names = (
                "SELECT d.source FROM old_cuts o JOIN documents d USING (document_id) "
                "ORDER BY d.source LIMIT ?"
            )
        else:
            return OldCuts(total=total)
        sources = [str(r[0]) for r in conn.execute(names, (_EXAMPLES,))]
    rules: dict[str, int] = {}
    for row_version, row_sizes, count in groups:
        said = _changed(row_version, row_sizes, limits) or "other rules"
        rules[said] = rules.get(said, 0) + count
    rest = total - sum(count for *_, count in groups)
    if recorded is not None and rest:  # the documents not listed: cut by the recorded rules
        rules[recorded] = rules.get(recorded, 0) + rest
    return OldCuts(sum(rules.values()), total, rules, sources)


def _exists(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'old_cuts'"
        ).fetchone()
    )


def _listed(store: Store) -> set[str]:
    with store.lock:
        if not _exists(store.conn):
            return set()
        rows = store.conn.execute(
            "SELECT document_id FROM old_cuts JOIN documents USING (document_id)"
        ).fetchall()
    return {str(r[0]) for r in rows}
