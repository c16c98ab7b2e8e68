"""Bounds checked before a parser builds anything: a Word file's zip and body, an HTML page.

A parser's memory grows with what a file *inflates to*, not with its size on disk: a 1 MB
Word file can hold a 1 GiB image, a 92 KB one fifteen million empty paragraphs, and 5 MiB
of bare ``<p>`` tags become 1.7 million BeautifulSoup nodes.  So each check here reads only
what it must (a zip's central directory; ``word/document.xml`` and the page as a stream of
parser events, freed as it goes) and refuses the file with a one-line reason before
python-docx or BeautifulSoup sees it.  Together with the other limits they hold one memory
budget (docs/reliability.md, "The memory budget").
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass

import lxml.etree

from cqa_core.errors import IngestError
from cqa_core.limits import IngestLimits

MAX_DOCX_ENTRIES = 2000  # a Word file has 15-40 parts; hundreds with many images
# Deflate packs Word's XML 4-20 to 1 and pictures about 1 to 1; a big part packed far
# tighter than that is filler, which is what a zip bomb is made of.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # parts smaller than this are never judged by their ratio
_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_BODY = "word/document.xml"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class DocxBounds:
    """How much one Word file may hold: inflated bytes, paragraphs, XML elements."""

    max_inflated: int = IngestLimits.max_decompressed_bytes
    max_paragraphs: int = IngestLimits.max_docx_paragraphs
    max_elements: int = 400_000


DEFAULT_DOCX = DocxBounds()


def _free(element: lxml.etree._Element) -> None:
    """Drop an element the stream has finished with, and its finished older siblings."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def check_docx(data: bytes, source: str, bounds: DocxBounds = DEFAULT_DOCX) -> None:
    """Raise ``IngestError`` if the Word file would inflate or parse past ``bounds``.

    A file that is not a zip at all passes: python-docx then says what is wrong with it.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_DOCX_ENTRIES:
            raise IngestError(
                source, f"is a Word file of {len(infos)} parts, over the limit of "
                f"{MAX_DOCX_ENTRIES}; refused"
            )  # fmt: skip
        inflated = sum(info.file_size for info in infos)
        if inflated > bounds.max_inflated:
            raise IngestError(
                source,
                f"is a Word file that inflates to {inflated} bytes, past the limit of "
                f"{bounds.max_inflated} (CQA_MAX_DECOMPRESSED_BYTES)",
            )
        for info in infos:
            packed = max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * packed:
                raise IngestError(
                    source,
                    f"is a Word file whose part {info.filename[:80]} is packed "
                    f"{info.file_size // packed}:1, more than {MAX_RATIO}:1 (a zip bomb); refused",
                )
        if _BODY in archive.namelist():
            _count_body(archive, source, bounds)


def _count_body(archive: zipfile.ZipFile, source: str, bounds: DocxBounds) -> None:
    """Stream ``word/document.xml``, counting paragraphs and elements up to the limits."""
    paragraphs = elements = 0
    parser = lxml.etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        with archive.open(_BODY) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    elements += 1
                    if element.tag == _W_P:
                        paragraphs += 1
                    _free(element)
                if paragraphs > bounds.max_paragraphs:
                    raise IngestError(
                        source,
                        f"is a Word file of more than {bounds.max_paragraphs} paragraphs "
                        "(CQA_MAX_DOCX_PARAGRAPHS); refused",
                    )
                if elements > bounds.max_elements:
                    raise IngestError(
                        source,
                        f"is a Word file of more than {bounds.max_elements} XML elements; refused",
                    )
    except (lxml.etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError):
        return  # damaged: python-docx says so in its own words


def html_shape(text: str, max_nodes: int) -> tuple[int, int]:
    """(deepest nesting, elements) of a page as libxml2 reads it, streamed and freed.

    Counting stops once the page has more than ``max_nodes`` elements.
    """
    if not text.strip():
        return 0, 0
    parser = lxml.etree.HTMLPullParser(events=("start", "end"), no_network=True, encoding="utf-8")
    depth = deepest = nodes = 0

    def count() -> None:
        nonlocal depth, deepest, nodes
        for event, element in parser.read_events():
            if event == "start":
                depth += 1
                nodes += 1
                deepest = max(deepest, depth)
            else:
                depth -= 1
                _free(element)

    data = text.encode("utf-8")
    for start in range(0, len(data), _CHUNK):
        parser.feed(data[start : start + _CHUNK])
        count()
        if nodes > max_nodes:
            return deepest, nodes
    # an empty or broken page: BeautifulSoup says what is wrong with it
    with contextlib.suppress(lxml.etree.XMLSyntaxError):
        parser.close()
    count()
    return deepest, nodes
