"""The RDF description of one entity, as served in its data documents and read by its HTML page.

What a client gets in one request: the entity's own statements; its authorship nodes (in byline
order, each with its position); the statements that point at it (bounded: a topic may have 100k
works); labels and types of every linked entity, so links can be rendered without a second request;
and a description of the document itself (``foaf:primaryTopic``, the sources it was derived from,
the dataset it belongs to). Blank nodes are filtered out everywhere: they would not survive a
round trip and their labels would leak internal identities.

Every query binds the entity with ``substitutions``. The only text ever put into a query is an
integer limit and IRIs the store itself returned, serialised by pyoxigraph (``str(NamedNode)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgpub.store import Store
from kgpub.web import iris, settings
from kgpub.web.listings import cached

MAX_INCOMING = 2000
MAX_MENTIONS = 10_000

_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#> " \
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#> " \
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> " \
     "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"  # fmt: skip

EXISTS = _P + "ASK { { $e ?p ?o } UNION { ?s ?p $e } }"
MERGED = _P + "SELECT $e ?to WHERE { $e kgpub:mergedInto ?to FILTER(isIRI(?to)) } ORDER BY ?to LIMIT 1"

OWN = (
    _P
    + """CONSTRUCT { $e ?p ?o . ?a ?ap ?ao . ?s ?sp $e }
