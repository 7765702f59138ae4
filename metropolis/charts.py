"""SVG charts drawn by the portal itself (no external service), for the staff
pages and the PDF reports. Every function returns an SVG document as a string;
text is escaped."""

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import get_language

# The reports' body font (it covers Chinese and Latin), so that a chart never
# falls back to a generic face (DejaVu, or Noto Sans CJK JP's glyph shapes).
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans, sans-serif"

PALETTE = ["#e4003a", "#1d1d1b", "#8c8c8c", "#f28ca4", "#5b5b5b", "#c2c2c2"]


def _fmt(value: Decimal | float | int | None) -> str:
    """A value as the active language writes it (decimal mark, grouping)."""
    if value is None:
        return "–"
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


# A space that does not break before the percent sign in French and Spanish (CLDR).
_PERCENT_SIGN = {"fr": "\u202f%", "es": "\u00a0%"}


def _percent(value: Decimal | float | int | None) -> str:
    return _fmt(value) + _PERCENT_SIGN.get((get_language() or "en")[:2], "%")


def _text_width(text: str, size: int = 12) -> float:
    """Approximate width of ``text`` in pixels: CJK characters are about a full
    em wide, Latin ones about half."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.55 for char in text)


def bar_chart(
    items: Sequence[tuple[str, Decimal | float | int | None]],
    *,
    title: str = "",
    width: int = 480,
    bar_height: int = 22,
    suffix: str = "",
) -> str:
    """Horizontal bars, one per (label, value)."""
    # Room for the longest label, within reason.
    label_width = min(
        max(80, int(max((_text_width(str(label)) for label, _v in items), default=60)) + 12), int(width * 0.6)
    )
    top = 28 if title else 6
    height = top + len(items) * (bar_height + 8) + 6
    largest = max((float(v) for _label, v in items if v is not None), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT_FAMILY}">'
    ]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
    span = width - label_width - 60
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + 8)
        length = 0 if value is None else max(1.0, span * float(value) / largest)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" font-size="12" text-anchor="end">'
            f"{escape(str(label))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12">'
            f"{escape(_percent(value) if suffix == '%' else _fmt(value) + suffix)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def by_magnitude(
    items: Sequence[tuple[str, Decimal | float | int | None]], *, ratio: float = 10
) -> list[list[tuple[str, Decimal | float | int | None]]]:
    """``items`` split into groups that can share a bar chart without one bar
    hiding the others: largest first, a group takes values down to ``1/ratio``
    of its largest (and zeros). Items without a value are left out: a bar
    chart would draw nothing for them."""
    present = sorted(
        ((label, value) for label, value in items if value is not None), key=lambda item: -float(item[1] or 0)
    )
    groups: list[list[tuple[str, Decimal | float | int | None]]] = []
    largest = 0.0
    for label, value in present:
        size = float(value or 0)
        if groups and (size == 0 or size * ratio >= largest):
            groups[-1].append((label, value))
        else:
            groups.append([(label, value)])
            largest = size
    return groups


def share_bar(
    parts_: Sequence[tuple[str, Decimal | float | int | None]], *, title: str = "", width: int = 480
) -> str:
    """One stacked bar of shares (e.g. women and men), with a legend."""
    total = sum(float(v) for _label, v in parts_ if v is not None) or 1
    top = 28 if title else 4
    height = top + 30 + 22 * len(parts_)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT_FAMILY}">'
    ]
    if title:
        out.append(f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
    x = 0.0
    for index, (_label, value) in enumerate(parts_):
        w = 0 if value is None else width * float(value) / total
        out.append(
            f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="22" fill="{PALETTE[index % len(PALETTE)]}"></rect>'
        )
        x += w
    for index, (label, value) in enumerate(parts_):
        y = top + 30 + 22 * index
        out.append(
            f'<rect x="0" y="{y}" width="14" height="14" fill="{PALETTE[index % len(PALETTE)]}"></rect>'
        )
        out.append(
            f'<text x="20" y="{y + 12}" font-size="12">{escape(str(label))}: {escape(_percent(value))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    series: Sequence[tuple[int, Decimal | float | int | None]],
    *,
    title: str = "",
    width: int = 320,
    height: int = 160,
) -> str:
    """Values over years (e.g. an indicator's evolution since 2018); gaps where a year has no value."""
    top, bottom, left, right = (28 if title else 8), 24, 36, 16
    known = [float(v) for _year, v in series if v is not None]
    largest = max(known, default=0) or 1
    years = [year for year, _v in series]
    first, last = (min(years), max(years)) if years else (0, 1)
    span_x = max(last - first, 1)

    def point(year: int, value: float) -> tuple[float, float]:
        px = left + (width - left - right) * (year - first) / span_x
        py = height - bottom - (height - top - bottom) * value / largest
        return px, py

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT_FAMILY}">'
    ]
    if title:
        out.append(f'<text x="0" y="18" font-size="13" font-weight="bold">{escape(title)}</text>')
    out.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#8c8c8c"></line>'
    )
    points = [point(year, float(v)) for year, v in series if v is not None]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"></polyline>'
        )
    for year, value in series:
        x, _y = point(year, 0)
        out.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{year}</text>')
        if value is not None:
            px, py = point(year, float(value))
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{PALETTE[0]}"></circle>')
            out.append(
                f'<text x="{px:.1f}" y="{py - 8:.1f}" font-size="11" text-anchor="middle">{escape(_fmt(value))}</text>'
            )
    out.append("</svg>")
    return "".join(out)
