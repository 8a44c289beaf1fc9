"""How RDF terms read on a page: dates with their precision, identifiers, entity links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from kgpub.records import MONTH_NAMES
from kgpub.web import iris
from kgpub.web.describe import Description
from kgpub.web.security import template_value


@dataclass(frozen=True)
class Link:
    """Something to show as a link if it may be one: ``href`` is None when it must stay text."""

    label: str
    href: str | None
    iri: str = ""
    kind: str | None = None


@dataclass(frozen=True)
class DateValue:
    text: str
    precision: str  # day | month | year | unknown
    iso: str


def date_value(term: ox.Literal | ox.NamedNode | None) -> DateValue | None:
    """``2022-05`` as gYearMonth reads "May 2022 (month)"; precision is never invented."""
    if not isinstance(term, ox.Literal):
        return None
    raw = term.value.strip()
    dtype = term.datatype.value if term.datatype else ""
    try:
        if dtype == iris.XSD + "gYear" or (len(raw) == 4 and raw.isdigit()):
            return DateValue(raw, "year", raw)
        if dtype == iris.XSD + "gYearMonth" or (len(raw) == 7 and raw[4] == "-"):
            year, month = raw[:4], int(raw[5:7])
            return DateValue(f"{MONTH_NAMES[month - 1]} {year}", "month", raw[:7])
        day = date.fromisoformat(raw[:10])
        return DateValue(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", "day", raw[:10])
    except (ValueError, IndexError):
        return DateValue(raw, "unknown", raw)


def entity_link(desc: Description | None, iri: str, fallback: str | None = None) -> Link:
    label = (desc.label(iri) if desc else None) or fallback or iris.compact(iri)
    href, kind = iris.link_and_kind(iri)
    return Link(label, href, iri, kind)


def _attr(link: Any, name: str) -> Any:
    """``link.name`` as a template reads it: attribute, else item, else empty (Jinja's Undefined)."""
    try:
        return getattr(link, name)
    except AttributeError:
        try:
            return link[name]
        except (TypeError, LookupError):
            return ""


def link_html(link: Any) -> Markup:
    """A link as pages show it (``m.link`` in the templates, ``_macros.html``): an anchor when its
    href is safe, else plain text. Python rather than a Jinja macro, which costs ten times as
    much per call and a page has a hundred links; each value goes through the same ``finalize``
    and escaping as a template's ``{{ … }}``, so the markup is the macro's, byte for byte."""
    label = template_value(_attr(link, "label"))
    href = iris.safe_href(_attr(link, "href"))
    if href:
        kind = _attr(link, "kind")
        cls = f' class="k-{template_value(kind)}"' if kind else ""
        return Markup(f'<a href="{template_value(href)}"{cls}>{label}</a>')  # noqa: S704 - escaped above
    return Markup(f'<span class="nolink">{label}</span>')  # noqa: S704 - escaped above


def identifier_link(iri: str) -> Link:
    """arXiv and DOI IRIs read as their identifiers; any other IRI as itself (linked only if safe)."""
    for prefix, shown in (
        ("https://arxiv.org/abs/", "arXiv:"),
        ("http://arxiv.org/abs/", "arXiv:"),
        ("https://doi.org/", "doi:"),
        ("http://dx.doi.org/", "doi:"),
    ):
        if iri.startswith(prefix):
            return Link(shown + iri[len(prefix) :], iris.safe_href(iri), iri, "identifier")
    return Link(iri, iris.safe_href(iri), iri, "identifier")


def term_display(desc: Description | None, term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Link:
    """A value cell of a statements table."""
    if isinstance(term, ox.NamedNode):
        return entity_link(desc, term.value)
    if isinstance(term, ox.Literal):
        shown = term.value
        if term.language:
            shown += f" @{term.language}"
        return Link(shown, None)
    return Link("(anonymous node)", None)


def literal_text(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def is_true(term: ox.NamedNode | ox.Literal | None) -> bool:
    return isinstance(term, ox.Literal) and term.value.strip().lower() in ("true", "1")
