"""Domain errors shared by every layer; only the edges (CLI, HTTP) translate them."""

from __future__ import annotations


class CQAError(Exception):
    """Base class of every error a user can cause or be told about."""


class IngestError(CQAError):
    """A file could not be read or turned into passages (bad, empty or unsupported)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ManifestError(CQAError):
    """A manifest.csv could not be used."""


class IndexMissingError(CQAError):
    """The index folder holds no index yet."""


class IndexCorruptError(CQAError):
    """The index folder exists but cannot be opened."""


class IndexUnwritableError(CQAError):
    """The index folder cannot be made or written: a file in its path, no permission, a
    read-only disk."""


class IndexFolderError(CQAError):
    """The index folder named is an existing folder of other files, not an index: writing
    one there would scatter its files among them."""


class DocumentNotFoundError(CQAError):
    """No document with that id is in the index."""


class InvalidQueryError(CQAError):
    """A question or filter that cannot be answered as asked."""


class ModelUnavailableError(CQAError):
    """The embedding model could not be loaded from the local disk."""


class IndexBusyError(CQAError):
    """Another process holds the index's write lock."""


class ClusterUnreachableError(CQAError):
    """The Ray cluster named by ``--ray-address`` does not answer."""


class ScaleNotInstalledError(CQAError):
    """An optional scale-out dependency (Ray, pyarrow) is not installed."""
