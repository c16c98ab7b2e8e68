"""Whether an index's documents are cut with the current rules, and recording that they are.

An ingest skips a file whose bytes and metadata the index already holds, so a change to
how files become passages would never reach the files that did not change.  Two things
decide how a file is cut, and the index records both in its meta table once every
document is cut with them:

- ``ingest_version``: the version of the loading, structure and cutting rules
  (``ingest.pipeline.INGEST_VERSION``, bumped with any change that changes passages);
- ``passage_words``: the passage sizes ("60-275" words).

When either differs from the running code's (or is missing from an index that holds
documents), the ingest run counts every document as changed and cuts it again; vectors
still come from the index by text hash, so re-cutting costs little embedding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.pipeline import INGEST_VERSION, IngestLimits

if TYPE_CHECKING:
    from index.store import Store

# meta keys: the passage sizes and the ingest rules the index's documents were cut with
PASSAGE_WORDS = "passage_words"
INGEST_VERSION_KEY = "ingest_version"


def passage_words(limits: IngestLimits) -> str:
    """The passage sizes as the index records them ("60-275")."""
    return f"{limits.min_words}-{limits.max_words}"


def recut_reason(store: Store, limits: IngestLimits) -> str | None:
    """Why every document of the index must be cut again, or None when they are all cut
    with the current rules (an index with no documents has nothing to re-cut)."""
    version, sizes = store.get_meta(INGEST_VERSION_KEY), store.get_meta(PASSAGE_WORDS)
    if version != str(INGEST_VERSION):
        was = "no version recorded" if version is None else f"version {version}"
        rules = "newer" if version is not None and _newer(version) else "older"
        return (
            f"the index was cut by {rules} ingest rules ({was}, now {INGEST_VERSION}): "
            "re-cutting every document"
        )
    if sizes != passage_words(limits):
        return (
            f"the index was cut into passages of {sizes or 'unrecorded'} words, now "
            f"{passage_words(limits)}: re-cutting every document"
        )
    return None


def _newer(version: str) -> bool:
    try:
        return int(version) > INGEST_VERSION
    except ValueError:
        return False


def record_rules(store: Store, limits: IngestLimits) -> None:
    """Record that every document of the index is cut with the current rules."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [(PASSAGE_WORDS, passage_words(limits)), (INGEST_VERSION_KEY, str(INGEST_VERSION))],
        )