WHERE {
  { $e ?p ?o FILTER(!isBlank(?o)) }
  UNION { $e kgpub:authorship ?a . ?a ?ap ?ao FILTER(isIRI(?a) && !isBlank(?ao)) }
  UNION { { SELECT DISTINCT $e ?s ?sp WHERE { ?s ?sp $e FILTER(isIRI(?s)) } LIMIT %d } }
}"""
)

# labels of the linked entities: their IRIs (collected from OWN's answer) go in a VALUES block,
# written with NamedNode's own serialisation, so no text from outside reaches the query
LABELS = (
    _P
    + """CONSTRUCT { ?x ?p ?o } WHERE { VALUES ?x { %s } ?x ?p ?o
  FILTER(?p IN (schema:name, skos:prefLabel, skos:notation, rdf:type, kgpub:mergedInto, kgpub:fileName,
                kgpub:printedName, kgpub:position)
         && !isBlank(?o)) }"""
)

GRAPHS = _P + "SELECT DISTINCT $e ?g WHERE { GRAPH ?g { $e ?p ?o } } ORDER BY ?g"
# the same, sorted in Python: pyoxigraph's ORDER BY costs more than the lookup (0.07 of 0.12 ms)
GRAPHS_UNORDERED = _P + "SELECT DISTINCT $e ?g WHERE { GRAPH ?g { $e ?p ?o } }"
SOURCE_OF_GRAPH = (
    _P
    + """SELECT $g ?src WHERE { { $g prov:wasDerivedFrom ?src } UNION { ?src kgpub:namedGraph $g }
  FILTER(isIRI(?src)) } LIMIT 1"""
)
GRAPH_OF_SOURCE = (
    _P
    + """SELECT $e ?g WHERE { { ?g prov:wasDerivedFrom $e } UNION { $e kgpub:namedGraph ?g }
  FILTER(isIRI(?g)) } LIMIT 1"""
)
MENTIONS = (
    _P + """SELECT DISTINCT $g ?s WHERE { GRAPH $g { ?s a ?t } FILTER(isIRI(?s)) } LIMIT 10000"""
)


@dataclass
class Description:
    iri: str
    triples: list[ox.Triple] = field(default_factory=list)
    sources: list[tuple[str, str | None]] = field(default_factory=list)  # (graph, source document IRI)
    incoming_bound: int | None = None  # the LIMIT on statements pointing at the entity, when bounded

    _index: dict[tuple[str, str], list[ox.NamedNode | ox.Literal]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)

    def objects(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.Literal]:
        """Objects in triple order. A page asks thousands of these: an index built once (again
        if triples were added or reordered since) instead of a scan of every triple per call."""
        if self._indexed != len(self.triples):
            self._index = {}
            for t in self.triples:
                key = (t.subject.value, t.predicate.value)  # type: ignore[union-attr]
                self._index.setdefault(key, []).append(t.object)  # type: ignore[arg-type]
            self._indexed = len(self.triples)
        return list(self._index.get((subject, predicate), ()))

    def first(self, subject: str, predicate: str) -> ox.NamedNode | ox.Literal | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def label(self, iri: str) -> str | None:
        for pred in (
            iris.SCHEMA + "name",
            iris.SKOS + "prefLabel",
            iris.RDFS + "label",
            iris.KGPUB + "fileName",
            iris.SKOS + "notation",
        ):
            value = self.first(iri, pred)
            if value is not None:
                return value.value
        printed = self.first(iri, iris.KGPUB + "printedName")
        if printed is not None:  # an authorship slot reads as its place in the byline
            position = self.first(iri, iris.KGPUB + "position")
            return f"#{position.value} {printed.value}" if position is not None else printed.value
        return None

    def neighbours_complete(self) -> bool:
        """Whether every IRI linked to or from the entity is here (the incoming bound was not hit,
        and :func:`describe` fetched the types of all of them): a page may then rule out a kind of
        neighbour from these types alone, without a query."""
        if self.incoming_bound is None:
            return True
        node = ox.NamedNode(self.iri)
        incoming = {(t.subject, t.predicate) for t in self.triples if t.object == node}
        return len(incoming) < self.incoming_bound

    def types(self, iri: str) -> list[str]:
        return sorted(o.value for o in self.objects(iri, iris.RDF + "type"))


def exists(store: Store, iri: str) -> bool:
    return bool(store.query(EXISTS, substitutions={"e": ox.NamedNode(iri)}))


def merged_into(store: Store, iri: str) -> str | None:
    for row in store.query(MERGED, substitutions={"e": ox.NamedNode(iri)}):
        return str(row["to"].value)
    return None


def source_graphs(store: Store, iri: str) -> list[tuple[str, str | None]]:
    """Named graphs stating something about ``iri``, with the source document each came from."""
    node = ox.NamedNode(iri)
    graphs = [row["g"] for row in store.query(GRAPHS_UNORDERED, substitutions={"e": node})]
    if all(isinstance(g, ox.NamedNode) for g in graphs):  # IRIs: SPARQL orders them as strings
        names = sorted(g.value for g in graphs)
    else:  # a blank graph name (not in kgpub's model): the engine's own order
        names = [row["g"].value for row in store.query(GRAPHS, substitutions={"e": node})]
    return [(graph, source_of_graph(store, graph)) for graph in names]


def source_of_graph(store: Store, graph: str) -> str | None:
    """Memoised per snapshot: a page asks it for each of its graphs, and graphs are few (one per
    source file) while pages are many."""
    memo: dict[str, str | None] = cached("source-of-graph", store, dict)
    if graph not in memo:
        memo[graph] = _source_of_graph(store, graph)
    return memo[graph]


def _source_of_graph(store: Store, graph: str) -> str | None:
    for row in store.query(SOURCE_OF_GRAPH, substitutions={"g": ox.NamedNode(graph)}):
        return str(row["src"].value)
    prefix = iris.base() + "graph/source/"
    return iris.base() + "id/source/" + graph[len(prefix) :] if graph.startswith(prefix) else None


def graph_of_source(store: Store, source: str) -> str | None:
    for row in store.query(GRAPH_OF_SOURCE, substitutions={"e": ox.NamedNode(source)}):
        return str(row["g"].value)
    prefix = iris.base() + "id/source/"
    return iris.base() + "graph/source/" + source[len(prefix) :] if source.startswith(prefix) else None


def describe(store: Store, iri: str, incoming: int = MAX_INCOMING) -> Description:
    """``incoming`` bounds the statements pointing at the entity (a page lists those itself, paged)."""
    node = ox.NamedNode(iri)
    desc = Description(iri, incoming_bound=max(0, int(incoming)))
    seen: set[ox.Triple] = set()
    for triple in store.query(OWN % max(0, int(incoming)), substitutions={"e": node}):
        if triple not in seen:
            seen.add(triple)
            desc.triples.append(triple)
    if iri.startswith(iris.base() + "id/source/"):
        graph = graph_of_source(store, iri)
        if graph is not None:
            mentions = ox.NamedNode(iris.SCHEMA + "mentions")
            for row in store.query(MENTIONS, substitutions={"g": ox.NamedNode(graph)}):
                triple = ox.Triple(node, mentions, row["s"])
                if triple not in seen:
                    seen.add(triple)
                    desc.triples.append(triple)
    linked = _linked(desc, node)
    for start in range(0, len(linked), 500):
        values = " ".join(str(n) for n in linked[start : start + 500])
        for triple in store.query(LABELS % values):
            if triple not in seen:
                seen.add(triple)
                desc.triples.append(triple)
    desc.triples.sort(key=str)  # result order varies between threads; documents must not
    desc._indexed = -1  # reordered: objects() rebuilds its index
    desc.sources = source_graphs(store, iri)
    return desc


def _linked(desc: Description, node: ox.NamedNode) -> list[ox.NamedNode]:
    """IRIs the entity links to or from (authorship persons included), for their labels. The
    entity's authorship slots are not asked again: OWN already returned every statement about
    them (a third of a work's lookups)."""
    found: dict[str, ox.NamedNode] = {}
    authorships = {t.object.value for t in desc.triples if t.subject == node and  # type: ignore[union-attr]
                   t.predicate.value == iris.KGPUB + "authorship"}  # fmt: skip
    for t in desc.triples:
        subject, obj = t.subject, t.object
        if isinstance(subject, ox.NamedNode) and subject != node and subject.value not in authorships:
            found.setdefault(subject.value, subject)
        if (isinstance(obj, ox.NamedNode) and obj != node and t.predicate.value != iris.RDF + "type"
                and obj.value not in authorships):  # fmt: skip
            found.setdefault(obj.value, obj)
    return list(found.values())


def document_triples(desc: Description, doc_iri: str) -> list[ox.Triple]:
    """The entity's triples plus what the document says about itself."""
    doc = ox.NamedNode(doc_iri)
    entity = ox.NamedNode(desc.iri)
    extra = [
        ox.Triple(doc, ox.NamedNode(iris.RDF + "type"), ox.NamedNode(iris.FOAF + "Document")),
        ox.Triple(doc, ox.NamedNode(iris.FOAF + "primaryTopic"), entity),
        ox.Triple(doc, ox.NamedNode(iris.VOID + "inDataset"), ox.NamedNode(dataset_iri())),
    ]
    if settings().license:
        extra.append(ox.Triple(doc, ox.NamedNode(iris.DCT + "license"), ox.NamedNode(settings().license)))
    for _graph, source in desc.sources:
        if source:
            extra.append(ox.Triple(doc, ox.NamedNode(iris.DCT + "source"), ox.NamedNode(source)))
    # topics served here under another namespace: say where their local description lives
    for triple in desc.triples:
        obj = triple.object
        if isinstance(obj, ox.NamedNode) and obj.value.startswith(iris.ARXIV):
            local = iris.base() + "id/topic/" + obj.value[len(iris.ARXIV) :]
            extra.append(ox.Triple(obj, ox.NamedNode(iris.RDFS + "seeAlso"), ox.NamedNode(local)))
    return desc.triples + list(dict.fromkeys(extra))


def dataset_iri() -> str:
    return iris.base() + ".well-known/void#dataset"
