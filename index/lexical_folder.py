"""The tantivy index's folder beside the store: its schema, its state file, and opening it.

``lexical/`` holds the tantivy index; ``lexical.state`` records which store generations it
reflects (``"G G"``, ``"G H"`` mid-commit, ``"-1 G"`` mid-rebuild: see
``index.lexical_tantivy``).  An index is current when the state names the store's
generation and its schema is ``_schema()``; one of an older schema (written before the
meeting-date field) opens with its own schema, so that readers search it while the writer
rebuilds the new one beside it (``lexical.new``) and puts it in its place by renames.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.lexical_rows import DATE_FIELD

if TYPE_CHECKING:
    from index.store import Store

FOLDER = "lexical"
STATE = "lexical.state"
_ANALYZER = "cqa_english"
_FIELDS = ("heading", "body", "context")

_log = logging.getLogger("index.lexical_tantivy")  # one name for the keyword index's notes


def _tantivy() -> Any:
    try:
        import tantivy
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("tantivy is missing: pip install tantivy") from exc
    return tantivy


def _schema() -> Any:
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    for name in _FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name=_ANALYZER)
    builder.add_integer_field(DATE_FIELD, stored=False, indexed=True, fast=True)
    return builder.build()


def _open_index(folder: Path | None, create: bool, own_schema: bool = False) -> Any:
    """The tantivy index in ``folder`` (made if ``create``), or an empty one in memory;
    ``own_schema``: open it with the schema it was written with, whatever that is."""
    tantivy = _tantivy()
    if folder is None:
        index = tantivy.Index(_schema())
    elif own_schema:
        index = tantivy.Index.open(str(folder))
    else:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(_schema(), path=str(folder), reuse=True)
    return with_analyzer(index)


def with_analyzer(index: Any) -> Any:
    """``index`` with the text fields' analyzer registered (the index object holds it,
    not the index's files)."""
    index.register_tokenizer(_ANALYZER, analyzer())
    return index


def analyzer() -> Any:
    """The text fields' analyzer: words split on anything not a letter or digit, long
    ones dropped, lowercased, accent-folded and stemmed (Snowball English)."""
    tantivy = _tantivy()
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def read_state(index_dir: Path) -> tuple[int, int] | None:
    """The generations the tantivy index reflects (see the module notes), if recorded."""
    try:
        start, end = (int(x) for x in (index_dir / STATE).read_text().split())
    except (OSError, ValueError):
        return None
    return start, end


def write_state(index_dir: Path, start: int, end: int) -> None:
    """Record the generations the index reflects, atomically."""
    path = index_dir / STATE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{start} {end}\n")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _replace_folder(index_dir: Path, aside: Path) -> None:
    """Put the index built in ``aside`` in the place of the folder's tantivy index.  A kill
    between the two renames leaves no index there, which the next open rebuilds (the state
    still says ``-1 G``)."""
    old = index_dir / (FOLDER + ".old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(index_dir / FOLDER, old)
    os.replace(aside, index_dir / FOLDER)
    shutil.rmtree(old, ignore_errors=True)


def _open_readable(index_dir: Path) -> Any:
    """The folder's tantivy index, or None if there is none or it cannot be read; one of
    an older schema opens with its own (see ``TantivyIndex.dated``)."""
    if not (index_dir / FOLDER / "meta.json").exists():
        return None
    try:
        return _open_index(index_dir / FOLDER, create=False)
    except (ValueError, OSError):
        pass
    try:
        return _open_index(index_dir / FOLDER, create=False, own_schema=True)
    except (ValueError, OSError):
        return None


def _open_writable(index_dir: Path) -> Any:
    """The folder's tantivy index: made afresh (and so out of step) if it cannot be read;
    opened with its own schema (and so out of date) if written with another."""
    shutil.rmtree(index_dir / (FOLDER + ".old"), ignore_errors=True)  # a replace killed
    try:
        return _open_index(index_dir / FOLDER, create=True)
    except (ValueError, OSError):  # an older schema, or torn or foreign files
        pass
    fields = _schema_of(index_dir)
    if fields is not None and "rowid" in fields:
        try:
            old = _open_index(index_dir / FOLDER, create=False, own_schema=True)
        except (ValueError, OSError):
            pass
        else:
            _log.warning(
                "the keyword index in %s was written %s: rebuilding it from the store beside "
                "the old one, which readers search until the new one replaces it",
                index_dir / FOLDER,
                "with another schema"
                if DATE_FIELD in fields
                else "before the meeting-date field (December 2026)",
            )
            return old
    # the state goes first: a crash from here on leaves an index that is not current
    (index_dir / STATE).unlink(missing_ok=True)
    shutil.rmtree(index_dir / FOLDER, ignore_errors=True)
    return _open_index(index_dir / FOLDER, create=True)


def _schema_of(index_dir: Path) -> list[str] | None:
    """The field names of the folder's tantivy index as its meta.json records them, if
    it can be read."""
    try:
        meta = json.loads((index_dir / FOLDER / "meta.json").read_text(encoding="utf-8"))
        return [str(field["name"]) for field in meta["schema"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _current(index_dir: Path, store: Store) -> bool:
    """Whether the folder holds a tantivy index of today's schema matching the store's
    generation."""
    generation = store.generation()
    if read_state(index_dir) != (generation, generation):
        return False
    return _schema_of(index_dir) == ["rowid", *_FIELDS, DATE_FIELD]
