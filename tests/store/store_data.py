"""Synthetic N-Triples for store tests: small works with authors, typed, with tricky literals."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

SCHEMA = "http://schema.org/"
EX = "http://example.org/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
WORK = ox.NamedNode(SCHEMA + "ScholarlyArticle")
PERSON = ox.NamedNode(SCHEMA + "Person")
NAME = ox.NamedNode(SCHEMA + "name")
AUTHOR = ox.NamedNode(SCHEMA + "author")
DATE = ox.NamedNode(SCHEMA + "datePublished")
XSD_GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


def work_triples(source: str, n: int, *, title: str = "Title") -> list[ox.Triple]:
    """``n`` works of one source, each with a title, a year and one author."""
    out: list[ox.Triple] = []
    for i in range(n):
        work = ox.NamedNode(f"{EX}work/{source}-{i}")
        person = ox.NamedNode(f"{EX}person/{source}-{i}")
        out += [
            ox.Triple(work, RDF_TYPE, WORK),
            ox.Triple(work, NAME, ox.Literal(f"{title} {i} of {source}")),
            ox.Triple(work, DATE, ox.Literal(str(2000 + i % 20), datatype=XSD_GYEAR)),
            ox.Triple(work, AUTHOR, person),
            ox.Triple(person, RDF_TYPE, PERSON),
            ox.Triple(person, NAME, ox.Literal(f"Author {i}")),
        ]
    return out


TRICKY = [
    ox.Triple(
        ox.NamedNode(EX + "work/tricky"), NAME, ox.Literal('say "hi"\nnew line\ttab \\ back', language="en")
    ),
    ox.Triple(ox.NamedNode(EX + "work/tricky"), NAME, ox.Literal("Ünïcödé ✓ 𝄞", language="de")),
    ox.Triple(ox.NamedNode(EX + "work/été"), NAME, ox.Literal("IRI with non-ASCII")),
    ox.Triple(ox.NamedNode(EX + "work/tricky"), AUTHOR, ox.BlankNode("b1")),
    ox.Triple(ox.BlankNode("b1"), NAME, ox.Literal("anonymous")),
]


def ntriples(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def graph_iri(name: str) -> str:
    return f"{EX}graph/{name}"


def quads_of(graphs: dict[str, str]) -> set[str]:
    """Canonical strings of the quads the graphs hold (blank node labels erased)."""
    out = set()
    for graph, text in graphs.items():
        for t in ox.parse(text, ox.RdfFormat.N_TRIPLES):
            out.add(canonical(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))))
    return out


def canonical(quad: ox.Quad) -> str:
    parts = [quad.subject, quad.predicate, quad.object, quad.graph_name]
    return " ".join("_:" if isinstance(p, ox.BlankNode) else str(p) for p in parts)


def canonical_triple(triple: ox.Triple) -> str:
    parts = [triple.subject, triple.predicate, triple.object]
    return " ".join("_:" if isinstance(p, ox.BlankNode) else str(p) for p in parts)


def triples_of(text: str) -> set[str]:
    return {canonical_triple(t) for t in ox.parse(text, ox.RdfFormat.N_TRIPLES)}
