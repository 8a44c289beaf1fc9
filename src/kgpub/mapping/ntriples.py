"""N-Triples / N-Quads term writing: the one place that turns Python values into RDF text.

Text is the fast path into pyoxigraph (``Store.load`` of N-Triples beats building ``Quad`` objects),
so correctness of escaping is everything: a literal may hold any character a source holds, an IRI
built from a template may receive characters IRIs do not allow. Lone surrogates (which cannot be
written as UTF-8) become U+FFFD.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

_LITERAL_SPECIAL = re.compile(r'[\\"\n\r]')
_LITERAL_MAP = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
# IRIREF forbids these (RDF 1.1 N-Triples grammar); anything else is allowed as UTF-8 text
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def escape_literal_text(text: str) -> str:
    """The inside of a ``"..."`` literal."""
    if not text.isascii():
        text = _clean(text)
    if _LITERAL_SPECIAL.search(text) is None:
        return text
    return _LITERAL_SPECIAL.sub(_literal_escape, text)


def _literal_escape(m: re.Match[str]) -> str:
    return _LITERAL_MAP[m.group()]


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    """``"text"``, ``"text"@lang`` or ``"text"^^<datatype>`` (xsd:string is written plain)."""
    body = '"' + escape_literal_text(text) + '"'
    if lang:
        return body + "@" + lang
    if datatype and datatype != XSD_STRING:
        return body + "^^<" + datatype + ">"
    return body


def iri(value: str) -> str:
    """``<value>``, percent-encoding the characters an IRIREF may not hold."""
    value = _clean(value)
    if _IRI_BAD.search(value) is not None:
        value = _IRI_BAD.sub(lambda m: quote(m.group(), safe=""), value)
    return "<" + value + ">"


def iri_segment(value: str) -> str:
    """A value placed into an IRI template (a DOI, an arXiv id): '#', '?', '%', brackets and spaces
    encoded, '/' kept, so ``https://doi.org/{doi}`` stays one resolvable IRI."""
    return quote(_clean(value), safe="/:;()@!$&'*+,=~")


def checked_iri(value: str) -> str:
    """``<value>`` for an IRI a source gave (a profile URL): validated by pyoxigraph; when invalid,
    percent-encoded once more; raises ValueError when it still is not an absolute IRI."""
    value = _clean(value)
    try:
        ox.NamedNode(value)
    except ValueError:
        # one '#' starts the fragment; any later '#' is data and must be encoded (found by fuzzing)
        head, hash_, fragment = value.partition("#")
        safe = "/:?@!$&'()*+,;=~"
        value = quote(head, safe=safe) + hash_ + quote(fragment, safe=safe)
        ox.NamedNode(value)  # raises ValueError: the caller reports the field
    return "<" + value + ">"


def boolean(value: bool) -> str:
    return (
        '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
        if value
        else ('"false"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    )


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD}integer>'


def decimal(value: float) -> str:
    """xsd:decimal has no exponent, NaN or infinity: the shortest repr written positionally.
    Raises ValueError for NaN and infinities (the caller reports them)."""
    if not math.isfinite(value):
        raise ValueError(f"not a decimal: {value!r}")
    text = format(Decimal(repr(float(value))), "f")
    if "." not in text:
        text += ".0"
    return f'"{text}"^^<{XSD}decimal>'
