"""The two graphs kgpub writes about the data rather than from it.

``{base}graph/provenance``: each source document (file name, sha256, size, capture date, kind,
parser, kgpub version) and the build activity that used them and generated their graphs.
``{base}graph/reconciliation``: what reconciliation concluded — merged-away IRIs (``kgpub:mergedInto``,
answered with 301 by the web), conflicts with every claimed value and who claimed it, merge
candidates and person ambiguities for a curator, and author links the manifest (not a document) gave.
Both are deterministic functions of the sources, so an unchanged build rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata as _metadata

from kgpub.identity import graph_iri, hash_key, iri
from kgpub.mapping import ntriples as nt
from kgpub.mapping.table import MappingTable
from kgpub.reconcile import Reconciled
from kgpub.records import ParseResult, SourceDoc
from kgpub.sources.rdf import minted_graph

try:
    __version__ = _metadata.version("kgpub")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PARSERS = {
    "profile": "kgpub.sources.profile",
    "arxiv-listing": "kgpub.sources.arxiv_listing",
    "feed": "kgpub.sources.feed",
    "records": "kgpub.sources.records_jsonl",
    "rdf": "kgpub.sources.rdf",
}


def source_graph_iri(base: str, result: ParseResult) -> str:
    """Where a document's statements go: an RDF file's declared or minted graph (the one its
    payload is written to, so the provenance graph names the document of those statements), else
    one per name."""
    if result.source.kind == "rdf":
        return result.source.graph or minted_graph(result.source)
    return graph_iri(base, "source", hash_key("source:" + result.source.name))


def provenance_lines(table: MappingTable, base: str, results: list[ParseResult]) -> list[str]:
    """The whole provenance graph at once (what a streaming build makes piece by piece)."""
    head, activity = provenance_head(table, base, [r.source for r in results])
    for r in results:
        head.extend(provenance_source_lines(table, base, r, activity))
    return head


def provenance_head(table: MappingTable, base: str, docs: Iterable[SourceDoc]) -> tuple[list[str], str]:
    """The build activity's own statements and its node: a digest of every document read."""
    st = table.records["source"].structure
    fingerprint = "|".join(f"{d.name}={d.sha256}" for d in sorted(docs, key=lambda d: d.name))
    activity = nt.iri(iri(base, "activity", hash_key("build:" + __version__ + ":" + fingerprint)))
    head = [f"{activity} {RDF_TYPE} {st['activity_type']}", f"{activity} {st['version']} {nt.literal(__version__)}"]
    return head, activity


def provenance_source_lines(table: MappingTable, base: str, r: ParseResult, activity: str) -> list[str]:
    """One document: what it is, which graph it gave, its parser diagnostics."""
    src = table.records["source"]
    st = src.structure
    out: list[str] = []
    doc = r.source
    s = nt.iri(iri(base, "source", hash_key("source:" + doc.name)))
    g = nt.iri(source_graph_iri(base, r))
    for t in src.types:
        out.append(f"{s} {RDF_TYPE} {t}")
    for rule in src.fields:
        value = getattr(doc, rule.field)
        if value is None or value == "":
            continue
        out.extend(f"{s} {rule.predicate} {o}" for o in rule.objects(value))
    out.append(f"{s} {st['graph']} {g}")
    out.append(f"{s} {st['parser']} {nt.literal(PARSERS.get(doc.kind, doc.kind))}")
    out.append(f"{s} {st['version']} {nt.literal(__version__)}")
    out.append(f"{s} {st['diagnostics']} {nt.integer(len(r.diagnostics))}")
    out.extend(_diagnostic_lines(st, base, s, doc.name, r))
    out.append(f"{g} {st['graph_derived_from']} {s}")
    out.append(f"{g} {st['graph_generated_by']} {activity}")
    out.append(f"{activity} {st['used']} {s}")
    out.append(f"{activity} {st['generated']} {g}")
    return out


