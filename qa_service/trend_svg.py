"""A trend drawn on the server as a small SVG: one line per council, each point a link.

No script and no chart library: the page stays readable with JavaScript off, and every
point links to the sentence its figure was read from (its ``<title>`` quotes the figure).
Flagged points (another unit or base) are not drawn.
"""

from __future__ import annotations

from datetime import date
from html import escape

from qa_service.schemas.precedent import TrendPointOut, TrendResponse, TrendSeries
from qa_service.web_views import long_date, passage_link

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
# Distinguishable with common colour-vision deficiencies (Okabe-Ito), dark enough on white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")


def _value(p: TrendPointOut) -> str:
    return f"{p.value:,.1f}".removesuffix(".0")


def render(series: list[TrendSeries], unit: str | None) -> str:
    """The SVG markup of the plotted points of each series ('' when nothing is plotted)."""
    plotted = [(s, [p for p in s.points if not p.flagged]) for s in series]
    plotted = [(s, pts) for s, pts in plotted if pts]
    everything = [p for _, pts in plotted for p in pts]
    if not everything:
        return ""
    days = [date.fromisoformat(p.date).toordinal() for p in everything]
    low_x, high_x = min(days), max(days)
    low_y, high_y = min(0.0, *(p.value for p in everything)), max(p.value for p in everything)
    span_x = max(high_x - low_x, 1)
    span_y = max(high_y - low_y, 1e-9) * 1.1

    def x(p: TrendPointOut) -> float:
        return LEFT + (date.fromisoformat(p.date).toordinal() - low_x) / span_x * (
            WIDTH - LEFT - RIGHT
        )

    def y(p: TrendPointOut) -> float:
        return HEIGHT - BOTTOM - (p.value - low_y) / span_y * (HEIGHT - TOP - BOTTOM)

    label = escape(unit or "")
    # a line per council needs a key saying which is which (colour alone said nothing)
    key, key_height = _legend([s.council or "Council not known" for s, _ in plotted])
    parts = [
        # a group, not role="img": an image's content is hidden from screen readers, and its
        # point links would be controls nested in it that a keyboard reaches but no one hears
        f'<svg class="cqa-trend" role="group" viewBox="0 0 {WIDTH} {HEIGHT + key_height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" aria-labelledby="trend-title">',
        f'<title id="trend-title">Figures stated in the papers over time ({label})</title>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#505a5f"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#505a5f"/>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end" font-size="12">'
        f"{escape(f'{low_y:,.0f}')}</text>",
        f'<text x="{LEFT - 6}" y="{TOP + 12}" text-anchor="end" font-size="12">'
        f"{escape(f'{high_y:,.0f}')} {label}</text>",
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="12">{date.fromordinal(low_x).year}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" text-anchor="end" font-size="12">'
        f"{date.fromordinal(high_x).year}</text>",
    ]
    for n, (s, pts) in enumerate(plotted):
        colour = COLOURS[n % len(COLOURS)]
        line = " ".join(f"{x(p):.1f},{y(p):.1f}" for p in pts)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        for p in pts:
            who = f"{s.council}, " if s.council else ""
            tip = escape(f"{who}{long_date(p.date)}: {p.value_text} — {p.text}")
            href = escape(passage_link(p.citation, p.citation.passage_id))
            parts.append(
                f'<a href="{href}" aria-label="{tip}">'
                f'<circle cx="{x(p):.1f}" cy="{y(p):.1f}" r="5" fill="{colour}">'
                f"<title>{tip}</title></circle></a>"
            )
    parts.extend(key)
    parts.append("</svg>")
    return "".join(parts)


KEY_ROW = 20  # px a row of the key takes under the axis labels


def _legend(names: list[str]) -> tuple[list[str], int]:
    """The key of a figure of several lines, rows of a colour sample and a council's name
    under the axis (its markup and height); none for one line."""
    if len(names) < 2:
        return [], 0
    out, x, row = [], LEFT, 0
    for n, name in enumerate(names):
        width = 30 + 7 * len(name)  # a sample and the name, at about 7 px a character
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, row = LEFT, row + 1
        y = HEIGHT + row * KEY_ROW + 8
        colour = COLOURS[n % len(COLOURS)]
        out.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 20}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="3"/><text x="{x + 25}" y="{y}" font-size="12">{escape(name)}</text>'
        )
        x += width + 15
    return out, (row + 1) * KEY_ROW


def figure(response: TrendResponse, council: str | None) -> str:
    """The SVG of a trend response: a line per council, or one line for ``council``."""
    return render(
        response.series or [TrendSeries(council=council, points=response.points)], response.unit
    )
