"""What passes between the stages of an ingest run, and what the run reports."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexing.cut_rules import OldCuts
from ingest.models import DocMeta, Document
from ingest.timings import StageTimes


@dataclass
class IngestSummary:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # (file, id of the document already holding its bytes, that document's file): not added
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # entries passed over, with why: unsupported, not a paper, bad name, link loop, FIFO...
    skipped: list[tuple[str, str]] = field(default_factory=list)
    passages_added: int = 0
    passages_total: int = 0
    documents_total: int = 0
    seconds: float = 0.0
    embedded: int = 0  # passages that went through the model (the rest came from the cache)
    sentences_embedded: int = 0  # sentences that went through the model
    sentences_added: int = 0
    times: StageTimes = field(default_factory=StageTimes)  # seconds by stage
    # why every document of the index is cut again as its file is ingested ("" when the
    # rules did not change since the last run): older ingest rules or other passage sizes
    recut: str = ""
    # the documents still cut by older rules after the run: their files were not given
    old_cuts: OldCuts = field(default_factory=OldCuts)


@dataclass
class Staged:
    """A processed document waiting for the next commit."""

    document: Document
    vectors: np.ndarray
    given: DocMeta  # the metadata the manifest gave, before inference
    # per passage: its sentences' (start, end) in the passage text, and their vectors
    sentences: list[list[tuple[int, int]]] = field(default_factory=list)
    sentence_vectors: list[np.ndarray] = field(default_factory=list)


@dataclass
class Progress:
    """A progress report, sent after each file is read and after each chunk is embedded."""

    done: int  # files read
    total: int  # files to read
    source: str  # the file just read ("" after a chunk is embedded)
    status: str  # added | updated | unchanged | failed | duplicate, or "embedded"
    passages_read: int = 0  # passages of new and changed files read so far
    passages_embedded: int = 0  # of them, how many have their vectors (model or cache)
