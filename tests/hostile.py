"""A deterministic hostile corpus: good council papers mixed with every kind of broken file.

``build(root)`` writes 200+ files under ``root`` and returns what each one is and what
ingesting it must do: ``indexed`` (a good file; its unique ``marker`` word is searchable),
``failed`` (one ``failed: NAME: REASON`` line whose reason contains ``reason``),
``skipped`` (an unsupported type or not a paper: one ``skipped: PATH: REASON`` line whose
reason contains ``reason``) or ``recoverable`` (a damaged file that
pypdf may repair: either indexed with its marker, or one failed line).  The same seed gives
the same bytes, so a failure found here can be reproduced.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

Expect = Literal["indexed", "failed", "skipped", "recoverable"]

_PROSE = (
    "committee council report members officers children services budget agency social "
    "workers caseloads Ofsted inspection improvement plan safeguarding partnership school "
    "placements foster carers recruitment performance quarter target spending review "
    "scrutiny panel recommendation resolved noted agreed approved meeting minutes item "
    "housing transport highways libraries consultation residents ward councillor cabinet"
)
_WORDS = _PROSE.split()
_EPOCH = datetime(2020, 1, 1)
MANIFEST_HEADER = "file,council,committee,meeting_date,title,doc_type,source_url,supersedes"


@dataclass(frozen=True)
class HostileFile:
    """One file of the corpus and what ingesting it must do."""

    name: str  # path relative to the corpus root
    kind: str  # what the file is, for messages
    expect: Expect
    reason: str = ""  # for failed files: a phrase the failure line must contain
    marker: str = ""  # for good files: a word found only in this file

    @property
    def base(self) -> str:
        """The base name, as ingest reports it."""
        return Path(self.name).name


def paragraphs(rng: random.Random, marker: str, count: int = 4) -> list[str]:
    """Council-like sentences; the first paragraph carries the unique ``marker`` word."""
    out = []
    for i in range(count):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        if i == 0:
            sentences.insert(0, f"The {marker} proposal was considered by the committee.")
        out.append(" ".join(sentences))
    return out


# --- PDF by hand, so every byte (xref, streams, encryption) is under control -------------


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream(text: str) -> bytes:
    lines = [text[i : i + 80] for i in range(0, len(text), 80)] or [""]
    ops = ["BT /F1 10 Tf 14 TL 40 780 Td"]
    ops += [f"({_pdf_escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    return "\n".join(ops).encode("latin-1", "replace")


def make_pdf(
    pages: list[bytes],
    compress: bool = False,
    image: bool = False,
    break_xref: bool = False,
    form: bytes | None = None,
) -> bytes:
    """A PDF whose pages draw the given content streams with Helvetica.

    ``image`` adds a small greyscale image XObject to every page's resources; ``form`` adds a
    form XObject ``/Fm0`` drawing that (compressed) content, which a page draws with
    ``/Fm0 Do``;
    ``break_xref`` writes wrong offsets into the cross-reference table.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    xobject = 0
    if image:
        pixels = bytes((x * 7 + y * 3) % 256 for y in range(32) for x in range(32))
        data = zlib.compress(pixels)
        xobject = add(
            b"<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(data)
            + data
            + b"\nendstream"
        )
    form_obj = 0
    if form is not None:
        packed = zlib.compress(form, 9)
        form_obj = add(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font "
            b"<< /F1 %d 0 R >> >> /Filter /FlateDecode /Length %d >>\nstream\n"
            % (font, len(packed))
            + packed
            + b"\nendstream"
        )
    kids = []
    for content in pages:
        data = zlib.compress(content) if compress else content
        filt = b" /Filter /FlateDecode" if compress else b""
        stream = add(b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream")
        resources = b"<< /Font << /F1 %d 0 R >>" % font
        if xobject or form_obj:
            resources += b" /XObject <<"
            resources += b" /Im0 %d 0 R" % xobject if xobject else b""
            resources += b" /Fm0 %d 0 R" % form_obj if form_obj else b""
            resources += b" >>"
        resources += b" >>"
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s "
                b"/Contents %d 0 R >>" % (pages_obj, resources, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % ((offset * 7 + 13) if break_xref else offset))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % (xref + 5 if break_xref else xref))
    return out.getvalue()


