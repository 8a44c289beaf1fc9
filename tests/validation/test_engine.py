"""The engine's contract: refuses what it cannot check, names sources and lines, renders reports,
re-validates incrementally with the same outcome as a full run, and works on kgpub's own store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.errors import ConfigError
from kgpub.store import EmbeddedStore
from kgpub.validation import Report, load_shapes, validate_store, validation_graph

BASE = "http://localhost:8080/"
SH = "http://www.w3.org/ns/shacl#"
PREFIXES = """
@prefix s: <http://schema.org/> . @prefix k: <https://w3id.org/kgpub/ns#> .
@prefix x: <http://www.w3.org/2001/XMLSchema#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix id: <http://localhost:8080/id/> .
"""
G1, G2, PROV = BASE + "graph/source/one", BASE + "graph/source/two", BASE + "graph/provenance"
FEED = """
id:w1 a s:ScholarlyArticle ; s:name "Cocktail Party Attack" ; k:doi "10.1145/1" ;
    k:sourceLine 12 ; k:sourceLineEnd 14 ; k:authorship id:a1 .
id:a1 a k:Authorship ; k:position 1 ; k:printedName "et al." .
"""
LISTING = """
id:w2 a s:ScholarlyArticle ; k:arxivId "2205.15184" ; k:sourceLine 3 ; k:sourceLineEnd 5 .
"""
PROVENANCE = f"""
id:s1 a k:SourceDocument ; k:fileName "feed.txt" ; k:namedGraph <{G1}> ; k:sha256 "{"a" * 64}" .
id:s2 a k:SourceDocument ; k:fileName "arxiv.txt" ; k:namedGraph <{G2}> ; k:sha256 "{"b" * 64}" .
"""


def _store(**graphs: str) -> ox.Store:
    store = ox.Store()
    for graph, turtle in graphs.items():
        store.load((PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    return store


def _graphs(feed: str = FEED, listing: str = LISTING) -> dict[str, str]:
    return {G1: feed, G2: listing, PROV: PROVENANCE}


def _replace(store: ox.Store, graph: str, turtle: str) -> None:
    store.remove_graph(ox.NamedNode(graph))
    store.load((PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))


def _shapes(tmp_path: Path, body: str) -> Path:
    (tmp_path / "s.ttl").write_text(PREFIXES + "@prefix ex: <http://example.org/> .\n" + body)
    return tmp_path


# -- refusing what cannot be checked --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass s:Thing ; sh:or ( ex:A ex:B ) .", "sh:or is not supported"),
        ("ex:S a sh:NodeShape ; sh:targetClass s:Thing ; sh:minCuont 1 .", "sh:minCuont is not supported"),
        ("ex:S a sh:NodeShape ; sh:property [ sh:path s:name ; sh:minCount 1 ] .", "has no target"),
        (
            'ex:S sh:targetClass s:Thing ; sh:property [ sh:path s:name ; sh:pattern "(" ] .',
            "not a valid regex",
        ),
        ("ex:S sh:targetClass s:Thing ; sh:property [ sh:minCount 1 ] .", "without sh:path"),
        (
            "ex:S sh:targetClass s:Thing ; "
            'sh:sparql [ sh:select "PREFIX s: <http://schema.org/> SELECT $this {}" ] .',
            "sh:prefixes",
        ),
        ('ex:S sh:targetClass s:Thing ; sh:sparql [ sh:ask "ASK {}" ] .', "not supported"),
        ("ex:S sh:targetClass s:Thing ; sh:severity sh:Fatal .", "sh:severity must be"),
    ],
)
def test_unsupported_or_broken_shapes_are_refused(tmp_path: Path, body: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says) as err:
        validate_store(ox.Store(), _shapes(tmp_path, body))
    assert "s.ttl" in str(err.value)


def test_deactivated_shapes_are_skipped(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path, "ex:S sh:targetNode ex:x ; sh:deactivated true ; sh:hasValue ex:y .")
    assert validate_store(ox.Store(), shapes).results == []
    shapes = _shapes(tmp_path, "ex:S sh:targetNode ex:x ; sh:hasValue ex:y .")
    assert len(validate_store(ox.Store(), shapes).results) == 1


# -- sources, lines and the three renderings ------------------------------------------------------


def test_results_name_the_source_document_and_lines() -> None:
    report = validate_store(_store(**_graphs()))
    et_al = next(r for r in report.results if r.focus == ox.NamedNode(BASE + "id/a1"))
    assert [str(s) for s in et_al.sources] == ["feed.txt:12-14"]  # the slot takes its work's record span
    untitled = next(r for r in report.results if r.focus == ox.NamedNode(BASE + "id/w2"))
    assert [str(s) for s in untitled.sources] == ["arxiv.txt:3-5"]
    assert untitled.sources[0].graph == G2


def test_text_report_groups_by_severity_then_entity() -> None:
    text = validate_store(_store(**_graphs())).to_text()
    assert text.startswith("Validation: does NOT conform")
    violation, warning = text.index("== Violation"), text.index("== Warning")
    assert violation < text.index(BASE + "id/a1") < warning < text.index(BASE + "id/w2")
    assert "from: feed.txt:12-14" in text and "from: arxiv.txt:3-5" in text
    assert "et al." in text


def test_turtle_report_is_a_standard_validation_report() -> None:
    report = validate_store(_store(**_graphs()))
    graph = ox.Store()
    graph.load(report.to_turtle().encode(), ox.RdfFormat.TURTLE)
    rows = list(
        graph.query(f"""PREFIX sh: <{SH}>
        SELECT ?conforms (COUNT(?r) AS ?n) WHERE {{ ?rep a sh:ValidationReport ; sh:conforms ?conforms ;
        sh:result ?r . ?r sh:focusNode ?f ; sh:resultSeverity ?s ; sh:sourceConstraintComponent ?c ;
        sh:resultMessage ?m ; sh:sourceShape ?shape }} GROUP BY ?conforms""")
    )
    assert len(rows) == 1
    assert rows[0]["conforms"].value == "false"
    assert int(rows[0]["n"].value) == len(report.results)


def test_json_report_counts_and_results() -> None:
    report = validate_store(_store(**_graphs()))
    data = json.loads(report.to_json())
    assert data["conforms"] is False
    assert data["counts"] == report.counts()
    assert sum(data["counts"].values()) == len(data["results"]) == len(report.results)
    first = data["results"][0]
    assert set(first) >= {"focus", "path", "value", "severity", "shape", "component", "message", "sources"}


def test_warnings_alone_conform() -> None:
    report = validate_store(_store(**{G2: LISTING, PROV: PROVENANCE}))
    assert report.counts()["Warning"] >= 1
    assert report.counts()["Violation"] == 0
    assert report.conforms


# -- incremental runs -----------------------------------------------------------------------------


def _keys(report: Report) -> set[tuple[str, ...]]:
    return {r.key for r in report.results}


def test_incremental_run_equals_a_full_run_after_a_change() -> None:
    store = _store(**_graphs())
    before = validate_store(store)
    # the arXiv listing now gives w2 a malformed id and the feed's DOI: a cross-record clash
    _replace(store, G2, 'id:w2 a s:ScholarlyArticle ; k:arxivId "2205.1518x" ; k:doi "10.1145/1" .')
    partial = validate_store(store, focus_graphs=[G2])
    assert partial.scope is not None and ox.NamedNode(BASE + "id/w1") in partial.scope  # the partner
    assert _keys(before.updated_with(partial)) == _keys(validate_store(store))
    # and back: the clash disappears on both sides
    _replace(store, G2, LISTING)
    again = validate_store(store, focus_graphs=[G2])
    assert (
        _keys(before.updated_with(partial).updated_with(again))
        == _keys(validate_store(store))
        == _keys(before)
    )


def test_incremental_run_after_a_source_is_removed() -> None:
    store = _store(**_graphs())
    before = validate_store(store)
    store.remove_graph(ox.NamedNode(G2))
    gone = before.nodes_in_graphs([G2])
    assert gone == [BASE + "id/w2"]
    partial = validate_store(store, focus_graphs=[], focus_nodes=gone)
    assert partial.results == []  # w2 no longer exists: nothing to report about it
    assert _keys(before.updated_with(partial)) == _keys(validate_store(store))


def test_incremental_run_only_looks_at_changed_graphs() -> None:
    store = _store(**_graphs())
    partial = validate_store(store, focus_graphs=[G2])
    assert {r.focus for r in partial.results} == {ox.NamedNode(BASE + "id/w2")}
    assert validate_store(store, focus_graphs=[]).results == []


# -- kgpub's store, and the validation graph the web reads ----------------------------------------


def test_validates_an_embedded_store_and_publishes_the_report_graph(tmp_path: Path) -> None:
    nt = {g: ox.serialize(_store(**{g: t}), format=ox.RdfFormat.N_QUADS) for g, t in _graphs().items()}
    ntriples = {
        g: "".join(line.rpartition(" <")[0] + " .\n" for line in q.decode().splitlines())
        for g, q in nt.items()
    }
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs(ntriples, {g: "d" for g in ntriples})
    report = validate_store(store, workers=2)  # threads: the store is shared by them
    assert report.counts() == validate_store(_store(**_graphs())).counts()
    graph = validation_graph(BASE)
    store.replace_graphs({graph: report.to_ntriples()}, {graph: "r"})
    status = store.query(
        f"PREFIX sh: <{SH}> SELECT ?e ?severity WHERE {{ GRAPH <{graph}> {{ "
        "?r sh:focusNode ?e ; sh:resultSeverity ?severity } }",
        substitutions={"e": ox.NamedNode(BASE + "id/a1")},
    )
    assert {row["severity"].value for row in status} == {SH + "Violation"}
    assert _keys(validate_store(store)) == _keys(report)  # the report graph is never validated itself


def test_project_shapes_are_loaded_once_and_reusable() -> None:
    shapes = load_shapes()
    store = _store(**_graphs())
    assert _keys(validate_store(store, shapes=shapes)) == _keys(validate_store(store))
