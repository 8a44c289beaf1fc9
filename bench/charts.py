"""Log–log SVG charts of time against size, one per stage, written without a plotting library.

A chart is a few dozen SVG elements: decade grid lines, one polyline with markers per side (kgpub and
its reference), a legend. Text goes through ``xml.sax.saxutils.escape`` because stage names and labels
are free text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 48, 56
COLOURS = {"kgpub": "#1b6ac9", "reference": "#d2691e"}


def _decades(lo: float, hi: float) -> tuple[int, int]:
    a = math.floor(math.log10(lo))
    b = math.ceil(math.log10(hi))
    return a, b if b > a else a + 1


def _fmt(value: float) -> str:
    if value >= 1:
        return f"{value:,.0f}"
    return f"{value:g}"


def series(doc: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    """(size, median seconds) per side, sizes ascending; failed or missing runs left out."""
    out: dict[str, list[tuple[int, float]]] = {}
    for size, entry in sorted(doc["sizes"].items(), key=lambda kv: int(kv[0])):
        for side in COLOURS:
            median = (entry.get(side) or {}).get("median_s")
            if median:
                out.setdefault(side, []).append((int(size), float(median)))
    return out


def chart(name: str, doc: dict[str, Any]) -> str:
    """The SVG text of one stage's chart (an empty frame with a note when nothing was measured)."""
    data = series(doc)
    points = [p for pts in data.values() for p in pts]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="15">'
        f"{escape(name)}: time against size</text>",
    ]
    if not points:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no measurements</text>')
        return "\n".join([*parts, "</svg>"]) + "\n"
    x0, x1 = _decades(min(p[0] for p in points), max(p[0] for p in points))
    first = min(points)  # the guide: a dashed line of slope one through the smallest run
    guide_end = max(p[0] for p in points)
    end_t = first[1] * guide_end / first[0]
    times = [p[1] for p in points] + [end_t]
    y0, y1 = _decades(min(times), max(times))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(size: float) -> float:
        return LEFT + (math.log10(size) - x0) / (x1 - x0) * plot_w

    def y(seconds: float) -> float:
        return TOP + plot_h - (math.log10(seconds) - y0) / (y1 - y0) * plot_h

    for d in range(x0, x1 + 1):
        xv = x(10**d)
        parts.append(f'<line x1="{xv:.1f}" y1="{TOP}" x2="{xv:.1f}" y2="{TOP + plot_h}" stroke="#ddd"/>')
        parts.append(f'<text x="{xv:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{_fmt(10**d)}</text>')
    for d in range(y0, y1 + 1):
        yv = y(10.0**d)
        parts.append(f'<line x1="{LEFT}" y1="{yv:.1f}" x2="{LEFT + plot_w}" y2="{yv:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{yv + 4:.1f}" text-anchor="end">{_fmt(10.0**d)} s</text>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    unit = escape(str(doc.get("unit", "items")))
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 14}" text-anchor="middle">size ({unit}, log)</text>'
    )
    parts.append(
        f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">'
        "median time (s, log)</text>"
    )
    if guide_end > first[0]:
        parts.append(
            f'<line class="linear" x1="{x(first[0]):.1f}" y1="{y(first[1]):.1f}" '
            f'x2="{x(guide_end):.1f}" y2="{y(end_t):.1f}" stroke="#999" stroke-dasharray="4 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot_w - 6}" y="{TOP + plot_h - 8}" text-anchor="end" fill="#777">'
            "dashed: time ∝ size</text>"
        )
    for i, (side, pts) in enumerate(data.items()):
        colour = COLOURS[side]
        coords = " ".join(f"{x(s):.1f},{y(t):.1f}" for s, t in pts)
        parts.append(
            f'<polyline class="{side}" points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for s, t in pts:
            parts.append(
                f'<circle cx="{x(s):.1f}" cy="{y(t):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(f'{side}: {s:,} {unit} in {t:.4g} s')}</title></circle>"
            )
        label = str(doc.get(f"{side}_label") or side)
        ly = TOP + 16 + 18 * i
        parts.append(
            f'<line x1="{LEFT + 12}" y1="{ly - 4}" x2="{LEFT + 36}" y2="{ly - 4}" stroke="{colour}" '
            'stroke-width="2"/>'
        )
        parts.append(f'<text x="{LEFT + 42}" y="{ly}" data-side={quoteattr(side)}>{escape(label)}</text>')
    return "\n".join([*parts, "</svg>"]) + "\n"


def write_charts(results: dict[str, Any], out_dir: Path) -> list[Path]:
    """One ``<stage>.svg`` per stage in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in results["stages"].items():
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        path = out_dir / f"{safe}.svg"
        path.write_text(chart(name, doc), encoding="utf-8")
        written.append(path)
    return written