def text_pdf(paras: list[str], per_page: int = 2, compress: bool = True) -> bytes:
    """A text PDF with ``per_page`` paragraphs on each page."""
    pages = [page_stream(" ".join(paras[i : i + per_page])) for i in range(0, len(paras), per_page)]
    return make_pdf(pages, compress=compress)


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    """``data`` encrypted (RC4-128, which needs no extra package) with a user password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb_pdf(inflated_bytes: int) -> bytes:
    """A small PDF whose one content stream inflates to ``inflated_bytes``."""
    compressor = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(inflated_bytes // len(block))]
    data = b"".join(parts) + compressor.flush()
    return make_pdf([data]).replace(b"/Length", b"/Filter /FlateDecode /Length", 1)


# --- Word ---------------------------------------------------------------------------------


def make_docx(paras: list[str], heading: str) -> bytes:
    """A Word file with a heading and paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for para in paras:
        document.add_paragraph(para)
    document.core_properties.created = document.core_properties.modified = _EPOCH
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()  # the same bytes every run: fixed times on every zip entry
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            dest.writestr(zipfile.ZipInfo(info.filename, (2020, 1, 1, 0, 0, 0)),
                          source.read(info.filename), zipfile.ZIP_DEFLATED)  # fmt: skip
    return out.getvalue()


def _docx_with(
    base: bytes,
    parts: dict[str, Callable[[], Iterator[bytes]]],
    edits: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """``base`` (a Word file) with parts added or replaced, each streamed from a generator,
    so a part that inflates to a gigabyte is never held in memory here; ``edits`` rewrite
    existing parts."""
    edits = edits or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as dest:
        for info in source.infolist():
            if info.filename not in parts:
                data = edits.get(info.filename, lambda b: b)(source.read(info.filename))
                dest.writestr(info, data, zipfile.ZIP_DEFLATED)
        for name, chunks in parts.items():
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with dest.open(info, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk)
    return out.getvalue()


def _body(paragraphs: Callable[[], Iterator[bytes]]) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
               b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               b"<w:body>")  # fmt: skip
        yield from paragraphs()
        yield b"</w:body></w:document>"

    return chunks


def docx_image_bomb(base: bytes, inflated: int) -> bytes:
    """A Word file holding a "picture" of ``inflated`` zero bytes (1 GiB packs into ~1 MB)."""
    block = bytes(1024 * 1024)

    def picture() -> Iterator[bytes]:
        for _ in range(inflated // len(block)):
            yield block

    def linked(rels: bytes) -> bytes:  # python-docx loads every part the document links to
        return rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdBomb" Target="media/image1.png" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/image"/></Relationships>',
        )

    def typed(types: bytes) -> bytes:
        if b'Extension="png"' in types:
            return types
        return types.replace(
            b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
        )

    return _docx_with(
        base,
        {"word/media/image1.png": picture},
        {"word/_rels/document.xml.rels": linked, "[Content_Types].xml": typed},
    )