def _diagnostic_lines(st: dict[str, str], base: str, doc_node: str, name: str, result: ParseResult) -> list[str]:
    """Every parser diagnostic as a node of its own, so that what the build reported is kept in the
    store for `kgpub validate` and the /validation page, not only printed once by the build."""
    out: list[str] = []
    for i, d in enumerate(result.diagnostics):
        node = nt.iri(iri(base, "diagnostic", hash_key(f"diagnostic:{name}:{i}")))
        out.append(f"{node} {RDF_TYPE} {st['diagnostic_type']}")
        out.append(f"{node} {st['diagnostic_of']} {doc_node}")
        out.append(f"{node} {st['diagnostic_severity']} {nt.literal(d.severity)}")
        out.append(f"{node} {st['diagnostic_code']} {nt.literal(d.code)}")
        out.append(f"{node} {st['diagnostic_message']} {nt.literal(d.message)}")
        if d.line is not None:
            out.append(f"{node} {st['diagnostic_line']} {nt.integer(d.line)}")
        if d.field:
            out.append(f"{node} {st['diagnostic_field']} {nt.literal(d.field)}")
        if d.hint:
            out.append(f"{node} {st['diagnostic_hint']} {nt.literal(d.hint)}")
    return out


def reconciliation_lines(table: MappingTable, base: str, rec: Reconciled) -> list[str]:
    rt = table.records["reconciliation"].structure
    person_types = table.records["person"].types
    name_p = table.term("person", "byline_name")
    out: list[str] = []
    for (kind, loser), survivor in sorted(rec.redirects.items()):
        out.append(f"{nt.iri(iri(base, kind, loser))} {rt['merged_into']} {nt.iri(iri(base, kind, survivor))}")
    for c in rec.conflicts:
        node = nt.iri(iri(base, "conflict", hash_key(f"conflict:{c.entity}:{c.field}")))
        out.append(f"{node} {RDF_TYPE} {rt['conflict_type']}")
        out.append(f"{node} {rt['conflict_about']} {nt.iri(iri(base, c.entity_type, c.entity))}")
        out.append(f"{node} {rt['conflict_field']} {nt.literal(c.field)}")
        for i, (value, sources) in enumerate(c.values, 1):
            claim = nt.iri(iri(base, "conflict", hash_key(f"conflict:{c.entity}:{c.field}") + f"-{i}"))
            out.append(f"{node} {rt['claim']} {claim}")
            out.append(f"{claim} {rt['claim_value']} {nt.literal(value)}")
            for name in sources:
                out.append(f"{claim} {rt['stated_in']} {nt.iri(iri(base, 'source', hash_key('source:' + name)))}")
    for m in rec.candidates:
        node = nt.iri(iri(base, "candidate", hash_key(f"candidate:{m.left}:{m.right}")))
        out.append(f"{node} {RDF_TYPE} {rt['candidate_type']}")
        out.append(f"{node} {rt['candidate_work']} {nt.iri(iri(base, 'work', m.left))}")
        out.append(f"{node} {rt['candidate_work']} {nt.iri(iri(base, 'work', m.right))}")
        out.append(f"{node} {rt['similarity']} {nt.decimal(m.similarity)}")
    for a in rec.ambiguities:
        node = nt.iri(iri(base, "ambiguity", hash_key("ambiguity:" + "|".join(a.persons))))
        out.append(f"{node} {RDF_TYPE} {rt['ambiguity_type']}")
        out.extend(f"{node} {rt['candidate_person']} {nt.iri(iri(base, 'person', k))}" for k in a.persons)
        out.extend(f"{node} {rt['printed_name']} {nt.literal(n)}" for n in a.names)
        out.append(f"{node} {rt['reason']} {nt.literal(a.reason)}")
    persons = {p.key: p for p in rec.persons.entities}
    typed: set[str] = set()
    for work, person, _source in rec.derived_authors:
        p = nt.iri(iri(base, "person", person))
        out.append(f"{nt.iri(iri(base, 'work', work))} {rt['author']} {p}")
        if p not in typed:  # a subject may be named only by the manifest: give it a type and name
            typed.add(p)
            out.extend(f"{p} {RDF_TYPE} {t}" for t in person_types)
            out.extend(f"{p} {name_p} {nt.literal(n)}" for n in persons[person].names)
    return out
