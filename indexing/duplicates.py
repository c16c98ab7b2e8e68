"""A new file whose bytes are already in the index: found, so it is not made a second document.

The same paper under another name (a re-upload, a copy in another folder) would otherwise
become a second document whose passages crowd out other results.  Only a file at a path the
index does not know yet is checked; a known path changing its bytes is an ordinary update.

The same bytes with other metadata are a different record, though: the same report taken
to two meetings, each with its own manifest row, is two documents (their passages are then
folded into one result with ``also_at``).  So for a folder ingest a file is a duplicate only
when its given metadata is blank or the same as the indexed copy's; an upload asks for
``bytes_only``, since a user who sends the same file twice means the same paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.models import DocMeta


@dataclass(frozen=True)
class Copy:
    """The indexed (or already staged) document holding some bytes."""

    document_id: str
    meta: DocMeta  # the metadata it was given
    source: str | None  # its file name, when known without a lookup


class SameBytes:
    """Content hash -> the document that holds those bytes, for one ingest run."""

    def __init__(self, known: dict[str, tuple[str, DocMeta]], bytes_only: bool = False) -> None:
        """``known``: document id -> (content hash, given metadata), as the store lists them."""
        self.bytes_only = bytes_only
        self._by_digest: dict[str, Copy] = {}
        for document_id, (digest, meta) in sorted(known.items()):
            self._by_digest.setdefault(digest, Copy(document_id, meta, None))

    def find(self, digest: str, meta: DocMeta) -> Copy | None:
        """The document a new file with these bytes and given metadata would duplicate."""
        copy = self._by_digest.get(digest)
        if copy is None:
            return None
        if self.bytes_only or meta == DocMeta() or meta == copy.meta:
            return copy
        return None

    def add(self, digest: str, document_id: str, meta: DocMeta, source: str) -> None:
        """Record a document staged in this run (the first holder of its bytes stays)."""
        self._by_digest.setdefault(digest, Copy(document_id, meta, source))
