"""The neighbourhood picture: the entity in the middle, its neighbours on an ellipse, drawn as SVG.

Server-side so that it needs no JavaScript and passes the CSP; every label is escaped and every
link goes through ``safe_href``. Colours come from classes styled in site.css (the CSP forbids
inline style), with presentation attributes as a fallback.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import markupsafe
from markupsafe import Markup

from kgpub.web.iris import safe_href
from kgpub.web.render.values import Link
from kgpub.web.security import visible_controls


def escape(text: object) -> Markup:
    """HTML-escaped, with bidirectional controls made visible (see kgpub.web.security)."""
    return markupsafe.escape(visible_controls(str(text)))


WIDTH, HEIGHT = 880, 420
MAX_NODES = 24
_FILL = {"person": "#3b6ea8", "work": "#b5562b", "topic": "#2f8a57", "organization": "#7a4fa0"}


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node(
    x: float, y: float, r: float, link: Link, anchor: str, label_dy: float, center: bool = False
) -> str:
    kind = link.kind or "other"
    fill = _FILL.get(kind, "#666666")
    cls = "nb-node nb-center" if center else f"nb-node nb-{escape(kind)}"
    title = escape(link.label)
    shape = (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" class="nb-dot"/>'
        f'<text x="{x:.1f}" y="{y + label_dy:.1f}" text-anchor="{anchor}" class="nb-label">'
        f"{escape(_short(link.label, 48 if center else 26))}</text>"
    )
    body = f'<g class="{cls}"><title>{title}</title>{shape}</g>'
    href = safe_href(link.href) if link.href else None
    if href and not center:
        return f'<a href="{escape(href)}">{body}</a>'
    return body


def neighbourhood(title: str, kind: str, neighbours: Sequence[Link]) -> Markup:
    """SVG markup; the neighbours are deduplicated by IRI and capped at MAX_NODES."""
    seen: set[str] = set()
    nodes: list[Link] = []
    for link in neighbours:
        key = link.iri or link.label
        if key and key not in seen:
            seen.add(key)
            nodes.append(link)
    nodes = nodes[:MAX_NODES]
    cx, cy = WIDTH / 2, HEIGHT / 2
    rx, ry = WIDTH / 2 - 220, HEIGHT / 2 - 60
    edges, dots = [], []
    count = len(nodes)
    for i, link in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        edges.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'class="nb-edge nb-edge-{escape(link.kind or "other")}"'
            f' stroke="#b8bcc4" stroke-width="1.2"/>'
        )
        cos = math.cos(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        dy = -12 if math.sin(angle) < -0.5 else 20 if math.sin(angle) > 0.5 else 4
        label_x = x + (10 if anchor == "start" else -10 if anchor == "end" else 0)
        dots.append(_node_at(label_x, x, y, link, anchor, dy))
    center = _node(cx, cy, 14, Link(title, None, "", kind), "middle", 34, center=True)
    legend = "".join(
        f'<g class="nb-legend"><circle cx="{16 + 110 * i}" cy="{HEIGHT - 14}" r="5" fill="{fill}"/>'
        f'<text x="{26 + 110 * i}" y="{HEIGHT - 10}" class="nb-legend-label">{name}</text></g>'
        for i, (name, fill) in enumerate(_FILL.items())
    )
    empty = (
        ""
        if nodes
        else (
            f'<text x="{cx:.1f}" y="{cy + 60:.1f}" text-anchor="middle" class="nb-empty">'
            "no linked entities</text>"
        )
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="neighbourhood" '
        f'role="img" aria-label="{escape("Neighbourhood of " + title)}" data-nodes="{count}">'
        f"<title>{escape('Neighbourhood of ' + title)}</title>"
        f'<g class="nb-edges">{"".join(edges)}</g><g class="nb-nodes">{"".join(dots)}{center}</g>'
        f"{empty}{legend}</svg>"
    )
    return Markup(svg)  # noqa: S704 - every interpolated text above is escaped


def _node_at(label_x: float, x: float, y: float, link: Link, anchor: str, dy: float) -> str:
    """A neighbour: the dot at (x, y), its label beside it."""
    kind = link.kind or "other"
    fill = _FILL.get(kind, "#666666")
    body = (
        f'<g class="nb-node nb-{escape(kind)}"><title>{escape(link.label)}</title>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{fill}" class="nb-dot"/>'
        f'<text x="{label_x:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" class="nb-label">'
        f"{escape(_short(link.label))}</text></g>"
    )
    href = safe_href(link.href) if link.href else None
    return f'<a href="{escape(href)}">{body}</a>' if href else body
