"""Documents: list, read, upload and delete (writes need the admin token)."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

from cqa_core.errors import IngestError, InvalidQueryError
from index.store import Filters
from indexing.writer import IndexWriter
from ingest.models import DocMeta
from ingest.pipeline import SUPPORTED_SUFFIXES
from qa_service.api.deps import AdminDep, EngineDep, IngestEmbedderDep, SettingsDep
from qa_service.api.routes_precedent import query_filters
from qa_service.presenters import (
    also_at,
    document_out,
    unheld_filter_notes,
    with_undated,
)
from qa_service.request_limits import chars_within, marked
from qa_service.runtime import limits
from qa_service.schemas.documents import (
    DocumentDetail,
    DocumentList,
    IngestResult,
    PassageSpan,
    RemoveResult,
)

router = APIRouter(prefix="/api/documents", tags=["documents"])

_CHUNK = 1024 * 1024
# Metadata fields are bounded like the filters that match them; a title or a URL is longer.
# Each bound is a setting in force (qa_service/request_limits.py), not a number here.
FieldText = Annotated[
    str | None,
    Form(json_schema_extra=marked("max_filter_chars")),
    AfterValidator(chars_within("max_filter_chars")),
]
TitleText = Annotated[
    str | None,
    Form(json_schema_extra=marked("max_title_chars")),
    AfterValidator(chars_within("max_title_chars")),
]
UrlText = Annotated[
    str | None,
    Form(json_schema_extra=marked("max_url_chars")),
    AfterValidator(chars_within("max_url_chars")),
]


# The fields an upload takes: the file and the manifest's columns but `file`.
UPLOAD_FIELDS = (
    "file",
    "council",
    "committee",
    "meeting_date",
    "title",
    "doc_type",
    "source_url",
    "supersedes",
)


async def known_fields(request: Request) -> None:
    """An upload's form holds only the fields it takes.  A misspelt one ("date",
    "meeting-date") was dropped without a word, and the paper indexed without that
    metadata; it is refused as JSON bodies refuse an unknown field (not named back)."""
    form = await request.form()  # already read for the route's own fields: cached
    unknown = [name for name in form if name not in UPLOAD_FIELDS]
    if unknown:
        message = "is not a field of an upload (it takes: " + ", ".join(UPLOAD_FIELDS) + ")"
        raise RequestValidationError(
            [{"type": "extra_forbidden", "loc": ("body", name), "msg": message} for name in unknown]
        )


@router.get("", response_model=DocumentList)
def list_documents(
    engine: EngineDep,
    council: Annotated[list[str] | None, Query()] = None,
    committee: Annotated[list[str] | None, Query()] = None,
    doc_type: Annotated[list[str] | None, Query()] = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> DocumentList:
    """List documents with their metadata, newest meeting first."""
    if date_from and date_to and date_from > date_to:  # as /api/ask and /api/decisions say
        raise InvalidQueryError("date_from must not be after date_to")
    # blank values are no filter and outer spaces are trimmed, as /api/decisions and the
    # question form read them ("doc_type=" from a form's "Any type" listed nothing)
    filters = replace(
        query_filters(council, committee, date_from, date_to, doc_type), include_superseded=True
    )
    documents = [document_out(r) for r in engine.store.list_documents(filters)]
    # a date bound leaves out every paper with no meeting date: counted, as /api/ask counts them
    return DocumentList(
        documents=documents,
        notes=with_undated(engine, unheld_filter_notes(engine, filters), filters, not documents),
    )


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(document_id: str, engine: EngineDep) -> DocumentDetail:
    """A document's metadata, full extracted text and passage offsets."""
    record = engine.store.get_document(document_id)
    text, page_starts = engine.store.document_text(document_id)
    out = document_out(record)
    return DocumentDetail(
        **out.model_dump(exclude={"passages"}),
        text=text,
        page_starts=page_starts,
        passages=[
            PassageSpan(passage_id=pid, char_start=s, char_end=e, page=page)
            for pid, s, e, page in engine.store.document_passages(document_id)
        ],
        also_at=[also_at(copy) for copy in engine.store.copies_of(document_id)],
    )


