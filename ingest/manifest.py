"""Read a folder's manifest.csv into ``DocMeta`` records keyed by file base name.

Columns: ``file,council,committee,meeting_date,title,doc_type,source_url,supersedes``.
Only ``file`` is required; blank cells mean unknown (None).  Problems with single rows
(bad dates, duplicates, files that are not there, unknown columns, extra cells) become
warnings, not errors.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from cqa_core.errors import ManifestError
from ingest.models import DocMeta

MANIFEST_NAME = "manifest.csv"
FIELDS = ("council", "committee", "meeting_date", "title", "doc_type", "source_url", "supersedes")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | None) -> str | None:
    """``value`` if it is a real YYYY-MM-DD date, else None."""
    if not value or not _ISO_DATE.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_manifest(folder: Path) -> tuple[dict[str, DocMeta], list[str]]:
    """Metadata by file base name from ``folder/manifest.csv``, plus warnings.

    A missing manifest gives ``({}, [])``.  Raises ``ManifestError`` when the file cannot be
    read or has no ``file`` column.
    """
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, []
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        if "file" not in header:
            raise ManifestError(f"{path}: no 'file' column")
        rows = list(reader)
    except csv.Error as exc:
        raise ManifestError(f"{path}: not a valid CSV file ({exc})") from exc

    metas: dict[str, DocMeta] = {}
    warnings: list[str] = []
    unknown = [h for h in header if h not in FIELDS and h != "file"]
    if unknown:
        shown = ", ".join(repr(h) for h in unknown[:10])
        warnings.append(f"{path}: unknown column(s) {shown}; ignored")
    for number, row in enumerate(rows, start=2):
        extra = row.get(None)  # cells past the header
        if extra:
            warnings.append(
                f"{path}: line {number} has {len(extra)} cell(s) more than the header; ignored"
            )
        clean = {
            (key or "").strip().lower(): (value or "").strip() if isinstance(value, str) else ""
            for key, value in row.items()
        }
        name = Path(clean.get("file", "")).name
        if not name:
            if any(clean.values()):
                warnings.append(f"{path}: line {number} has no file name; skipped")
            continue
        values = {field: clean.get(field) or None for field in FIELDS}
        if values["meeting_date"] and not parse_date(values["meeting_date"]):
            warnings.append(
                f"{path}: line {number}: meeting_date {values['meeting_date']!r} "
                "is not a YYYY-MM-DD date; ignored"
            )
            values["meeting_date"] = None
        if name in metas:
            warnings.append(f"{path}: line {number}: duplicate row for {name}; the last one wins")
        metas[name] = DocMeta(**values)
        if not (folder / name).is_file():
            warnings.append(f"{path}: line {number} names {name}, which is not in the folder")
    return metas, warnings


def with_council(
    files: Sequence[tuple[Path, DocMeta]], council: str | None
) -> tuple[list[tuple[Path, DocMeta]], list[str]]:
    """The files with ``council`` (``cqa ingest --council``) wherever none is given, and warnings.

    A council is never guessed from the text, so without ``council`` each folder that has
    files but no manifest.csv gets a warning that their councils will be blank.  With it, a
    file whose manifest names another council keeps that one, and a warning counts them.
    """
    if council is None:
        folders = Counter(path.parent for path, _ in files)
        return list(files), [
            f"{folder}: no {MANIFEST_NAME}, so the council of its {count} "
            f"file{'s' if count > 1 else ''} will be blank (give one with "
            f"'cqa ingest --council NAME', or add a {MANIFEST_NAME})"
            for folder, count in folders.items()
            if not (folder / MANIFEST_NAME).is_file()
        ]
    out: list[tuple[Path, DocMeta]] = []
    kept: Counter[str] = Counter()
    for path, meta in files:
        if meta.council and meta.council != council:
            kept[meta.council] += 1
            out.append((path, meta))
        else:
            out.append((path, replace(meta, council=council)))
    warnings = [
        f"--council {council}: {count} file{'s' if count > 1 else ''} keep the council "
        f"{name!r} that {'their manifests give' if count > 1 else 'its manifest gives'}"
        for name, count in sorted(kept.items())
    ]
    return out, warnings
