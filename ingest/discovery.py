"""Find the papers under the paths given to an ingest; every other entry is a reported skip.

One bad entry never stops an ingest.  A name that is not valid UTF-8, a symbolic link loop
or a broken link, a folder that cannot be read, a FIFO, socket or device, a file of an
unsupported type and a file that is not a paper (``README*``, ``LICENSE*``, ...) are each
passed over with a one-line reason, and the ingest summary counts them.  Hidden files and
folders (``.git``, ``~$lock.docx``) and ``manifest.csv`` are passed over silently.  A folder
that is an index (``cqa_core.index_folder``) is passed over whole, as one skip.  The walk
is ``os.scandir`` by hand, not ``Path.rglob``, which follows folder links round a loop and
drops unreadable folders without a word.  A FIFO is never opened: reading it would block.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from cqa_core.errors import IngestError
from cqa_core.index_folder import is_index

# Files that travel with a folder of papers but are not papers.
NOT_PAPERS = re.compile(
    r"^(readme|read[ _-]?me|licen[cs]e|copying|changelog|changes|contributing|authors|notice)"
    r"(\..*)?$",
    re.IGNORECASE,
)
Skipped = tuple[str, str]  # (path as shown, reason)
# An index folder (the one being written to, or any other) holds the index's own files and
# its stored uploads, which are not new papers: the whole folder is one skip.
INDEX_SKIPPED = "an index folder (its files and uploads are not new papers)"


def _shown(path: Path | str) -> str:
    """A path fit to print: undecodable bytes shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _bad_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system gave that are not UTF-8
        return True
    return False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def find_papers(
    paths: Sequence[Path], suffixes: Iterable[str], ignore: Iterable[str] = ()
) -> tuple[list[Path], list[Skipped]]:
    """Files under ``paths`` (recursively) with one of ``suffixes``, sorted, and the skips.

    Names in ``ignore`` (the manifest) are passed over silently.  A given path that does not
    exist raises ``IngestError``.
    """
    wanted = {s.lower() for s in suffixes}
    quiet = set(ignore)
    found: dict[Path, None] = {}
    skipped: list[Skipped] = []

    def consider(path: Path, mode: int) -> None:
        if not stat.S_ISREG(mode):
            skipped.append((_shown(path), f"{_kind(mode)}, not a file"))
        elif path.name in quiet:
            return
        elif NOT_PAPERS.match(path.name):
            skipped.append((_shown(path), "not a paper (a README or similar)"))
        elif path.suffix.lower() not in wanted:
            kind = path.suffix or "(none)"
            skipped.append((_shown(path), f"unsupported file type {kind}"))
        else:
            found[path] = None

    def walk(folder: Path, seen: set[tuple[int, int]]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append((_shown(folder), f"folder cannot be read ({exc.strerror})"))
            return
        for entry in entries:
            path = folder / entry.name
            if _hidden(entry.name):
                continue
            if _bad_name(entry.name):
                skipped.append((_shown(path), "name is not valid UTF-8 (rename it)"))
                continue
            try:
                info = entry.stat()  # follows links
            except OSError as exc:
                skipped.append((_shown(path), _link_problem(exc)))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in seen:
                    skipped.append((_shown(path), "a link back to a folder above it"))
                    continue
                if is_index(path):
                    skipped.append((_shown(path), INDEX_SKIPPED))
                    continue
                walk(path, seen | {key})
            else:
                consider(path, info.st_mode)

    for given in paths:
        name = str(given)
        if _bad_name(name):
            skipped.append((_shown(name), "name is not valid UTF-8 (rename it)"))
            continue
        try:
            root = Path(given).expanduser().resolve(strict=False)
            info = root.stat()
        except RuntimeError:  # Python 3.11's resolve() on a symlink loop
            skipped.append((_shown(name), "a symbolic link loop"))
            continue
        except FileNotFoundError as exc:
            if os.path.islink(given):
                skipped.append((_shown(name), "a broken symbolic link"))
                continue
            raise IngestError(name, "no such file or folder") from exc
        except OSError as exc:
            skipped.append((_shown(name), _link_problem(exc)))
            continue
        if stat.S_ISDIR(info.st_mode) and is_index(root):
            skipped.append((_shown(name), INDEX_SKIPPED))
        elif stat.S_ISDIR(info.st_mode):
            walk(root, {(info.st_dev, info.st_ino)})
        else:
            consider(root, info.st_mode)
    return sorted(found), skipped


def _link_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "a broken symbolic link"
    return f"cannot be read ({exc.strerror})"
