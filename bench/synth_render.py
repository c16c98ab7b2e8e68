"""Render a synthetic paper's blocks as plain text, a council web page, or a PDF report.

Block kinds: ``title`` (a cover line), ``h1`` (a numbered agenda item or section), ``p``
(a paragraph) and ``li`` (a list item, which follows its lead-in line directly).
The web page wraps the content in the furniture that council meeting sites publish (cookie
banner, navigation, breadcrumbs, footer), which the HTML loader must drop; the PDF carries a
running header and a page footer, which the PDF loader must drop.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.models import DocMeta

# A fixed creation date keeps PDF bytes identical from run to run.
PDF_DATE = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Block:
    """One piece of a paper's body."""

    kind: str  # title | h1 | p | li
    text: str


def render_text(blocks: Sequence[Block]) -> str:
    """Plain text: blank lines between blocks, list items on the lines under their lead-in."""
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n" if block.kind == "li" else "\n\n")
        parts.append(block.text)
    parts.append("\n")
    return "".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>{title} | {council}</title>
</head>
<body>
  <div id="cookie-banner" class="cookie-banner" role="region" aria-label="Cookies">
    <h2>Cookies on our website</h2>
    <p>We use some essential cookies to make this website work.</p>
    <button type="button">Accept analytics cookies</button>
  </div>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header">
    <a class="logo" href="{home}">{council}</a>
    <form class="site-search" action="{home}search" role="search">
      <label for="q">Search this site</label><input type="search" id="q" name="q">
    </form>
    <nav class="primary-nav" aria-label="Main menu"><ul>
      <li><a href="{home}bins">Bins, recycling and waste</a></li>
      <li><a href="{home}democracy">Council and democracy</a></li>
      <li><a href="{home}social-care">Social care and health</a></li>
    </ul></nav>
  </header>
  <nav class="breadcrumb" aria-label="Breadcrumb"><ol>
    <li><a href="{home}">Home</a></li><li><a href="{home}democracy">Meetings</a></li>
    <li>{committee}</li>
  </ol></nav>
  <main id="main">
{body}
  </main>
  <footer class="site-footer"><ul>
    <li><a href="{home}accessibility">Accessibility</a></li>
    <li><a href="{home}privacy">Privacy</a></li>
    <li>&copy; {council}</li>
  </ul></footer>
</body>
</html>
"""


def render_html(blocks: Sequence[Block], meta: DocMeta) -> str:
    """A meeting page as a council's committee site publishes it."""
    lines: list[str] = []
    in_list = False
    titles = 0
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "li":
            if not in_list:
                lines.append("    <ul>")
                in_list = True
            lines.append(f"      <li>{html.escape(block.text.removeprefix('- '))}</li>")
            continue
        if in_list:
            lines.append("    </ul>")
            in_list = False
        if block.kind == "title":
            tag = 'h1 class="mgMainTitleTxt"' if titles == 0 else 'h2 class="mgSubTitleTxt"'
            lines.append(f"    <{tag}>{text}</{tag.split()[0]}>")
            titles += 1
        elif block.kind == "h1":
            lines.append(f"    <h3>{text}</h3>")
        else:
            lines.append(f"    <p>{text}</p>")
    if in_list:
        lines.append("    </ul>")
    council = meta.council or ""
    home = (meta.source_url or "https://example.gov.uk/").split("ieList")[0]
    return _PAGE.format(
        title=html.escape(meta.title or ""),
        council=html.escape(council),
        committee=html.escape(meta.committee or ""),
        home=html.escape(home),
        body="\n".join(lines),
    )


def render_pdf(blocks: Sequence[Block], meta: DocMeta) -> bytes:
    """An officer's report as a PDF, with a running header and a page footer."""
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("PDF output needs fpdf2: pip install -e '.[bench]'") from exc

    running = f"{meta.council or ''} - {meta.committee or ''}"

    class _Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, running, new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    pdf = _Report(format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for block in blocks:
        if block.kind == "title":
            pdf.set_font("Helvetica", style="B", size=13)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "h1":
            pdf.ln(3)
            pdf.set_font("Helvetica", style="B", size=11)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "li":
            pdf.set_font("Helvetica", size=10)
            pdf.set_x(pdf.l_margin + 6)
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
