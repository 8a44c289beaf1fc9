"""schema.org JSON-LD embedded in every page, generated from the same triples as the RDF document.

Only schema.org statements (and types) go in: about the entity itself, and the names and types of
the entities it links to. The context is inline (``@vocab``), so a JSON-LD processor needs no
network to read it. ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc. so that no literal can
close the ``<script>`` element it sits in.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from kgpub.web import iris
from kgpub.web.describe import Description

_LABELS = {iris.SCHEMA + "name"}


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dtype = term.datatype.value if term.datatype else iris.XSD + "string"
        if dtype == iris.XSD + "string":
            return term.value
        return {"@value": term.value, "@type": dtype}
    return None


def _key(predicate: str) -> str:
    return predicate[len(iris.SCHEMA) :] if predicate.startswith(iris.SCHEMA) else predicate


def _type(iri: str) -> str:
    return iri[len(iris.SCHEMA) :] if iri.startswith(iris.SCHEMA) else iri


def selected(desc: Description) -> list[ox.Triple]:
    """The triples the JSON-LD holds (tests compare them with the RDF document)."""
    out = []
    for t in desc.triples:
        pred, subj = t.predicate.value, t.subject.value
        if isinstance(t.object, ox.BlankNode) or not isinstance(t.subject, ox.NamedNode):
            continue
        is_type = pred == iris.RDF + "type" and t.object.value.startswith(iris.SCHEMA)
        if (subj == desc.iri and (pred.startswith(iris.SCHEMA) or is_type)) or (
            subj != desc.iri and (pred in _LABELS or is_type)
        ):
            out.append(t)
    return out


def document(desc: Description) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    for t in selected(desc):
        subject = str(t.subject.value)  # type: ignore[union-attr]
        node = nodes.setdefault(subject, {"@id": subject})
        if t.predicate.value == iris.RDF + "type":
            node.setdefault("@type", []).append(_type(t.object.value))  # type: ignore[union-attr]
        else:
            node.setdefault(_key(t.predicate.value), []).append(_value(t.object))  # type: ignore[arg-type]
    main = nodes.pop(desc.iri, {"@id": desc.iri})
    return {"@context": {"@vocab": iris.SCHEMA}, "@graph": [main, *nodes.values()]}


def embed(desc: Description) -> Markup:
    text = json.dumps(document(desc), ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # noqa: S704 - JSON with <, >, & escaped; safe inside <script type=ld+json>
