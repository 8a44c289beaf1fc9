"""``attach_sources`` joins in Python what was one SPARQL query with OPTIONALs; the answers must match.

The query below is that original formulation, kept here as the specification: for each focus node,
every graph stating something about it, its own line span there (or its work record's, for a byline
slot), and the file name of the graph's document, one row per combination when there are several.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgpub.validation import ValidationResult, runner_for, vocab
from kgpub.validation.provenance import KGPUB, attach_sources
from kgpub.validation.report import SourceRef

SPEC = f"""
SELECT DISTINCT ?this ?g ?name ?start ?end WHERE {{
  #VALUES#
  GRAPH ?g {{ ?this ?_p ?_o }}
  OPTIONAL {{ GRAPH ?g {{ ?this <{KGPUB}sourceLine> ?own_start }} }}
  OPTIONAL {{ GRAPH ?g {{ ?this <{KGPUB}sourceLineEnd> ?own_end }} }}
  OPTIONAL {{ GRAPH ?g {{ ?_owner <{KGPUB}authorship> ?this ; <{KGPUB}sourceLine> ?owner_start ;
                                  <{KGPUB}sourceLineEnd> ?owner_end }} }}
  OPTIONAL {{ GRAPH ?_pg {{ ?_doc <{KGPUB}namedGraph> ?g ; <{KGPUB}fileName> ?name }} }}
  BIND(COALESCE(?own_start, ?owner_start) AS ?start)
  BIND(COALESCE(?own_end, ?owner_end) AS ?end)
}}"""

B = "http://ex.org/"
DATA = f"""
@prefix k: <{KGPUB}> .
@prefix e: <{B}> .
e:g1 {{ e:w1 a e:Work ; k:sourceLine 3 ; k:sourceLineEnd 5 ; k:authorship e:w1a1 .
        e:w1a1 e:name "A" .
        e:p1 e:name "P" ; k:sourceLine 7 , 9 ; k:sourceLineEnd 7 . }}
e:g2 {{ e:w1 e:title "T" ; k:sourceLine "x" .
        e:w2 k:sourceLineEnd 4 ; k:authorship e:w2a1 ; k:sourceLine 1 .
        e:w2a1 e:name "B" . e:w3 k:authorship e:w3a1 ; k:sourceLine 8 ; k:sourceLineEnd 8 .
        e:w4 k:authorship e:w3a1 ; k:sourceLine 9 ; k:sourceLineEnd 10 .
        e:w3a1 e:name "C" . }}
e:g3 {{ e:p1 e:name "P" . e:lonely e:x 1 . }}
<{B}graph/validation> {{ e:w1 e:status "bad" . }}
<{B}graph/provenance> {{ e:d1 k:namedGraph e:g1 ; k:fileName "one.jsonl" .
                       e:d2 k:namedGraph e:g2 ; k:fileName "two.txt" .
                       e:d2b k:namedGraph e:g2 ; k:fileName "two-copy.txt" . }}
"""
NODES = ["w1", "w1a1", "p1", "w2", "w2a1", "w3a1", "lonely", "absent"]


def _int(term: ox.Literal | None) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def test_attach_sources_matches_the_single_query() -> None:
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TRIG)
    run = runner_for(store)
    results = [
        ValidationResult(ox.NamedNode(B + n), None, None, vocab.VIOLATION, ox.NamedNode(B + "S"), "S",
                         vocab.sh("MinCountConstraintComponent"), "m")
        for n in NODES
    ]
    values = "VALUES ?this { " + " ".join(f"<{B}{n}>" for n in NODES) + " }"
    expected: dict[str, set[SourceRef]] = {}
    for row in run(SPEC.replace("#VALUES#", values)):
        if not row["g"].value.endswith(("graph/validation", "graph/provenance")):
            name = row["name"].value if row["name"] is not None else None
            ref = SourceRef(row["g"].value, name, _int(row["start"]), _int(row["end"]))
            expected.setdefault(row["this"].value, set()).add(ref)
    got = {r.focus.value: set(r.sources) for r in attach_sources(run, results) if r.sources}
    assert got == expected
    sizes = {n: len(got.get(B + n, ())) for n in ("w1", "p1", "w3a1", "w2a1", "lonely", "absent")}
    assert sizes == {"w1": 3, "p1": 3, "w3a1": 4, "w2a1": 2, "lonely": 1, "absent": 0}  # every case is met
    again = attach_sources(run, list(reversed(results)))
    assert {r.focus.value: r.sources for r in again} == {r.focus.value: r.sources for r in attach_sources(run, results)}
