"""Run one file through load -> structure -> chunk and return a ``Document`` with passages.

CONTRACT (used by index/ and qa_service/; implemented by the ingest work):

    SUPPORTED_SUFFIXES: frozenset[str]   # {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}

    IngestLimits   # (cqa_core/limits.py) what one file may cost to read; passage sizes

    def document_id_for(path: Path) -> str
        # stable id from the resolved path (16 hex chars)

    def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, DocMeta]], list[str]]
        # files (recursively, sorted, supported suffixes only, hidden files and manifest.csv
        # skipped) with their manifest metadata, plus warnings (one line each) about
        # manifest problems and manifest rows naming missing files; entries passed over
        # (unsupported, README*, bad names, link loops, unreadable folders, FIFOs) go to
        # ``skipped`` when given, else to the warnings.
        # A path that does not exist raises IngestError.

    def process_file(path: Path, meta: DocMeta, limits: IngestLimits = IngestLimits(),
                     times: StageTimes | None = None) -> Document
        # raises IngestError (never anything else) for unreadable/empty/unsupported files.
        # Fills meta.title from the document when the manifest has none; never guesses a council.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from cqa_core.errors import IngestError, ManifestError
from cqa_core.limits import IngestLimits
from ingest.chunker import chunk
from ingest.commitments import find_commitments
from ingest.decisions import find_decisions
from ingest.discovery import find_papers
from ingest.items import split_item_heads, split_labelled_heads
from ingest.loaders import load_bytes
from ingest.manifest import MANIFEST_NAME, read_manifest
from ingest.metadata import fill_meta
from ingest.models import Block, DocMeta, Document, read_path
from ingest.pdf_text import join_wrapped_lines
from ingest.structure import find_blocks
from ingest.timings import StageTimes

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})

# The version of the rules that turn a file into passages (loaders, structure, chunker).
# Bump it whenever a change to how text is loaded, structured or cut changes the passages
# of any file (e.g. new PDF text rules): an index records the version it was cut with, and
# the next ingest into an index cut with another version re-cuts every document (its
# vectors still come from the index by text hash where a passage's text is unchanged).
INGEST_VERSION = 15  # 2: minutes items split off as headings (ingest.items); 3: "1. That ..."
# continues a resolution; 4: an item number on its own line heads its item, front-matter fields;
# 5: a reference's number stays in its sentence ("Act 1972, s. 145.", cqa_core.text);
# 6: a table of contents is one passage (ingest.contents); 7: a flattened row's title before
# its empty fields' labels is a heading (ingest.items.split_labelled_heads); 8: a text file's
# line that is one bare markup tag is left blank (ingest.loaders); 9: a running head under other
# furniture is furniture after its first page (ingest.loaders_pdf), a table's wrapped column
# header is one line (ingest.pdf_text), a row's empty cells ("- -") count as cells (chunker)
# 10: a line of people's names ("Dr M Foxley, Ms S Amor") is not a title (ingest.structure)
# 11: a numbered heading after the one numbered before it is its sibling (ingest.structure); an
# upper-case heading line is a sentence of its own, not the start of the next (cqa_core.text)
# 12: a decision approving the minutes is procedural by one pattern with the ranking's
# (ingest.procedural.MINUTES_APPROVED: "To confirm the Minutes ...", at most 160 characters
# between "minutes" and "record")
# 13: sentences (cqa_core.text.split_sentences): a person's initial ("R. Brown") ends no
# sentence, a closing bracket after a stop stays with it, and a title-case heading line
# ("20.07.01  Election of Chair") is a sentence apart from the prose below it
# 14: a field's label alone on its line ("Minutes:", "Decision:") is a sentence apart from the
# text under it (cqa_core.text); an upper-case numbered title wrapped onto the next line (or
# page) is one heading (ingest.structure.continues_title); a pack's contents are read by
# ingest.contents in the agenda reader too (ingest.agenda); a numbered line that runs on in
# lower case into a paragraph's sentences is that paragraph under its number, not a heading
# (ingest.structure)
# 15: sentences (cqa_core.text.split_sentences): a list's marker alone ("c.", "805.", "(ii)")
# is no sentence, nor the next item's marker at a sentence's end; a full stop with no space
# before a capital ("investment.The") ends a sentence; a whole question ("Why ...?") is cut
# from an unfinished line before it; a stray heading word opening a sentence ("Addition The
# Clerk ...") is cut off
_DEFAULT_LIMITS = IngestLimits()


def document_id_for(path: Path) -> str:
    """Stable document id: 16 hex chars of sha256 over the resolved path."""
    return hashlib.sha256(str(read_path(path)).encode("utf-8")).hexdigest()[:16]


def _candidates(
    paths: Sequence[Path], warnings: list[str], skipped: list[tuple[str, str]] | None
) -> list[Path]:
    files, passed_over = find_papers(paths, SUPPORTED_SUFFIXES, ignore=(MANIFEST_NAME,))
    if not files and not passed_over:  # empty folders: a summary of noughts says too little
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        given = ", ".join(str(path) for path in paths)
        warnings.append(f"{given}: no papers to ingest (no {kinds} file in it)")
    if skipped is None:
        warnings.extend(f"{path}: {reason}; skipped" for path, reason in passed_over)
    else:
        skipped.extend(passed_over)
    return files


def discover(
    paths: Sequence[Path], skipped: list[tuple[str, str]] | None = None
) -> tuple[list[tuple[Path, DocMeta]], list[str]]:
    """Supported files under ``paths`` with their manifest metadata, plus one-line warnings.

    Every entry passed over (``ingest/discovery.py``: unsupported, not a paper, a bad name,
    a link loop, an unreadable folder, a FIFO) goes to ``skipped`` as (path, reason) when
    it is given, else into the warnings.
    """
    warnings: list[str] = []
    files = _candidates(paths, warnings, skipped)
    manifests: dict[Path, dict[str, DocMeta]] = {}
    out: list[tuple[Path, DocMeta]] = []
    for path in files:
        folder = path.parent
        if folder not in manifests:
            try:
                manifests[folder], problems = read_manifest(folder)
            except ManifestError as exc:
                manifests[folder], problems = {}, [f"{exc}; metadata for this folder ignored"]
            warnings.extend(problems)
        out.append((path, manifests[folder].get(path.name, DocMeta())))
    return out, warnings


def process_file(
    path: Path,
    meta: DocMeta,
    limits: IngestLimits = _DEFAULT_LIMITS,
    times: StageTimes | None = None,
) -> Document:
    """Load, structure and chunk one file; raises ``IngestError`` (only) for a bad file.

    ``times``, when given, gains the seconds spent parsing (read, load, structure,
    metadata) and chunking (passages and decisions).
    """
    times = times or StageTimes()
    with times.stage("parse"):
        document, blocks = _parse(path, meta, limits)
    name = document.source
    try:
        with times.stage("chunk"):
            document.passages = chunk(
                document.text,
                blocks,
                document.document_id,
                min_words=limits.min_words,
                max_words=limits.max_words,
                page_at=document.page_at if document.page_starts else None,
            )
            document.decisions = find_decisions(document.text, document.passages, document.meta)
            document.commitments = find_commitments(document.text, document.passages, document.meta)
    except IngestError as exc:
        if exc.source != name:
            raise IngestError(name, exc.reason) from exc
        raise
    except Exception as exc:  # never let a traceback reach the user for a bad file
        raise IngestError(name, f"could not be processed ({type(exc).__name__}: {exc})") from exc
    if not document.passages:
        raise IngestError(name, "no text")
    return document


def _parse(path: Path, meta: DocMeta, limits: IngestLimits) -> tuple[Document, list[Block]]:
    """Read, load and structure one file: its ``Document`` (not yet chunked) and blocks."""
    resolved = read_path(path)
    name = resolved.name
    suffix = resolved.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, f"unsupported file type {suffix or '(none)'}")
    try:
        size = resolved.stat().st_size
        if size > limits.max_file_bytes:
            raise IngestError(
                name,
                f"is {size} bytes, over the limit of {limits.max_file_bytes} "
                "(CQA_MAX_UPLOAD_BYTES)",
            )
        data = resolved.read_bytes()
    except OSError as exc:
        raise IngestError(name, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > limits.max_file_bytes:
        raise IngestError(name, f"is over the size limit of {limits.max_file_bytes} bytes")
    if not data:  # said as such, not as a PDF or Word parser's complaint ("EmptyFileError")
        raise IngestError(name, "is empty (0 bytes)")
    document_id = document_id_for(resolved)
    try:
        extracted = load_bytes(
            data,
            suffix,
            name,
            max_pdf_pages=limits.max_pdf_pages,
            max_decompressed_bytes=limits.max_decompressed_bytes,
            max_html_bytes=limits.max_html_bytes,
            max_text_chars=limits.max_text_chars,
            max_html_nodes=limits.max_html_nodes,
            max_docx_paragraphs=limits.max_docx_paragraphs,
            max_pdf_page_content_bytes=limits.max_pdf_page_content_bytes,
        )
        text = extracted.text
        if not text.strip():
            raise IngestError(name, "no text (the file is empty or only whitespace)")
        if len(text) > limits.max_text_chars:
            raise IngestError(
                name,
                f"has {len(text)} characters of text, over the limit of "
                f"{limits.max_text_chars} (CQA_MAX_TEXT_CHARS)",
            )
        blocks = extracted.blocks
        if blocks is None:
            blocks = find_blocks(text, wrapped=True if suffix == ".pdf" else None)
        # a minutes item's number and title become its heading (not the document's title)
        titled, blocks = blocks, split_labelled_heads(text, split_item_heads(text, blocks))
        if suffix == ".pdf":  # one for one, so the blocks' offsets hold on the joined text
            text = join_wrapped_lines(text, blocks)
        document = Document(
            document_id=document_id,
            source=name,
            path=str(resolved),
            content_hash=hashlib.sha256(data).hexdigest(),
            text=text,
            meta=fill_meta(meta, text, titled, extracted.title_hint),
            page_starts=extracted.page_starts,
        )
    except IngestError as exc:
        if exc.source != name:  # a loader may not know the file name
            raise IngestError(name, exc.reason) from exc
        raise
    except Exception as exc:  # never let a traceback reach the user for a bad file
        raise IngestError(name, f"could not be processed ({type(exc).__name__}: {exc})") from exc
    return document, blocks