def docx_empty_paragraphs(base: bytes, count: int) -> bytes:
    """A Word file of ``count`` empty paragraphs (15 million pack into ~90 KB)."""
    block = b"<w:p/>" * 100_000

    def paragraphs() -> Iterator[bytes]:
        for _ in range(count // 100_000):
            yield block

    return _docx_with(base, {"word/document.xml": _body(paragraphs)})


def docx_many_paragraphs(base: bytes, count: int, rng: random.Random) -> bytes:
    """A Word file of ``count`` short paragraphs of varied words: it packs like a real one."""

    def paragraphs() -> Iterator[bytes]:
        for i in range(count):
            words = " ".join(rng.choice(_WORDS) for _ in range(4))
            yield f"<w:p><w:r><w:t>{i} {words}</w:t></w:r></w:p>".encode()

    return _docx_with(base, {"word/document.xml": _body(paragraphs)})


def docx_many_parts(base: bytes, count: int) -> bytes:
    """A Word file of ``count`` extra tiny parts."""
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            archive.writestr(zipfile.ZipInfo(f"word/extra/part{i}.xml", (2020, 1, 1, 0, 0, 0)),
                             b"<a/>")  # fmt: skip
    return out.getvalue()


def html_bare_paragraphs(size: int) -> bytes:
    """``size`` bytes of bare ``<p>`` tags: 1.7 million elements in 5 MiB."""
    return b"<html><body>" + b"<p>" * ((size - 26) // 3) + b"</body></html>"


def _html(title: str, paras: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><main><h1>{title}</h1>{body}</main>"
        "<footer>Copyright</footer></body></html>"
    )


# --- the corpus ---------------------------------------------------------------------------


def build(root: Path, seed: int = 5) -> list[HostileFile]:
    """Write the hostile corpus under ``root``; returns every file and its expected outcome."""
    rng = random.Random(seed)
    files: list[HostileFile] = []
    counter = iter(range(10_000))

    def marker() -> str:
        return f"zq{next(counter):04d}x"

    def put(name: str, data: bytes, kind: str, expect: Expect, reason: str = "", mark: str = ""):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files.append(HostileFile(name, kind, expect, reason, mark))

    good_pdfs: list[bytes] = []
    # Good files in every format and encoding.
    for i in range(40):
        m = marker()
        text = "\n\n".join([f"Item {i + 1}. Committee business", *paragraphs(rng, m)])
        put(f"good/minutes-{i:02d}.txt", text.encode(), "text", "indexed", mark=m)
    for i in range(5):
        m = marker()
        text = "\n\n".join([f"# Report {i}", *paragraphs(rng, m)])
        put(f"good/report-{i}.md", text.encode(), "markdown", "indexed", mark=m)
    for i in range(10):
        m = marker()
        page = _html(f"Cabinet meeting {i}", paragraphs(rng, m))
        put(f"good/page-{i}.html", page.encode(), "html", "indexed", mark=m)
    for i in range(10):
        m = marker()
        data = text_pdf(paragraphs(rng, m, 6), compress=i % 2 == 0)
        good_pdfs.append(data)
        put(f"good/paper-{i}.pdf", data, "text pdf", "indexed", mark=m)
    for i in range(5):
        m = marker()
        put(
            f"good/word-{i}.docx",
            make_docx(paragraphs(rng, m), f"Report {i}"),
            "docx",
            "indexed",
            mark=m,
        )
    for i in range(5):
        m = marker()
        text = "\n\n".join(["Café budget – £5m", *paragraphs(rng, m)])
        put(f"enc/latin1-{i}.txt", text.encode("latin-1", "replace"), "latin-1", "indexed", mark=m)
    for i, codec in enumerate(("utf-16", "utf-16", "utf-16-le", "utf-16-be")):
        m = marker()
        data = "\n\n".join(["Children’s services", *paragraphs(rng, m)]).encode(codec)
        put(f"enc/utf16-{i}.txt", data, f"{codec} text", "indexed", mark=m)
    unicode_names = [
        "names/Minutes of the meeting 2023.txt",
        "names/Café – résumé 2023.txt",
        "names/委员会 会议.md",
        "names/rapport d'été (final).html",
        "names/ümlaut paper.pdf",
        "names/space at end .txt",
    ]
    for name in unicode_names:
        m = marker()
        paras = paragraphs(rng, m)
        if name.endswith(".pdf"):
            data = text_pdf(paras)
        elif name.endswith(".html"):
            data = _html("Été", paras).encode()
        else:
            data = "\n\n".join(paras).encode()
        put(name, data, "unicode name", "indexed", mark=m)
    for i in range(4):
        m = marker()
        data = encrypt_pdf(text_pdf(paragraphs(rng, m)), "")
        put(f"pdf/open-encrypted-{i}.pdf", data, "encrypted, empty password", "indexed", mark=m)

    # PDFs pypdf may repair: wrong xref offsets.
    for i in range(6):
        m = marker()
        data = make_pdf([page_stream(" ".join(paragraphs(rng, m)))], break_xref=True)
        put(f"pdf/broken-xref-{i}.pdf", data, "broken xref", "recoverable", mark=m)

    # Broken PDFs.
    for i in range(30):
        data = good_pdfs[i % len(good_pdfs)]
        cut = int(len(data) * (0.05 + 0.03 * i))
        name = f"pdf/truncated-{i:02d}.pdf"
        # a cut inside the first few hundred bytes leaves nothing to recover
        put(name, data[:cut], "truncated pdf", "recoverable" if cut > 400 else "failed", "PDF")
    for i in range(8):
        data = encrypt_pdf(good_pdfs[i % len(good_pdfs)], f"secret{i}")
        put(f"pdf/locked-{i}.pdf", data, "encrypted, password", "failed", "password")
    put("pdf/thousands-of-pages.pdf", make_pdf([b""] * 2500), "2,500 pages", "failed", "pages")
    put(
        "pdf/thousands-of-text-pages.pdf",
        make_pdf([page_stream("Page text.")] * 3000, compress=True),
        "3,000 pages",
        "failed",
        "pages",
    )
    put("pdf/bomb-256mb.pdf", bomb_pdf(256 * 1024 * 1024), "stream bomb", "failed", "inflates")
    put("pdf/bomb-100mb.pdf", bomb_pdf(100 * 1024 * 1024), "stream bomb", "failed", "inflates")
    for i in range(6):
        pages = [b"q 100 0 0 100 50 50 cm /Im0 Do Q"] * (i + 1)
        data = make_pdf(pages, image=True, compress=i % 2 == 1)
        put(f"pdf/scanned-{i}.pdf", data, "image-only pdf", "failed", "no text layer")
    put("pdf/blank-pages.pdf", make_pdf([b""] * 3), "blank pages", "failed", "no text layer")
    put("pdf/not-a-pdf.pdf", b"Just some words in a file called .pdf", "not a pdf", "failed", "PDF")
    put("pdf/header-only.pdf", b"%PDF-1.7\n", "header only", "failed", "PDF")

    # Empty, blank and binary files.
    for suffix in (".txt", ".md", ".html", ".htm", ".pdf", ".docx"):
        put(f"empty/zero{suffix}", b"", "0 bytes", "failed", "is empty (0 bytes)")
    for i, blank in enumerate((b" ", b"\n\n\n", b"\t \r\n \t", b"\xc2\xa0 \xe2\x80\x83")):
        put(f"empty/blank-{i}.txt", blank * 50, "whitespace only", "failed", "no text")
    put("empty/blank.md", b"   \n" * 100, "whitespace only", "failed", "no text")
    put("empty/blank.html", b"<html><body>   \n </body></html>", "blank html", "failed", "no text")
    for i in range(10):
        data = rng.randbytes(2048 + i * 512)
        put(f"binary/blob-{i}.txt", data, "binary under .txt", "failed", "not text")
    for i in range(3):
        put(f"binary/blob-{i}.md", rng.randbytes(4096), "binary under .md", "failed", "not text")
    for i in range(3):
        data = b"<html>" + rng.randbytes(4096)
        put(f"binary/blob-{i}.html", data, "binary under .html", "failed", "not text")
    put("binary/png.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(1000), "png", "failed", "not text")
    put("binary/elf.md", b"\x7fELF\x02\x01\x01" + bytes(500), "elf", "failed", "not text")

    # HTML without content, deeply nested, huge.
    for i, page in enumerate(
        (
            b"<html><head><title>No body</title></head></html>",
            b"<html><head><script>var x = 1;</script></head></html>",
            b"<!DOCTYPE html>",
            b"<html><body><script>alert(1)</script><style>p{}</style></body></html>",
            b"<html><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>",
        )
    ):
        put(f"html/nobody-{i}.html", page, "html without body text", "failed", "no text")
    for depth in (300, 2_000, 20_000, 200_000):
        page = ("<div>" * depth + "The motion was carried. " + "</div>" * depth).encode()
        put(f"html/nested-{depth}.htm", page, f"nested {depth} deep", "failed", "nested")
    m = marker()
    page = ("<div>" * 60 + " ".join(paragraphs(rng, m)) + "</div>" * 60).encode()
    put("html/nested-60.htm", page, "nested 60 deep", "indexed", mark=m)
    m = marker()
    filler = "".join(f"<p>Paragraph {i} of a very long page.</p>" for i in range(520_000))
    huge = f"<html><body><h1>Agenda {m}</h1>{filler}</body></html>".encode()
    assert len(huge) > 20 * 1024 * 1024
    put("html/huge-20mb.html", huge, "20 MB html", "failed", "limit")

    # Broken Word files.
    put("word/not-a-zip.docx", b"PK\x03\x04 not really a zip", "bad docx", "failed", "Word")
    put("word/random.docx", rng.randbytes(3000), "random docx", "failed", "Word")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr(zipfile.ZipInfo("hello.txt", (2020, 1, 1, 0, 0, 0)), "no document.xml")
    put("word/empty-zip.docx", zipped.getvalue(), "zip without document", "failed", "Word")
    good_docx = make_docx(paragraphs(rng, "unused"), "Cut")
    put("word/truncated.docx", good_docx[: len(good_docx) // 2], "truncated docx", "failed", "Word")

    # Bombs: each small on disk, each refused before a parser builds anything.
    put("bombs/image-1gib.docx", docx_image_bomb(good_docx, 1024**3), "docx, 1 GiB picture",
        "failed", "inflates")  # fmt: skip
    put("bombs/empty-paragraphs.docx", docx_empty_paragraphs(good_docx, 10_000_000),
        "docx, 10 M empty paragraphs", "failed", "zip bomb")  # fmt: skip
    put("bombs/many-paragraphs.docx", docx_many_paragraphs(good_docx, 40_000, rng),
        "docx, 40,000 paragraphs", "failed", "paragraphs")  # fmt: skip
    put("bombs/many-parts.docx", docx_many_parts(good_docx, 5000), "docx, 5,000 parts",
        "failed", "parts")  # fmt: skip
    put("bombs/bare-paragraphs.html", html_bare_paragraphs(5 * 1024 * 1024 - 1024),
        "html, 1.7 M bare <p>", "failed", "elements")  # fmt: skip

    # Unsupported files and files that are not papers are skipped; hidden files are ignored.
    for name in ("setup.exe", "budget.xlsx", "notes.rtf", "data.csv", "scan.tiff"):
        put(f"other/{name}", rng.randbytes(100), "unsupported", "skipped", "unsupported")
    for name in ("README", "README.md", "readme.txt", "LICENSE.txt", "CHANGELOG.md"):
        text = "\n\n".join(paragraphs(rng, "unused")).encode()
        put(f"other/{name}", text, "not a paper", "skipped", "not a paper")
    (root / "other" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "other" / "~$lock.docx").write_bytes(b"owner")

    # A manifest with missing columns, duplicates, bad dates, unknown and Unicode names.
    meta_dir = root / "manifest"
    meta_dir.mkdir(parents=True, exist_ok=True)
    rows = ["file,council,meeting_date"]  # title, committee and the rest are missing
    names = ["dated.txt", "bad-date.txt", "duplicate.txt", "Ünïcode náme.txt", "slash.txt"]
    for name in names:
        m = marker()
        put(f"manifest/{name}", "\n\n".join(paragraphs(rng, m)).encode(), "manifest", "indexed",
            mark=m)  # fmt: skip
    rows += [
        "dated.txt,Hostile County Council,2021-03-04",
        "bad-date.txt,Hostile County Council,2021-02-30",
        "duplicate.txt,First Council,31/12/2020",
        "duplicate.txt,Second Council,yesterday",
        "Ünïcode náme.txt,Ünïcode Council,2020-01-01",
        "../../etc/slash.txt,Path Council,2020-01-01",
        "missing.txt,Nobody Council,2020-01-01",
        ",,",
        "too,many,cells,here,and,more",
    ]
    (meta_dir / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    nocol = root / "manifest-nofile"
    nocol.mkdir(parents=True, exist_ok=True)
    (nocol / "manifest.csv").write_text("name,council\nx.txt,A\n", encoding="utf-8")
    m = marker()
    put("manifest-nofile/x.txt", "\n\n".join(paragraphs(rng, m)).encode(), "bad manifest",
        "indexed", mark=m)  # fmt: skip
    garbage = root / "manifest-binary"
    garbage.mkdir(parents=True, exist_ok=True)
    (garbage / "manifest.csv").write_bytes(b"\x00\xff" * 100)
    m = marker()
    put("manifest-binary/y.txt", "\n\n".join(paragraphs(rng, m)).encode(), "binary manifest",
        "indexed", mark=m)  # fmt: skip
    # A supersedes cycle: each of the three is indexed, and the newest stays current.
    cycle = root / "cycle"
    cycle.mkdir(parents=True, exist_ok=True)
    for name in ("rev-a.txt", "rev-b.txt", "rev-c.txt"):  # no markers: two are superseded
        text = "\n\n".join(paragraphs(rng, "unused")).encode()
        put(f"cycle/{name}", text, "supersedes cycle", "indexed")
    (cycle / "manifest.csv").write_text(
        "file,meeting_date,supersedes\nrev-a.txt,2021-01-01,rev-b.txt\n"
        "rev-b.txt,2022-01-01,rev-c.txt\nrev-c.txt,2020-01-01,rev-a.txt\n",
        encoding="utf-8",
    )
    return files


def add_odd_entries(root: Path) -> list[tuple[str, str]]:
    """Entries that are not files to read, under ``root / "odd"``: a FIFO (which would block
    a reader for ever), a link loop, a link back up, a broken link and a name that is not
    UTF-8.  Returns each one's path as ingest shows it and a phrase of its skip reason."""
    odd = root / "odd"
    odd.mkdir(parents=True, exist_ok=True)
    os.mkfifo(odd / "pipe.txt")
    (odd / "loop.txt").symlink_to(odd / "loop.txt")
    (odd / "back-up").symlink_to(root)
    (odd / "gone.pdf").symlink_to(odd / "nowhere.pdf")
    (odd / os.fsdecode(b"caf\xe9 minutes.txt")).write_bytes(b"The committee met.")
    return ODD_ENTRIES


ODD_ENTRIES = [
    ("odd/pipe.txt", "a FIFO"),
    ("odd/loop.txt", "symbolic link loop"),
    ("odd/back-up", "a link back to a folder above it"),
    ("odd/gone.pdf", "broken symbolic link"),
    ("odd/caf\\xe9 minutes.txt", "not valid UTF-8"),
]