@router.delete("/{document_id}", response_model=RemoveResult)
def delete_document(
    document_id: str, engine: EngineDep, settings: SettingsDep, _admin: AdminDep
) -> RemoveResult:
    """Remove a document and its passages."""
    # Removing embeds nothing: the question encoder names the same model, which is all the
    # writer checks.
    writer = IndexWriter(settings.index, engine.embedder, limits(settings))
    with writer.open():
        path = Path(writer.store.get_document(document_id).path)
        source = writer.remove(document_id)
        # an uploaded file goes with its document (never a file ingested from elsewhere)
        if path.parent == (settings.index / "uploads").resolve():
            path.unlink(missing_ok=True)
    engine.refresh()
    return RemoveResult(removed=document_id, source=source)


@router.post(
    "",
    response_model=IngestResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": IngestResult, "description": "the bytes are already indexed: "
                     "the existing document, with `duplicate: true`; nothing is created"}},
)  # fmt: skip
def upload_document(
    response: Response,
    engine: EngineDep,
    settings: SettingsDep,
    _admin: AdminDep,
    embedder: IngestEmbedderDep,
    _known: Annotated[None, Depends(known_fields)],
    file: Annotated[UploadFile, File(description="a .txt, .md, .html, .pdf or .docx file")],
    council: FieldText = None,
    committee: FieldText = None,
    meeting_date: Annotated[date | None, Form()] = None,
    title: TitleText = None,
    doc_type: FieldText = None,
    source_url: UrlText = None,
    supersedes: FieldText = None,
) -> IngestResult:
    """Upload one file with its metadata and index it (a file already indexed is not added)."""
    original = client_file_name(file.filename)
    suffix = Path(original).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"unsupported file type {suffix or '(none)'}; use one of "
            + ", ".join(sorted(SUPPORTED_SUFFIXES)),
        )
    uploads = settings.index / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    stored = uploads / f"{uuid.uuid4().hex}{suffix}"  # never a client-supplied path
    size = 0
    try:
        with stored.open("wb") as out:
            while chunk := file.file.read(_CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise HTTPException(
                        status.HTTP_413_CONTENT_TOO_LARGE,
                        f"the file is larger than {settings.max_upload_bytes} bytes",
                    )
                out.write(chunk)
        meta = DocMeta(
            council=_blank(council),
            committee=_blank(committee),
            meeting_date=meeting_date.isoformat() if meeting_date else None,
            title=_blank(title),
            doc_type=_blank(doc_type),
            source_url=_blank(source_url),
            supersedes=_blank(supersedes),
        )
        writer = IndexWriter(settings.index, embedder, limits(settings))
        with writer.open():
            summary = writer.ingest_files([(stored, meta, original)], duplicates_by_bytes=True)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    if summary.failed:
        stored.unlink(missing_ok=True)
        raise IngestError(original, summary.failed[0][1])
    if summary.duplicates:
        stored.unlink(missing_ok=True)
        response.status_code = status.HTTP_200_OK
        existing = engine.store.get_document(summary.duplicates[0][1])
        return IngestResult(
            status="unchanged",
            document_id=existing.document_id,
            source=existing.source,
            passages=existing.passages,
            duplicate=True,
        )
    engine.refresh()
    status_word: Literal["added", "updated", "unchanged"] = (
        "added" if summary.added else "updated" if summary.updated else "unchanged"
    )
    documents = engine.store.list_documents(Filters(include_superseded=True))
    found = next((d for d in documents if d.path == str(stored.resolve())), None)
    return IngestResult(
        status=status_word,
        document_id=found.document_id if found else None,
        source=original,
        passages=found.passages if found else 0,
    )


def client_file_name(filename: str | None) -> str:
    """The base name a client gave, for display only: no folders (either slash), no
    control characters, at most 200 characters.  Files are never stored under it."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    if len(name) > 200:
        stem, suffix = Path(name).stem, Path(name).suffix[:20]
        name = stem[: 200 - len(suffix)] + suffix
    return name if name not in ("", ".", "..") else "upload"


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None
